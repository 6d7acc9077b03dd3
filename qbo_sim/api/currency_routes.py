"""``GET`` and ``POST /v3/company/<realm>/exchangerate`` (DOC-XR; docs/research/
currency-and-ledger.md A2.8-10): read a rate by ``sourcecurrencycode`` and ``asofdate``, or
set one. Queries (``select * from exchangerate``) go through the query route.

Answers are DOC-XR's shape: ``{"ExchangeRate": {SyncToken, domain, AsOfDate,
SourceCurrencyCode, Rate, sparse, TargetCurrencyCode, MetaData: {LastUpdatedTime}}, "time"}``,
with no ``Id``. A rate the company does not have is an empty answer, ``{"time": ...}``
(DOC-MC: "an empty response"; its exact shape is assumed).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from qbo_sim import operations
from qbo_sim.api.context import answer, company, entity_body, op_context, sim
from qbo_sim.clock import response_time
from qbo_sim.entities import ENTITIES
from qbo_sim.entities.currency import EXCHANGE_RATE

bp = Blueprint("currency", __name__, url_prefix="/v3/company/<realm_id>")


def wire(row: dict[str, Any]) -> dict[str, Any]:
    """A stored rate as GET and POST answer it (no internal Id; domain and sparse added)."""
    hidden = ENTITIES[EXCHANGE_RATE].wire_hidden
    return {
        "SyncToken": row["SyncToken"],
        "domain": "QBO",
        "AsOfDate": row["AsOfDate"],
        "SourceCurrencyCode": row["SourceCurrencyCode"],
        "Rate": row["Rate"],
        "sparse": False,
        "TargetCurrencyCode": row["TargetCurrencyCode"],
        **{k: v for k, v in row.items() if k not in hidden and k not in ("SyncToken",)},
    }


def _respond(row: dict[str, Any] | None) -> Response:
    target = company()
    body: dict[str, Any] = {} if row is None else {EXCHANGE_RATE: wire(row)}
    body["time"] = response_time(sim().clock.now(), target.utc_offset_minutes)
    content_type, text = answer(body, target)
    return Response(text, status=200, content_type=content_type)


@bp.get("/exchangerate")
def read_rate(realm_id: str) -> Response:
    args = {k.lower(): v for k, v in request.args.items()}
    source = args.get("sourcecurrencycode", "")
    return _respond(operations.read_exchange_rate(op_context(), source, args.get("asofdate")))


@bp.post("/exchangerate")
def set_rate(realm_id: str) -> Response:
    body = entity_body(EXCHANGE_RATE)
    return _respond(operations.set_exchange_rate(op_context(), body))
