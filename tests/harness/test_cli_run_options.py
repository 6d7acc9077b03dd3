"""``qbo-sim scenarios run``'s user interface: ``[n/N]`` progress with times, the closing
``N passed, M failed`` line, ``-k``/``--tag`` selection, a reproducible random order,
``--junitxml``, the integration's stderr prefixed with its scenario, and schema errors that
name the keyword a typo meant."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from qbo_sim.cli import main
from qbo_sim.harness.errors import ScenarioSchemaError
from qbo_sim.harness.model import parse_scenario
from qbo_sim.harness.session import stderr_prefixed
from qbo_sim.scenarios import LIBRARY_DIR

INTEGRATION = str(Path(__file__).with_name("minimal_integration.py"))
ARTICLE = LIBRARY_DIR / "article"
THREE = [
    str(ARTICLE / f"{name}.scenario.yaml")
    for name in (
        "invoice_deleted_in_qbo",
        "payment_already_in_qbo",
        "receipt_duplicate_vendor_doc_number",
    )
]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["scenarios", "run", *args])
    return result.exit_code, result.output


def _order(output: str) -> list[str]:
    return re.findall(r"^\[\d+/\d+\] PASSED (\S+):", output, re.M)


def test_progress_lines_count_and_time_each_scenario() -> None:
    code, out = _run(*THREE, "-i", f"{INTEGRATION}:minimal")
    assert code == 0, out
    lines = [line for line in out.splitlines() if line.startswith("[")]
    assert [line.split("]")[0] + "]" for line in lines] == ["[1/3]", "[2/3]", "[3/3]"]
    assert all(re.search(r" \(\d+\.\d\d s\)$", line) for line in lines), lines
    assert out.splitlines()[-1] == "3 passed, 0 failed"


def test_a_failing_scenario_is_counted_in_the_closing_line() -> None:
    code, out = _run(*THREE, "-i", f"{INTEGRATION}:broken")
    assert code == 1
    assert out.splitlines()[-1] == "0 passed, 3 failed"
    assert re.search(r"^\[1/3\] FAILED ", out, re.M)
    assert re.search(r"^  took \d+\.\d\d s$", out, re.M)


def test_keyword_and_tag_select_scenarios() -> None:
    code, out = _run(*THREE, "-i", f"{INTEGRATION}:minimal", "-k", "payment")
    assert code == 0, out
    assert _order(out) == [THREE[1]]
    code, out = _run(*THREE, "-i", f"{INTEGRATION}:minimal", "-k", "not payment")
    assert _order(out) == [THREE[0], THREE[2]]
    code, out = _run(*THREE, "-i", f"{INTEGRATION}:minimal", "--tag", "no-such-tag")
    assert code == 2
    assert "no scenario of 3 matches -k/--tag" in out


def test_tags_are_read_from_the_scenario_file() -> None:
    tags = parse_scenario(Path(THREE[0]).read_text(encoding="utf-8")).tags
    assert tags, "the library's scenarios carry tags"
    code, out = _run(*THREE, "-i", f"{INTEGRATION}:minimal", "--tag", tags[0])
    assert code == 0
    assert THREE[0] in _order(out)


def test_random_order_prints_its_seed_and_the_seed_reproduces_it() -> None:
    code, out = _run(*THREE, "-i", f"{INTEGRATION}:minimal", "--random-order")
    assert code == 0, out
    seed = re.search(r"^random order, seed (\d+) \(repeat it with --seed \1\)$", out, re.M)
    assert seed
    again = _run(*THREE, "-i", f"{INTEGRATION}:minimal", "--seed", seed.group(1))[1]
    assert _order(again) == _order(out)
    orders = {tuple(_order(_run(*THREE, "-i", f"{INTEGRATION}:minimal", "--seed", str(s))[1]))
              for s in range(8)}  # fmt: skip
    assert len(orders) > 1, "different seeds give different orders"
    assert all(sorted(order) == sorted(THREE) for order in orders)


def test_junitxml_has_one_testcase_per_scenario_and_the_report_as_failure(tmp_path: Path) -> None:
    report = tmp_path / "out" / "scenarios.xml"
    code, _ = _run(THREE[1], THREE[2], "-i", f"{INTEGRATION}:broken", "--junitxml", str(report))
    assert code == 1
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "2")
    cases = suite.findall("testcase")
    assert [c.get("file") for c in cases] == [THREE[1], THREE[2]]
    assert all(c.get("classname") == "article" for c in cases)
    failure = cases[0].find("failure")
    assert failure is not None and "reproduce: qbo-sim scenarios run" in (failure.text or "")


def test_in_process_integration_stderr_is_prefixed_with_the_scenario(capsys) -> None:
    with stderr_prefixed("invoice_deleted_in_qbo"):
        sys.stderr.write("refreshing token\nretrying ")
        sys.stderr.write("in 2 s\n")
    assert capsys.readouterr().err == (
        "[invoice_deleted_in_qbo] refreshing token\n[invoice_deleted_in_qbo] retrying in 2 s\n"
    )


def test_schema_errors_name_the_keyword_a_typo_meant() -> None:
    text = (
        "name: typo\nsteps:\n  - synch: {}\n  - expect:\n"
        "      - status: {kind: invoice, key: '1', is: failed, erorr_code: '610'}\n"
    )
    try:
        parse_scenario(text, "typo.scenario.yaml")
    except ScenarioSchemaError as exc:
        problems = exc.problems
    else:  # pragma: no cover - the assertion below reports it
        problems = []
    assert (3, "steps[0]: expected exactly one of: apply, sync, qbo_user, advance_clock, "
               "inject, outage, operate, expect, deliver_webhooks; 'synch': did you mean "
               "'sync'?") in problems  # fmt: skip
    assert (5, "steps[1].expect[0].status: unknown key 'erorr_code': did you mean "
               "'error_code'?") in problems  # fmt: skip


def test_error_codes_may_be_written_as_numbers() -> None:
    scenario = parse_scenario(
        "name: numbers\nsteps:\n  - sync: {}\n  - expect:\n"
        "      - status: {kind: invoice, key: '1', is: failed, error_code: 6000}\n"
        "      - {requests: {method: POST, status: 400, fault_code: 6140}, count: 1}\n"
    )
    assert scenario.steps


LEAKY = """
import sys
sys.path.insert(0, {here!r})
from minimal_integration import MinimalIntegration

SEEN = []  # module-level state: what a process-wide cache of QBO ids looks like


class Leaky(MinimalIntegration):
    def connect(self, connection):
        SEEN.append(connection.realm_id)
        if len(SEEN) > 1:
            raise RuntimeError(f"ids cached from realm {{SEEN[0]}} reused")
        super().connect(connection)


def make():
    return Leaky()
"""


def test_jobs_run_each_scenario_in_a_fresh_process(tmp_path: Path) -> None:
    # Two copies, so the second run starts from an unused module, as a new command would.
    leaky, isolated = tmp_path / "leaky_one.py", tmp_path / "leaky_two.py"
    for path in (leaky, isolated):
        path.write_text(LEAKY.format(here=str(Path(__file__).parent)), encoding="utf-8")
    code, out = _run(*THREE[:2], "-i", f"{leaky}:make")
    assert code == 1, "in one process, the module-level state leaks into the second scenario"
    assert out.splitlines()[-1] == "1 passed, 1 failed"
    code, out = _run(*THREE[:2], "-i", f"{isolated}:make", "--jobs", "2")
    assert code == 0, out
    assert out.splitlines()[-1] == "2 passed, 0 failed"
    assert sorted(_order(out)) == sorted(THREE[:2])


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("cmd:no-such-program-qbo --x", "cannot find the program 'no-such-program-qbo'"),
        ("cmd:", "needs a command line"),
        ("cmd:node 'unclosed", "is not a command line"),
    ],
)
def test_a_cmd_integration_that_cannot_start_exits_2_once(spec: str, says: str) -> None:
    code, out = _run(*THREE, "-i", spec)
    assert code == 2, out
    assert says in out and "PASSED" not in out and "FAILED" not in out
