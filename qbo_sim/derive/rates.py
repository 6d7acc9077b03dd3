"""The exchange-rate table: one ``ExchangeRate`` row per source currency, target currency and
date (DOC-MC: "rates are stored per currency code and as-of date"; docs/research/
currency-and-ledger.md A2.8-11).

A rate is "the number of home currency units it takes to equal one foreign currency unit"
(A2.11). Rows are stored under an internal Id (``EUR:USD:2015-07-07``) that is never answered
(``spec.wire_hidden``). Which row serves a date with none of its own is the fidelity setting
``exchange_rate_lookup`` (``most_recent``: the latest on or before it; ``exact``).
"""

from __future__ import annotations

from typing import Any

from qbo_sim import fidelity
from qbo_sim.entities.currency import EXCHANGE_RATE
from qbo_sim.preferences import currency_code
from qbo_sim.store import Company, Entity


def rate_id(source: str, target: str, as_of: str) -> str:
    """The internal Id of the row for ``source`` → ``target`` on ``as_of`` (yyyy-mm-dd)."""
    return f"{currency_code(source)}:{currency_code(target)}:{as_of}"


def rate_on(company: Company, source: str, target: str, as_of: str) -> Entity | None:
    """The row that gives ``source`` → ``target`` on ``as_of`` (None: the company has none)."""
    exact = company.get(EXCHANGE_RATE, rate_id(source, target, as_of))
    if exact is not None:
        return exact
    if fidelity.get(company.fidelity, "exchange_rate_lookup") != "most_recent":
        return None
    best: Entity | None = None
    for row in company.find(EXCHANGE_RATE, "SourceCurrencyCode", currency_code(source)):
        if currency_code(row.get("TargetCurrencyCode")) != currency_code(target):
            continue
        day = str(row.get("AsOfDate") or "")
        if day <= as_of and (best is None or day > str(best.get("AsOfDate"))):
            best = row
    return best


def rate_value(row: Entity | None) -> Any:
    """A row's ``Rate`` as stored (what was sent: precision kept, A3.18)."""
    return None if row is None else row.get("Rate")
