"""Phase 4: run a validated :class:`~qbo_sim.query.validate.Plan` against a company.

Candidates come from an index when the WHERE has ``=`` or ``IN`` on ``Id`` (dict reads) or on an
indexed path (``company.find``: DisplayName, Name, DocNumber, CustomerRef.value, ...), or from
the change log when it has ``MetaData.LastUpdatedTime >`` / ``>=``, so such lookups never scan;
otherwise every object of the entity is a candidate. All predicates (the indexed one too, which
makes case-sensitive mode exact) and the implicit ``Active = true`` of list entities are then
applied, the rows are ordered (by numeric Id unless ORDERBY says otherwise; Id breaks ties;
absent values sort first ascending, assumed) and paged.

When every object is a candidate and the order is by Id (no ORDERBY) or by one of
:data:`ORDERED_PATHS`, the rows are walked in that order from a store
:class:`~qbo_sim.store.OrderedView` and the walk stops once the page is full: nothing is sorted.
A ``COUNT(*)`` without WHERE reads a counter (:class:`~qbo_sim.store.Tally` of active objects).
LIKE and other unindexed filters test each row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from qbo_sim.entities import lookup
from qbo_sim.query.fields import Field, field
from qbo_sim.query.validate import Plan, Predicate, id_key, parse_datetime
from qbo_sim.store import Company, Entity, OrderedView, Tally, get_path

_INDEXABLE_TYPES = ("string", "email", "ref")
#: ORDERBY on one of these (a string property) walks a sorted view instead of sorting.
ORDERED_PATHS = frozenset({"DisplayName", "Name", "FullyQualifiedName", "DocNumber"})
_STAMP = "MetaData.LastUpdatedTime"


@dataclass(frozen=True)
class QueryResult:
    entity: str
    rows: list[Entity]
    start: int
    total_count: int | None = None

    def body(self) -> dict[str, Any]:
        """The ``QueryResponse`` object (reference §4.6); ``{}`` when no rows.

        A one-per-company entity (CompanyInfo, Preferences) is answered with ``maxResults``
        but no ``startPosition``, as the captured queries of both show (tests/parity corpus:
        ruby-company-info-query, ruby-preferences-query); every other query answer has both.
        """
        if self.total_count is not None:
            return {"totalCount": self.total_count}
        if not self.rows:
            return {}
        spec = lookup(self.entity)
        rows = self.rows
        if spec is not None and spec.wire_hidden:  # ExchangeRate rows have no Id (DOC-XR)
            rows = [{k: v for k, v in r.items() if k not in spec.wire_hidden} for r in rows]
        if spec is not None and spec.singleton_read is not None:
            return {self.entity: rows, "maxResults": len(rows)}
        body = {self.entity: rows, "startPosition": self.start, "maxResults": len(rows)}
        if spec is not None and spec.query_total:  # DOC-XR's query sample
            body["totalCount"] = len(rows)
        return body


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
    each = pred.field.each
    if each:  # a list property: one of its elements must match
        inner = _matcher(replace(pred, field=replace(pred.field, each="")), ci, offset)
        return lambda e: any(inner(x) for x in e.get(each) or () if isinstance(x, dict))
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


def _candidates(plan: Plan, company: Company) -> Iterable[Entity] | None:
    """Rows that may match: from the Id table, an index or the change log when possible;
    None when every object of the entity may match."""
    usable = [p for p in plan.predicates if p.op in ("=", "IN") and not p.null]
    for pred in usable:
        if pred.field.type == "id" and not pred.field.each:
            found = (company.get(plan.entity, str(v[1])) for v in pred.values)
            return {e["Id"]: e for e in found if e is not None}.values()
    for pred in usable:
        indexed = company.is_indexed(plan.entity, pred.field.path)
        if pred.field.type in _INDEXABLE_TYPES and indexed and not pred.field.each:
            rows: dict[str, Entity] = {}
            for value in pred.values:
                lookup = str(value[1]) if pred.field.type == "ref" else value
                for entity in company.find(plan.entity, pred.field.path, lookup):
                    rows[entity["Id"]] = entity
            return rows.values()
    for pred in plan.predicates:
        if pred.field.path == _STAMP and pred.op in (">", ">=") and not pred.null:
            return company.updated_since(plan.entity, pred.values[0])
    return None


def _walk_order(plan: Plan, company: Company) -> Iterable[str] | None:
    """The Ids of every object in the plan's order, from a sorted view; None when there is
    no view for that order."""
    if not plan.order:
        return company.id_order(plan.entity).ids()
    if len(plan.order) != 1:
        return None
    prop, desc = plan.order[0]
    if prop.path not in ORDERED_PATHS or prop.type != "string":
        return None
    ci = plan.case_insensitive
    key = key_function(prop, ci, plan.offset_minutes)
    view = company.derived(plan.entity, ("order", prop.path, ci), lambda: OrderedView(key))
    return view.ids(descending=desc)


def _walk(
    ids: Iterable[str], table: dict[str, Entity], test: Callable[[Entity], bool] | None, plan: Plan
) -> list[Entity]:
    """The requested page of the rows of ``ids`` (in order) that pass ``test``."""
    skip, room = plan.start - 1, plan.max_results
    page: list[Entity] = []
    if room <= 0:
        return page
    for entity_id in ids:
        entity = table.get(entity_id)  # None only if a writer outside the lock removed it
        if entity is None or (test is not None and not test(entity)):
            continue
        if skip:
            skip -= 1
            continue
        page.append(entity)
        if len(page) == room:
            break
    return page


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
    test = _all_of(tests)
    if plan.count and not plan.predicates:
        if not plan.active_only:
            total = company.count(plan.entity)
        else:
            assert test is not None
            total = company.derived(plan.entity, "count:active", lambda: Tally(test)).count
        return QueryResult(plan.entity, [], plan.start, total_count=total)
    candidates = _candidates(plan, company)
    if candidates is None:
        ordered = None if plan.count else _walk_order(plan, company)
        if ordered is not None:
            table = company.entities[plan.entity]
            return QueryResult(plan.entity, _walk(ordered, table, test, plan), plan.start)
        candidates = company.all(plan.entity)
    rows = [e for e in candidates if test(e)] if test is not None else list(candidates)
    if plan.count:
        return QueryResult(plan.entity, [], plan.start, total_count=len(rows))
    return QueryResult(plan.entity, _page(rows, plan), plan.start)
