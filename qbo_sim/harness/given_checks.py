"""Load-time checks of ``given.snapshot`` (see :mod:`qbo_sim.harness.given_snapshot`).

Below :mod:`qbo_sim.harness.model`, which runs them while loading a scenario; the run-time half
(:func:`~qbo_sim.harness.given_snapshot.new_company_from_snapshot`, aliases) needs the run
context and stays above it in ``given_snapshot``, which re-exports these names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qbo_sim.harness.errors import HarnessError, ScenarioSchemaError
from qbo_sim.harness.loader import LineMap

if TYPE_CHECKING:
    from qbo_sim.simulator import Simulator

#: given keys that a snapshot replaces (the snapshot holds the company and its Preferences).
_NOT_WITH_SNAPSHOT = ("preset", "preferences")


class SnapshotFileError(HarnessError, ValueError):
    """A ``given.snapshot`` file that is missing, not JSON, or not a snapshot this qbo-sim reads."""


def resolve_snapshot_path(value: str | None, scenario_path: str) -> str | None:
    """``value`` made relative to the folder of the scenario file (absolute paths kept)."""
    if not value:
        return None
    path = Path(value)
    if not path.is_absolute():
        path = Path(scenario_path).parent / path
    return str(path)


def read_snapshot(path: str) -> dict[str, Any]:
    """The snapshot document in ``path``; :class:`SnapshotFileError` if it cannot be one."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SnapshotFileError(f"snapshot file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SnapshotFileError(f"cannot read snapshot file {path}: {exc}") from None
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise SnapshotFileError(f"snapshot file {path} is not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise SnapshotFileError(f"snapshot file {path} is not a qbo-sim snapshot (not an object)")
    return doc


def load_into(sim: Simulator, doc: dict[str, Any], realm: str | None, path: str) -> str:
    """Import ``doc`` into ``sim`` and return the realm the scenario runs in."""
    try:
        realms: list[str] = sim.import_state(doc)
    except (ValueError, KeyError, TypeError) as exc:  # SnapshotError is a ValueError
        raise SnapshotFileError(f"snapshot file {path} cannot be loaded: {exc}") from None
    if realm is not None:
        if realm not in realms:
            listed = ", ".join(realms) or "none"
            raise SnapshotFileError(f"realm {realm} is not in {path} (it holds: {listed})")
        return realm
    if len(realms) != 1:
        listed = ", ".join(realms) or "none"
        raise SnapshotFileError(
            f"{path} holds {len(realms)} companies ({listed}): name one with given.realm"
        )
    return realms[0]


def check_given(data: Any, lines: LineMap, filename: str) -> None:
    """The checks the JSON Schema cannot make; raise :class:`ScenarioSchemaError` (file:line)."""
    given = data.get("given") if isinstance(data, dict) else None
    if not isinstance(given, dict):
        return
    problems: list[tuple[int, str]] = []
    if "snapshot" not in given:
        if "realm" in given:
            problems.append(
                (lines.line_of(("given", "realm")), "given.realm: only meaningful with snapshot")
            )
        if problems:
            raise ScenarioSchemaError(filename, problems)
        return
    line = lines.line_of(("given", "snapshot"))
    for key in _NOT_WITH_SNAPSHOT:
        if key in given:
            problems.append(
                (
                    lines.line_of(("given", key)),
                    f"given.{key}: cannot be combined with given.snapshot "
                    "(the snapshot is the company, Preferences included)",
                )
            )
    path = resolve_snapshot_path(given["snapshot"], filename)
    assert path is not None  # the schema requires a non-empty string
    realm = None if given.get("realm") is None else str(given["realm"])
    try:
        from qbo_sim import Simulator

        load_into(Simulator(), read_snapshot(path), realm, path)
    except SnapshotFileError as exc:
        problems.append((line, f"given.snapshot: {exc}"))
    if problems:
        raise ScenarioSchemaError(filename, sorted(problems))
