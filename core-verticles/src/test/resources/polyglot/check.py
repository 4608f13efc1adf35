"""Run by PolyglotClientsTest: python3 check.py <clients dir> <host> <port> <token> <cardId>.

Reads a card, is refused the sale path, listens for the card's sale; prints one JSON line and exits 0.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
from slabtrack_bus import BridgeError, SlabtrackBus  # noqa: E402

host, port, token, card_id = sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
bus = SlabtrackBus(host, port, token, timeout=30)
result = {"card": bus.request("core.cards.read", {"cardId": card_id})}
try:
    bus.request("core.sale.claim", {"claimId": "from-python", "cardIds": [card_id]})
    result["refused"] = None
except BridgeError as e:
    result["refused"] = e.frame
bus.subscribe("public.cards.storefront")
bus.request("core.cards.read", {"cardId": card_id})  # the register went before this, in order
print("ready", flush=True)
while True:
    frame = bus.read_frame()
    body = frame.get("body") or {}
    if frame.get("type") == "message" and body.get("type") == "card.sold" and card_id in body.get("cardIds", []):
        result["sold"] = body
        break
print(json.dumps(result), flush=True)
bus.close()
