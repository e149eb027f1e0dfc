"""The ticket service: answers 201 with the ticket and who opened it (from the authorizer's output)."""

import json


def handler(event, context):
    ticket = json.loads(event["body"])
    authorizer = event["requestContext"]["authorizer"]
    return {
        "statusCode": 201,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"ticket": ticket, "openedBy": authorizer["principalId"], "team": authorizer["team"],
                            "apiKeyId": event["requestContext"]["identity"]["apiKeyId"]}),
    }
