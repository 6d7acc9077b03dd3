"""``given.snapshot`` and ``given.aliases``: a scenario that starts from a saved company.

A support engineer freezes a customer's books with ``qbo-sim export`` (or
``sim.export_state``) and writes ``given: {snapshot: fixtures/acme-books.json}``; the scenario
then runs in that company (``given.realm``, or the file's only company). ``given.aliases``
finds entities of the company by QBO query (or Id) when the scenario starts, so steps say
``$qbo.invoice_1042.Id`` instead of a hard-coded id.

Load time (:func:`check_given`): the snapshot file must exist, be JSON and import into a
throwaway simulator; ``realm`` must name one of its companies. Every problem is a
:class:`ScenarioSchemaError` naming the scenario file and the line of ``given.snapshot``.
Run time: :func:`new_company_from_snapshot` and :func:`resolve_aliases` (failures name the
line of the alias).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qbo_sim.harness.errors import ScenarioSchemaError
from qbo_sim.harness.loader import LineMap

if TYPE_CHECKING:
    from qbo_sim.harness.context import RunContext
    from qbo_sim.harness.model import Given

#: given keys that a snapshot replaces (the snapshot holds the company and its Preferences).
_NOT_WITH_SNAPSHOT = ("preset", "preferences")


class SnapshotFileError(ValueError):
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


def load_into(sim: Any, doc: dict[str, Any], realm: str | None, path: str) -> str:
    """Import ``doc`` into ``sim`` and return the realm the scenario runs in."""
    try:
        realms = sim.import_state(doc)
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


def new_company_from_snapshot(given: Given) -> tuple[Any, str]:
    """A simulator on a frozen clock holding the snapshot's companies; the scenario's realm.

    Without ``given.start`` the snapshot's frozen clock is kept (its entities were written
    then); with it, the clock is set to ``start`` after the import. ``given.fidelity`` overrides
    the company's fidelity settings.
    """
    from qbo_sim import Clock, Simulator

    assert given.snapshot is not None
    sim = Simulator(
        seed=given.seed,
        clock=Clock(frozen_at=given.start),
        request_seconds=given.request_seconds,
    )
    realm = load_into(sim, read_snapshot(given.snapshot), given.realm, given.snapshot)
    if given.start_explicit:
        sim.clock.set(given.start)
    if given.fidelity:
        sim.set_fidelity(realm, dict(given.fidelity))
    return sim, realm


def resolve_aliases(ctx: RunContext) -> None:
    """Find each ``given.aliases`` entity in the company and remember it under its alias."""
    from qbo_sim.harness.context import Failure, StepFailed

    given = ctx.scenario.given
    for index, (alias, spec) in enumerate(given.aliases):
        line = given.alias_lines[index] if index < len(given.alias_lines) else 1
        entity = spec["entity"]
        if "query" in spec:
            how = f"query {spec['query']!r}"
            status, body = ctx.query(ctx.resolve(spec["query"]))
        else:
            how = f"{entity} Id {spec['id']}"
            status, body = ctx.read(entity, str(ctx.resolve(spec["id"])))
        rows = _rows(status, body, entity, "query" in spec)
        if isinstance(rows, list) and len(rows) == 1:
            ctx.aliases[alias] = rows[0]
            continue
        observed = rows if isinstance(rows, str) else f"{len(rows)} row(s)"
        raise StepFailed(
            [
                Failure(
                    line,
                    f"given.aliases.{alias}",
                    f"alias {alias}: {how} does not find exactly one {entity}",
                    f"exactly one {entity}",
                    observed,
                    "the scenario's aliases do not match the company it starts from",
                )
            ]
        )


def _rows(status: int, body: Any, entity: str, is_query: bool) -> list[Any] | str:
    """The entities an alias look-up returned, or a description of the error it got."""
    if status != 200 or not isinstance(body, dict):
        fault = (body.get("Fault") or {}).get("Error") if isinstance(body, dict) else None
        if fault:
            first = fault[0]
            return f"HTTP {status}, QBO fault {first.get('code')}: {first.get('Message')}"
        return f"HTTP {status}: {str(body)[:200]}"
    if is_query:
        return list((body.get("QueryResponse") or {}).get(entity) or [])
    return [body[entity]] if entity in body else []
