"""Phase 3: check a parsed statement against the entity's fields and build an executable plan.

Every 4001 ``QueryValidationError`` comes from here; once a plan exists, execution cannot fail.
Details, observed (reference §2.3): ``property 'X' is not queryable``, ``Property X not found
for Entity``, ``value 1500 is too large. Max allowed value is 1000``. Assumed (QBO's wording not
captured): an unknown entity, an operator a property does not support, a value that is not of
the property's type, and a STARTPOSITION/MAXRESULTS below 1.

Values are converted here, once, into the domain the executor compares stored values in:
strings are case-folded and trimmed when ``query_case_insensitive_values`` is on (so ``=``
agrees with the store's index keys), numbers are floats, dates ``date``, date-times aware
``datetime`` (instants: offsets compare correctly), references and Ids their ``value``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from qbo_sim import fidelity
from qbo_sim.clock import company_tz
from qbo_sim.entities import lookup
from qbo_sim.faults import QBOFault
from qbo_sim.query.ast import Literal, Operator, Select
from qbo_sim.query.fields import Field, field

DEFAULT_MAX_RESULTS = 100
MAX_RESULTS_LIMIT = 1000
#: ``' '`` (one space in quotes) is how the query language writes Null (reference §4.2).
NULL_MARKER = " "

#: Operators each type supports. Id: ``=`` and ``IN`` only (§4.2); LIKE only on text (assumed).
_ORDERED = ("=", "<", ">", "<=", ">=", "IN")
OPERATORS: dict[str, tuple[str, ...]] = {
    "id": ("=", "IN"),
    "string": (*_ORDERED, "LIKE"),
    "email": (*_ORDERED, "LIKE"),
    "number": _ORDERED,
    "boolean": _ORDERED,
    "date": _ORDERED,
    "datetime": _ORDERED,
    "ref": _ORDERED,
}


@dataclass(frozen=True)
class Predicate:
    field: Field
    op: Operator
    #: converted values (one, or several for IN); for LIKE a :class:`LikePattern`.
    values: tuple[Any, ...]
    #: ``= ' '``: matches an absent or blank property.
    null: bool = False


@dataclass(frozen=True)
class Plan:
    entity: str
    count: bool
    predicates: tuple[Predicate, ...]
    order: tuple[tuple[Field, bool], ...]
    start: int
    max_results: int
    active_only: bool
    case_insensitive: bool
    offset_minutes: int


def invalid(detail: str) -> QBOFault:
    return QBOFault("query_validation", detail=detail)


def validate(select: Select, *, profile: dict[str, Any], today: date, offset_minutes: int) -> Plan:
    """Resolve names, check operators/values/paging; raise 4001 for the first problem."""
    spec = lookup(select.entity)
    if spec is None:
        raise invalid(f"Entity {select.entity} not found")  # wording assumed
    entity = spec.name
    ci = bool(fidelity.get(profile, "query_case_insensitive_values"))
    predicates = []
    for cond in select.where:
        prop = _queryable(entity, cond.prop, sortable=False)
        if cond.op not in OPERATORS[prop.type]:
            raise invalid(f"operator '{cond.op}' is not supported for property '{prop.name}'")
        if cond.op == "=" and _is_null(cond.values[0]) and prop.type not in ("id",):
            predicates.append(Predicate(prop, "=", (), null=True))
            continue
        if cond.op == "LIKE":
            values: tuple[Any, ...] = (like_pattern(str(cond.values[0].value), ci),)
        else:
            values = tuple(
                convert(prop, lit, ci=ci, today=today, offset_minutes=offset_minutes)
                for lit in cond.values
            )
        predicates.append(Predicate(prop, cond.op, values))
    order = tuple(
        (_queryable(entity, key.prop, sortable=True), key.descending) for key in select.order_by
    )
    start = _start_position(select.start_position, profile)
    max_results = _max_results(select.max_results)
    filters_active = any(p.field.name == "Active" for p in predicates)
    return Plan(
        entity=entity,
        count=select.count,
        predicates=tuple(predicates),
        order=order,
        start=start,
        max_results=max_results,
        active_only=spec.is_list and not filters_active,  # lists answer active ones (§4.6)
        case_insensitive=ci,
        offset_minutes=offset_minutes,
    )


def _queryable(entity: str, prop: str, *, sortable: bool) -> Field:
    found = field(entity, prop)
    if found is None:
        raise invalid(f"Property {prop} not found for Entity")  # observed
    if not (found.sortable if sortable else found.filterable):
        # observed for WHERE; reused for ORDERBY on a non-sortable property (assumed)
        raise invalid(f"property '{found.name}' is not queryable")
    return found


def _start_position(value: int | None, profile: dict[str, Any]) -> int:
    """1-based; 0 is served as 1 under ``query_start_position_zero_as_one`` (§8)."""
    if value is None:
        return 1
    if value == 0 and fidelity.get(profile, "query_start_position_zero_as_one"):
        return 1
    return _at_least_one(value)


def _max_results(value: int | None) -> int:
    if value is None:
        return DEFAULT_MAX_RESULTS
    if value > MAX_RESULTS_LIMIT:
        raise invalid(f"value {value} is too large. Max allowed value is {MAX_RESULTS_LIMIT}")
    return _at_least_one(value)


def _at_least_one(value: int) -> int:
    if value < 1:
        raise invalid(f"value {value} is too small. Min allowed value is 1")  # assumed
    return value


def _is_null(lit: Literal) -> bool:
    return lit.kind == "string" and lit.value == NULL_MARKER


def text_key(value: str, ci: bool) -> str:
    """How strings compare: trimmed and case-folded when case-insensitive (= store.index_key)."""
    return value.strip().casefold() if ci else value


def id_key(value: Any) -> tuple[int, Any]:
    """Ids and reference values: numeric Ids in numeric order, others after them."""
    text = str(value).strip()
    return (0, int(text)) if text.isdigit() else (1, text)


@dataclass(frozen=True)
class LikePattern:
    """A LIKE pattern: ``%`` is the only wildcard (§4.1); everything else is literal.

    Matched without a regular expression, in time linear in the value's length: the text
    before the first ``%`` must start the value, the text after the last one must end it, and
    the pieces between are found in order, each at its leftmost place (which is always the
    best place for literal pieces, so no backtracking is needed).
    """

    parts: tuple[str, ...]

    def matches(self, value: str) -> bool:
        parts = self.parts
        if len(parts) == 1:
            return value == parts[0]
        prefix, suffix = parts[0], parts[-1]
        if len(value) < len(prefix) + len(suffix):
            return False
        if not (value.startswith(prefix) and value.endswith(suffix)):
            return False
        position, end = len(prefix), len(value) - len(suffix)
        for middle in parts[1:-1]:
            found = value.find(middle, position, end)
            if found < 0:
                return False
            position = found + len(middle)
        return True


def like_pattern(pattern: str, ci: bool) -> LikePattern:
    """``pattern`` as a :class:`LikePattern`; runs of ``%`` count as one, case-folded when
    ``ci``."""
    text = pattern.casefold() if ci else pattern
    parts = text.split("%")
    middles = tuple(part for part in parts[1:-1] if part)
    return LikePattern((parts[0], *middles, parts[-1]) if len(parts) > 1 else (parts[0],))


def parse_datetime(raw: str, offset_minutes: int) -> datetime | None:
    """An instant: with an offset as given, without one in the company's time zone, a bare
    date at local midnight (assumed)."""
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=company_tz(offset_minutes))
    return value


def convert(prop: Field, lit: Literal, *, ci: bool, today: date, offset_minutes: int) -> Any:
    """A literal in the comparison domain of ``prop``'s type, or 4001."""
    kind, raw = lit.kind, lit.value
    converted: Any = None
    if prop.type in ("id", "ref"):
        converted = None if kind in ("boolean", "current_date") else id_key(raw)
    elif prop.type in ("string", "email"):
        converted = text_key(today.isoformat() if kind == "current_date" else str(raw), ci)
        if kind == "boolean":
            converted = text_key(lit.image, ci)
    elif prop.type == "number":
        if kind in ("string", "integer", "decimal"):
            try:
                converted = float(str(raw))
            except ValueError:
                converted = None
    elif prop.type == "boolean":
        if kind == "boolean":
            converted = raw
        elif kind == "string":
            converted = {"true": True, "false": False}.get(str(raw).strip().lower())
    elif prop.type == "date":
        if kind == "current_date":
            converted = today
        elif kind == "string":
            moment = parse_datetime(str(raw), offset_minutes)
            converted = moment.date() if moment is not None else None
    elif prop.type == "datetime":
        if kind == "current_date":
            converted = datetime.combine(today, time(), company_tz(offset_minutes))
        elif kind == "string":
            converted = parse_datetime(str(raw), offset_minutes)
    if converted is None:
        raise invalid(f"invalid value {lit.image} for property '{prop.name}'")  # assumed
    return converted
