"""Multi-currency off means off: a ``CurrencyRef`` other than the home currency is refused.

QBO's docs: multicurrency is disabled by default and "must be enabled in order to track
transactions with currencies other than the company's home currency" (Intuit, "Manage multiple
currencies"). A customer, vendor, account or transaction naming another currency in a company
without ``CurrencyPrefs.MultiCurrencyEnabled`` → 6000 ``multicurrency_off`` (code and wording
assumed: no capture of QBO's answer was found; catalogue entry says so). Currency codes compare
case-insensitively (assumed). With multicurrency on, any currency is accepted (the Currency
list is not modelled).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim.entities import EntitySpec
from qbo_sim.faults import QBOFault
from qbo_sim.preferences import home_currency, multicurrency_enabled
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext


def check(ctx: OpContext, spec: EntitySpec, new: Entity) -> None:
    if not spec.currency:
        return
    ref = new.get("CurrencyRef")
    if not isinstance(ref, dict) or ref.get("value") in (None, ""):
        return
    prefs = ctx.company.get("Preferences", "1") or {}
    if multicurrency_enabled(prefs):
        return
    home = home_currency(prefs)
    currency = str(ref["value"]).strip().upper()
    if currency != home:
        raise QBOFault("multicurrency_off", element="CurrencyRef", currency=ref["value"], home=home)
