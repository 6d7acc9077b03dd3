"""The ``expect`` step: a checkpoint where every listed expectation must hold.

A failed expectation is a verdict, not a crash: the scenario goes on (later steps, later
checks, the invariants) so that one report shows every failure."""

from __future__ import annotations

from qbo_sim.harness.context import RunContext, StepFailed
from qbo_sim.harness.expectations import evaluate
from qbo_sim.harness.model import Step


def expect(ctx: RunContext, step: Step) -> None:
    failures = []
    for index, exp in enumerate(step.params):
        line = step.item_lines[index] if index < len(step.item_lines) else step.line
        for failure in evaluate(ctx, exp):
            failure.line = line
            failure.where = f"{step.label}, expectation {index + 1}"
            failures.append(failure)
    if failures:
        raise StepFailed(failures, fatal=False)
