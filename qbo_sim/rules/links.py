"""What links to what: a payment type, the transaction it pays and the party both belong to.

A Payment pays Invoices of a Customer and applies its CreditMemos; a BillPayment pays Bills of a
Vendor and applies its VendorCredits. Payments name the linked transaction in
``Line[].LinkedTxn[] {"TxnId", "TxnType"}``; the linked transaction names its payments in its
own ``LinkedTxn`` (``{"TxnId": <payment id>, "TxnType": "Payment"}``) (§5.12).

A *credit* link (CreditMemo, VendorCredit) works the other way round in the payment's total: a
payment of an invoice of 100 with a credit memo of 100 has ``TotalAmt`` 0 (how QBO applies
credit memos, §5.12), so the payment's net application is Σ invoice lines − Σ credit lines and
its unapplied rest is ``TotalAmt`` − that net.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qbo_sim.derive.currency import home_amount
from qbo_sim.entities import ENTITIES
from qbo_sim.entities.currency import RATE_FIELD
from qbo_sim.rules.common import cents, money, total_of
from qbo_sim.store import Company, Entity


@dataclass(frozen=True)
class Link:
    payer: str
    target: str
    party_ref: str
    party: str
    #: the ``element`` of 620 for this payment type.
    element: str
    #: the payer field holding the unapplied rest (BillPayment has none: computed).
    unapplied_field: str | None
    #: True when the target is a credit (CreditMemo, VendorCredit) the payment uses up.
    credit: bool = False


PAYMENT = Link(
    "Payment", "Invoice", "CustomerRef", "Customer", "Payment.Line.LinkedTxn.TxnId", "UnappliedAmt"
)
BILL_PAYMENT = Link(
    "BillPayment", "Bill", "VendorRef", "Vendor", "BillPayment.Line.LinkedTxn.TxnId", None
)
CREDIT_MEMO = Link(
    "Payment",
    "CreditMemo",
    "CustomerRef",
    "Customer",
    "Payment.Line.LinkedTxn.TxnId",
    "UnappliedAmt",
    credit=True,
)
VENDOR_CREDIT = Link(
    "BillPayment",
    "VendorCredit",
    "VendorRef",
    "Vendor",
    "BillPayment.Line.LinkedTxn.TxnId",
    None,
    credit=True,
)
LINKS = (PAYMENT, BILL_PAYMENT, CREDIT_MEMO, VENDOR_CREDIT)
#: payer type → its links (the debit link first).
BY_PAYER: dict[str, tuple[Link, ...]] = {
    payer: tuple(link for link in LINKS if link.payer == payer)
    for payer in dict.fromkeys(link.payer for link in LINKS)
}
BY_TARGET = {link.target: link for link in LINKS}
#: party type → the links of its transactions.
BY_PARTY: dict[str, tuple[Link, ...]] = {
    party: tuple(link for link in LINKS if link.party == party)
    for party in dict.fromkeys(link.party for link in LINKS)
}


def applications(link: Link, payer: Entity | None) -> dict[str, float]:
    """How much a payment applies to each transaction it links (target id → amount).

    A line's Amount goes to the first LinkedTxn of the target type in that line (assumed: QBO
    lines carry one); several lines linking one transaction add up.
    """
    applied: dict[str, float] = {}
    if payer is None:
        return applied
    for line in payer.get("Line") or []:
        if not isinstance(line, dict):
            continue
        for linked in line.get("LinkedTxn") or []:
            if not isinstance(linked, dict) or linked.get("TxnType") != link.target:
                continue
            if linked.get("TxnId") in (None, ""):
                continue
            txn_id = str(linked["TxnId"])
            applied[txn_id] = cents(applied.get(txn_id, 0.0) + money(line.get("Amount")))
            break
    return applied


def net_applied(links: tuple[Link, ...], payer: Entity | None) -> float:
    """What a payment applies to debits (invoices, bills) minus the credits it uses up."""
    net = 0.0
    for link in links:
        applied = sum(applications(link, payer).values())
        net += -applied if link.credit else applied
    return cents(net)


def computed_unapplied(links: tuple[Link, ...], payer: Entity) -> float:
    """TotalAmt − the net application (the payment's credit for its party)."""
    return cents(total_of(payer) - net_applied(links, payer))


def unapplied(links: tuple[Link, ...], payer: Entity) -> float:
    """The part of a payment not applied to any transaction (credit of the party)."""
    field = links[0].unapplied_field
    if field and payer.get(field) is not None:
        return money(payer[field])
    return computed_unapplied(links, payer)


def set_balance(link: Link, target: Entity, balance: float) -> None:
    """A linked transaction's open balance (a CreditMemo also shows it as RemainingCredit,
    a multicurrency company's form as HomeBalance too)."""
    target["Balance"] = balance
    if ENTITIES[link.target].remaining_credit:
        target["RemainingCredit"] = balance
    if "HomeBalance" in target:
        target["HomeBalance"] = home_amount(balance, target.get(RATE_FIELD))


def payer_ids(link: Link, target: Entity | None) -> list[str]:
    """Ids of the payments a transaction's ``LinkedTxn`` names."""
    if target is None:
        return []
    return [
        str(linked["TxnId"])
        for linked in target.get("LinkedTxn") or []
        if isinstance(linked, dict) and linked.get("TxnType") == link.payer
    ]


def other_links(link: Link, target: Entity) -> list[dict[str, Any]]:
    """``LinkedTxn`` entries that are not payments (estimates, time activities, ...)."""
    return [
        linked
        for linked in target.get("LinkedTxn") or []
        if isinstance(linked, dict) and linked.get("TxnType") != link.payer
    ]


def open_balance(target: Entity) -> float:
    """A transaction's stored open balance (TotalAmt before any rule has set it)."""
    if target.get("Balance") is not None:
        return money(target["Balance"])
    return total_of(target)


def computed_balance(company: Company, link: Link, target: Entity) -> float:
    """TotalAmt − Deposit − what the linked payments apply (§5.12; formula assumed)."""
    applied = 0.0
    for payer_id in payer_ids(link, target):
        payer = company.get(link.payer, payer_id)
        applied += applications(link, payer).get(str(target["Id"]), 0.0)
    return cents(total_of(target) - money(target.get("Deposit")) - applied)
