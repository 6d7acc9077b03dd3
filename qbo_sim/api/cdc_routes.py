"""``GET /v3/company/<realm>/cdc?entities=...&changedSince=...`` (reference §5.8).

Changed objects in full, deleted transactions as ``status: Deleted`` stubs, at most 1000 objects,
no paging; one ``QueryResponse`` per asked entity, in the asked order, empty (``{}``) for an
entity without changes (a captured CDC answer in tests/parity). A ``changedSince`` older than
30 days answers 400 6000 with the observed message text (code and status assumed, §8). Changed
objects come from the store's change log (``Company.updated_since``): a CDC with few changes
does not read every object.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Response, request

from qbo_sim.api.context import answer, company, sim
from qbo_sim.clock import company_tz, response_time
from qbo_sim.entities import lookup
from qbo_sim.faults import QBOFault
from qbo_sim.store import Company, Entity

bp = Blueprint("cdc", __name__, url_prefix="/v3/company/<realm_id>")

MAX_OBJECTS = 1000
# Entities CDC does not serve (§5.8: ``spec.cdc`` false, or not simulated at all, as
# JournalCode, TaxAgency, TaxRate); asking for one is answered 2000 (code assumed).
LOOKBACK = timedelta(days=30)


@bp.get("/cdc")
def cdc(realm_id: str) -> Response:
    target = company()
    now = sim().clock.now()
    names = [n.strip() for n in request.args.get("entities", "").split(",") if n.strip()]
    if not names:
        raise QBOFault("required_param", name="entities")
    raw_since = request.args.get("changedSince", "")
    if not raw_since:
        raise QBOFault("required_param", name="changedSince")
    since = _parse_since(raw_since, target.utc_offset_minutes)
    if now - since > LOOKBACK:
        raise QBOFault(
            "business_validation",
            detail=f"Operation cdc with changedSince date {raw_since} which is "
            "older than fixed days is not supported.",
        )
    with sim().store.lock:  # rows are the stored objects: a consistent view, serialised in place
        content_type, body = answer(_collect(target, names, since, now), target)
    return Response(body, content_type=content_type)


def _collect(target: Company, names: list[str], since: datetime, now: datetime) -> dict[str, Any]:
    responses: list[dict[str, Any]] = []
    budget = MAX_OBJECTS
    for name in names:
        spec = lookup(name)
        if spec is None or not spec.cdc:
            raise QBOFault("invalid_object_name", name=name)
        rows = [e for e in target.updated_since(spec.name, since) if _changed(e, since)]
        rows += [s for s in target.deleted[spec.name].values() if _changed(s, since)]
        rows = rows[:budget]
        budget -= len(rows)
        # an entity without changes still has its (empty) QueryResponse, in the asked order
        # (quickbooks-ruby's captured CDC answer: 11 asked, 7 empty ``<QueryResponse/>``)
        responses.append(
            {spec.name: rows, "startPosition": 1, "maxResults": len(rows)} if rows else {}
        )
    return {
        "CDCResponse": [{"QueryResponse": responses}],
        "time": response_time(now, target.utc_offset_minutes),
    }


def _parse_since(raw: str, offset_minutes: int) -> datetime:
    try:
        value = datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError:
        raise QBOFault("invalid_date", value=raw) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=company_tz(offset_minutes))
    return value


def _changed(entity: Entity, since: datetime) -> bool:
    stamp = (entity.get("MetaData") or {}).get("LastUpdatedTime")
    return isinstance(stamp, str) and datetime.fromisoformat(stamp) >= since
