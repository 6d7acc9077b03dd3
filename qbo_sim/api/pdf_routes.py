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
from qbo_sim.api.context import company, op_context
from qbo_sim.entities import BY_PATH
from qbo_sim.faults import QBOFault
from qbo_sim.pdf import Sheet, money, quantity, render
from qbo_sim.store import Company, Entity

bp = Blueprint("pdf", __name__, url_prefix="/v3/company/<realm_id>")

#: The entities with a PDF, and the title the sheet gets.
TITLES = {
    "Invoice": "Invoice",
    "Estimate": "Estimate",
    "SalesReceipt": "Sales Receipt",
    "CreditMemo": "Credit Memo",
    "RefundReceipt": "Refund Receipt",
    "PurchaseOrder": "Purchase Order",
}
#: Line details that are not a row of the sheet (the subtotal is computed, not sold).
SKIPPED_DETAILS = frozenset({"SubTotalLineDetail"})


@bp.get("/<segment>/<entity_id>/pdf")
def pdf(realm_id: str, segment: str, entity_id: str) -> Response:
    spec = BY_PATH.get(segment)
    if spec is None or spec.name not in TITLES:
        raise QBOFault("unknown_resource", path=request.path, url=request.url)
    target = company()
    with target.lock:  # the transaction and the names it shows, as one version
        entity = operations.read(op_context(), spec, entity_id, shared=True)
        body = render(sheet(target, spec.name, entity))
    return Response(body, content_type="application/pdf")


def sheet(target: Company, name: str, entity: Entity) -> Sheet:
    """What the PDF of ``entity`` (a stored ``name``) shows."""
    info = target.get("CompanyInfo", "1") or {}
    if name == "PurchaseOrder":
        label, party = "Vendor", _party(target, "Vendor", entity.get("VendorRef"))
    else:
        label, party = "Bill to", _party(target, "Customer", entity.get("CustomerRef"))
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
        title=TITLES[name],
        company_name=str(info.get("CompanyName", "")),
        party_label=label,
        party_name=party,
        doc_number=str(entity.get("DocNumber", "")),
        txn_date=str(entity.get("TxnDate", "")),
        lines=rows,
        total=money(entity.get("TotalAmt", 0)),
    )


def _party(target: Company, type_name: str, ref: Any) -> str:
    """The name of the customer or vendor ``ref`` names: the stored one's DisplayName (a
    ref's ``name`` may be stale), else the ref's ``name``."""
    if not isinstance(ref, dict):
        return ""
    stored = target.get(type_name, str(ref.get("value", "")))
    if stored is not None and stored.get("DisplayName"):
        return str(stored["DisplayName"])
    return str(ref.get("name", ""))
