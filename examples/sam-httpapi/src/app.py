"""A notes function behind an HTTP API: it reads the payload format 2.0 event."""

import json
import os


def handler(event, context):
    method = event["requestContext"]["http"]["method"]
    if method == "POST":
        note = json.loads(event.get("body") or "{}")
        return {
            "statusCode": 201,
            "headers": {"Location": f"/notes/{note.get('id', 'new')}"},
            "cookies": ["seen=1; Path=/"],
            "body": json.dumps({"created": note, "table": os.environ["NOTES_TABLE"]}),
        }
    note_id = event["pathParameters"]["id"]
    # No statusCode: API Gateway answers 200 with this object as the JSON body.
    return {"id": note_id, "route": event["routeKey"], "table": os.environ["NOTES_TABLE"]}
