"""``GET /v3/company/<realm>/<txn>/<id>/pdf``: the transaction as a PDF (qbo_sim/pdf.py).

QBO serves it for invoices, estimates, sales receipts, credit memos, refund receipts and
purchase orders (Intuit's API reference, "Get ... as PDF", ``Content-Type: application/pdf``);
another entity's ``/pdf`` is a path QBO does not have (``unknown_resource``), and a missing or
deleted transaction is ``not_found``, as a read. The body is always PDF, whatever ``Accept``
asks; only a fault follows it (JSON or XML, as any fault).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from qbo_sim import operations
from qbo_sim.api.company import SINGLETON_ID
from qbo_sim.api.context import company, op_context
from qbo_sim.entities import BY_PATH, EntitySpec, ref_target
from qbo_sim.faults import QBOFault
from qbo_sim.pdf import Sheet, money, quantity, render
from qbo_sim.store import Company, Entity

bp = Blueprint("pdf", __name__, url_prefix="/v3/company/<realm_id>")

#: The label of the party on the sheet, by the transaction's party reference; otherwise the
#: name of the entity the reference names (``VendorRef``: Vendor).
PARTY_LABELS = {"CustomerRef": "Bill to"}
#: Line details that are not a row of the sheet (the subtotal is computed, not sold).
SKIPPED_DETAILS = frozenset({"SubTotalLineDetail"})


@bp.get("/<segment>/<entity_id>/pdf")
def pdf(realm_id: str, segment: str, entity_id: str) -> Response:
    spec = BY_PATH.get(segment)
    if spec is None or not spec.pdf:
        raise QBOFault("unknown_resource", path=request.path, url=request.url)
    target = company()
    with target.lock:  # the transaction and the names it shows, as one version
        entity = operations.read(op_context(), spec, entity_id, shared=True)
        body = render(sheet(target, spec, entity))
    return Response(body, content_type="application/pdf")


def sheet(target: Company, spec: EntitySpec, entity: Entity) -> Sheet:
    """What the PDF of ``entity`` (a stored ``spec``) shows."""
    info = target.get("CompanyInfo", SINGLETON_ID) or {}  # the company's name
    party_ref = spec.party_ref or ""
    party_type = ref_target(party_ref)
    rows: list[tuple[str, str, str]] = []
    for line in entity.get("Line") or []:
        detail_type = line.get("DetailType", "")
        if detail_type in SKIPPED_DETAILS:
            continue
        detail = line.get(detail_type) or {}
        rows.append(
            (
                str(line.get("Description") or ""),
                quantity(detail.get("Qty")),
                money(line.get("Amount", 0)),
            )
        )
    return Sheet(
        title=spec.txn_label,
        company_name=str(info.get("CompanyName", "")),
        party_label=PARTY_LABELS.get(party_ref) or party_type or "Name",
        party_name=_party(target, party_type, entity.get(party_ref)),
        doc_number=str(entity.get("DocNumber", "")),
        txn_date=str(entity.get("TxnDate", "")),
        lines=rows,
        total=money(entity.get("TotalAmt", 0)),
    )


def _party(target: Company, type_name: str | None, ref: Any) -> str:
    """The name of the customer or vendor ``ref`` names: the stored one's DisplayName (a
    ref's ``name`` may be stale), else the ref's ``name``."""
    if not isinstance(ref, dict):
        return ""
    stored = target.get(type_name, str(ref.get("value", ""))) if type_name else None
    if stored is not None and stored.get("DisplayName"):
        return str(stored["DisplayName"])
    return str(ref.get("name", ""))
