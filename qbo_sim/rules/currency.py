"""Currencies (docs/research/currency-and-ledger.md part A): which ``CurrencyRef`` a write may
name, and the company's currency list it keeps.

Checks, on create and update:

- multicurrency off: a ``CurrencyRef`` other than the home currency → 6000
  ``multicurrency_off`` ("Multi Currency should be enabled to perform this operation",
  observed on Customer and Vendor create, A4.20); also any CompanyCurrency write. The home
  currency named explicitly is accepted or refused (fidelity ``home_currencyref_when_mc_off``,
  checked in :mod:`qbo_sim.derive.currency`, which sees what the client sent);
- a code QBO does not know → 2220 ``invalid_currency`` (assumed, A4.25); a currency made
  inactive in the currency list → 610 (or 2500, fidelity ``inactive_reference_fault``:
  assumed; DOC-CC "not available for use with financial transactions");
- a transaction in another currency than its customer's or vendor's, paying a transaction in
  another currency, or with an account in a third currency → 6000 ``one_foreign_currency``
  "You can only use one foreign currency per transaction." (observed, A4.21; the payment and
  bank-account cases assumed, A4.23-24); an ``ARAccountRef``/``APAccountRef`` in another
  currency → 6000 ``currency_account_mismatch`` (A4.22, text third-party);
- a foreign transaction without ``ExchangeRate`` when fidelity ``missing_exchange_rate`` is
  ``fault_2410`` → 2410 ``exchange_rate_missing`` (observed, A3.15);
- CompanyCurrency: the home currency is never a row (A2.6): a create naming it, like a code
  QBO does not know, → 2220 (assumed; QBO's answer is not captured).

Effect: a foreign ``CurrencyRef`` on a name (and so on its transactions) adds its currency to
the list when missing ("If specified currency is not currently in the company's currency list,
it is added", A2.7), with the next CompanyCurrency Id.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from qbo_sim.derive.currency import account_currency, currency_of, party_of
from qbo_sim.derive.rates import rate_id
from qbo_sim.entities import ENTITIES, EntitySpec
from qbo_sim.entities.currency import ACCOUNT, ACCOUNT_REFS, COMPANY_CURRENCY, RATE_FIELD
from qbo_sim.faults import QBOFault
from qbo_sim.preferences import CURRENCY_NAMES, currency_code, home_currency, multicurrency_enabled
from qbo_sim.rules.common import inactive_fault
from qbo_sim.rules.references import iter_refs
from qbo_sim.store import Company, Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

#: References to an account that must be in the transaction's or the home currency.
ACCOUNT_FIELDS = frozenset(ENTITIES[ACCOUNT].ref_fields)
#: The references naming the A/R or A/P account a transaction posts to.
AR_AP_FIELDS = frozenset(ACCOUNT_REFS.values())


def _state(company: Company) -> tuple[bool, str]:
    prefs = company.get("Preferences", "1") or {}
    return multicurrency_enabled(prefs), home_currency(prefs)


def home_of(company: Company) -> str:
    return _state(company)[1]


def listed(company: Company, code: str) -> Entity | None:
    """The company's CompanyCurrency row for ``code`` (None: not in the list)."""
    rows = company.find(COMPANY_CURRENCY, "Code", code)
    return rows[0] if rows else None


def check(ctx: OpContext, spec: EntitySpec, new: Entity) -> None:
    company = ctx.company
    multi, home = _state(company)
    if spec.currency_list:
        if not multi:
            raise QBOFault("multicurrency_off")
        code = currency_code(new.get("Code"))
        if code not in CURRENCY_NAMES or code == home:
            raise QBOFault("invalid_currency", element="Code", value=new.get("Code"))
        return
    if not spec.currency:
        return
    code = currency_of(new)
    if not multi:
        if code and code != home:
            raise QBOFault("multicurrency_off")
        return
    if code not in CURRENCY_NAMES:
        raise QBOFault("invalid_currency", element="CurrencyRef", value=new["CurrencyRef"]["value"])
    row = listed(company, code) if code != home else None
    if row is not None and row.get("Active") is False:
        raise inactive_fault(ctx)
    if spec.is_transaction:
        _check_transaction(ctx, spec, new, code, home)


def _check_transaction(ctx: OpContext, spec: EntitySpec, new: Entity, code: str, home: str) -> None:
    company = ctx.company
    party = party_of(company, spec, new)
    if party is not None and currency_of(party) and currency_of(party) != code:
        raise QBOFault("one_foreign_currency")
    for line in new.get("Line") or []:
        for linked in (line.get("LinkedTxn") or []) if isinstance(line, dict) else []:
            kind, txn_id = linked.get("TxnType"), linked.get("TxnId")
            target = company.get(str(kind), str(txn_id)) if kind in ENTITIES else None
            if target is not None and currency_of(target) and currency_of(target) != code:
                raise QBOFault("one_foreign_currency")
    for _path, field_name, ref in iter_refs(new):
        if field_name not in ACCOUNT_FIELDS or ref.get("value") in (None, ""):
            continue
        account = company.get(ACCOUNT, str(ref["value"]))
        if account is None:
            continue  # 2500 from the reference rules
        currency = account_currency(company, account)
        if field_name in AR_AP_FIELDS and currency != code:
            raise QBOFault("currency_account_mismatch")
        if currency not in (code, home):
            raise QBOFault("one_foreign_currency")
    if code != home and new.get(RATE_FIELD) is None:
        raise QBOFault("exchange_rate_missing")


def apply_effects(ctx: OpContext, spec: EntitySpec, new: Entity | None) -> None:
    """Add a foreign currency a write names to the company's currency list."""
    if new is None or not spec.currency:
        return
    company = ctx.company
    multi, home = _state(company)
    code = currency_of(new)
    if not multi or not code or code == home or listed(company, code) is not None:
        return
    currency_spec = ENTITIES[COMPANY_CURRENCY]
    stamp = ctx.now_meta()
    company.put(
        currency_spec.name,
        {
            "Code": code,
            "Name": CURRENCY_NAMES.get(code, code),
            "Active": True,
            "domain": "QBO",
            "sparse": False,
            "Id": str(company.next_value(f"list:{currency_spec.name}", 1)),
            "SyncToken": "0",
            "MetaData": {"CreateTime": stamp, "LastUpdatedTime": stamp},
        },
    )


# --- exchange rates (DOC-XR; sheet A2.8-10) ---------------------------------------------------
def check_rate_read(ctx: OpContext, source: str, as_of: str | None) -> None:
    """``GET /exchangerate``: ``sourcecurrencycode`` is required (2020, assumed), the company
    must have multicurrency (DOC-XR: "applicable only for those companies that enable
    multicurrency"; the fault assumed as A4.20's), ``asofdate`` is a date (2070)."""
    if not str(source or "").strip():
        raise QBOFault("required_param", name="sourcecurrencycode", element="sourcecurrencycode")
    if not _state(ctx.company)[0]:
        raise QBOFault("multicurrency_off")
    if as_of is not None:
        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise QBOFault("invalid_date", element="asofdate", value=as_of) from None


def check_rate_write(ctx: OpContext, payload: dict[str, Any]) -> Entity:
    """``POST /exchangerate``: the row to store (Id, codes upper case, Rate, AsOfDate), after
    the checks: multicurrency on (6000), known codes (2220, assumed), the source not the home
    currency (DOC-XR "results in a validation error": 6000 ``exchange_rate_home``, code and
    text assumed). TargetCurrencyCode defaults to the home currency; a source equal to the
    target gets rate 1 "whatever was sent" (DOC-XR)."""
    multi, home = _state(ctx.company)
    if not multi:
        raise QBOFault("multicurrency_off")
    source = currency_code(payload["SourceCurrencyCode"])
    target = currency_code(payload.get("TargetCurrencyCode")) or home
    for field, code in (("SourceCurrencyCode", source), ("TargetCurrencyCode", target)):
        if code not in CURRENCY_NAMES:
            raise QBOFault("invalid_currency", element=field, value=payload.get(field))
    if source == home:
        raise QBOFault("exchange_rate_home", element="SourceCurrencyCode", currency=source)
    as_of = str(payload["AsOfDate"])
    return {
        "Id": rate_id(source, target, as_of),
        "SyncToken": "0",
        "AsOfDate": as_of,
        "SourceCurrencyCode": source,
        "Rate": 1 if source == target else payload["Rate"],
        "TargetCurrencyCode": target,
    }
