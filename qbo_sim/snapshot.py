"""Snapshots: a simulator's companies and clock as one versioned JSON document.

``{"qbo_sim_snapshot": 1, "clock": {...}, "companies": [Company.to_dict(), ...]}``

The format is the JSON Schema ``snapshot.schema.json`` next to this module (package data;
:func:`schema` fills in the entity types and fidelity settings from the code). The whole
document is checked against it before anything is imported: a bad document raises
:class:`SnapshotError` naming the path of the first bad value (``companies[0].extras``) and
changes nothing.

The document is built on :meth:`qbo_sim.store.Company.to_dict` / ``from_dict`` and is stable:
export → import → export gives the same bytes when serialised with :func:`dumps`
(``json.dumps(doc, sort_keys=True, indent=2)``). The request journal, fault-injection rules and
OAuth tokens are not part of a snapshot (assumed: a snapshot is the books, not the traffic).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema

from qbo_sim.clock import check_instant
from qbo_sim.errors import SimError
from qbo_sim.store import Company

if TYPE_CHECKING:
    from qbo_sim.interfaces import SimulatorLike as Simulator

#: The format version written in ``qbo_sim_snapshot``; documents of other versions are refused.
SNAPSHOT_VERSION = 1


SCHEMA_PATH = Path(__file__).with_name("snapshot.schema.json")


class SnapshotError(SimError, ValueError):
    """A document that is not a qbo-sim snapshot this version can read."""


@cache
def schema() -> dict[str, Any]:
    """The snapshot JSON Schema, with the entity types, fidelity settings and throttle limits
    of this qbo-sim filled in."""
    from qbo_sim import fidelity
    from qbo_sim.entities import ENTITIES
    from qbo_sim.throttle import ThrottleLimits

    doc: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    defs = doc["$defs"]
    defs["tables"]["propertyNames"] = {"enum": sorted(ENTITIES)}
    kinds = {bool: "boolean", int: "integer", float: "number", str: "string"}
    defs["fidelity"]["additionalProperties"] = False
    defs["fidelity"]["properties"] = {
        name: {"type": kinds[type(setting.default)]} for name, setting in fidelity.SETTINGS.items()
    }
    limits = defs["extras"]["properties"]["throttle"]["properties"]
    for name in ThrottleLimits.names():
        limits.setdefault(name, {"$ref": "#/$defs/limit"})
    return doc


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def _path(error: jsonschema.ValidationError) -> str:
    text = ""
    for part in error.absolute_path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "the document"


def _document_order(error: jsonschema.ValidationError) -> list[tuple[int, int, str]]:
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path]


def check(doc: Any) -> None:
    """Raise :class:`SnapshotError` for the first value of ``doc`` the schema refuses."""
    errors = sorted(_validator().iter_errors(doc), key=_document_order)
    if errors:
        first = jsonschema.exceptions.best_match(
            [e for e in errors if list(e.absolute_path) == list(errors[0].absolute_path)]
        )
        assert first is not None
        raise SnapshotError(f"bad snapshot value at {_path(first)}: {first.message}")


def dumps(doc: dict[str, Any]) -> str:
    """The canonical text of a snapshot (sorted keys, two-space indent)."""
    return json.dumps(doc, sort_keys=True, indent=2)


def export_state(sim: Simulator, realm: str | None = None) -> dict[str, Any]:
    """Every company (or the one ``realm``) and the clock, as a snapshot document."""
    with sim.store.lock:
        realms = [realm] if realm is not None else sim.store.realm_ids()
        companies = [sim.company(r).to_dict() for r in realms]
    return {
        "qbo_sim_snapshot": SNAPSHOT_VERSION,
        "clock": {"now": sim.clock.now().astimezone(UTC).isoformat(), "frozen": sim.clock.frozen},
        "companies": companies,
    }


def import_state(
    sim: Simulator, doc: Any, *, replace: bool = False, restore_clock: bool = True
) -> list[str]:
    """Load a snapshot into ``sim`` and return the realm ids it holds.

    Companies in the document replace companies with the same realm id; others stay unless
    ``replace`` is true (then the simulator holds exactly the document's companies). A frozen
    clock in the document is restored (``restore_clock``); a running one leaves the clock alone
    (assumed: real time cannot be restored).
    """
    companies, clock = _validate(doc)
    loaded = [Company.from_dict(data) for data in companies]
    with sim.store.lock:
        if replace:
            sim.store.clear()
        for company in loaded:
            if sim.store.get(company.realm_id) is not None:
                sim.store.remove(company.realm_id)
            sim.store.add(company)
    if restore_clock and clock.get("frozen"):
        sim.clock.set(datetime.fromisoformat(clock["now"]))
    return [company.realm_id for company in loaded]


def _validate(doc: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    if not isinstance(doc, dict) or "qbo_sim_snapshot" not in doc:
        raise SnapshotError("not a qbo-sim snapshot: expected an object with 'qbo_sim_snapshot'")
    version = doc["qbo_sim_snapshot"]
    if version != SNAPSHOT_VERSION:
        raise SnapshotError(
            f"unsupported snapshot version {version!r}; this qbo-sim reads {SNAPSHOT_VERSION}"
        )
    companies = doc.get("companies")
    if not isinstance(companies, list) or not all(isinstance(c, dict) for c in companies):
        raise SnapshotError("'companies' must be a list of company objects")
    for index, data in enumerate(companies):
        missing = [key for key in ("realm_id", "name") if key not in data]
        if missing:
            raise SnapshotError(f"companies[{index}] lacks {', '.join(missing)}")
    check(doc)
    realms = [str(c["realm_id"]) for c in companies]
    if len(set(realms)) != len(realms):
        raise SnapshotError("the snapshot holds the same realm id twice")
    clock = doc.get("clock") or {}
    if not isinstance(clock, dict):
        raise SnapshotError("'clock' must be an object")
    if clock.get("frozen"):
        try:
            now = datetime.fromisoformat(str(clock.get("now")))
        except ValueError:
            raise SnapshotError(f"clock.now {clock.get('now')!r} is not ISO-8601") from None
        try:
            check_instant(now)
        except ValueError as error:
            raise SnapshotError(f"bad snapshot value at clock.now: {error}") from None
    return companies, clock
