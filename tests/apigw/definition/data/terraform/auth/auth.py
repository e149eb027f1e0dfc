"""The TOKEN authorizer of plan-secured.json and state-secured.json (``aws_lambda_function.auth``, zipped
from this folder by ``data.archive_file.auth``): ``tok-<user>`` is allowed on GET methods of the stage,
``tok-deny`` is denied, anything else is 401 ``Unauthorized``."""


def handler(event, context):
    user = event["authorizationToken"][len("tok-"):]
    if user == "deny":
        return {"principalId": user, "policyDocument": {"Version": "2012-10-17", "Statement": [
            {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": event["methodArn"]}]}}
    if user == "nobody":
        raise Exception("Unauthorized")
    api, stage = event["methodArn"].split("/")[:2]
    allow = {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": f"{api}/{stage}/GET/*"}
    return {"principalId": user, "context": {"tenant": "acme"},
            "policyDocument": {"Version": "2012-10-17", "Statement": [allow]}}
