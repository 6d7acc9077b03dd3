"""The ``sample`` preset: placeholder until the sample company lands."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qbo_sim.operations import OpContext


def build(ctx: OpContext, seed: int) -> None:
    return None
