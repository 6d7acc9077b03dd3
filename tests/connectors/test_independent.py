"""The independent connector (``tests/connectors/independent/``, written from the docs only,
no code shared with ``qbo_sim.connectors``) passes every scenario of the library: a scenario
that fails it for a policy reason, not a bug, is a false positive to fix in the scenario."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario
from qbo_sim.scenarios import LIBRARY_DIR

PACKAGE = Path(__file__).with_name("independent")
SPEC = f"{PACKAGE / 'connector.py'}:make_integration"
ALL = sorted(LIBRARY_DIR.rglob("*.scenario.yaml"))


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(LIBRARY_DIR)))
def test_independent_connector_passes(path: Path) -> None:
    result = run_scenario(path, SPEC)
    assert result.passed and not result.failures, render(result)
    assert result.steps_run == result.steps_total
    assert result.integration == "independent"


def test_it_shares_no_code_with_the_bundled_connectors() -> None:
    for source in PACKAGE.glob("*.py"):
        tree = ast.parse(source.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith("qbo_sim"), f"{source.name} imports {name}"
