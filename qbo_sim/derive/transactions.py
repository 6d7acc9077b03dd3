"""Transaction fields QBO fills in: TxnDate, DueDate, DocNumber, TotalAmt, Balance and the
per-form defaults (reference §5.12, DOC-ENT create samples)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from qbo_sim.clock import local_date
from qbo_sim.derive import lines
from qbo_sim.entities import SALES_FORMS, EntitySpec
from qbo_sim.preferences import preference_value
from qbo_sim.store import Company, Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

#: Transactions whose Balance derive sets (contract with the rules, see package docs).
BALANCE_TYPES = frozenset({"Invoice", "Bill", "CreditMemo", "VendorCredit"})
#: Transactions created with ``LinkedTxn: []``.
LINKABLE = frozenset(
    {"Invoice", "Bill", "CreditMemo", "Estimate", "SalesReceipt", "PurchaseOrder", "VendorCredit"}
)
#: Transactions without TotalAmt: a TimeActivity has hours, a Transfer an ``Amount`` (DOC-ENT).
NO_TOTAL = frozenset({"TimeActivity", "Transfer"})
#: Transactions whose AP account defaults to the first Accounts Payable account.
AP_DEFAULT = frozenset({"Bill", "VendorCredit"})
#: Forms numbered automatically, and the preference that turns custom numbers on (§5.12).
#: PurchaseOrder numbering from VendorAndPurchasesPrefs is assumed (QBO's UI numbers POs).
AUTO_NUMBER_PREF = {
    "Invoice": "SalesFormsPrefs.CustomTxnNumbers",
    "SalesReceipt": "SalesFormsPrefs.CustomTxnNumbers",
    "CreditMemo": "SalesFormsPrefs.CustomTxnNumbers",
    "Estimate": "SalesFormsPrefs.CustomTxnNumbers",
    "RefundReceipt": "SalesFormsPrefs.CustomTxnNumbers",  # assumed, as the other sales forms
    "PurchaseOrder": "VendorAndPurchasesPrefs.UseCustomTxnNumbers",
}
#: Where the term comes from: the form's SalesTermRef, else the party's term field.
TERM_SOURCES = {
    "Invoice": ("CustomerRef", "Customer", "SalesTermRef"),
    "Bill": ("VendorRef", "Vendor", "TermRef"),
}
PAYMENT_DEPOSIT_DEFAULT = frozenset({"Payment", "SalesReceipt"})
#: ``PrintStatus``/``EmailStatus`` QBO sets on create when the client sends none (None: the
#: form has no such field). Sources in :data:`qbo_sim.mechanics.MECHANICS`: Invoice §5.12
#: (create sample); SalesReceipt, CreditMemo, Estimate DOC-ENT samples; RefundReceipt,
#: PurchaseOrder and check Purchases (``PaymentType: Check``) assumed.
STATUS_DEFAULTS: dict[str, tuple[str | None, str | None]] = {
    "Invoice": ("NeedToPrint", "NotSet"),
    "SalesReceipt": ("NeedToPrint", "NotSet"),
    "CreditMemo": ("NeedToPrint", "NotSet"),
    "Estimate": ("NeedToPrint", "NotSet"),
    "RefundReceipt": ("NotSet", "NotSet"),
    "PurchaseOrder": ("NotSet", "NotSet"),
    "Purchase": ("NotSet", None),  # checks only
}


def derive_transaction(
    ctx: OpContext, spec: EntitySpec, entity: Entity, old: Entity | None
) -> None:
    company = ctx.company
    name = spec.name
    if not entity.get("TxnDate"):
        entity["TxnDate"] = (old or {}).get("TxnDate") or _today(ctx).isoformat()
    if old is None:
        _party_defaults(company, name, entity)
    lines.derive_lines(name, entity, old)
    _totals(name, entity, old)
    _due_date(company, name, entity)
    _doc_number(company, spec, entity, old)
    _form_defaults(company, name, entity, creating=old is None)


def _today(ctx: OpContext) -> date:
    return local_date(ctx.clock.now(), ctx.company.utc_offset_minutes)


def _totals(name: str, entity: Entity, old: Entity | None) -> None:
    """TotalAmt (JournalEntry: always 0 per §6; payments: as sent) and Balance."""
    if name in NO_TOTAL:
        if name == "Transfer" and entity.get("Amount") is not None:
            entity["Amount"] = lines.money(entity["Amount"])
        return
    if name == "JournalEntry":
        entity["TotalAmt"] = 0.0
    elif name in ("Payment", "BillPayment"):
        entity["TotalAmt"] = lines.money(entity.get("TotalAmt") or 0)
    else:
        amount = lines.total(entity.get("Line") or [])
        tax = entity.get("TxnTaxDetail")
        if isinstance(tax, dict) and tax.get("TotalTax") is not None:
            amount += Decimal(str(tax["TotalTax"]))
        cash_back = entity.get("CashBack")
        if name == "Deposit" and isinstance(cash_back, dict):
            amount -= Decimal(str(cash_back.get("Amount") or 0))
        entity["TotalAmt"] = lines.money(amount)
    if name in BALANCE_TYPES:
        total = entity["TotalAmt"]
        if old is None:
            balance = total
        else:
            applied = (old.get("TotalAmt") or 0) - (old.get("Balance") or 0)
            balance = max(0.0, lines.money(total - applied))
        entity["Balance"] = lines.money(balance)
        if name == "CreditMemo":
            entity["RemainingCredit"] = entity["Balance"]
    elif name in ("SalesReceipt", "RefundReceipt"):  # RefundReceipt Balance 0: assumed
        entity["Balance"] = 0.0


def _party(company: Company, entity: Entity, ref_field: str, type_name: str) -> Entity | None:
    ref = entity.get(ref_field)
    if isinstance(ref, dict) and ref.get("value") not in (None, ""):
        return company.get(type_name, str(ref["value"]))
    return None


def _party_defaults(company: Company, name: str, entity: Entity) -> None:
    """On create: term, addresses and email from the customer (Invoice, §5.12) or vendor."""
    source = TERM_SOURCES.get(name)
    if source is None and name in SALES_FORMS:
        source = ("CustomerRef", "Customer", "SalesTermRef")
    if source is None:
        return
    ref_field, party_type, term_field = source
    party = _party(company, entity, ref_field, party_type)
    if party is None:
        return
    if (
        name in TERM_SOURCES
        and "SalesTermRef" not in entity
        and isinstance(party.get(term_field), dict)
    ):
        entity["SalesTermRef"] = {"value": party[term_field]["value"]}
    if party_type == "Customer":
        for field in ("BillAddr", "ShipAddr"):
            if field not in entity and isinstance(party.get(field), dict):
                entity[field] = dict(party[field])
        email = party.get("PrimaryEmailAddr")
        if "BillEmail" not in entity and isinstance(email, dict) and email.get("Address"):
            entity["BillEmail"] = {"Address": email["Address"]}


def _due_date(company: Company, name: str, entity: Entity) -> None:
    """DueDate = TxnDate + the term's DueDays (or its DayOfMonthDue); TxnDate without a term
    (assumed). Only forms with a due date (Invoice, Bill) and only when DueDate is absent."""
    if name not in TERM_SOURCES or entity.get("DueDate"):
        return
    txn_date = date.fromisoformat(entity["TxnDate"])
    term = _party(company, entity, "SalesTermRef", "Term")
    entity["DueDate"] = term_due_date(term, txn_date).isoformat()


def term_due_date(term: Entity | None, txn_date: date) -> date:
    """When a term makes a transaction dated ``txn_date`` due."""
    if term is None:
        return txn_date
    if term.get("DueDays") is not None:
        return txn_date + timedelta(days=int(term["DueDays"]))
    day = term.get("DayOfMonthDue")
    if day is None:
        return txn_date
    year, month = txn_date.year, txn_date.month
    if txn_date.day >= int(day):  # assumed: the next month's day when this month's has passed
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(int(day), last))


def _doc_number(company: Company, spec: EntitySpec, entity: Entity, old: Entity | None) -> None:
    """Auto DocNumber (last + 1, from 1001) when custom numbers are off; an update that omits
    DocNumber keeps the stored one (assumed)."""
    if entity.get("DocNumber") not in (None, ""):
        return
    if old is not None:
        if old.get("DocNumber") not in (None, ""):
            entity["DocNumber"] = old["DocNumber"]
        return
    pref = AUTO_NUMBER_PREF.get(spec.name)
    if pref is None:
        return
    prefs = company.get("Preferences", "1") or {}
    if preference_value(prefs, pref) is True:
        return
    while True:  # skip numbers a client already used by hand
        number = str(company.next_value(f"doc:{spec.name}", start=1001))
        if not company.find(spec.name, "DocNumber", number):
            entity["DocNumber"] = number
            return


def _form_defaults(company: Company, name: str, entity: Entity, *, creating: bool) -> None:
    if creating and name in LINKABLE:
        entity.setdefault("LinkedTxn", [])
    if name in SALES_FORMS:
        tax = entity.get("TxnTaxDetail")
        if not isinstance(tax, dict):
            tax = entity["TxnTaxDetail"] = {}
        tax["TotalTax"] = lines.money(tax.get("TotalTax") or 0)
        for line in entity.get("Line") or []:
            detail = line.get("SalesItemLineDetail")
            if isinstance(detail, dict) and not detail.get("TaxCodeRef"):
                detail["TaxCodeRef"] = {"value": "NON"}
    _status_defaults(name, entity)
    if name == "Invoice":
        entity["Deposit"] = lines.money(entity.get("Deposit") or 0)
    if name == "PurchaseOrder":
        entity.setdefault("POStatus", "Open")
    if creating and name in PAYMENT_DEPOSIT_DEFAULT and not entity.get("DepositToAccountRef"):
        account = find_account(company, sub_type="UndepositedFunds", name="Undeposited Funds")
        if account is not None:
            entity["DepositToAccountRef"] = {"value": account["Id"]}
    if name == "TimeActivity":  # assumed: QBO's default when BillableStatus is omitted
        entity.setdefault("BillableStatus", "NotBillable")
    if creating and name in AP_DEFAULT and not entity.get("APAccountRef"):
        account = find_account(company, account_type="Accounts Payable")
        if account is not None:
            entity["APAccountRef"] = {"value": account["Id"]}


def _status_defaults(name: str, entity: Entity) -> None:
    """PrintStatus/EmailStatus when absent (:data:`STATUS_DEFAULTS`), on create and update."""
    if name not in STATUS_DEFAULTS:
        return
    if name == "Purchase" and entity.get("PaymentType") != "Check":
        return
    print_status, email_status = STATUS_DEFAULTS[name]
    if print_status is not None and not entity.get("PrintStatus"):
        entity["PrintStatus"] = print_status
    if email_status is not None and not entity.get("EmailStatus"):
        entity["EmailStatus"] = email_status


def find_account(
    company: Company,
    *,
    sub_type: str | None = None,
    name: str | None = None,
    account_type: str | None = None,
) -> Entity | None:
    """The first active account with this subtype, else this type, else this name (index
    lookups: no scan of the chart of accounts)."""
    for path, value in (
        ("AccountSubType", sub_type),
        ("AccountType", account_type),
        ("Name", name),
    ):
        if value:
            for account in company.find("Account", path, value):
                if account.get("Active", True):
                    return account
    return None
