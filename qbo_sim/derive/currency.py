"""``CurrencyRef``: QBO answers every customer, vendor, account and transaction with one; in a
multicurrency company also ``ExchangeRate`` and the home-currency amounts (docs/research/
currency-and-ledger.md part A).

- When the client sends none, the company's home currency (``CurrencyPrefs.HomeCurrency``) is
  filled in with its name, ``{"value": "USD", "name": "United States Dollar"}`` (issue 14's
  captures); a transaction of a customer or vendor takes the party's currency instead
  (A3.14: "defaults to the customer's currency if omitted"). A ``CurrencyRef`` the client
  sends is kept as sent, ``name`` not added (assumed; :data:`qbo_sim.derive.refs.UNNAMED`).
  An update that leaves it out keeps the stored one.
- A name's currency is fixed once set: an update naming another keeps the stored one, with no
  fault (A3.13, observed on Vendor: "200 and stayed HKD"); a create's foreign currency is
  honoured or ignored (fidelity ``name_currency_on_create``).
- ``ExchangeRate`` of a transaction (multicurrency only): 1 in the home currency (assumed);
  a foreign one sent without a rate follows fidelity ``missing_exchange_rate`` (``one``,
  ``day_rate`` from the exchange-rate table, ``fault_2410`` left to the rules); an update
  without one keeps the stored rate (assumed).
- ``HomeTotalAmt`` / ``HomeBalance`` (``spec.home_amounts``, multicurrency only: "single
  currency companies will not have this field", A3.16-17) = TotalAmt / Balance × ExchangeRate,
  rounded half up to cents per transaction (A3.18, assumed). Served at every minorversion,
  since every request is served as minorversion 75 or later (HomeBalance needs 3).
- A foreign transaction that posts to A/R or A/P (``spec.currency_account``) needs such an
  account in its currency: created as ``<home account name> - <CODE>`` with that
  ``CurrencyRef`` (fidelity ``foreign_ar_account``, A4.22); a Bill's default APAccountRef is the
  first A/P account in its currency.
- ``Preferences.CurrencyPrefs`` (``spec.currency_prefs``) is read-only through the API (A1.2:
  "cannot be enabled via the API"): an API update keeps the stored section. The QBO user
  turns multicurrency on, never off (A1.2), and picks the home currency only before (A1.3).
- CompanyCurrency (``spec.currency_list``): ``Name`` is the code's (A2.5); the code of a row
  never changes (assumed).

Whether a currency is allowed is a rule (:mod:`qbo_sim.rules.currency`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from qbo_sim.derive import lists, rates
from qbo_sim.entities import ENTITIES, EntitySpec, ref_target
from qbo_sim.entities.currency import (
    ACCOUNT,
    ACCOUNT_REFS,
    ACCOUNT_SUBTYPES,
    DEFAULT_NAMES,
    RATE_FIELD,
)
from qbo_sim.faults import QBOFault
from qbo_sim.fidelity import get as setting
from qbo_sim.preferences import (
    CURRENCY_NAMES,
    currency_code,
    home_currency,
    multicurrency_enabled,
)
from qbo_sim.store import Company, Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

CENT = Decimal("0.01")
PREFS = "CurrencyPrefs"


def _prefs(company: Company) -> dict[str, Any]:
    return company.get("Preferences", "1") or {}


def home_currency_ref(company: Company) -> dict[str, str]:
    return named_ref(home_currency(_prefs(company)))


def named_ref(code: str) -> dict[str, str]:
    ref = {"value": code}
    if code in CURRENCY_NAMES:
        ref["name"] = CURRENCY_NAMES[code]
    return ref


def currency_of(entity: Entity | None) -> str:
    """The code an entity's ``CurrencyRef`` names ("" when it names none)."""
    ref = (entity or {}).get("CurrencyRef")
    return currency_code(ref.get("value")) if isinstance(ref, dict) else ""


def home_amount(amount: Any, rate: Any) -> float:
    """``amount × rate`` in home currency, rounded half up to cents (A3.18, assumed)."""
    value = Decimal(str(amount or 0)) * Decimal(str(rate if rate is not None else 1))
    return float(value.quantize(CENT, rounding=ROUND_HALF_UP))


def _has(ref: Any) -> bool:
    return isinstance(ref, dict) and ref.get("value") not in (None, "")


def party_of(company: Company, spec: EntitySpec, entity: Entity) -> Entity | None:
    """The customer/vendor a transaction names (EntityRef by its ``type``)."""
    if spec.party_ref is None or not _has(entity.get(spec.party_ref)):
        return None
    ref = entity[spec.party_ref]
    target = ref_target(spec.party_ref) or str(ref.get("type") or "")
    if target not in ENTITIES or not ENTITIES[target].currency:
        return None
    return company.get(target, str(ref["value"]))


# --- before the form's own derivations ----------------------------------------------------
def derive_currency(ctx: OpContext, spec: EntitySpec, entity: Entity, old: Entity | None) -> None:
    """CurrencyRef (and the settings and currency-list fields above), before the form's
    defaults, which pick accounts in the transaction's currency."""
    company = ctx.company
    if spec.currency_prefs:
        _currency_prefs(ctx, entity, old)
    if spec.currency_list:
        code = currency_code(entity.get("Code"))
        if old is not None and old.get("Code"):
            code = currency_code(old["Code"])
        entity["Code"] = code
        if code in CURRENCY_NAMES:
            entity["Name"] = CURRENCY_NAMES[code]
    if not spec.currency:
        return
    sent: Any = entity.get("CurrencyRef")
    stored: Any = (old or {}).get("CurrencyRef")
    multi = multicurrency_enabled(_prefs(company))
    if not multi and _has(sent) and sent != stored:
        home_sent = currency_code(sent["value"]) == home_currency(_prefs(company))
        refused = setting(company.fidelity, "home_currencyref_when_mc_off") == "fault_6000"
        if home_sent and refused:  # only the client's own CurrencyRef: seen here, not later
            raise QBOFault("multicurrency_off")
    if spec.is_list and old is not None and _has(stored) and (multi or not _has(sent)):
        if not _has(sent) or currency_code(sent["value"]) != currency_code(stored["value"]):
            entity["CurrencyRef"] = dict(stored)  # a name's currency is fixed once set
        return
    if spec.is_party and old is None and _has(sent) and multi:
        home = home_currency(_prefs(company))
        ignored = setting(company.fidelity, "name_currency_on_create") == "ignored"
        if ignored and currency_code(sent["value"]) != home:
            entity["CurrencyRef"] = home_currency_ref(company)
        return
    if _has(sent):
        return
    if _has(stored):
        entity["CurrencyRef"] = dict(stored)
        return
    party = party_of(company, spec, entity) if spec.is_transaction else None
    if party is not None and _has(party.get("CurrencyRef")):
        entity["CurrencyRef"] = named_ref(currency_of(party))
        return
    entity["CurrencyRef"] = home_currency_ref(company)


def _currency_prefs(ctx: OpContext, entity: Entity, old: Entity | None) -> None:
    if old is None:
        return
    before: dict[str, Any] = old[PREFS] if isinstance(old.get(PREFS), dict) else {}
    if not ctx.user_edit:  # read-only through the API
        if PREFS in old:
            entity[PREFS] = dict(before)
        else:
            entity.pop(PREFS, None)
        return
    sent: dict[str, Any] | None = entity[PREFS] if isinstance(entity.get(PREFS), dict) else None
    if sent is None:
        if PREFS in old:
            entity[PREFS] = dict(before)
        return
    merged = {**before, **sent}
    if before.get("MultiCurrencyEnabled") is True:  # irreversible, home currency fixed
        merged["MultiCurrencyEnabled"] = True
        if "HomeCurrency" in before:
            merged["HomeCurrency"] = before["HomeCurrency"]
    entity[PREFS] = merged


# --- after the form's totals ------------------------------------------------------------------
def derive_amounts(ctx: OpContext, spec: EntitySpec, entity: Entity, old: Entity | None) -> None:
    """ExchangeRate, home-currency amounts and the A/R or A/P account in the currency."""
    if not spec.is_transaction or not spec.currency:
        return
    company = ctx.company
    if not multicurrency_enabled(_prefs(company)):
        for field in spec.home_amounts:
            entity.pop(field, None)  # read-only; single-currency companies have none
        return
    code, home = currency_of(entity), home_currency(_prefs(company))
    if code == home:
        entity[RATE_FIELD] = 1
    elif entity.get(RATE_FIELD) is None:
        if old is not None and old.get(RATE_FIELD) is not None and currency_of(old) == code:
            entity[RATE_FIELD] = old[RATE_FIELD]
        else:
            _missing_rate(company, entity, code, home)
    if spec.currency_account and code != home:
        ref_field = ACCOUNT_REFS[spec.currency_account]
        if not _has(entity.get(ref_field)):
            currency_account(ctx, spec.currency_account, code)
    home_amounts(spec, entity)


def _missing_rate(company: Company, entity: Entity, code: str, home: str) -> None:
    choice = setting(company.fidelity, "missing_exchange_rate")
    if choice == "fault_2410":
        return  # refused by the rules
    rate: Any = 1
    if choice == "day_rate":
        found = rates.rate_value(rates.rate_on(company, code, home, str(entity["TxnDate"])))
        rate = 1 if found is None else found
    entity[RATE_FIELD] = rate


def home_amounts(spec: EntitySpec, entity: Entity) -> None:
    """HomeTotalAmt / HomeBalance from TotalAmt / Balance and ExchangeRate."""
    if entity.get(RATE_FIELD) is None:
        return
    for field in spec.home_amounts:
        source = "TotalAmt" if field == "HomeTotalAmt" else "Balance"
        if entity.get(source) is not None:
            entity[field] = home_amount(entity[source], entity[RATE_FIELD])


# --- accounts in a currency -------------------------------------------------------------------
def account_currency(company: Company, account: Entity) -> str:
    """An account's currency: its CurrencyRef, else the home currency (A4.23)."""
    return currency_of(account) or home_currency(_prefs(company))


def currency_account(ctx: OpContext, account_type: str, code: str) -> Entity | None:
    """The first active account of ``account_type`` in ``code``; for a foreign currency
    without one, created per fidelity ``foreign_ar_account`` (or 6000)."""
    company = ctx.company
    home = home_currency(_prefs(company))
    code = code or home
    first_home: Entity | None = None
    for account in company.find(ACCOUNT, "AccountType", account_type):
        if not account.get("Active", True):
            continue
        currency = account_currency(company, account)
        if currency == code:
            return account
        if currency == home and first_home is None:
            first_home = account
    if code == home or not multicurrency_enabled(_prefs(company)):
        return None
    if setting(company.fidelity, "foreign_ar_account") != "auto_create":
        raise QBOFault("currency_account_mismatch")
    base = first_home.get("Name") if first_home else DEFAULT_NAMES[account_type]
    return _create_account(ctx, f"{base} - {code}", account_type, code)


def _create_account(ctx: OpContext, name: str, account_type: str, code: str) -> Entity:
    company = ctx.company
    spec = ENTITIES[ACCOUNT]
    stamp = ctx.now_meta()
    account: Entity = {
        "Name": name,
        "AccountType": account_type,
        "AccountSubType": ACCOUNT_SUBTYPES[account_type],
        "CurrencyRef": named_ref(code),
        "domain": "QBO",
        "sparse": False,
        "Id": str(company.next_value(f"list:{spec.name}", spec.id_start or 1)),
        "SyncToken": "0",
        "MetaData": {"CreateTime": stamp, "LastUpdatedTime": stamp},
    }
    lists.derive_list(ctx, spec, account, None)
    company.put(spec.name, account)
    return account
