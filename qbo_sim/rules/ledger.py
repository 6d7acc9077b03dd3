"""Linked transactions and balances: payments applied to invoices and credit memos, bill
payments to bills and vendor credits (reference §2.4, §5.4, §5.12, §8).

Checks (before the write):

- a payment line linking a transaction that does not exist (never did, or deleted) → 610
  ``... has been deleted. ...`` [observed, quickbooks-ruby#277];
- linking a transaction of another customer/vendor → 620, element
  ``Payment.Line.LinkedTxn.TxnId`` [third-party];
- applying more than the open balance (an invoice already paid in QBO included; on update the
  payment's old application is undone first) → 6000 with the fidelity
  ``payment_overapply_detail`` wording [assumed]; the same for a credit memo (vendor credit)
  line using more than its remaining credit (``txn_type`` ``CreditMemo``) [assumed];
- deleting an invoice/bill/credit memo/vendor credit with linked payments → 6000
  ``delete_linked_detail`` [assumed];
- changing the customer/vendor of an invoice/bill with linked payments → 620 (fidelity
  ``change_party_with_payments``) [assumed];
- deactivating a customer/vendor whose own ``Balance`` is not zero → 6220 [observed for
  customers; the vendor case and ignoring the jobs' balances are assumed].

Effects (after the write, same unit of work): ``LinkedTxn`` on both sides, invoice/bill/credit
``Balance`` (and CreditMemo ``RemainingCredit``), Payment ``UnappliedAmt`` = TotalAmt − (Σ
invoice lines − Σ credit memo lines), party balances (:mod:`qbo_sim.rules.balances`).
Voiding an invoice/bill unapplies its payments (their lines to it are removed, their unapplied
amount grows) [official workflow]; voiding a payment clears its lines (assumed) and restores
the balances; deleting it restores them too.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from qbo_sim.entities import EntitySpec
from qbo_sim.faults import QBOFault
from qbo_sim.rules import balances
from qbo_sim.rules.common import EPSILON, business_error, cents, ref_value, setting, touched
from qbo_sim.rules.links import (
    BY_PARTY,
    BY_PAYER,
    BY_TARGET,
    Link,
    applications,
    computed_balance,
    computed_unapplied,
    open_balance,
    other_links,
    payer_ids,
    set_balance,
)
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

Parties = set[tuple[str, str | None]]


# --- checks ----------------------------------------------------------------------------
def check(
    ctx: OpContext, spec: EntitySpec, operation: str, new: Entity | None, old: Entity | None
) -> None:
    if spec.name in BY_PAYER and new is not None and operation in ("create", "update"):
        for link in BY_PAYER[spec.name]:
            _check_payer(ctx, link, new, old)
    elif spec.name in BY_TARGET and old is not None:
        link = BY_TARGET[spec.name]
        if operation == "delete" and payer_ids(link, old):
            raise business_error(setting(ctx, "delete_linked_detail"))
        if operation == "update" and new is not None and payer_ids(link, old):
            moved = ref_value(new, link.party_ref) != ref_value(old, link.party_ref)
            if moved and setting(ctx, "change_party_with_payments") == "620":
                raise QBOFault("txn_cannot_be_linked", element=link.element, txn_id=old["Id"])
    elif spec.name in BY_PARTY and operation == "update" and new is not None and old is not None:
        deactivated = new.get("Active") is False and old.get("Active") is not False
        if deactivated and setting(ctx, "deactivate_with_balance") == "6220":
            balance = balances.own_balance(ctx, spec.name, str(old["Id"]))
            if abs(balance) > EPSILON:
                raise QBOFault("has_balance", entity=spec.name.lower())


def _check_payer(ctx: OpContext, link: Link, new: Entity, old: Entity | None) -> None:
    previous = applications(link, old)
    party = ref_value(new, link.party_ref)
    for txn_id, amount in applications(link, new).items():
        target = ctx.company.get(link.target, txn_id)
        if target is None:
            raise QBOFault("linked_txn_deleted")
        if ref_value(target, link.party_ref) != party:
            raise QBOFault("txn_cannot_be_linked", element=link.element, txn_id=txn_id)
        available = cents(open_balance(target) + previous.get(txn_id, 0.0))
        if amount > available + EPSILON:
            detail = setting(ctx, "payment_overapply_detail").format(
                txn_type=link.target,
                doc_number=target.get("DocNumber") or target["Id"],
                balance=f"{max(available, 0.0):.2f}",
            )
            raise business_error(detail)


# --- effects ---------------------------------------------------------------------------
def apply_effects(
    ctx: OpContext, spec: EntitySpec, operation: str, new: Entity | None, old: Entity | None
) -> None:
    parties: Parties = set()
    if spec.name in BY_PAYER:
        _payer_effects(ctx, BY_PAYER[spec.name], operation, new, old, parties)
    elif spec.name in BY_TARGET:
        _target_effects(ctx, BY_TARGET[spec.name], operation, new, old, parties)
    elif spec.name in BY_PARTY:
        balances.refresh_party_edit(ctx, spec.name, new, old)
    balances.refresh_all(ctx, parties)


def _payer_effects(
    ctx: OpContext,
    links: tuple[Link, ...],
    operation: str,
    new: Entity | None,
    old: Entity | None,
    parties: Parties,
) -> None:
    current = None if operation == "delete" else new
    if current is not None:
        current = copy.deepcopy(current)
        if operation == "void":
            current["Line"] = []
        field = links[0].unapplied_field
        if field:
            current[field] = computed_unapplied(links, current)
        ctx.company.put(links[0].payer, current)
    for link in links:
        _relink_targets(ctx, link, current, old, parties)


def _relink_targets(
    ctx: OpContext, link: Link, current: Entity | None, old: Entity | None, parties: Parties
) -> None:
    """The payment's entries in its targets' ``LinkedTxn`` and their balances."""
    company = ctx.company
    payer_id = str((current or old or {})["Id"])
    wanted = applications(link, current)
    for txn_id in dict.fromkeys([*applications(link, old), *wanted]):
        target = company.get(link.target, txn_id)
        if target is None:
            continue
        updated = copy.deepcopy(target)
        updated["LinkedTxn"] = [
            linked
            for linked in target.get("LinkedTxn") or []
            if not (linked.get("TxnType") == link.payer and str(linked.get("TxnId")) == payer_id)
        ]
        if txn_id in wanted:
            updated["LinkedTxn"].append({"TxnId": payer_id, "TxnType": link.payer})
        set_balance(link, updated, computed_balance(company, link, updated))
        if updated != target:
            company.put(link.target, touched(ctx, link.target, updated))
        parties.add((link.party, ref_value(target, link.party_ref)))
    for entity in (current, old):
        parties.add((link.party, ref_value(entity, link.party_ref)))


def _target_effects(
    ctx: OpContext,
    link: Link,
    operation: str,
    new: Entity | None,
    old: Entity | None,
    parties: Parties,
) -> None:
    company = ctx.company
    for entity in (new, old):
        parties.add((link.party, ref_value(entity, link.party_ref)))
    if new is None:  # delete: only the party balance changes
        return
    updated = copy.deepcopy(new)
    if operation == "void":
        for payer_id in payer_ids(link, old):
            _unapply(ctx, link, payer_id, str(new["Id"]), parties)
        updated["LinkedTxn"] = []
        set_balance(link, updated, 0)
    else:
        kept = [{"TxnId": p, "TxnType": link.payer} for p in payer_ids(link, old)]
        updated["LinkedTxn"] = other_links(link, new) + kept
        set_balance(link, updated, computed_balance(company, link, updated))
    if updated != new:
        company.put(link.target, updated)


def _unapply(ctx: OpContext, link: Link, payer_id: str, target_id: str, parties: Parties) -> None:
    """Remove a payment's application to a voided transaction; its unapplied amount grows."""
    payer = ctx.company.get(link.payer, payer_id)
    if payer is None:
        return
    updated = copy.deepcopy(payer)
    lines = []
    for line in payer.get("Line") or []:
        linked = [
            entry
            for entry in line.get("LinkedTxn") or []
            if not (entry.get("TxnType") == link.target and str(entry.get("TxnId")) == target_id)
        ]
        if linked:
            lines.append({**line, "LinkedTxn": linked})
        elif not line.get("LinkedTxn"):
            lines.append(line)
    updated["Line"] = lines
    if link.unapplied_field:
        updated[link.unapplied_field] = computed_unapplied(BY_PAYER[link.payer], updated)
    ctx.company.put(link.payer, touched(ctx, link.payer, updated))
    parties.add((link.party, ref_value(payer, link.party_ref)))
