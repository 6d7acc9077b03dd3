"""Closed books: transactions dated on or before the company's closing date (6210).

QBO lets a company close its books through a date (``Preferences.AccountingInfoPrefs.
BookCloseDate``). The API may not then create, change, void or delete a transaction dated in the
closed period, nor move one into it (§2.2 6210 "Account Period Closed"). The answer is one of
the two captured ones (fidelity ``period_closed_fault``, see ``faults.py``): 6210 "... cannot be
updated through through the QBO Services API ..." (default) or 5010 "The account period has
closed. {1}". A person in QBO can, by typing the closing-date password: edits made as the QBO
user (``ctx.user_edit``) are allowed (assumed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim.entities import EntitySpec
from qbo_sim.faults import QBOFault
from qbo_sim.rules.common import setting
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext


def close_date(ctx: OpContext) -> str | None:
    """The company's closing date (``yyyy-MM-dd``), or None when its books are open."""
    prefs = ctx.company.get("Preferences", "1") or {}
    value = (prefs.get("AccountingInfoPrefs") or {}).get("BookCloseDate")
    return value if isinstance(value, str) and value else None


def check(ctx: OpContext, spec: EntitySpec, new: Entity | None, old: Entity | None) -> None:
    if not spec.is_transaction or ctx.user_edit:
        return
    closed = close_date(ctx)
    if closed is None:
        return
    for version in (new, old):
        txn_date = (version or {}).get("TxnDate")
        if isinstance(txn_date, str) and txn_date[:10] <= closed[:10]:
            placeholder = setting(ctx, "period_closed_fault") == "5010"
            raise QBOFault("period_closed_placeholder" if placeholder else "period_closed")
