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
line of the alias). The load-time half lives in :mod:`qbo_sim.harness.given_checks` (below the
scenario model, which runs it) and is re-exported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qbo_sim.harness.given_checks import (
    SnapshotFileError,
    check_given,
    load_into,
    read_snapshot,
    resolve_snapshot_path,
)

__all__ = [
    "SnapshotFileError",
    "check_given",
    "load_into",
    "new_company_from_snapshot",
    "read_snapshot",
    "resolve_aliases",
    "resolve_snapshot_path",
]

if TYPE_CHECKING:
    from qbo_sim.harness.context import RunContext
    from qbo_sim.harness.model import Given


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
