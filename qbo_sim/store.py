"""The one store: companies (realm id → entities), Id sequences, indexes, atomic writes.

Every write goes through :meth:`Company.put` inside :meth:`Company.unit_of_work`. A unit of work
records how to undo each write; if anything raises before it ends (a rule, a fault, a bug), the
company is put back exactly as it was, indexes and Id sequences included. So a rejected request
never leaves state half-written.

Lookups by Id are dict reads; lookups by every indexed field (names, DocNumbers, party refs,
ParentRef) are index reads: no write scans all entities of a type.
"""

from __future__ import annotations

import copy
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

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
        table[entity_id] = entity
        self._index(type_name, entity)

        def undo() -> None:
            self._unindex(type_name, table.get(entity_id))
            if old is None:
                table.pop(entity_id, None)
            else:
                table[entity_id] = old
                self._index(type_name, old)

        self._record(undo)
        return entity

    def remove(self, type_name: str, entity_id: str, stub: Entity | None = None) -> None:
        """Delete an entity; transactions leave a ``status: Deleted`` stub behind (§5.4)."""
        entity_id = str(entity_id)
        table = self.entities[type_name]
        self._record_touch(type_name, entity_id, table.get(entity_id))
        old = table.pop(entity_id)
        self._unindex(type_name, old)
        if stub is not None:
            self.deleted[type_name][entity_id] = stub

        def undo() -> None:
            table[entity_id] = old
            self._index(type_name, old)
            self.deleted[type_name].pop(entity_id, None)

        self._record(undo)

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
        self._indexes.clear()
        for spec in ENTITIES.values():
            for path in _indexed_paths(spec):
                self._indexes[(spec.name, path)]  # declare, even when empty
            for entity in self.entities.get(spec.name, {}).values():
                self._index(spec.name, entity)

    def _index(self, type_name: str, entity: Entity | None) -> None:
        if entity is None:
            return
        for path in _indexed_paths(ENTITIES[type_name]):
            value = get_path(entity, path)
            if value is not None:
                self._indexes[(type_name, path)][index_key(value)].add(str(entity["Id"]))

    def _unindex(self, type_name: str, entity: Entity | None) -> None:
        if entity is None:
            return
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
    def from_dict(cls, data: dict[str, Any]) -> Company:
        entities: dict[str, dict[str, Entity]] = defaultdict(dict)
        for type_name, rows in data.get("entities", {}).items():
            entities[type_name] = {str(r["Id"]): copy.deepcopy(r) for r in rows}
        deleted: dict[str, dict[str, Entity]] = defaultdict(dict)
        for type_name, rows in data.get("deleted", {}).items():
            deleted[type_name] = {str(r["Id"]): copy.deepcopy(r) for r in rows}
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
