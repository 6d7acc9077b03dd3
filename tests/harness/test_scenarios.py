"""The harness against the example integrations: the minimal one passes every example
scenario, the broken one fails each with a readable report; in-process and as a subprocess."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario
from qbo_sim.scenarios import LIBRARY_DIR

ROOT = Path(__file__).resolve().parents[2]
SELFTESTS = sorted((LIBRARY_DIR / "selftest").glob("*.scenario.yaml"))
INTEGRATION = str(Path(__file__).with_name("minimal_integration.py"))
MINIMAL, BROKEN = f"{INTEGRATION}:minimal", f"{INTEGRATION}:broken"
SUBPROCESS = f"cmd:{sys.executable} {INTEGRATION}"

#: (scenario file, line of the failing expectation, text the report must show) for broken.
BROKEN_FAILURES = {
    "invoice_deleted_in_qbo.scenario.yaml": (35, "expected: failed, error code 610"),
    "payment_already_in_qbo.scenario.yaml": (25, "expected: failed, error code 6000"),
    "receipt_duplicate_vendor_doc_number.scenario.yaml": (41, "it points at QBO id none, not 1"),
}


#: The minimal integration's three example scenarios (the full library in scenarios/ is for
#: the reference connector in examples/, tested in tests/examples/).
ARTICLE = [LIBRARY_DIR / "article" / name for name in sorted(BROKEN_FAILURES)]


def test_the_three_example_scenarios_and_two_self_tests_exist() -> None:
    assert all(p.is_file() for p in ARTICLE)
    assert len(SELFTESTS) == 2


@pytest.mark.parametrize("path", ARTICLE, ids=lambda p: p.stem)
def test_minimal_integration_passes_in_process(path: Path) -> None:
    result = run_scenario(path, MINIMAL)
    assert result.passed, render(result)
    assert result.steps_run == result.steps_total and not result.failures


@pytest.mark.parametrize("path", ARTICLE, ids=lambda p: p.stem)
def test_broken_integration_fails_with_readable_report(path: Path) -> None:
    result = run_scenario(path, BROKEN)
    assert not result.passed and result.failed
    line, text = BROKEN_FAILURES[path.name]
    report = render(result)
    assert f"{path}:{line}: step" in report
    assert text in report and "observed:" in report and "why:" in report
    assert "API call(s):" in report and "/v3/company/" in report
    assert f"reproduce: qbo-sim scenarios run {path} --integration {BROKEN}" in report


@pytest.mark.parametrize("path", ARTICLE, ids=lambda p: p.stem)
def test_minimal_integration_passes_as_subprocess(path: Path) -> None:
    result = run_scenario(path, SUBPROCESS)
    assert result.passed, render(result)
    assert result.integration == "minimal"


def test_broken_integration_fails_as_subprocess() -> None:
    path = ARTICLE[0]
    result = run_scenario(path, SUBPROCESS + " --broken")
    assert result.integration == "broken" and not result.passed
    assert f"{path}:35:" in render(result)


@pytest.mark.parametrize("path", SELFTESTS, ids=lambda p: p.stem)
def test_negative_self_test_scenario_passes_only_by_failing_for_broken(path: Path) -> None:
    broken = run_scenario(path, BROKEN)
    assert broken.failed and broken.expected_failure and broken.passed
    minimal = run_scenario(path, MINIMAL)
    assert not minimal.failed and minimal.passed


def test_expect_failure_mode_fails_when_the_integration_is_good() -> None:
    result = run_scenario(ARTICLE[0], MINIMAL, expect_failure=True)
    assert not result.passed
    assert "scenario passed but must fail for minimal" in render(result)


def test_runs_are_deterministic() -> None:
    first = run_scenario(ARTICLE[1], MINIMAL)
    second = run_scenario(ARTICLE[1], MINIMAL)
    strip = [(e.method, e.path, e.status, e.requestid, e.time) for e in first.journal_tail]
    assert strip == [(e.method, e.path, e.status, e.requestid, e.time) for e in second.journal_tail]
