"""What the reports read of the books: postings by transaction and date, filtered.

Every figure comes from :func:`qbo_sim.rules.postings.postings` (the ledger behind
``Account.CurrentBalance``), so a report reconciles with the balances by construction. The
filters (``customer``, ``vendor``, ``class``, ``department``) select whole transactions: the
party, the header's ``ClassRef``/``DepartmentRef`` or any line's ``ClassRef``/``CustomerRef``
(assumed: QBO filters class and customer per line). The cash basis (``accounting_method=Cash``)
moves an invoice's or bill's income and expense to the dates of the payments that pay it, in
proportion to what each pays (the A/R and A/P side stays with the payment).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from qbo_sim.derive.lines import flat_lines
from qbo_sim.entities import ENTITIES, EntitySpec, ref_target
from qbo_sim.opcontext import OpContext
from qbo_sim.rules.common import money
from qbo_sim.rules.links import BY_PAYER, BY_TARGET, applications
from qbo_sim.rules.postings import postings
from qbo_sim.store import Entity, get_path

__all__ = [
    "ACCOUNT",
    "Posting",
    "dimension",
    "ledger_postings",
    "matches",
    "party_name",
    "txn_date",
]

ACCOUNT = ref_target("AccountRef") or ""
CUSTOMER = ref_target("CustomerRef") or ""
CLASS = ref_target("ClassRef") or ""
DEPARTMENT = ref_target("DepartmentRef") or ""
#: filter parameter → the reference it matches on a transaction (header or line)
FILTER_REFS = {
    "customer": "CustomerRef",
    "vendor": "VendorRef",
    "class": "ClassRef",
    "department": "DepartmentRef",
}
#: references a filter also matches: a project's transactions name the customer in
#: CustomerRef and the project in ProjectRef (assumed: QBO's customer filter takes projects)
ALSO_MATCHES = {"customer": ("ProjectRef",)}
#: ``summarize_column_by`` → the reference its columns follow
DIMENSIONS = {"Customers": "CustomerRef", "Classes": "ClassRef", "Departments": "DepartmentRef"}


@dataclass(frozen=True)
class Posting:
    spec: EntitySpec
    entity: Entity
    day: date
    account: str
    #: debit − credit, home currency
    amount: float


def txn_date(entity: Entity) -> date | None:
    try:
        return date.fromisoformat(str(entity.get("TxnDate")))
    except ValueError:
        return None


def ledger_specs() -> Iterator[EntitySpec]:
    return (spec for spec in ENTITIES.values() if spec.ledger is not None)


def _refs(entity: Entity, ref: str) -> set[str]:
    """The values of ``ref`` on the header (or as its party, ``EntityRef``) and on its lines."""
    found: set[str] = set()
    for holder in (entity, *(_details(entity))):
        value = get_path(holder, f"{ref}.value") if isinstance(holder, dict) else None
        if value not in (None, ""):
            found.add(str(value))
    entity_ref = entity.get("EntityRef")
    if isinstance(entity_ref, dict) and ref_target(ref) == entity_ref.get("type"):
        found.add(str(entity_ref.get("value")))
    return found


def _details(entity: Entity) -> Iterator[dict[str, Any]]:
    for line in flat_lines(entity.get("Line")):  # a bundle line: its parts
        detail = line.get(str(line.get("DetailType")))
        if isinstance(detail, dict):
            yield detail


def matches(entity: Entity, filters: Mapping[str, frozenset[str]]) -> bool:
    """Whether a transaction passes every filter it is given (see the module docstring)."""
    for name, wanted in filters.items():
        ref = FILTER_REFS.get(name)
        if ref is None:
            continue
        found = _refs(entity, ref).union(*(_refs(entity, r) for r in ALSO_MATCHES.get(name, ())))
        if not found & wanted:
            return False
    return True


def dimension(entity: Entity, summarize: str) -> str | None:
    """The column a transaction's figures go to under a ``summarize_column_by`` that splits
    by a list (Customers, Classes, Departments): the header's reference, else the first line's
    (assumed); None: "Not Specified"."""
    ref = DIMENSIONS[summarize]
    direct = get_path(entity, f"{ref}.value")
    if direct not in (None, ""):
        return str(direct)
    for detail in _details(entity):
        value = get_path(detail, f"{ref}.value")
        if value not in (None, ""):
            return str(value)
    return None


def ledger_postings(
    ctx: OpContext, filters: Mapping[str, frozenset[str]], *, cash: bool = False
) -> list[Posting]:
    """Every posting of the books (transactions without a TxnDate are left out)."""
    company = ctx.company
    out: list[Posting] = []
    for spec in ledger_specs():
        for entity in company.all(spec.name):
            day = txn_date(entity)
            if day is None or not matches(entity, filters):
                continue
            if cash and spec.balance == "open":
                continue  # posts when paid (below)
            moved = postings(ctx, spec, entity)
            if cash and spec.name in BY_PAYER:
                counter = _account_of(ctx, spec, entity, counter=True)
                moved = {a: v for a, v in moved.items() if a != counter}
                out += _paid(ctx, spec, entity, day)
            out += [Posting(spec, entity, day, a, v) for a, v in moved.items()]
    return out


def _account_of(
    ctx: OpContext, spec: EntitySpec, entity: Entity, *, counter: bool = False
) -> str | None:
    """The header (or counter) account a transaction posts to: the A/R or A/P side."""
    ledger = spec.ledger
    if ledger is None:
        return None
    paths = ledger.counter if counter else ledger.header
    default = ledger.counter_type if counter else ledger.header_type
    for path in paths:
        value = get_path(entity, f"{path}.value")
        if value not in (None, ""):
            return str(value)
    for account in ctx.company.find(ACCOUNT, "AccountType", default) if default else []:
        return str(account["Id"])
    return None


def _paid(ctx: OpContext, spec: EntitySpec, payer: Entity, day: date) -> list[Posting]:
    """Cash basis: the income and expense side of what a payment pays, on its date."""
    out: list[Posting] = []
    for link in BY_PAYER[spec.name]:
        target_spec = ENTITIES[link.target]
        for target_id, amount in applications(link, payer).items():
            target = ctx.company.get(link.target, target_id)
            total = money(target.get("TotalAmt")) if target is not None else 0.0
            if target is None or not total:
                continue
            header = _account_of(ctx, target_spec, target)
            share = amount / total
            for account, value in postings(ctx, target_spec, target).items():
                if account != header:
                    out.append(Posting(target_spec, target, day, account, value * share))
    return out


def party_name(ctx: OpContext, spec: EntitySpec, entity: Entity) -> tuple[str, str] | None:
    """``(name, id)`` of a transaction's party (the stored DisplayName, else the ref's name)."""
    ref_field = spec.party_ref
    ref = entity.get(ref_field) if ref_field else entity.get("EntityRef")
    if not isinstance(ref, dict) or ref.get("value") in (None, ""):
        return None
    party_type = ref_target(ref_field) if ref_field else ref.get("type")
    stored = ctx.company.get(str(party_type), str(ref["value"])) if party_type else None
    name = (stored or {}).get("DisplayName") or ref.get("name") or ""
    return str(name), str(ref["value"])


def is_target(spec: EntitySpec) -> bool:
    """Whether payments link this type (its open balance is what aging reports show)."""
    return spec.name in BY_TARGET
