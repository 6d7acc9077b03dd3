"""Step kinds: one function per scenario keyword, ``run(ctx, step)``.

``STEP_RUNNERS`` is the registry; its keys are exactly the schema's step keywords.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qbo_sim.harness.context import RunContext
from qbo_sim.harness.model import Step
from qbo_sim.harness.steps import expect, qbo, records

STEP_RUNNERS: dict[str, Callable[[RunContext, Step], Any]] = {
    "apply": records.apply,
    "sync": records.sync,
    "qbo_user": qbo.qbo_user_step,
    "advance_clock": qbo.advance_clock,
    "inject": qbo.inject,
    "outage": qbo.outage,
    "operate": records.operate,
    "expect": expect.expect,
    "deliver_webhooks": qbo.deliver_webhooks,
}


def run_step(ctx: RunContext, step: Step) -> None:
    if step.id:
        ctx.step_seqs[step.id] = ctx.sim.journal.last_seq()
    STEP_RUNNERS[step.kind](ctx, step)
