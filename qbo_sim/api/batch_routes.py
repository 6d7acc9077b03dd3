"""``POST /v3/company/<realm>/batch`` (reference §5.7).

Each ``BatchItemRequest`` runs on its own: a fault in one item is returned inside that item
(``{"bId": ..., "Fault": {...}}``) and the batch still answers HTTP 200. An item runs in its own
unit of work, so a failed item leaves nothing behind while the others stay written. More than 30
items → 400, 1040 (assumed body, §8).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from qbo_sim.api.company import perform
from qbo_sim.api.context import answer, batch_body, company, sim
from qbo_sim.clock import response_time
from qbo_sim.entities import ENTITIES
from qbo_sim.faults import QBOFault
from qbo_sim.opcontext import OpContext
from qbo_sim.serialize import fault_object

bp = Blueprint("batch", __name__, url_prefix="/v3/company/<realm_id>")

MAX_ITEMS = 30


@bp.post("/batch")
def batch(realm_id: str) -> Response:
    body = batch_body()
    items = body.get("BatchItemRequest")
    if not isinstance(items, list) or not items:
        raise QBOFault("required_param", name="BatchItemRequest")
    if len(items) > MAX_ITEMS:
        raise QBOFault("batch_too_large", size=len(items))
    target = company()
    simulator = sim()
    answers = [
        _run_item(OpContext(target, simulator.clock, options=_options(item)), item)
        for item in items
    ]
    doc = {
        "BatchItemResponse": answers,
        "time": response_time(simulator.clock.now(), target.utc_offset_minutes),
    }
    content_type, text = answer(doc, target)
    return Response(text, status=200, content_type=content_type)


def _options(item: Any) -> frozenset[str]:
    raw = item.get("optionsData", "") if isinstance(item, dict) else ""
    return frozenset(p.strip().lower() for p in str(raw).split(",") if p.strip())


def _run_item(ctx: OpContext, item: Any) -> dict[str, Any]:
    bid = item.get("bId") if isinstance(item, dict) else None
    try:
        if not isinstance(item, dict) or not bid:
            raise QBOFault("required_param", name="bId")
        return {"bId": bid, **_execute(ctx, item)}
    except QBOFault as fault:
        return {"bId": bid, "Fault": fault_object([fault])}


def _rule_operation(operation: str, payload: dict[str, Any], options: frozenset[str]) -> str:
    """A batch item's operation as fault-injection rules name it (create, update, delete,
    void), as the same write sent alone would be described."""
    if operation in ("delete", "void"):
        return operation
    if operation == "update" and "void" in options:
        return "void"
    if operation == "update" or "Id" in payload:
        return "update"
    return "create"


def _execute(ctx: OpContext, item: dict[str, Any]) -> dict[str, Any]:
    if "Query" in item:
        from qbo_sim.query import run_statement

        return run_statement(ctx.company, str(item["Query"]), ctx.clock)
    names = [key for key in item if key in ENTITIES]
    if len(names) != 1:
        raise QBOFault("invalid_property", name="BatchItemRequest")
    spec = ENTITIES[names[0]]
    payload = item[spec.name]
    if not isinstance(payload, dict):
        raise QBOFault("malformed_json")
    operation = str(item.get("operation", "")).lower()
    injected = sim().injector.batch_item_fault(
        ctx.company.realm_id, spec.name, _rule_operation(operation, payload, ctx.options)
    )
    if injected is not None:
        raise injected
    result = perform(ctx, spec, operation, dict(payload))
    return {spec.name: result}
