"""The ``expect`` step: a checkpoint where every listed expectation must hold.

A failed expectation is a verdict, not a crash: the scenario goes on (later steps, later
checks, the invariants) so that one report shows every failure."""

from __future__ import annotations

from typing import Any

from qbo_sim.harness.context import RunContext, StepFailed
from qbo_sim.harness.expectations import evaluate
from qbo_sim.harness.model import Step


def expect(ctx: RunContext, step: Step) -> None:
    failures = []
    with ctx.statuses_read(_status_records(step.params)):  # one request for the checkpoint
        for index, exp in enumerate(step.params):
            line = step.item_lines[index] if index < len(step.item_lines) else step.line
            for failure in evaluate(ctx, exp):
                failure.line = line
                failure.where = f"{step.label}, expectation {index + 1}"
                failures.append(failure)
    if failures:
        raise StepFailed(failures, fatal=False)


def _status_records(expectations: list[Any]) -> list[tuple[str, str]]:
    """The records the ``status`` expectations name literally (a ``$`` reference is resolved
    by its own check)."""
    found = []
    for exp in expectations:
        spec = exp.get("status") if isinstance(exp, dict) else None
        if isinstance(spec, dict):
            kind, key = spec.get("kind"), spec.get("key")
            if isinstance(kind, str) and isinstance(key, str) and "$" not in kind + key:
                found.append((kind, key))
    return found
