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
from qbo_sim.query.validate import Plan, Predicate, id_key, parse_datetime, text_key
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


def stored_key(prop: Field, entity: Entity, ci: bool, offset_minutes: int) -> Any:
    """A stored property in the comparison domain of its type (None when absent/unreadable)."""
    raw = get_path(entity, prop.path)
    if raw is None:
        raw = prop.default
    if raw is None:
        return None
    kind = prop.type
    if kind in ("id", "ref"):
        return id_key(raw)
    if kind in ("string", "email"):
        return text_key(raw if isinstance(raw, str) else str(raw), ci)
    if kind == "number":
        try:
            return float(raw)
        except (TypeError, ValueError):
            return None
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        return {"true": True, "false": False}.get(str(raw).lower())
    if kind == "date":
        try:
            return date.fromisoformat(str(raw)[:10])
        except ValueError:
            return None
    if kind == "datetime":
        return parse_datetime(str(raw), offset_minutes)
    return None


def _matcher(pred: Predicate, ci: bool, offset: int) -> Callable[[Entity], bool]:
    prop, values = pred.field, pred.values

    def key(entity: Entity) -> Any:
        return stored_key(prop, entity, ci, offset)

    if pred.null:
        return lambda e: key(e) in (None, "")
    op = pred.op
    if op == "LIKE":
        pattern = values[0]
        return lambda e: (k := key(e)) is not None and pattern.fullmatch(k) is not None
    if op == "IN":
        return lambda e: (k := key(e)) is not None and k in values
    value = values[0]
    compare: Callable[[Any], bool] = {
        "=": lambda k: k == value,
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


def _sort(rows: list[Entity], plan: Plan) -> list[Entity]:
    rows.sort(key=lambda e: id_key(e["Id"]))
    for prop, descending in reversed(plan.order):
        if prop.type == "id":
            rows.sort(key=lambda e: id_key(e["Id"]), reverse=descending)
            continue

        def key(e: Entity, prop: Field = prop) -> tuple[Any, ...]:
            k = stored_key(prop, e, plan.case_insensitive, plan.offset_minutes)
            return (0,) if k is None else (1, k)

        rows.sort(key=key, reverse=descending)
    return rows


def execute(plan: Plan, company: Company) -> QueryResult:
    """Filter, count or order and page; never raises for a valid plan."""
    ci, offset = plan.case_insensitive, plan.offset_minutes
    tests = [_matcher(p, ci, offset) for p in plan.predicates]
    if plan.active_only:
        active = field(plan.entity, "Active")
        assert active is not None
        tests.append(lambda e: stored_key(active, e, ci, offset) is True)
    rows = [e for e in _candidates(plan, company) if all(test(e) for test in tests)]
    if plan.count:
        return QueryResult(plan.entity, [], plan.start, total_count=len(rows))
    first = plan.start - 1
    page = _sort(rows, plan)[first : first + plan.max_results]
    return QueryResult(plan.entity, page, plan.start)
