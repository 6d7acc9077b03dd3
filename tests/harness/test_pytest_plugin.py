"""The pytest plugin, through pytester: off by default, scenario files as items when enabled,
readable failures, JUnit XML through pytest's own --junitxml."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from qbo_sim.scenarios import LIBRARY_DIR

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
INTEGRATION = str(Path(__file__).with_name("minimal_integration.py"))


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    target = pytester.path / "scenarios"
    target.mkdir()
    for name in (
        "invoice_deleted_in_qbo",
        "payment_already_in_qbo",
        "receipt_duplicate_vendor_doc_number",
    ):  # the minimal integration's examples
        shutil.copy(LIBRARY_DIR / "article" / f"{name}.scenario.yaml", target)
    pytester.makepyfile(test_plain="def test_ordinary():\n    assert 1 + 1 == 2\n")
    return pytester


def test_plugin_does_nothing_unless_enabled(project: pytest.Pytester) -> None:
    result = project.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)  # only the ordinary test; no scenario items


def test_minimal_integration_passes_every_scenario(project: pytest.Pytester) -> None:
    result = project.runpytest("--qbo-integration", f"{INTEGRATION}:minimal", "scenarios")
    result.assert_outcomes(passed=3)


def test_broken_integration_fails_with_file_line_report_and_junit(
    project: pytest.Pytester,
) -> None:
    junit = project.path / "junit.xml"
    result = project.runpytest(
        "--qbo-integration", f"{INTEGRATION}:broken", f"--junitxml={junit}", "scenarios"
    )
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(
        [
            "*scenarios/invoice_deleted_in_qbo.scenario.yaml:35: step 7 (expect)*",
            "*expected: failed, error code 610*",
            "*reproduce: qbo-sim scenarios run scenarios/invoice_deleted_in_qbo.scenario.yaml"
            f" --integration {INTEGRATION}:broken*",
        ]
    )
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "3"
    messages = [f.text or "" for f in suite.iter("failure")]
    assert any("expected: failed, error code 6140" in m for m in messages)


def test_ini_options_enable_and_restrict_collection(project: pytest.Pytester) -> None:
    project.makeini(
        f"[pytest]\nqbo_scenarios_integration = {INTEGRATION}:minimal\n"
        "qbo_scenarios_paths = scenarios\n"
    )
    (project.path / "elsewhere").mkdir()
    shutil.copy(
        LIBRARY_DIR / "selftest" / "existing_customer_is_linked.scenario.yaml",
        project.path / "elsewhere" / "x.scenario.yaml",
    )
    result = project.runpytest()
    result.assert_outcomes(passed=4)  # 3 scenarios + the ordinary test; elsewhere/ ignored


def test_paths_without_integration_only_validate(project: pytest.Pytester) -> None:
    (project.path / "scenarios" / "bad.scenario.yaml").write_text(
        "name: bad\nsteps:\n  - sync: {max_passes: 0}\n"
    )
    result = project.runpytest("--qbo-scenarios", "scenarios", "scenarios")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*bad.scenario.yaml:3: steps?0?.sync.max_passes: 0 is less*"])
