"""``/_sim/webhooks``: subscriptions and delivery over the control plane (docs/control-plane.md).

Each endpoint is a thin adapter over ``sim.webhooks`` (its Python twin). Over HTTP a
subscription is always a ``url``; callbacks are for in-process tests. The ``webhooks`` part of
the control plane (``bp``, nested in :func:`qbo_sim.api.control_common.control_plane`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from qbo_sim.api.context import sim
from qbo_sim.api.control_common import (
    ControlError,
    body_of,
    call_feature,
    reply,
    required,
    typed,
)
from qbo_sim.webhooks.hub import Webhooks

bp = Blueprint("webhooks", __name__)

_SUBSCRIBE_FIELDS = ("url", "verifier_token", "entities", "format", "realms", "app_id")


def _webhooks() -> Webhooks:
    hub: Webhooks = sim().webhooks
    return hub


def _settings(hub: Webhooks) -> dict[str, Any]:
    due = hub.next_due()
    return {
        "auto_deliver": hub.auto_deliver,
        "subscriptions": [s.to_dict() for s in hub.subscriptions()],
        "next_due": due.isoformat() if due else None,
    }


@bp.get("/webhooks")
def webhook_settings() -> Response:
    """``sim.webhooks.subscriptions()``, ``auto_deliver`` and ``next_due()``."""
    return reply(_settings(_webhooks()))


@bp.patch("/webhooks")
def change_webhooks() -> Response:
    """``sim.webhooks.auto_deliver = <bool>``."""
    hub = _webhooks()
    body = body_of(("auto_deliver",))
    auto = typed(body, "auto_deliver", bool)
    if auto is not None:
        hub.auto_deliver = auto
    return reply(_settings(hub))


@bp.post("/webhooks/subscriptions")
def subscribe() -> Response:
    """``sim.webhooks.subscribe(url=, verifier_token=, entities=, format=, realms=)``."""
    hub = _webhooks()
    body = body_of(_SUBSCRIBE_FIELDS)
    url = required(body, "url", str)
    token = required(body, "verifier_token", str)
    for name in ("entities", "realms"):
        values = typed(body, name, list)
        if values is not None and not all(isinstance(v, str) for v in values):
            raise ControlError(400, f"field {name!r} must be a list of strings", values)
    options = {k: body[k] for k in ("entities", "format", "realms", "app_id") if k in body}
    sub = call_feature(hub.subscribe, url=url, verifier_token=token, **options)
    return reply(sub.to_dict(), 201)


@bp.delete("/webhooks/subscriptions/<sub_id>")
def unsubscribe(sub_id: str) -> Response:
    """``sim.webhooks.unsubscribe(id)``."""
    hub = _webhooks()
    try:
        hub.unsubscribe(sub_id)
    except KeyError:
        raise ControlError(404, "unknown webhook subscription", sub_id) from None
    return reply({"removed": sub_id, **_settings(hub)})


@bp.post("/webhooks/deliver")
def deliver() -> Response:
    """``sim.webhooks.deliver()``: every due notification now, with the endpoints' answers."""
    hub = _webhooks()
    sent = hub.deliver()
    due = hub.next_due()
    return reply(
        {"deliveries": [d.to_dict() for d in sent], "next_due": due.isoformat() if due else None}
    )


@bp.get("/webhooks/outbox")
def outbox() -> Response:
    """``sim.webhooks.outbox()``: notifications awaiting a retry, queued and held events."""
    return reply({"outbox": _webhooks().outbox()})


@bp.delete("/webhooks/outbox")
def clear() -> Response:
    """``sim.webhooks.clear()``: forget queued events, retries and history."""
    hub = _webhooks()
    hub.clear()
    return reply(_settings(hub))


@bp.get("/webhooks/history")
def history() -> Response:
    """``sim.webhooks.history()``: every notification made, with its attempts."""
    return reply({"notifications": [n.to_dict() for n in _webhooks().history()]})


@bp.get("/webhooks/events")
def events() -> Response:
    """``sim.webhooks.events(realm=)``: every event produced."""
    realm = request.args.get("realm") or None
    return reply({"events": [e.to_dict() for e in _webhooks().events(realm)]})


@bp.post("/webhooks/drop")
def drop() -> Response:
    """``sim.webhooks.drop_next(count)``: lose the next notifications (default 1)."""
    hub = _webhooks()
    count = typed(body_of(("count",)), "count", int)
    call_feature(hub.drop_next, 1 if count is None else count)
    return reply(_settings(hub))


@bp.post("/webhooks/reverse")
def reverse() -> Response:
    """``sim.webhooks.reverse_next(count)``: next notifications list events newest first."""
    hub = _webhooks()
    count = typed(body_of(("count",)), "count", int)
    call_feature(hub.reverse_next, 1 if count is None else count)
    return reply(_settings(hub))


@bp.post("/webhooks/duplicate")
def duplicate() -> Response:
    """``sim.webhooks.duplicate_next(count)``: next acknowledged notifications sent twice."""
    hub = _webhooks()
    count = typed(body_of(("count",)), "count", int)
    call_feature(hub.duplicate_next, 1 if count is None else count)
    return reply(_settings(hub))
