def handler(event, context):
    return {"statusCode": 200, "body": "ok"}


def fallback(event, context):
    return {"statusCode": 404, "body": "none"}
