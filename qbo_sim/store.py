"""The one store: companies (realm id → entities), Id sequences, indexes, atomic writes.

Every write goes through :meth:`Company.put` inside :meth:`Company.unit_of_work`. A unit of work
records how to undo each write; if anything raises before it ends (a rule, a fault, a bug), the
company is put back exactly as it was, indexes and Id sequences included. So a rejected request
never leaves state half-written.

Lookups by Id are dict reads; lookups by every indexed field (names, DocNumbers, party refs,
ParentRef) are index reads: no write scans all entities of a type.

Derived indexes serve reads that would otherwise scan or sort a whole type: an
:class:`OrderedView` keeps a type's entities sorted by a key (Id order for paging, a name for
ORDERBY, ``MetaData.LastUpdatedTime`` for CDC: :meth:`Company.updated_since`) and a
:class:`Tally` counts the entities that pass a test (active list objects for COUNT). Each is
built on first use (:meth:`Company.derived`) and from then on kept current by every write and
every undo, like the field indexes; :meth:`Company.rebuild_indexes` rebuilds them all.
"""

from __future__ import annotations

import copy
import threading
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from qbo_sim.entities import ENTITIES, EntitySpec

Entity = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One entity changed by a committed unit of work (handed to commit listeners).

    ``kind`` is ``create``, ``update`` or ``delete``; ``entity`` is the new entity, or the
    deleted stub (``{"Id", "status": "Deleted", "MetaData"}``; a bare ``{"Id"}`` when the
    write left none). ``operation`` is what the unit recorded with :meth:`Company.note_operation`
    (e.g. ``"void"``), else None. ``before`` is the version the unit started from (None for
    a create).
    """

    type_name: str
    entity_id: str
    kind: str
    entity: Entity
    operation: str | None = None
    before: Entity | None = None


#: ``listener(company, changes)``: called after the outermost unit of work commits.
CommitListener = Callable[["Company", list[Change]], None]
#: ``hook(company, touched, settings)``: called at the end of a successful unit, still inside it
#: and its lock (``touched``: the (type, id) pairs it wrote; ``settings``: the paths of the
#: sequences, extras and fidelity values it set, see :meth:`Company.setting_paths`); raising
#: rolls the unit back.
DurableHook = Callable[["Company", dict[tuple[str, str], Any], set[tuple[str, ...]]], None]
#: ``listener(kind, company)``: a company was added to (``"company"``) or removed from
#: (``"drop"``) a :class:`Store`, inside the store's lock.
StructureListener = Callable[[str, "Company"], None]


def get_path(entity: Entity, path: str) -> Any:
    """Read a dotted path (``CustomerRef.value``) from an entity; None when absent."""
    value: Any = entity
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def index_key(value: object) -> object:
    """How indexed values compare: strings case-insensitively, trimmed (§8 name rule)."""
    if isinstance(value, str):
        return value.strip().casefold()
    return value


class Derived(Protocol):
    """A derived index of one entity type, kept current by :class:`Company` writes."""

    def load(self, entities: Iterable[Entity]) -> None: ...

    def add(self, entity: Entity) -> None: ...

    def discard(self, entity_id: str) -> None: ...


D = TypeVar("D", bound=Derived)

#: What an :class:`OrderedView` key returns for a value it cannot place (the entity is kept
#: aside and handed to every range read, whose caller applies its exact test).
IRREGULAR: Any = object()

_Item = tuple[Any, tuple[int, Any], str]


class OrderedView:
    """A type's entities sorted by ``key(entity)`` (absent values, None, first), then by Id.

    Rows are ``(sort key, Id order, Id)`` in a sorted list: appends (new Ids, new stamps)
    are O(1), other writes a binary search plus one list move. Entities whose key is
    :data:`IRREGULAR` are kept in :attr:`irregular`.
    """

    def __init__(self, key: Callable[[Entity], Any]) -> None:
        self.key = key
        self.rows: list[_Item] = []
        self.items: dict[str, _Item] = {}
        self.irregular: set[str] = set()

    def _item(self, entity: Entity) -> tuple[str, _Item | None]:
        entity_id = str(entity["Id"])
        value = self.key(entity)
        if value is IRREGULAR:
            return entity_id, None
        return entity_id, ((0,) if value is None else (1, value), _id_order(entity_id), entity_id)

    def load(self, entities: Iterable[Entity]) -> None:
        self.rows, self.items, self.irregular = [], {}, set()
        for entity in entities:
            entity_id, item = self._item(entity)
            if item is None:
                self.irregular.add(entity_id)
            else:
                self.items[entity_id] = item
        self.rows = sorted(self.items.values())

    def add(self, entity: Entity) -> None:
        entity_id, item = self._item(entity)
        self.discard(entity_id)
        if item is None:
            self.irregular.add(entity_id)
            return
        self.items[entity_id] = item
        rows = self.rows
        if not rows or rows[-1] < item:
            rows.append(item)
        else:
            insort(rows, item)

    def discard(self, entity_id: str) -> None:
        self.irregular.discard(entity_id)
        item = self.items.pop(entity_id, None)
        if item is not None:
            del self.rows[bisect_left(self.rows, item)]

    def ids(self, descending: bool = False) -> Iterator[str]:
        """Ids by key; descending keeps Id order within equal keys (and absent keys last),
        as a stable sort by Id and then by key in reverse does."""
        rows = self.rows
        if not descending:
            for row in rows:
                yield row[2]
            return
        end = len(rows)
        while end > 0:
            start = end - 1
            value = rows[start][0]
            while start > 0 and rows[start - 1][0] == value:
                start -= 1
            for row in rows[start:end]:
                yield row[2]
            end = start

    def ids_from(self, low: Any) -> list[str]:
        """Ids whose key is ``>= low``, in key order."""
        rows = self.rows
        return [row[2] for row in rows[bisect_left(rows, ((1, low),)) :]]


class Tally:
    """How many entities of a type pass ``test``."""

    def __init__(self, test: Callable[[Entity], bool]) -> None:
        self.test = test
        self.passing: set[str] = set()

    @property
    def count(self) -> int:
        return len(self.passing)

    def load(self, entities: Iterable[Entity]) -> None:
        self.passing = {str(e["Id"]) for e in entities if self.test(e)}

    def add(self, entity: Entity) -> None:
        entity_id = str(entity["Id"])
        if self.test(entity):
            self.passing.add(entity_id)
        else:
            self.passing.discard(entity_id)

    def discard(self, entity_id: str) -> None:
        self.passing.discard(entity_id)


def _stamp_key(entity: Entity) -> Any:
    """The change-log key: ``MetaData.LastUpdatedTime`` as an instant; None when there is no
    stamp; :data:`IRREGULAR` for a stamp that is not a plain offset ISO-8601 string."""
    meta = entity.get("MetaData")
    stamp = meta.get("LastUpdatedTime") if isinstance(meta, dict) else None
    if stamp is None:
        return None
    if not isinstance(stamp, str) or stamp != stamp.strip():
        return IRREGULAR
    try:
        instant = datetime.fromisoformat(stamp)
    except ValueError:
        return IRREGULAR
    return IRREGULAR if instant.tzinfo is None else instant


@dataclass
class Company:
    """One QBO company (realm): its entities, settings and sequences."""

    realm_id: str
    name: str
    environment: str = "sandbox"  # "sandbox" or "production" (§5.1 hosts)
    utc_offset_minutes: int = -8 * 60
    entities: dict[str, dict[str, Entity]] = field(default_factory=lambda: defaultdict(dict))
    #: deleted transactions: type → id → stub {"Id", "status": "Deleted", "MetaData"}.
    deleted: dict[str, dict[str, Entity]] = field(default_factory=lambda: defaultdict(dict))
    #: the fidelity profile (reference §8): named settings, see qbo_sim.fidelity.
    fidelity: dict[str, Any] = field(default_factory=dict)
    #: counters: "list:<Type>" and "txn" for Ids, "doc:<Type>" for auto DocNumbers.
    sequences: dict[str, int] = field(default_factory=dict)
    #: anything else a feature keeps per company (tokens, throttle windows, ...).
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        #: serialises units of work; :meth:`Store.add` replaces it with the store's lock.
        self.lock: threading.RLock = threading.RLock()
        self._indexes: dict[tuple[str, str], dict[Any, set[str]]] = defaultdict(
            lambda: defaultdict(set)
        )
        self._undo: list[Callable[[], None]] | None = None
        #: entities touched by the open unit: (type, id) → (the version before it, or None).
        self._touched: dict[tuple[str, str], Entity | None] = {}
        self._operations: dict[tuple[str, str], str] = {}
        #: settings set by the open unit: ("sequences", name), ("extras", key[, item]),
        #: ("fidelity", name).
        self._settings_set: set[tuple[str, ...]] = set()
        #: called with the committed changes; a :class:`Store` shares its list on ``add``.
        self.commit_listeners: list[CommitListener] = []
        #: called before a unit ends (qbo_sim.persistence); shared like ``commit_listeners``.
        self.durable_hooks: list[DurableHook] = []
        #: derived indexes (see :meth:`derived`): type → name → index.
        self._derived: dict[str, dict[Hashable, Derived]] = defaultdict(dict)
        #: each stored entity's place in its table's iteration order: type → id → position.
        self._positions: dict[str, dict[str, int]] = defaultdict(dict)
        self._next_position = 0
        self.rebuild_indexes()

    # --- reads -------------------------------------------------------------------------
    def get(self, type_name: str, entity_id: str) -> Entity | None:
        return self.entities[type_name].get(str(entity_id))

    def all(self, type_name: str) -> Iterator[Entity]:
        return iter(self.entities[type_name].values())

    def count(self, type_name: str) -> int:
        return len(self.entities[type_name])

    def find(self, type_name: str, path: str, value: Any) -> list[Entity]:
        """Entities whose indexed ``path`` equals ``value`` (case-insensitive for strings)."""
        index = self._indexes.get((type_name, path))
        if index is None:
            raise KeyError(f"{type_name}.{path} is not indexed")
        ids = index.get(index_key(value), ())
        table = self.entities[type_name]
        return [table[i] for i in sorted(ids, key=_id_order)]

    def is_indexed(self, type_name: str, path: str) -> bool:
        return (type_name, path) in self._indexes

    def derived(self, type_name: str, name: Hashable, factory: Callable[[], D]) -> D:
        """The derived index ``name`` of a type, built by ``factory()`` and loaded with the
        type's entities on first use; every later write keeps it current.

        ``name`` must identify what ``factory`` builds (its key or test): the first factory
        given a name is the one kept.
        """
        with self.lock:
            views = self._derived[type_name]
            view = views.get(name)
            if view is None:
                view = factory()
                view.load(self.entities[type_name].values())
                views[name] = view
            return view  # type: ignore[return-value]

    def id_order(self, type_name: str) -> OrderedView:
        """A type's entities in Id order (numeric Ids numerically, others after them)."""
        return self.derived(type_name, "Id", lambda: OrderedView(_no_key))

    def updated_since(self, type_name: str, since: datetime) -> list[Entity]:
        """The entities of a type whose ``MetaData.LastUpdatedTime`` is at or after the
        instant ``since``, from the change log, in table order (as :meth:`all` yields them).

        Entities with an irregular stamp (no offset, not ISO-8601, not a string) are always
        included: callers apply their own exact test to what this returns.
        """
        log = self.derived(type_name, "MetaData.LastUpdatedTime", lambda: OrderedView(_stamp_key))
        ids = log.ids_from(since)
        ids.extend(log.irregular)
        return self.in_table_order(type_name, ids)

    def in_table_order(self, type_name: str, ids: Iterable[str]) -> list[Entity]:
        """The stored entities of ``ids`` in the order :meth:`all` yields them."""
        table, positions = self.entities[type_name], self._positions[type_name]
        return [table[i] for i in sorted(ids, key=positions.__getitem__)]

    def deleted_stub(self, type_name: str, entity_id: str) -> Entity | None:
        return self.deleted[type_name].get(str(entity_id))

    # --- writes ------------------------------------------------------------------------
    @contextmanager
    def unit_of_work(self) -> Iterator[Company]:
        """Group writes: all of them stay, or (on any exception) none of them.

        When the outermost unit ends without an exception, ``commit_listeners`` receive the
        list of :class:`Change` it made (webhooks); a rolled-back unit notifies nobody.

        A unit holds ``self.lock`` (the store's lock once the company is in a store) from start
        to end, so concurrent requests of a threaded server write one at a time, and readers
        that take the same lock (queries, CDC) never see half a unit.
        """
        with self.lock:
            if self._undo is not None:  # nested in this thread: the outer unit decides
                yield self
                return
            self._undo = []
            self._touched = {}
            self._operations = {}
            self._settings_set = set()
            try:
                yield self
                if self._undo and self.durable_hooks:
                    for hook in list(self.durable_hooks):
                        hook(self, self._touched, self._settings_set)
            except BaseException:
                for undo in reversed(self._undo):
                    undo()
                raise
            finally:
                self._undo = None
                touched, self._touched = self._touched, {}
                operations, self._operations = self._operations, {}
            changes = (
                self._committed_changes(touched, operations)
                if touched and self.commit_listeners
                else []
            )
        # listeners (webhook delivery may POST to an endpoint that calls back into the
        # simulator from another thread) run once this unit has released the lock
        for listener in list(self.commit_listeners) if changes else ():
            listener(self, changes)

    def note_operation(self, type_name: str, entity_id: str, operation: str) -> None:
        """Name the operation that changed an entity in the open unit (``"void"``), so that
        commit listeners can tell it from a plain update."""
        if self._undo is None:
            raise RuntimeError("store writes must happen inside Company.unit_of_work()")
        self._operations[(type_name, str(entity_id))] = operation

    def _committed_changes(
        self, touched: dict[tuple[str, str], Entity | None], operations: dict[tuple[str, str], str]
    ) -> list[Change]:
        """What a unit changed, in the order entities were first written; an entity put back
        unchanged, or created and removed in the same unit, is no change."""
        changes: list[Change] = []
        for (type_name, entity_id), before in touched.items():
            after = self.entities[type_name].get(entity_id)
            operation = operations.get((type_name, entity_id))
            if after is None:
                if before is None:
                    continue
                stub = self.deleted[type_name].get(entity_id) or {"Id": entity_id}
                changes.append(Change(type_name, entity_id, "delete", stub, operation, before))
            elif before is None:
                changes.append(Change(type_name, entity_id, "create", after, operation))
            elif after != before or operation is not None:
                changes.append(Change(type_name, entity_id, "update", after, operation, before))
        return changes

    def _record_touch(self, type_name: str, entity_id: str, before: Entity | None) -> None:
        if self._undo is not None:  # outside a unit, _record raises below
            self._touched.setdefault((type_name, entity_id), before)

    def _record(self, undo: Callable[[], None]) -> None:
        if self._undo is None:
            raise RuntimeError("store writes must happen inside Company.unit_of_work()")
        self._undo.append(undo)

    def put(self, type_name: str, entity: Entity) -> Entity:
        """Insert or replace an entity (by its ``Id``), keeping indexes current."""
        entity_id = str(entity["Id"])
        table = self.entities[type_name]
        old = table.get(entity_id)
        self._record_touch(type_name, entity_id, old)
        self._unindex(type_name, old)
        self._store(type_name, entity_id, entity)
        self._index(type_name, entity)

        def undo() -> None:
            self._unindex(type_name, table.get(entity_id))
            if old is None:
                self._drop(type_name, entity_id)
            else:
                self._store(type_name, entity_id, old)
                self._index(type_name, old)

        self._record(undo)
        return entity

    def remove(self, type_name: str, entity_id: str, stub: Entity | None = None) -> None:
        """Delete an entity; transactions leave a ``status: Deleted`` stub behind (§5.4)."""
        entity_id = str(entity_id)
        table = self.entities[type_name]
        self._record_touch(type_name, entity_id, table.get(entity_id))
        old = table[entity_id]
        self._drop(type_name, entity_id)
        self._unindex(type_name, old)
        if stub is not None:
            self.deleted[type_name][entity_id] = stub

        def undo() -> None:
            self._store(type_name, entity_id, old)
            self._index(type_name, old)
            self.deleted[type_name].pop(entity_id, None)

        self._record(undo)

    def _store(self, type_name: str, entity_id: str, entity: Entity) -> None:
        """``table[entity_id] = entity``, noting a new key's place at the table's end."""
        table = self.entities[type_name]
        if entity_id not in table:
            self._positions[type_name][entity_id] = self._next_position
            self._next_position += 1
        table[entity_id] = entity

    def _drop(self, type_name: str, entity_id: str) -> None:
        self.entities[type_name].pop(entity_id, None)
        self._positions[type_name].pop(entity_id, None)

    def next_value(self, sequence: str, start: int = 1) -> int:
        """Advance a counter (Ids, DocNumbers); rolled back with the unit of work."""
        previous = self.sequences.get(sequence)
        value = (previous if previous is not None else start - 1) + 1
        self._assign(self.sequences, sequence, value)
        self._settings_set.add(("sequences", sequence))
        return value

    def set_extra(self, key: str, value: Any) -> None:
        """Change a per-company setting inside the unit of work (undone on failure)."""
        self._assign(self.extras, key, value)
        self._settings_set.add(("extras", key))

    def set_fidelity(self, name: str, value: Any) -> None:
        """Change one fidelity setting inside the unit of work (undone on failure)."""
        self._assign(self.fidelity, name, value)
        self._settings_set.add(("fidelity", name))

    def set_extra_item(self, key: str, item: str, value: Any) -> None:
        """Set one entry of a dict-valued setting (``extras[key][item]``), undoably."""
        if key not in self.extras:
            self._assign(self.extras, key, {})  # undone last: the new table goes away
        self._assign(self.extras[key], item, value)
        self._settings_set.add(("extras", key, item))

    def remove_extra_item(self, key: str, item: str) -> None:
        """Remove one entry of a dict-valued setting (``extras[key][item]``), undoably."""
        table = self.extras.get(key)
        if not isinstance(table, dict) or item not in table:
            return
        previous = table.pop(item)
        self._record(lambda: table.__setitem__(item, previous))
        self._settings_set.add(("extras", key, item))

    def _assign(self, mapping: dict[str, Any], key: str, value: Any) -> None:
        """``mapping[key] = value``, undone by restoring the previous value (or its absence)."""
        missing = object()
        previous = mapping.get(key, missing)
        mapping[key] = value

        def undo() -> None:
            if previous is missing:
                mapping.pop(key, None)
            else:
                mapping[key] = previous

        self._record(undo)

    # --- indexes -----------------------------------------------------------------------
    def rebuild_indexes(self) -> None:
        """Rebuild every index from the tables (after writing them directly, e.g. a replay)."""
        self._indexes.clear()
        for spec in ENTITIES.values():
            for path in _indexed_paths(spec):
                self._indexes[(spec.name, path)]  # declare, even when empty
            for entity in self.entities.get(spec.name, {}).values():
                self._index(spec.name, entity, derived=False)
        self._positions.clear()
        position = 0
        for type_name, table in self.entities.items():
            self._positions[type_name] = {i: n for n, i in enumerate(table, start=position)}
            position += len(table)
        self._next_position = position
        for type_name, views in self._derived.items():
            for view in views.values():
                view.load(self.entities[type_name].values())

    def _index(self, type_name: str, entity: Entity | None, derived: bool = True) -> None:
        if entity is None:
            return
        for path in _indexed_paths(ENTITIES[type_name]):
            value = get_path(entity, path)
            if value is not None:
                self._indexes[(type_name, path)][index_key(value)].add(str(entity["Id"]))
        views = self._derived.get(type_name) if derived else None
        if views:
            for view in views.values():
                view.add(entity)

    def _unindex(self, type_name: str, entity: Entity | None) -> None:
        if entity is None:
            return
        views = self._derived.get(type_name)
        if views:
            entity_id = str(entity["Id"])
            for view in views.values():
                view.discard(entity_id)
        for path in _indexed_paths(ENTITIES[type_name]):
            value = get_path(entity, path)
            if value is None:
                continue
            index = self._indexes[(type_name, path)]
            key = index_key(value)
            ids = index.get(key)
            if ids is not None:
                ids.discard(str(entity["Id"]))
                if not ids:
                    del index[key]

    # --- snapshots ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "realm_id": self.realm_id,
            "name": self.name,
            "environment": self.environment,
            "utc_offset_minutes": self.utc_offset_minutes,
            "fidelity": copy.deepcopy(self.fidelity),
            "sequences": dict(sorted(self.sequences.items())),
            "entities": {
                t: [table[i] for i in sorted(table, key=_id_order)]
                for t, table in sorted(self.entities.items())
                if table
            },
            "deleted": {
                t: [table[i] for i in sorted(table, key=_id_order)]
                for t, table in sorted(self.deleted.items())
                if table
            },
            "extras": copy.deepcopy(
                {k: v for k, v in sorted(self.extras.items()) if not k.startswith("_")}
            ),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, adopt: bool = False) -> Company:
        """A company from :meth:`to_dict` output; ``adopt`` keeps the rows themselves (no
        copy: for data nobody else holds, such as a just-parsed snapshot)."""
        own: Callable[[Entity], Entity] = _same if adopt else copy.deepcopy
        entities: dict[str, dict[str, Entity]] = defaultdict(dict)
        for type_name, rows in data.get("entities", {}).items():
            entities[type_name] = {str(r["Id"]): own(r) for r in rows}
        deleted: dict[str, dict[str, Entity]] = defaultdict(dict)
        for type_name, rows in data.get("deleted", {}).items():
            deleted[type_name] = {str(r["Id"]): own(r) for r in rows}
        return cls(
            realm_id=str(data["realm_id"]),
            name=data["name"],
            environment=data.get("environment", "sandbox"),
            utc_offset_minutes=int(data.get("utc_offset_minutes", -480)),
            entities=entities,
            deleted=deleted,
            fidelity=copy.deepcopy(data.get("fidelity", {})),
            sequences=dict(data.get("sequences", {})),
            extras=copy.deepcopy(data.get("extras", {})),
        )


def _indexed_paths(spec: EntitySpec) -> tuple[str, ...]:
    return spec.indexed


def _same(entity: Entity) -> Entity:
    return entity


def _no_key(entity: Entity) -> int:
    return 0


def _id_order(entity_id: str) -> tuple[int, Any]:
    return (0, int(entity_id)) if entity_id.isdigit() else (1, entity_id)


class Store:
    """All companies of one simulator, behind one re-entrant lock."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.companies: dict[str, Company] = {}
        #: ``listener(company, changes)`` after each committed unit of work of any company.
        self.commit_listeners: list[CommitListener] = []
        #: ``hook(company, touched)`` at the end of each unit of work, inside it.
        self.durable_hooks: list[DurableHook] = []
        #: ``listener(kind, company)`` when a company is added or removed.
        self.structure_listeners: list[StructureListener] = []

    def add(self, company: Company) -> Company:
        """Hold a company; it shares the store's ``commit_listeners`` from now on."""
        with self.lock:
            company.commit_listeners = self.commit_listeners
            company.durable_hooks = self.durable_hooks
            company.lock = self.lock
            self.companies[company.realm_id] = company
            for listener in list(self.structure_listeners):
                listener("company", company)
            return company

    def get(self, realm_id: str) -> Company | None:
        return self.companies.get(str(realm_id))

    def remove(self, realm_id: str) -> Company:
        with self.lock:
            company = self.companies.pop(str(realm_id))
            for listener in list(self.structure_listeners):
                listener("drop", company)
            return company

    def clear(self) -> None:
        with self.lock:
            for realm_id in list(self.companies):
                self.remove(realm_id)

    def realm_ids(self) -> list[str]:
        return sorted(self.companies)
