"""Verdicts you can trust: a failed expectation does not hide the rest, and query
expectations read every page."""

from __future__ import annotations

from pathlib import Path

from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario

REFERENCE = "qbo_sim.connectors.fieldservice_sync:make_integration"

TWO_FAILURES = """\
name: two wrong expectations, then a step and a right one
given: {preset: empty, seed: 5}
steps:
  - apply: {kind: customer, key: C1, data: {name: Quiet Street Cafe}}
  - sync: {}
  - expect:
      - query: "SELECT * FROM Customer"
        count: 2
  - apply: {kind: customer, key: C2, data: {name: Loud Street Cafe}}
  - sync: {}
  - expect:
      - status: {kind: customer, key: C2, is: failed}
      - query: "SELECT * FROM Customer"
        count: 2
"""


def test_a_failed_expectation_does_not_stop_the_scenario(tmp_path: Path) -> None:
    path = tmp_path / "two.scenario.yaml"
    path.write_text(TWO_FAILURES)
    result = run_scenario(path, REFERENCE)
    report = render(result)
    assert result.failed and not result.passed
    assert result.steps_run == result.steps_total == 6, report
    assert [f.line for f in result.failures] == [7, 12], report
    assert f"{path}:7: step 3 (expect), expectation 1" in report
    assert f"{path}:12: step 6 (expect), expectation 1" in report
    assert "returned 1 row(s)" in report  # the first expect failed
    assert "expectation 2" not in report  # the second query (2 customers) held after the steps ran


def test_a_step_that_cannot_run_still_stops_the_scenario(tmp_path: Path) -> None:
    path = tmp_path / "stop.scenario.yaml"
    path.write_text(
        "name: unknown alias\ngiven: {preset: empty, seed: 5}\nsteps:\n"
        "  - qbo_user: {action: delete, entity: Invoice, id: $qbo.nothing.Id}\n"
        '  - expect:\n      - query: "SELECT * FROM Customer"\n        count: 7\n'
    )
    result = run_scenario(path, REFERENCE)
    assert result.failed and result.steps_run == 1, render(result)
    assert len(result.failures) == 1 and "could not run" in result.failures[0].title


MANY_CUSTOMERS = """\
name: 105 customers, more than one page of a query
given:
  preset: empty
  seed: 6
  qbo:
{creates}
steps:
  - expect:
      - query: "SELECT * FROM Customer"
        count: 105
      - query: "SELECT * FROM Customer WHERE Active = true"
        count: 105
        fields: {{Active: true}}
      - query: "SELECT COUNT(*) FROM Customer"
        count: 105
      - query: "SELECT * FROM Customer MAXRESULTS 10"
        count: 10
"""


def test_query_expectations_read_every_page(tmp_path: Path) -> None:
    creates = "\n".join(
        f"    - {{action: create, entity: Customer, body: {{DisplayName: Tenant {n:03}}}}}"
        for n in range(105)
    )
    path = tmp_path / "many.scenario.yaml"
    path.write_text(MANY_CUSTOMERS.format(creates=creates))
    result = run_scenario(path, REFERENCE)
    assert result.passed and not result.failures, render(result)
    wrong = MANY_CUSTOMERS.replace("count: 105\n        fields", "count: 104\n        fields")
    path.write_text(wrong.format(creates=creates))
    result = run_scenario(path, REFERENCE)
    assert [f.title for f in result.failures] == [
        "SELECT * FROM Customer WHERE Active = true returned 105 row(s)"
    ], render(result)


BULK = """\
name: a QBO user creates 1005 customers in one given action
given:
  preset: empty
  seed: 7
  qbo:
    - {action: create, entity: Customer, count: 1005, alias: last,
       body: {DisplayName: "Tenant {n:4}", CompanyName: "Tenant {n}"}}
steps:
  - expect:
      - query: "SELECT * FROM Customer"
        count: 1005
      - query: "SELECT * FROM Customer WHERE DisplayName = 'Tenant 0007'"
        count: 1
        fields: {CompanyName: Tenant 7}
      - qbo_entity: {entity: Customer, id: $qbo.last.Id}
        fields: {DisplayName: Tenant 1005}
"""


def test_a_qbo_user_create_with_count_creates_numbered_entities(tmp_path: Path) -> None:
    path = tmp_path / "bulk.scenario.yaml"
    path.write_text(BULK)
    result = run_scenario(path, REFERENCE)
    assert result.passed and not result.failures, render(result)


ANOTHER_RECORDS_WRITE = """\
name: one create unanswered for a whole pass, another customer's create follows on that path
given: {preset: empty, seed: 8}
steps:
  - id: errors
    inject: {fault: http_500, entity: Customer, operation: create, times: 4}
  - apply:
      - {kind: customer, key: C1, data: {name: First Street Cafe}}
      - {kind: customer, key: C2, data: {name: Second Street Cafe}}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - retries_reuse_requestid: true
        since: errors
"""


def test_another_records_write_to_the_same_path_is_not_a_retry(tmp_path: Path) -> None:
    """C1's create is answered 500 four times; C2's create (another body, another requestid)
    comes next on /customer and is not C1's retry. C1's retry on the next pass is, and
    reuses its requestid."""
    path = tmp_path / "other.scenario.yaml"
    path.write_text(ANOTHER_RECORDS_WRITE)
    result = run_scenario(path, REFERENCE)
    assert result.passed and not result.failures, render(result)
