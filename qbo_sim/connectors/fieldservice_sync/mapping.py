"""Field-service records → QBO entity bodies, with QBO's field limits checked first.

Choice: names and numbers are trimmed of surrounding whitespace and checked against QBO's
documented limits (reference §3.1, §3.2) *before* sending. A value over the limit fails the
record locally with QBO's own code 2050 and a message naming the field and the limit, so the
operator sees the same code either way and no request is wasted. Limits QBO does not document
(Payment.PaymentRefNum, §3.2) are not checked here: QBO's answer is surfaced instead.
Values are never cut silently: a truncated invoice number is a different invoice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qbo_sim.connectors.fieldservice_sync.client import QboFault
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord

ENTITY = {
    "customer": "Customer",
    "property": "Customer",
    "vendor": "Vendor",
    "item": "Item",
    "class": "Class",
    "invoice": "Invoice",
    "payment": "Payment",
    "receipt": "Bill",
    "attachment": "Attachable",
}
TRANSACTIONS = ("invoice", "payment", "receipt")
#: (QBO field, max characters) — reference §3.1 / §3.2.
NAME_LIMIT = {
    "customer": ("DisplayName", 500),
    "property": ("DisplayName", 500),
    "vendor": ("DisplayName", 500),
    "item": ("Name", 100),
    "class": ("Name", 100),
}
DOC_NUMBER_MAX = 21
#: DisplayName must not contain these (DOC-CUST business rules, §3.1).
FORBIDDEN_IN_NAMES = (":", "\t", "\n")

#: ``ref(kind, key)`` → ``{"value": qbo_id}``; ``account(name)`` → ``{"value": id}``.
RefFn = Callable[[str, str], dict[str, str]]
AccountFn = Callable[[str], dict[str, str]]


def checked(field: str, value: Any, limit: int, *, name: bool = False) -> str:
    text = str(value or "").strip()
    if not text:
        raise QboFault("2020", f"{field} is empty: QuickBooks requires it")
    if len(text) > limit:
        raise QboFault(
            "2050",
            f"{field} is {len(text)} characters; QuickBooks allows at most {limit}. "
            "Shorten it in the field-service record (not sent to QuickBooks).",
            element=field,
        )
    if name and any(c in text for c in FORBIDDEN_IN_NAMES):
        raise QboFault(
            "2040",
            f"{field} {text!r} contains a colon, tab or newline, which QuickBooks does not "
            "allow in names (not sent to QuickBooks).",
            element=field,
        )
    return text


def identity(record: SyncRecord) -> tuple[str, str]:
    """(QBO field, value) that names this record in QBO, for look-up before create."""
    d = record.data
    if record.kind in NAME_LIMIT:
        field, limit = NAME_LIMIT[record.kind]
        return field, checked(field, d.get("name"), limit, name=field == "DisplayName")
    if record.kind == "invoice":
        return "DocNumber", checked("DocNumber", d.get("number"), DOC_NUMBER_MAX)
    if record.kind == "receipt":
        return "DocNumber", checked("DocNumber", d.get("vendor_document_number"), DOC_NUMBER_MAX)
    return "PaymentRefNum", str(d.get("reference_number") or "").strip()


def invoice_party(invoice: dict[str, Any]) -> tuple[str, str]:
    """Who an invoice is billed to: its property (a sub-customer) or its customer."""
    if invoice.get("property"):
        return "property", invoice["property"]
    return "customer", invoice["customer"]


def build_body(
    record: SyncRecord,
    ref: RefFn,
    account: AccountFn,
    invoice_data: Callable[[str], dict[str, Any]],
    tax_code: AccountFn | None = None,
) -> dict[str, Any]:
    """The create/sparse-update body for ``record`` (references resolved to QBO ids;
    ``tax_code``: a QBO tax code by name, as ``account`` a GL account)."""
    d, kind = record.data, record.kind
    if kind in ("customer", "vendor"):
        body: dict[str, Any] = {"DisplayName": identity(record)[1]}
        if d.get("email"):
            body["PrimaryEmailAddr"] = {"Address": checked("Email", d["email"], 100)}
        if d.get("phone"):
            body["PrimaryPhone"] = {"FreeFormNumber": checked("Phone", d["phone"], 30)}
        _currency(body, d)
        return body
    if kind == "property":
        body = {
            "DisplayName": identity(record)[1],
            "Job": True,
            "BillWithParent": True,
            "ParentRef": ref("customer", d["customer"]),
        }
        if d.get("address"):
            body["ShipAddr"] = {"Line1": checked("ShipAddr.Line1", d["address"], 500)}
        return body
    if kind == "class":
        return {"Name": identity(record)[1]}
    if kind == "item":
        body = {"Name": identity(record)[1], "Type": d.get("type") or "Service"}
        if d.get("income_account"):
            body["IncomeAccountRef"] = account(d["income_account"])
        if d.get("expense_account"):
            body["ExpenseAccountRef"] = account(d["expense_account"])
        if d.get("price") is not None:
            body["UnitPrice"] = d["price"]
        return body
    if kind == "invoice":
        return _invoice(record, ref, tax_code)
    if kind == "payment":
        return _payment(record, ref, invoice_data(d["invoice"]))
    return _bill(record, ref, account)


def _invoice(record: SyncRecord, ref: RefFn, tax_code: AccountFn | None = None) -> dict[str, Any]:
    """Lines (US tax: ``TAX``/``NON`` per line, the invoice's tax code as TxnTaxCodeRef). The
    tax itself is left to QBO, which computes it from the code; the field app's own total is
    compared with QBO's afterwards (engine ``TOTAL_MISMATCH``)."""
    d = record.data
    taxed = bool(d.get("tax_code")) or any("taxable" in ln for ln in d.get("lines") or [])
    lines = []
    for line in d.get("lines") or []:
        detail: dict[str, Any] = {"ItemRef": ref("item", line["item"])}
        if line.get("quantity") is not None:
            detail["Qty"] = line["quantity"]
        if line.get("unit_price") is not None:  # as given: QBO checks Amount = Qty x price (6070)
            detail["UnitPrice"] = line["unit_price"]
        if line.get("class") or d.get("class"):
            detail["ClassRef"] = ref("class", line.get("class") or d["class"])
        if taxed:
            detail["TaxCodeRef"] = {"value": "TAX" if line.get("taxable") else "NON"}
        entry: dict[str, Any] = {
            "DetailType": "SalesItemLineDetail",
            "Amount": line["amount"],
            "SalesItemLineDetail": detail,
        }
        if line.get("description"):
            entry["Description"] = checked("Line.Description", line["description"], 4000)
        lines.append(entry)
    body: dict[str, Any] = {
        "DocNumber": identity(record)[1],
        "CustomerRef": ref(*invoice_party(d)),
        "Line": lines,
    }
    if d.get("date"):
        body["TxnDate"] = d["date"]
    if d.get("tax_code") and tax_code is not None:
        body["TxnTaxDetail"] = {"TxnTaxCodeRef": tax_code(d["tax_code"])}
    _currency(body, d)
    return body


def _currency(body: dict[str, Any], d: dict[str, Any]) -> None:
    """The record's currency as QBO's CurrencyRef (a multicurrency company): sent as the
    field-service system has it, so QBO refuses a mismatch (6000) rather than booking it."""
    if d.get("currency"):
        body["CurrencyRef"] = {"value": d["currency"]}


def _payment(record: SyncRecord, ref: RefFn, invoice: dict[str, Any]) -> dict[str, Any]:
    d = record.data
    body: dict[str, Any] = {
        # The payer is the invoice's customer in the field-service system; QBO refuses (620)
        # when the invoice belongs to someone else there (article §1 moved, §7 mismatched).
        "CustomerRef": ref(*invoice_party(invoice)),
        "TotalAmt": d["amount"],
        "Line": [
            {
                "Amount": d["amount"],
                "LinkedTxn": [
                    {"TxnId": ref("invoice", d["invoice"])["value"], "TxnType": "Invoice"}
                ],
            }
        ],
    }
    if d.get("reference_number"):
        body["PaymentRefNum"] = str(d["reference_number"]).strip()
    if d.get("date"):
        body["TxnDate"] = d["date"]
    _currency(body, d)
    return body


def _bill(record: SyncRecord, ref: RefFn, account: AccountFn) -> dict[str, Any]:
    d = record.data
    lines = []
    for line in d.get("lines") or []:
        if line.get("account"):
            entry: dict[str, Any] = {
                "DetailType": "AccountBasedExpenseLineDetail",
                "Amount": line["amount"],
                "AccountBasedExpenseLineDetail": {"AccountRef": account(line["account"])},
            }
        else:
            entry = {
                "DetailType": "ItemBasedExpenseLineDetail",
                "Amount": line["amount"],
                "ItemBasedExpenseLineDetail": {"ItemRef": ref("item", line["item"])},
            }
        if line.get("description"):
            entry["Description"] = checked("Line.Description", line["description"], 4000)
        lines.append(entry)
    body: dict[str, Any] = {
        "VendorRef": ref("vendor", d["vendor"]),
        "DocNumber": identity(record)[1],
        "Line": lines,
    }
    if d.get("date"):
        body["TxnDate"] = d["date"]
    return body


def total(body: dict[str, Any]) -> float:
    return round(sum(float(line["Amount"]) for line in body.get("Line", [])), 2)
