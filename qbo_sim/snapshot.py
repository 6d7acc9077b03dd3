"""Snapshots: a simulator's companies and clock as one versioned JSON document.

``{"qbo_sim_snapshot": 1, "clock": {...}, "companies": [Company.to_dict(), ...]}``

The format is the JSON Schema ``snapshot.schema.json`` next to this module (package data;
:func:`schema` fills in the entity types and fidelity settings from the code). The whole
document is checked against it before anything is imported: a bad document raises
:class:`SnapshotError` naming the path of the first bad value (``companies[0].extras``) and
changes nothing.

The document is built on :meth:`qbo_sim.store.Company.to_dict` / ``from_dict`` and is stable:
export → import → export gives the same bytes when serialised with :func:`dumps` (compact,
sorted keys, UTF-8; written by orjson, the fast JSON library in C/Rust, since the standard
library's encoder is 4-5x slower on a snapshot) or ``dumps(doc, pretty=True)``
(``json.dumps(doc, sort_keys=True, indent=2)``, for files people read and diff: fixtures,
``qbo-sim export`` without ``--compact``). The request journal, fault-injection rules and
OAuth tokens are not part of a snapshot (assumed: a snapshot is the books, not the traffic).

A large document is checked fast: the schema without its per-row part, then each row by a
plain test of the row rule; only a document that fails either goes through the whole schema
(for the error). :func:`loads` + ``import_state(..., adopt=True)`` imports parsed text without
copying its rows a second time.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import orjson

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


@cache
def _outline_validator() -> jsonschema.Draft202012Validator:
    """The schema with any array as a table's rows (they are checked by :func:`_row_ok`)."""
    outline = copy.deepcopy(schema())
    outline["$defs"]["tables"]["additionalProperties"] = {"type": "array"}
    return jsonschema.Draft202012Validator(outline)


_ROW_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TIMES = ("CreateTime", "LastUpdatedTime")


def _row_ok(row: Any) -> bool:
    """True only for a row the schema's ``row`` rule accepts (False: let the schema decide)."""
    if type(row) is not dict:
        return False
    row_id = row.get("Id")
    if type(row_id) is not str or _ROW_ID.fullmatch(row_id) is None:
        return False
    if "SyncToken" in row and type(row["SyncToken"]) is not str:
        return False
    if "MetaData" in row:
        meta = row["MetaData"]
        if type(meta) is not dict:
            return False
        for name in _TIMES:
            if name in meta and type(meta[name]) is not str:
                return False
    return True


def _plainly_valid(doc: Any) -> bool:
    """A fast check that accepts only documents the whole schema accepts."""
    if not _outline_validator().is_valid(doc):
        return False
    for company in doc["companies"]:
        for part in ("entities", "deleted"):
            for rows in company.get(part, {}).values():
                for row in rows:
                    if not _row_ok(row):
                        return False
    return True


def _path(error: jsonschema.ValidationError) -> str:
    text = ""
    for part in error.absolute_path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "the document"


def _document_order(error: jsonschema.ValidationError) -> list[tuple[int, int, str]]:
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path]


def check(doc: Any) -> None:
    """Raise :class:`SnapshotError` for the first value of ``doc`` the schema refuses."""
    if _plainly_valid(doc):
        return
    errors = sorted(_validator().iter_errors(doc), key=_document_order)
    if errors:
        first = jsonschema.exceptions.best_match(
            [e for e in errors if list(e.absolute_path) == list(errors[0].absolute_path)]
        )
        assert first is not None
        raise SnapshotError(f"bad snapshot value at {_path(first)}: {first.message}")


def dumps(doc: dict[str, Any], *, pretty: bool = False) -> str:
    """The canonical text of a snapshot: compact with sorted keys, or (``pretty``) with a
    two-space indent. A document orjson cannot write (a non-string key, an integer beyond 64
    bits) is written by the standard library's C encoder in the same compact form."""
    if pretty:
        return json.dumps(doc, sort_keys=True, indent=2)
    try:
        return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:
        return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def loads(text: str | bytes) -> Any:
    """Parse a snapshot's text (orjson; the standard library for what orjson refuses, such as
    integers beyond 64 bits). Raises ``ValueError`` for text that is not JSON."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


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
    sim: Simulator,
    doc: Any,
    *,
    replace: bool = False,
    restore_clock: bool = True,
    adopt: bool = False,
) -> list[str]:
    """Load a snapshot into ``sim`` and return the realm ids it holds.

    Companies in the document replace companies with the same realm id; others stay unless
    ``replace`` is true (then the simulator holds exactly the document's companies). A frozen
    clock in the document is restored (``restore_clock``); a running one leaves the clock alone
    (assumed: real time cannot be restored).

    ``adopt``: the document's rows become the companies' entities as they are, without a copy;
    only for a document nobody else holds or changes (just parsed, e.g. by :func:`loads`).
    """
    companies, clock = _validate(doc)
    loaded = [Company.from_dict(data, adopt=adopt) for data in companies]
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
