"""Durable state, opt-in: every committed unit of work written to SQLite before it is answered.

``Persistence.open(sim, path)`` keeps a simulator's companies in one SQLite file (WAL mode):

- table ``snapshot``: one row, a snapshot document (:mod:`qbo_sim.snapshot`), the state as of
  the last compaction;
- table ``log``: what happened since, in order: ``unit`` rows (the entities one committed unit of
  work put or removed, the sequences, extras and fidelity values it set, and the clock; only what
  the unit changed, so a row's size does not grow with the company), ``company`` rows (a whole
  company added: created, reset or imported) and ``drop`` rows (a company removed).

A unit's row is written inside the unit, while it still holds the store's lock, so rows are in
commit order; if the write fails the unit is rolled back and the request fails, so memory never
holds a change the file lacks. Each row is its own SQLite transaction; in WAL mode with
``synchronous=OFF`` a committed transaction is in the operating system's hands as the INSERT
returns, so it survives the process being killed (``kill -9``) at any moment, though not a power
cut or an OS crash (``durability="full"`` makes it ``synchronous=FULL``: an fsync per commit).

Opening a file that has state restores it (snapshot, then the log replayed) and ignores whatever
the simulator held; opening a new file writes the simulator's current state as its snapshot.
:meth:`Persistence.compact` folds the log into a new snapshot (on close, and every
``compact_every`` rows).

Not kept (they are not units of work): the request journal, fault-injection rules, throttle
windows, OAuth tokens and webhook subscriptions, as for snapshots; the clock is kept as of the
last write or compaction.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from qbo_sim import snapshot
from qbo_sim.clock import Clock
from qbo_sim.errors import SimError
from qbo_sim.store import Company, Store


class Persistable(Protocol):
    """What persistence needs of a simulator."""

    store: Store
    clock: Clock

    def export_state(self, realm: str | None = None) -> dict[str, Any]: ...

    def import_state(
        self, doc: dict[str, Any], *, replace: bool = False, adopt: bool = False
    ) -> list[str]: ...

SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,
                                realm TEXT NOT NULL, body TEXT NOT NULL);
"""

#: Log rows after which :meth:`Persistence.compact` runs by itself.
DEFAULT_COMPACT_EVERY = 50_000


class PersistenceError(SimError, RuntimeError):
    """The state file cannot be opened or read (not SQLite, or not qbo-sim's)."""


def _setting_values(company: Company, paths: set[tuple[str, ...]]) -> list[list[Any]]:
    """``[[*path, value], ...]`` for the settings a unit set (private ``_`` extras left out)."""
    out: list[list[Any]] = []
    for path in sorted(paths):
        if path[0] == "extras" and path[1].startswith("_"):
            continue
        value: Any = getattr(company, path[0])
        for part in path[1:]:
            value = value[part]
        out.append([*path, value])
    return out


class Persistence:
    """A simulator's companies kept in a SQLite file; see the module docstring."""

    def __init__(
        self,
        sim: Persistable,
        path: str | Path,
        *,
        durability: str = "process",
        compact_every: int = DEFAULT_COMPACT_EVERY,
    ) -> None:
        if durability not in ("process", "full"):
            raise ValueError("durability must be 'process' (survives kill -9) or 'full'")
        self.sim = sim
        self.path = Path(path)
        self.compact_every = compact_every
        self._lock = threading.Lock()
        self._rows_since_compaction = 0
        self._closed = False
        try:
            # autocommit: each log row is one INSERT, committed as the statement ends
            self._db = sqlite3.connect(
                str(self.path), check_same_thread=False, isolation_level=None
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "PRAGMA synchronous=" + ("FULL" if durability == "full" else "OFF")
            )
            self._db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise PersistenceError(f"{self.path} is not a qbo-sim state file: {exc}") from None

    # --- opening ------------------------------------------------------------------------
    @classmethod
    def open(cls, sim: Persistable, path: str | Path, **options: Any) -> Persistence:
        """Restore ``sim`` from ``path`` if it holds state, else save ``sim``'s state there;
        from then on every committed change is written to it."""
        self = cls(sim, path, **options)
        if self.has_state():
            self._restore()
        else:
            self.compact()
        store = sim.store
        with store.lock:
            store.durable_hooks.append(self._unit_committed)
            store.structure_listeners.append(self._structure_changed)
            store.commit_listeners.append(self._after_commit)
        return self

    def has_state(self) -> bool:
        return self._db.execute("SELECT 1 FROM snapshot").fetchone() is not None

    def _restore(self) -> None:
        row = self._db.execute("SELECT doc FROM snapshot WHERE id = 1").fetchone()
        try:
            # the document was just parsed and is held by nobody else: adopted, not copied
            self.sim.import_state(snapshot.loads(row[0]), replace=True, adopt=True)
        except (ValueError, TypeError) as exc:
            raise PersistenceError(f"{self.path}: unreadable snapshot: {exc}") from None
        changed: set[str] = set()
        clock: dict[str, Any] | None = None
        for kind, realm, body in self._db.execute("SELECT kind, realm, body FROM log ORDER BY seq"):
            data = json.loads(body)
            if kind == "company":
                if self.sim.store.get(realm) is not None:
                    self.sim.store.remove(realm)
                self.sim.store.add(Company.from_dict(data))
            elif kind == "drop":
                if self.sim.store.get(realm) is not None:
                    self.sim.store.remove(realm)
            elif kind == "unit":
                company = self.sim.store.get(realm)
                if company is None:
                    raise PersistenceError(f"{self.path}: a logged change of unknown realm {realm}")
                _apply_unit(company, data)
                changed.add(realm)
                clock = data.get("clock", clock)
        for realm in changed:
            company = self.sim.store.get(realm)
            if company is not None:
                company.rebuild_indexes()
        if clock and clock.get("frozen"):
            self.sim.clock.set(datetime.fromisoformat(clock["now"]))

    # --- writing ------------------------------------------------------------------------
    def _append(self, kind: str, realm: str, body: dict[str, Any]) -> None:
        text = json.dumps(body, separators=(",", ":"))
        with self._lock:
            if self._closed:
                raise PersistenceError(f"{self.path} is closed: the change cannot be kept")
            self._db.execute(
                "INSERT INTO log (kind, realm, body) VALUES (?, ?, ?)", (kind, realm, text)
            )
            self._rows_since_compaction += 1

    def _unit_committed(
        self,
        company: Company,
        touched: dict[tuple[str, str], Any],
        settings: set[tuple[str, ...]],
    ) -> None:
        """Store hook, inside the unit and its lock: the unit's row, or the unit rolls back."""
        put: dict[str, dict[str, Any]] = defaultdict(dict)
        gone: dict[str, dict[str, Any]] = defaultdict(dict)
        for type_name, entity_id in touched:
            entity = company.entities[type_name].get(entity_id)
            if entity is not None:
                put[type_name][entity_id] = entity
            else:
                gone[type_name][entity_id] = company.deleted[type_name].get(entity_id)
        body = {
            "put": put,
            "gone": gone,
            "set": _setting_values(company, settings),
            "clock": self._clock(),
        }
        self._append("unit", company.realm_id, body)

    def _structure_changed(self, kind: str, company: Company) -> None:
        """Store listener: a company added (``company``) or removed (``drop``)."""
        if kind == "company":
            self._append("company", company.realm_id, company.to_dict())
        else:
            self._append("drop", company.realm_id, {})
        self._maybe_compact()

    def _clock(self) -> dict[str, Any]:
        clock = self.sim.clock
        return {"now": clock.now().astimezone(UTC).isoformat(), "frozen": clock.frozen}

    def _maybe_compact(self) -> None:
        if self._rows_since_compaction >= self.compact_every:
            self.compact()

    def _after_commit(self, company: Company, changes: list[Any]) -> None:
        """Store commit listener, after the unit released its lock: compact when the log has
        grown past ``compact_every`` rows."""
        self._maybe_compact()

    # --- compaction ---------------------------------------------------------------------
    def compact(self) -> None:
        """Replace the snapshot by the current state and empty the log, in one transaction."""
        with self.sim.store.lock:
            text = json.dumps(self.sim.export_state(), separators=(",", ":"))
            with self._lock:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._db.execute(
                        "INSERT OR REPLACE INTO snapshot (id, doc) VALUES (1, ?)", (text,)
                    )
                    self._db.execute("DELETE FROM log")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
                self._rows_since_compaction = 0

    def log_rows(self) -> int:
        """Rows written since the last compaction."""
        return int(self._db.execute("SELECT COUNT(*) FROM log").fetchone()[0])

    def close(self) -> None:
        """Compact, stop writing and close the file (a later change then fails loudly)."""
        if self._closed:
            return
        store = self.sim.store
        with store.lock:
            self.compact()
            if self._unit_committed in store.durable_hooks:
                store.durable_hooks.remove(self._unit_committed)
            if self._structure_changed in store.structure_listeners:
                store.structure_listeners.remove(self._structure_changed)
            if self._after_commit in store.commit_listeners:
                store.commit_listeners.remove(self._after_commit)
            with self._lock:
                self._closed = True
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._db.close()


def _apply_unit(company: Company, data: dict[str, Any]) -> None:
    """Redo one logged unit on ``company`` (indexes are rebuilt once, after the replay)."""
    for type_name, rows in data["put"].items():
        for entity_id, entity in rows.items():
            company.entities[type_name][entity_id] = entity
            company.deleted[type_name].pop(entity_id, None)
    for type_name, rows in data["gone"].items():
        for entity_id, stub in rows.items():
            company.entities[type_name].pop(entity_id, None)
            if stub is not None:
                company.deleted[type_name][entity_id] = stub
    for *path, value in data["set"]:
        target = getattr(company, path[0])
        for part in path[1:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
