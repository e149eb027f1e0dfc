"""The orders function: API Gateway's request template hands it the order, the table and the region."""

import hashlib
import json
import os


class BadRequest(Exception):
    """API Gateway selects the 400 response by this message's prefix (Lambda errors match on errorMessage)."""

    def __init__(self, detail):
        super().__init__(f"[BadRequest] {detail}")


def lambda_handler(event, context):
    order = event.get("order") or {}
    items = order.get("items", [])
    if not isinstance(items, list) or any(not isinstance(i, dict) or "sku" not in i for i in items):
        raise BadRequest("every item needs a sku")
    order_id = "ord-" + hashlib.sha256(json.dumps(order, sort_keys=True).encode()).hexdigest()[:8]
    # A real function would put the item into os.environ["TABLE_NAME"]; the template passes the same name.
    assert event["table"] == os.environ["TABLE_NAME"]
    return {"orderId": order_id, "items": len(items), "table": event["table"], "region": event["region"]}
