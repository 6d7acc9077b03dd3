"""``CurrencyRef``: QBO answers every customer, vendor, account and transaction with one.

When the client sends none, the company's home currency (``CurrencyPrefs.HomeCurrency``) is
filled in with its name, ``{"value": "USD", "name": "United States Dollar"}`` (issue 14's
captures of QBO answers); a ``CurrencyRef`` the client sends is kept as sent, ``name`` not
added (assumed; :data:`qbo_sim.derive.refs.UNNAMED`). An update that leaves it out keeps the
stored one (a customer's currency cannot change once set, §5.3). Whether the currency is
allowed is a rule (:mod:`qbo_sim.rules.currency`).
"""

from __future__ import annotations

from qbo_sim.entities import EntitySpec
from qbo_sim.preferences import CURRENCY_NAMES, home_currency
from qbo_sim.store import Company, Entity


def home_currency_ref(company: Company) -> dict[str, str]:
    code = home_currency(company.get("Preferences", "1") or {})
    ref = {"value": code}
    if code in CURRENCY_NAMES:
        ref["name"] = CURRENCY_NAMES[code]
    return ref


def derive_currency(company: Company, spec: EntitySpec, entity: Entity, old: Entity | None) -> None:
    if not spec.currency:  # entities with a CurrencyRef in Intuit's XSD
        return
    sent = entity.get("CurrencyRef")
    if isinstance(sent, dict) and sent.get("value") not in (None, ""):
        return
    stored = (old or {}).get("CurrencyRef")
    if isinstance(stored, dict) and stored.get("value") not in (None, ""):
        entity["CurrencyRef"] = dict(stored)
        return
    entity["CurrencyRef"] = home_currency_ref(company)
