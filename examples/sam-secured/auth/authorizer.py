"""The TOKEN authorizer: 'allow-<user>' may call every method of the stage, 'deny-<user>' none."""


def handler(event, context):
    kind, _, user = event["authorizationToken"].partition("-")
    api, stage = event["methodArn"].split("/")[:2]
    return {
        "principalId": user,
        "policyDocument": {"Version": "2012-10-17", "Statement": [
            {"Action": "execute-api:Invoke", "Effect": "Allow" if kind == "allow" else "Deny",
             "Resource": f"{api}/{stage}/*"}]},
        "context": {"team": "support", "level": 2},
    }
