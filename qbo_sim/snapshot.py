"""Snapshots: a simulator's companies and clock as one versioned JSON document.

``{"qbo_sim_snapshot": 1, "clock": {...}, "companies": [Company.to_dict(), ...]}``

The document is built on :meth:`qbo_sim.store.Company.to_dict` / ``from_dict`` and is stable:
export → import → export gives the same bytes when serialised with :func:`dumps`
(``json.dumps(doc, sort_keys=True, indent=2)``). The request journal, fault-injection rules and
OAuth tokens are not part of a snapshot (assumed: a snapshot is the books, not the traffic).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from qbo_sim.store import Company

if TYPE_CHECKING:
    from qbo_sim.interfaces import SimulatorLike as Simulator

#: The format version written in ``qbo_sim_snapshot``; documents of other versions are refused.
SNAPSHOT_VERSION = 1


class SnapshotError(ValueError):
    """A document that is not a qbo-sim snapshot this version can read."""


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
    realms = [str(c["realm_id"]) for c in companies]
    if len(set(realms)) != len(realms):
        raise SnapshotError("the snapshot holds the same realm id twice")
    clock = doc.get("clock") or {}
    if not isinstance(clock, dict):
        raise SnapshotError("'clock' must be an object")
    if clock.get("frozen"):
        try:
            datetime.fromisoformat(str(clock.get("now")))
        except ValueError:
            raise SnapshotError(f"clock.now {clock.get('now')!r} is not ISO-8601") from None
    return companies, clock
