"""Orders pushed by the shops: ``POST /v1/channels/{name}/webhook``.

Shopify signs a webhook's raw body with HMAC-SHA256 under the app's secret and sends the
digest, base64, in ``X-Shopify-Hmac-Sha256``; WooCommerce does the same under the webhook's
secret in ``X-WC-Webhook-Signature``. The signature is checked over the bytes as received,
before anything is parsed; a missing or wrong one is answered 401 and nothing is stored. A
verified order goes through the same ``take_orders`` as a polled one, so a webhook delivered
twice, or an order both pushed and polled, is one order.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.concurrency import run_in_threadpool

from station.hub.channels import shopify_mapping, woocommerce_mapping
from station.hub.channels.order import ChannelOrder, MappingError
from station.hub.channels.registry import ChannelInfo, get_channel
from station.hub.channels.secrets import channel_secrets
from station.hub.channels.store import take_orders
from station.hub.context import HubContext, HubError, hub_context, read_limited

router = APIRouter()
Ctx = Annotated[HubContext, Depends(hub_context)]
MAX_BODY = 1 << 20  # a Shopify order with 250 lines is well under 1 MiB
SHOPIFY_TOPICS = {"orders/create", "orders/updated", "orders/cancelled"}
WOO_TOPICS = {"order.created", "order.updated"}


def signature(secret: str, body: bytes) -> str:
    """The base64 HMAC-SHA256 both shops send (and the emulators and tests compute)."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _verified(given: str | None, secret: str | None, body: bytes) -> bool:
    if not given or not secret:
        return False
    return hmac.compare_digest(given.strip().encode(), signature(secret, body).encode())


def _take(ctx: HubContext, info: ChannelInfo, order: ChannelOrder) -> dict[str, Any]:
    report = take_orders(ctx.db, info.name, [order])
    if order.number in report.refused:
        return {"order": order.number, "result": "refused", "message": report.refused[order.number]}
    result = "created" if report.created else "updated" if report.updated else "unchanged"
    return {"order": order.number, "result": result}


@router.post("/v1/channels/{name}/webhook", include_in_schema=False)
async def channel_webhook(
    ctx: Ctx, request: Request, name: Annotated[str, Path(max_length=64)]
) -> dict[str, Any]:
    """Take one order webhook from channel ``name`` (401 on a bad signature)."""
    body = await read_limited(request, MAX_BODY)
    try:
        info = await run_in_threadpool(get_channel, ctx.db, name)
    except KeyError:
        raise HubError(404, "unknown_channel", f"no channel named {name!r}") from None
    secret = channel_secrets(name).webhook_secret
    if info.kind == "shopify":
        given = request.headers.get("X-Shopify-Hmac-Sha256")
        topic = request.headers.get("X-Shopify-Topic", "")
    else:
        given = request.headers.get("X-WC-Webhook-Signature")
        topic = request.headers.get("X-WC-Webhook-Topic", "")
    if not _verified(given, secret, body):
        # Same answer whether the secret is unset or the signature wrong: nothing to probe.
        raise HubError(401, "bad_signature", "the webhook's signature does not verify")
    try:
        payload = json.loads(body)
    except ValueError:
        if info.kind == "woocommerce" and body.startswith(b"webhook_id="):
            return {"result": "ping"}  # WooCommerce's test delivery when a webhook is saved
        raise HubError(400, "invalid_body", "the webhook's body is not JSON") from None
    if not isinstance(payload, dict):
        raise HubError(400, "invalid_body", "the webhook's body is not a JSON object")
    try:
        if info.kind == "shopify":
            if topic not in SHOPIFY_TOPICS:
                return {"result": "ignored", "topic": topic[:64]}
            order = shopify_mapping.map_webhook_order(payload, info.name)
        else:
            if topic not in WOO_TOPICS or not woocommerce_mapping.wanted(payload):
                return {"result": "ignored", "topic": topic[:64]}
            order = woocommerce_mapping.map_order(payload, info.name)
    except MappingError as exc:
        raise HubError(422, "invalid_order", str(exc)) from None
    return await run_in_threadpool(_take, ctx, info, order)
