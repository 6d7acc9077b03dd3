"""Phase 4: run a validated :class:`~qbo_sim.query.validate.Plan` against a company.

Candidates come from an index when the WHERE has ``=`` or ``IN`` on ``Id`` (dict reads) or on an
indexed path (``company.find``: DisplayName, Name, DocNumber, CustomerRef.value, ...), so such
lookups never scan; otherwise every object of the entity is scanned. All predicates (the indexed
one too, which makes case-sensitive mode exact) and the implicit ``Active = true`` of list
entities are then applied, the rows are ordered (by numeric Id unless ORDERBY says otherwise;
Id breaks ties; absent values sort first ascending, assumed) and paged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from qbo_sim.query.fields import Field, field
from qbo_sim.query.validate import Plan, Predicate, id_key, parse_datetime
from qbo_sim.store import Company, Entity, get_path

_INDEXABLE_TYPES = ("string", "email", "ref")


@dataclass(frozen=True)
class QueryResult:
    entity: str
    rows: list[Entity]
    start: int
    total_count: int | None = None

    def body(self) -> dict[str, Any]:
        """The ``QueryResponse`` object (reference §4.6); ``{}`` when no rows."""
        if self.total_count is not None:
            return {"totalCount": self.total_count}
        if not self.rows:
            return {}
        return {self.entity: self.rows, "startPosition": self.start, "maxResults": len(self.rows)}


def _getter(path: str) -> Callable[[Entity], Any]:
    """A fast reader for a dotted path (one or two levels, as every queryable field is)."""
    first, _, rest = path.partition(".")
    if not rest:
        return lambda e: e.get(first)
    if "." in rest:
        return lambda e: get_path(e, path)

    def nested(e: Entity) -> Any:
        inner = e.get(first)
        return inner.get(rest) if isinstance(inner, dict) else None

    return nested


def _to_number(raw: Any) -> float | None:
    try:
        return float(raw)
    except (TypeError, ValueError):
        return None


def _to_boolean(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    return {"true": True, "false": False}.get(str(raw).lower())


def _to_date(raw: Any) -> date | None:
    try:
        return date.fromisoformat(str(raw)[:10])
    except ValueError:
        return None


def key_function(prop: Field, ci: bool, offset_minutes: int) -> Callable[[Entity], Any]:
    """Stored property → its comparison domain (None when absent or unreadable)."""
    read = _getter(prop.path)
    default = prop.default
    kind = prop.type
    convert: Callable[[Any], Any]
    if kind in ("id", "ref"):
        convert = id_key
    elif kind in ("string", "email"):
        if ci:
            convert = lambda raw: (raw if isinstance(raw, str) else str(raw)).strip().casefold()  # noqa: E731
        else:
            convert = lambda raw: raw if isinstance(raw, str) else str(raw)  # noqa: E731
    elif kind == "number":
        convert = _to_number
    elif kind == "boolean":
        convert = _to_boolean
    elif kind == "date":
        convert = _to_date
    elif kind == "datetime":
        convert = lambda raw: parse_datetime(str(raw), offset_minutes)  # noqa: E731
    else:
        convert = lambda raw: None  # noqa: E731

    def key(entity: Entity) -> Any:
        raw = read(entity)
        if raw is None:
            raw = default
            if raw is None:
                return None
        return convert(raw)

    return key


def _matcher(pred: Predicate, ci: bool, offset: int) -> Callable[[Entity], bool]:
    key = key_function(pred.field, ci, offset)
    values = pred.values
    if pred.null:
        return lambda e: key(e) in (None, "")
    op = pred.op
    if op == "LIKE":
        matches = values[0].matches
        return lambda e: (k := key(e)) is not None and matches(k)
    if op == "IN":
        return lambda e: (k := key(e)) is not None and k in values
    value = values[0]
    if op == "=":
        return lambda e: key(e) == value
    compare: Callable[[Any], bool] = {
        "<": lambda k: k < value,
        ">": lambda k: k > value,
        "<=": lambda k: k <= value,
        ">=": lambda k: k >= value,
    }[op]
    return lambda e: (k := key(e)) is not None and compare(k)


def _candidates(plan: Plan, company: Company) -> Iterable[Entity]:
    """Rows that may match: from the Id table or an index when possible, else all."""
    usable = [p for p in plan.predicates if p.op in ("=", "IN") and not p.null]
    for pred in usable:
        if pred.field.type == "id":
            found = (company.get(plan.entity, str(v[1])) for v in pred.values)
            return {e["Id"]: e for e in found if e is not None}.values()
    for pred in usable:
        if pred.field.type in _INDEXABLE_TYPES and company.is_indexed(plan.entity, pred.field.path):
            rows: dict[str, Entity] = {}
            for value in pred.values:
                lookup = str(value[1]) if pred.field.type == "ref" else value
                for entity in company.find(plan.entity, pred.field.path, lookup):
                    rows[entity["Id"]] = entity
            return rows.values()
    return company.all(plan.entity)


def _row_id(entity: Entity) -> tuple[int, Any]:
    """``id_key`` of a stored Id (always a string without surrounding blanks)."""
    entity_id = entity["Id"]
    return (0, int(entity_id)) if entity_id.isdigit() else (1, entity_id)


def _page(rows: list[Entity], plan: Plan) -> list[Entity]:
    """The requested page in order: Id ascending by default; ORDERBY keys with Id breaking
    ties (Timsort is adaptive: rows already in, or against, the order sort in linear time)."""
    first = plan.start - 1
    wanted = first + plan.max_results
    ci, offset = plan.case_insensitive, plan.offset_minutes
    keys = [(key_function(prop, ci, offset), desc) for prop, desc in plan.order]
    if not keys:
        return sorted(rows, key=_row_id)[first:wanted]
    if len(keys) == 1 and not keys[0][1]:
        key = keys[0][0]

        def single(e: Entity) -> tuple[Any, ...]:
            k = key(e)
            return ((0,) if k is None else (1, k), _row_id(e))

        return sorted(rows, key=single)[first:wanted]
    rows.sort(key=_row_id)
    for key, desc in reversed(keys):
        rows.sort(key=_nulls_first(key), reverse=desc)
    return rows[first:wanted]


def _nulls_first(key: Callable[[Entity], Any]) -> Callable[[Entity], tuple[Any, ...]]:
    """A sort key that puts missing values first and compares the rest by ``key``."""

    def sort_key(entity: Entity) -> tuple[Any, ...]:
        value = key(entity)
        return (0,) if value is None else (1, value)

    return sort_key


def _all_of(tests: list[Callable[[Entity], bool]]) -> Callable[[Entity], bool] | None:
    """One predicate for all ``tests`` (None: keep every row), without a per-row loop.

    Combined pairwise into a balanced tree, so a thousand ANDed conditions nest ten calls
    deep, not a thousand (a chain overflowed Python's recursion limit).
    """
    if not tests:
        return None
    level = list(tests)
    while len(level) > 1:
        paired = [_both(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def _both(a: Callable[[Entity], bool], b: Callable[[Entity], bool]) -> Callable[[Entity], bool]:
    return lambda e: a(e) and b(e)


def execute(plan: Plan, company: Company) -> QueryResult:
    """Filter, count or order and page; never raises for a valid plan."""
    ci, offset = plan.case_insensitive, plan.offset_minutes
    tests = [_matcher(p, ci, offset) for p in plan.predicates]
    if plan.active_only:
        active = field(plan.entity, "Active")
        assert active is not None
        is_active = key_function(active, ci, offset)
        tests.append(lambda e: is_active(e) is True)
    rows = list(filter(_all_of(tests), _candidates(plan, company)))
    if plan.count:
        return QueryResult(plan.entity, [], plan.start, total_count=len(rows))
    return QueryResult(plan.entity, _page(rows, plan), plan.start)
