"""A run's every line both ways, checked against the protocol schema: shared by
tests/harness/test_protocol.py (the Python adapter) and tests/connectors/test_node_example.py
(the Node helper)."""

from __future__ import annotations

import json
from pathlib import Path

from qbo_sim.harness.jsonlines import SubprocessIntegration, retire, spawn
from qbo_sim.harness.protocol import problem_with
from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario
from qbo_sim.scenarios import LIBRARY_DIR

#: scenarios whose runs use every message: webhooks and inbound, two companies, the clock
#: (sleep on throttling), operator actions.
TRANSCRIBED = [
    LIBRARY_DIR / "webhooks" / "payment_recorded_in_qbo.scenario.yaml",
    LIBRARY_DIR / "multicompany" / "two_companies_interleaved.scenario.yaml",
    LIBRARY_DIR / "operations" / "throttled_backoff.scenario.yaml",
    LIBRARY_DIR / "article" / "invoice_deleted_in_qbo.scenario.yaml",
]


def transcribe(command: str, paths: list[Path]) -> list[tuple[str, str]]:
    """Every line both ways of running ``paths`` against ``command``, one process for all
    (it declares reuse: ``reset`` and the leak check between scenarios), from ``hello`` to
    ``close``; each scenario must pass."""
    lines: list[tuple[str, str]] = []
    served: list[SubprocessIntegration] = []

    def factory() -> SubprocessIntegration:
        made = spawn(command) if served else SubprocessIntegration(command, transcript=lines)
        served.append(made)
        return made

    try:
        for path in paths:
            result = run_scenario(path, factory)
            assert result.passed, render(result)
    finally:
        retire(command)
    assert all(one is served[0] for one in served), "the process was not reused"
    assert served[0].scenarios == len(paths)
    return lines


def assert_transcript_follows_schema(lines: list[tuple[str, str]]) -> set[str]:
    """Each harness line is a harness_message, each integration line that starts with "{"
    an integration_message; returns the methods seen (both ways)."""
    methods: set[str] = set()
    for side, line in lines:
        if side == "integration" and not line.lstrip().startswith("{"):
            continue
        message = json.loads(line)
        definition = "harness_message" if side == "harness" else "integration_message"
        assert problem_with(message, (definition,)) is None, (side, line)
        if "method" in message:
            methods.add(message["method"])
    return methods
