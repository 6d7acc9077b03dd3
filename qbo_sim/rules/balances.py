"""Customer and Vendor balances (reference §5.12, DOC-CUST), recomputed after every linking
operation from indexes (``<party>Ref.value``, ``ParentRef.value``), never by scanning.

- ``Customer.Balance`` = Σ open ``Balance`` of the customer's own invoices − Σ remaining credit
  (``Balance``) of its credit memos − Σ ``UnappliedAmt`` of its payments (assumed formula; sales
  and refund receipts are cash and do not count);
- ``Customer.BalanceWithJobs`` = its Balance + Σ ``BalanceWithJobs`` of its sub-customers, so a
  parent includes its jobs/properties at every level;
- ``Vendor.Balance`` = Σ open bill balances − Σ vendor credit balances − Σ unapplied
  bill-payment amounts.

Balances are read-only: a Balance sent on create or update is replaced (an opening balance on
Customer create is not modelled). A party whose balance changes keeps its SyncToken (assumed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim.entities import ENTITIES
from qbo_sim.rules.common import EPSILON, cents, money, ref_value
from qbo_sim.rules.links import BY_PARTY, BY_PAYER, open_balance, unapplied
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

#: Customers nest at most 5 levels (§5.13); the bound also stops a ParentRef cycle.
MAX_DEPTH = 8


def own_balance(ctx: OpContext, party_type: str, party_id: str) -> float:
    """Open debits − open credits − unapplied payments of one party (its own transactions)."""
    company = ctx.company
    owed = 0.0
    payers: dict[str, str] = {}
    for link in BY_PARTY.get(party_type, ()):
        path = f"{link.party_ref}.value"
        open_total = sum(open_balance(t) for t in company.find(link.target, path, party_id))
        owed += -open_total if link.credit else open_total
        payers.setdefault(link.payer, path)
    for payer, path in payers.items():
        links = BY_PAYER[payer]
        owed -= sum(unapplied(links, p) for p in company.find(payer, path, party_id))
    return cents(owed)


def refresh(
    ctx: OpContext,
    party_type: str,
    party_id: str | None,
    *,
    previous: Entity | None | bool = True,
    full: bool = False,
    propagate: bool = True,
) -> None:
    """Recompute a party's ``Balance`` (from its own transactions) and a customer's
    ``BalanceWithJobs``, then move its parents' ``BalanceWithJobs`` by the difference.

    ``previous`` is the trusted earlier version (True: the stored one; None: a new party; an
    entity: the version before a list edit, whose stored copy may carry a client's values).
    Only a new or edited party (or ``full=True``) sums its sub-customers; every other write
    costs O(its own transactions + depth), however many jobs a parent has.
    """
    tracked = party_type in BY_PARTY
    company = ctx.company
    party = company.get(party_type, party_id) if tracked and party_id else None
    if party is None or party_id is None:
        return
    base: Entity | None = party if previous is True else previous or None
    # a new version differing in top-level numbers only: the rest is shared with the stored
    # one, which no write changes in place (a write puts a new version)
    updated = dict(party)
    updated["Balance"] = own_balance(ctx, party_type, party_id)
    delta = 0.0
    if ENTITIES[party_type].jobs:  # Customer: BalanceWithJobs
        known = base is not None and base.get("BalanceWithJobs") is not None
        incremental = not full and previous is True and party.get("Balance") is not None
        if known and incremental:
            with_jobs = (
                money(party["BalanceWithJobs"]) + updated["Balance"] - money(party["Balance"])
            )
        else:
            with_jobs = updated["Balance"] + jobs_total(ctx, party_id)
        updated["BalanceWithJobs"] = cents(with_jobs)
        delta = with_jobs - (money(base["BalanceWithJobs"]) if base and known else 0.0)
    if updated != party:
        company.put(party_type, updated)
    if propagate and abs(delta) > EPSILON / 10:
        add_to_parents(ctx, ref_value(updated, "ParentRef"), delta)


def jobs_total(ctx: OpContext, customer_id: str) -> float:
    """Σ ``BalanceWithJobs`` of a customer's direct sub-customers (index lookup)."""
    jobs = ctx.company.find("Customer", "ParentRef.value", customer_id)
    return sum(money(j.get("BalanceWithJobs", j.get("Balance"))) for j in jobs)


def add_to_parents(ctx: OpContext, parent_id: str | None, delta: float) -> None:
    """Move ``BalanceWithJobs`` of every ancestor by ``delta``."""
    company = ctx.company
    depth = 0
    while parent_id and depth < MAX_DEPTH:
        parent = company.get("Customer", parent_id)
        if parent is None:
            return
        updated = dict(parent)  # only BalanceWithJobs changes (see refresh)
        if parent.get("BalanceWithJobs") is None:  # never computed: compute it whole
            own = money(parent.get("Balance"))
            updated["BalanceWithJobs"] = cents(own + jobs_total(ctx, parent_id))
        else:
            updated["BalanceWithJobs"] = cents(money(parent["BalanceWithJobs"]) + delta)
        company.put("Customer", updated)
        parent_id = ref_value(updated, "ParentRef")
        depth += 1


def refresh_party_edit(
    ctx: OpContext, party_type: str, new: Entity | None, old: Entity | None
) -> None:
    """After a Customer/Vendor create or update: its balances, and its parents' when it moved
    under another parent (both parents are recomputed from their sub-customers)."""
    if new is None:
        return
    old_parent, new_parent = ref_value(old, "ParentRef"), ref_value(new, "ParentRef")
    moved = old is not None and old_parent != new_parent
    refresh(ctx, party_type, str(new["Id"]), previous=old, propagate=not moved)
    if moved:
        for parent_id in (old_parent, new_parent):
            if parent_id:
                refresh(ctx, party_type, parent_id, full=True)


def refresh_all(ctx: OpContext, parties: set[tuple[str, str | None]]) -> None:
    for party_type, party_id in sorted(parties, key=lambda p: (p[0], p[1] or "")):
        refresh(ctx, party_type, party_id)
