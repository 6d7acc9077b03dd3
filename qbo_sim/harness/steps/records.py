"""Steps that talk to the integration: ``apply``, ``sync`` and ``operate``."""

from __future__ import annotations

import copy
from typing import Any

from qbo_sim.harness.context import Failure, RunContext, StepFailed
from qbo_sim.harness.errors import StepError
from qbo_sim.harness.model import Step
from qbo_sim.harness.schema import record_problems

DEFAULT_MAX_PASSES = 10
DEFAULT_INTERVAL_SECONDS = 60.0


def _driver(ctx: RunContext) -> Any:
    assert ctx.driver is not None
    return ctx.driver


def apply(ctx: RunContext, step: Step) -> None:
    changes = step.params if isinstance(step.params, list) else [step.params]
    for raw in changes:
        change = ctx.resolve(copy.deepcopy(raw))
        change.setdefault("action", "upsert")
        problems = record_problems(change)
        if problems:
            raise StepError(
                "invalid record change after resolving references: " + "; ".join(problems)
            )
        ctx.records[(change["kind"], change["key"])] = change
        _driver(ctx).call("apply", change)


def waiting(ctx: RunContext, kind: str, key: str) -> bool:
    """An unposted payment is not expected to sync (article §7), so it never blocks."""
    change = ctx.records.get((kind, key)) or {}
    return kind == "payment" and (change.get("data") or {}).get("posted") is False


def pending_records(ctx: RunContext) -> list[str]:
    asked = [(kind, key) for kind, key in ctx.records if not waiting(ctx, kind, key)]
    return [
        f"{kind} {key!r} ({status.describe()})"
        for (kind, key), status in zip(asked, ctx.statuses(asked), strict=True)
        if status.state == "pending"
    ]


def sync(ctx: RunContext, step: Step) -> None:
    params = step.params or {}
    if not params.get("until_settled"):
        _driver(ctx).call("sync")
        return
    max_passes = int(params.get("max_passes", DEFAULT_MAX_PASSES))
    interval = float(params.get("interval_seconds", DEFAULT_INTERVAL_SECONDS))
    pending: list[str] = []
    for done in range(1, max_passes + 1):
        _driver(ctx).call("sync")
        pending = pending_records(ctx)
        if not pending:
            return
        if done < max_passes:
            ctx.sim.clock.advance(interval)
    raise StepFailed(
        [
            Failure(
                line=step.line,
                where=step.label,
                title=f"records did not settle within {max_passes} sync passes",
                expected="no record pending",
                observed="still pending: " + "; ".join(pending),
                reason="the integration kept these records pending (neither synced, failed "
                "with an error, nor bypassed)",
            )
        ],
        fatal=False,
    )


def operate(ctx: RunContext, step: Step) -> None:
    params = ctx.resolve(copy.deepcopy(step.params))
    kind, key, action = params["kind"], params["key"], params["action"]
    extra = params.get("params") or {}
    when = params.get("when_state")
    if when is not None:  # the operator acts only on a record that needs it
        states = [when] if isinstance(when, str) else list(when)
        if ctx.status(kind, key).state not in states:
            return
    _driver(ctx).call("operate", action, kind, key, **extra)
    if action == "send":  # the invariants allow as many e-mails as were asked for
        ctx.sends[str(key)] = ctx.sends.get(str(key), 0) + 1
    change = ctx.records.get((kind, key))
    if change is not None:
        data = change.setdefault("data", {})
        if action == "edit":
            data.update(extra.get("fields") or {})
        elif action == "post_payment":
            data["posted"] = True
