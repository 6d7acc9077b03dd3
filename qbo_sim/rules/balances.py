"""Customer and Vendor balances (reference §5.12, DOC-CUST), recomputed after every linking
operation from indexes (``<party>Ref.value``, ``ParentRef.value``), never by scanning.

- ``Customer.Balance`` = Σ open ``Balance`` of the customer's own invoices − Σ ``UnappliedAmt``
  of its payments (assumed formula; credit memos and sales receipts are not modelled here);
- ``Customer.BalanceWithJobs`` = its Balance + Σ ``BalanceWithJobs`` of its sub-customers, so a
  parent includes its jobs/properties at every level;
- ``Vendor.Balance`` = Σ open bill balances − Σ unapplied bill-payment amounts.

Balances are read-only: a Balance sent on create or update is replaced (an opening balance on
Customer create is not modelled). A party whose balance changes keeps its SyncToken (assumed).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from qbo_sim.rules.common import cents, money
from qbo_sim.rules.links import BY_PARTY, Link, open_balance, unapplied

if TYPE_CHECKING:
    from qbo_sim.operations import OpContext

#: Customers nest at most 5 levels (§5.13); the bound also stops a ParentRef cycle.
MAX_DEPTH = 8


def own_balance(ctx: OpContext, link: Link, party_id: str) -> float:
    company = ctx.company
    path = f"{link.party_ref}.value"
    owed = sum(open_balance(t) for t in company.find(link.target, path, party_id))
    credit = sum(unapplied(link, p) for p in company.find(link.payer, path, party_id))
    return cents(owed - credit)


def refresh(ctx: OpContext, party_type: str, party_id: str | None) -> None:
    """Recompute a party's balances, then its parents' ``BalanceWithJobs``."""
    link = BY_PARTY.get(party_type)
    company = ctx.company
    depth = 0
    while link is not None and party_id and depth < MAX_DEPTH:
        party = company.get(party_type, party_id)
        if party is None:
            return
        updated = copy.deepcopy(party)
        updated["Balance"] = own_balance(ctx, link, party_id)
        if party_type == "Customer":
            jobs = company.find("Customer", "ParentRef.value", party_id)
            with_jobs = sum(money(j.get("BalanceWithJobs", j.get("Balance"))) for j in jobs)
            updated["BalanceWithJobs"] = cents(updated["Balance"] + with_jobs)
        if updated != party:
            company.put(party_type, updated)
        parent = (updated.get("ParentRef") or {}).get("value")
        party_id = str(parent) if parent not in (None, "") else None
        depth += 1


def refresh_all(ctx: OpContext, parties: set[tuple[str, str | None]]) -> None:
    for party_type, party_id in sorted(parties, key=lambda p: (p[0], p[1] or "")):
        refresh(ctx, party_type, party_id)
