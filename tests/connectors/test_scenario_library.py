"""The scenario library against the example connectors.

- the reference connector passes every scenario under ``scenarios/`` in-process, and the
  whole library as a JSON-lines subprocess (webhooks, inbound and two companies included);
- the naive connector fails every scenario (each targets a failure mode), with a report that
  names the scenario file and line, and still passes a pure happy path.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario
from qbo_sim.scenarios import LIBRARY_DIR

ROOT = Path(__file__).resolve().parents[2]
ALL = sorted((LIBRARY_DIR).rglob("*.scenario.yaml"))
ARTICLE = sorted((LIBRARY_DIR / "article").glob("*.scenario.yaml"))
#: run as a JSON-lines subprocess too: the whole library (webhooks arrive as protocol
#: messages, given.companies as connection.companies, inbound as a request)
OVER_JSON_LINES = ALL
REFERENCE = "qbo_sim.connectors.fieldservice_sync:make_integration"
NAIVE = "qbo_sim.connectors.naive_sync:make_integration"
SUBPROCESS = f"cmd:{sys.executable} -m qbo_sim.connectors.fieldservice_sync"

#: Scenarios the naive connector may pass: only pure happy paths. There are none in the
#: library: every scenario reproduces a failure mode (see examples/README.md).
NAIVE_MAY_PASS: frozenset[str] = frozenset()

#: scenario → (line of the first failing expectation, text its report shows) for naive.
NAIVE_FIRST_FAILURE = {
    "character_limits": (28, "expected: failed, error code 2050"),
    "connector_outage": (27, "expected: pending"),
    "expense_gl_account_inactive": (28, "expected: failed, error code 610"),
    "inactive_class_or_item": (32, "expected: failed, error code 610"),
    "invoice_deleted_in_qbo": (35, "expected: failed, error code 610"),
    "invoice_moved_in_qbo": (30, "expected: failed, error code 620"),
    "item_account_wrong_type": (25, "expected: failed, error code 6430"),
    "payment_already_in_qbo": (25, "expected: failed, error code 6000"),
    "payment_issues": (29, "expected: pending"),
    "property_duplicate_name": (23, "expected: failed, error code 6240"),
    "receipt_deleted_and_recreated": (45, "it still points at QBO id 1"),
    "receipt_duplicate_vendor_doc_number": (41, "it points at QBO id none"),
    "ambiguous_payment_create": (26, "the integration reports none"),
    "expired_access_token": (25, "expected: at most 1 request(s)"),
    "stale_synctoken": (45, "PrivateNote"),
    "throttled_backoff": (55, "returned 10 row(s)"),
    "closed_books": (27, "expected: failed, error code 6210"),
    "partial_payments_same_reference": (31, "Balance=0 (expected 50)"),
    "existing_customer_is_linked": (18, "it points at QBO id none"),
    "lost_answer_does_not_duplicate": (17, "the integration reports none"),
    "ticket_invoice_1042_deleted": (24, "it points at QBO id none"),
    "ticket_payment_invoice_already_paid": (25, "it points at QBO id none"),
    # census/: failure classes from the failure census (docs in each scenario's description)
    "invalid_email": (23, "expected: failed, error code 2210"),
    "invalid_property_2010": (31, "expected: failed or pending, error code 2010"),
    "invoice_number_collision": (37, "expected: failed, error code 6140"),
    "item_inactive_2500": (31, "expected: failed, error code 2500"),
    "job_depth_limit": (40, "expected: failed, error code 6180"),
    "line_amount_6070": (28, "expected: failed, error code 6070"),
    "query_errors": (27, "it points at QBO id none"),
    "subscription_lapsed": (27, "expected: failed or pending, error code 6190"),
    "unexpected_internal_error": (48, "the integration reports none"),
    "customer_merged_in_qbo": (44, "the integration reports none"),
    "sub_customer_parent_kept": (30, "Job=false (expected true)"),
    "cdc_lookback_30_days": (33, "the integration has no inbound(kind, key)"),
    "duplicate_name_lowercase_envelope": (33, "expected: failed, error code 6240"),
    "throttled_legacy_403": (60, "SELECT * FROM Customer returned 2 row(s)"),
    # webhooks/: QBO-side changes notified late, twice, out of order or never
    "customer_renamed_events_reordered": (33, "the integration has no inbound(kind, key)"),
    "dropped_notification_reconciled": (28, "the integration has no inbound(kind, key)"),
    "payment_recorded_in_qbo": (34, "the integration has no inbound(kind, key)"),
    "stale_events_after_delete": (34, "the integration has no inbound(kind, key)"),
    # multicompany/: one integration, two QBO companies
    "two_companies_interleaved": (36, "it points at QBO id none, not 1"),
    "dropped_connections": (27, "the integration reports none"),
    "field_deletes_reach_qbo": (37, "expected: 0 row(s)"),
    "invoice_number_of_another_customer": (48, "expected: 1 row(s)"),
    "lookup_past_first_page": (23, "the integration reports none"),
    "name_taken_by_a_vendor": (24, "expected: failed, error code 6240"),
    "partial_payment_recorded_in_qbo": (35, "expected: pending"),
    "payment_in_wrong_currency": (27, 'CurrencyRef.value="USD" (expected "EUR")'),
    "qbo_user_edits_between_passes": (37, 'DisplayName="Acme Facilities"'),
    "refresh_token_dead": (21, "expected: failed"),
    "refresh_token_rotation": (28, "expected: at most 1 request(s)"),
    "server_errors_request_budget": (23, "expected: pending"),
    "special_characters_in_names": (27, "expected: synced, qbo id 1"),
    # attachments/: job paperwork, files on invoices and invoices e-mailed (issue 16)
    "upload_retried_without_duplicate": (41, "still pending: attachment 'PHOTO-1'"),
    "invoice_emailed_once": (40, "expected: 1 message(s) to board@harborview.example"),
    "refused_file_surfaced": (40, "still pending: attachment 'TOOL'"),
    # tax/: sales tax QBO computes (issue 17)
    "invoice_tax_computed_differently": (37, "expected: failed, error code TOTAL_MISMATCH"),
    "tax_code_inactive_in_qbo": (36, "expected: failed, error code 2500"),
    # books/: what the bookkeeper's reports and stock show (issue 18)
    "payment_closes_invoice_in_aging": (27, "expected: 1 row(s)"),
    "parts_invoiced_twice": (48, "QtyOnHand=2 (expected 0)"),
}


def stem(path: Path) -> str:
    return path.name.removesuffix(".scenario.yaml")


def test_library_covers_every_article_section_and_the_operations() -> None:
    sources = {stem(p): (ROOT / p).read_text() for p in ALL}
    for section in range(1, 11):
        assert any(f"§{section} " in text for text in sources.values()), f"article §{section}"
    operations = {stem(p) for p in (LIBRARY_DIR / "operations").glob("*.scenario.yaml")}
    assert operations == {
        "expired_access_token",
        "throttled_backoff",
        "ambiguous_payment_create",
        "stale_synctoken",
        "closed_books",
        "partial_payments_same_reference",
    }
    assert {stem(p) for p in ALL} == set(NAIVE_FIRST_FAILURE)


@pytest.mark.parametrize("path", ALL, ids=stem)
def test_reference_connector_passes_in_process(path: Path) -> None:
    result = run_scenario(path, REFERENCE)
    assert result.passed and not result.failures, render(result)
    assert result.steps_run == result.steps_total
    assert result.integration == "fieldservice-sync"


@pytest.mark.parametrize("path", OVER_JSON_LINES, ids=stem)
def test_reference_connector_passes_as_subprocess(path: Path) -> None:
    result = run_scenario(path, SUBPROCESS)
    assert result.passed and not result.failures, render(result)
    assert result.integration == "fieldservice-sync"


@pytest.mark.parametrize("path", ALL, ids=stem)
def test_naive_connector_fails_with_a_readable_report(path: Path) -> None:
    result = run_scenario(path, NAIVE)
    if stem(path) in NAIVE_MAY_PASS:
        assert not result.failed, render(result)
        return
    assert result.failed, f"the naive connector passed {path.name}: the scenario catches nothing"
    line, text = NAIVE_FIRST_FAILURE[stem(path)]
    report = render(result)
    assert f"{path}:{line}: step" in report, report
    assert text in report and "observed:" in report, report
    assert "why:" in report or "because:" in report, report
    assert f"reproduce: qbo-sim scenarios run {path} --integration {NAIVE}" in report


HAPPY_PATH = """\
name: happy path
description: a customer, an item, an invoice and its payment, nothing goes wrong
given:
  preset: empty
  seed: 9
  qbo:
    - {action: create, entity: Account, body: {Name: Service Income, AccountType: Income}}
steps:
  - apply:
      - {kind: customer, key: C1, data: {name: Quiet Street Cafe}}
      - {kind: item, key: I1, data: {name: Espresso Service, income_account: Service Income}}
      - kind: invoice
        key: "9001"
        data: {number: "9001", customer: C1, lines: [{item: I1, amount: 150}]}
  - sync: {}
  - apply: {kind: payment, key: P1, data: {invoice: "9001", amount: 150, reference_number: CHK-1}}
  - sync: {}
  - expect:
      - status: {kind: invoice, key: "9001", is: synced}
      - status: {kind: payment, key: P1, is: synced}
      - query: "SELECT * FROM Invoice WHERE DocNumber = '9001'"
        count: 1
        fields: {Balance: 0, Id: $record.invoice.9001.qbo_id}
"""


@pytest.mark.parametrize("spec", [NAIVE, REFERENCE])
def test_both_connectors_work_on_the_happy_path(tmp_path: Path, spec: str) -> None:
    path = tmp_path / "happy.scenario.yaml"
    path.write_text(HAPPY_PATH)
    result = run_scenario(path, spec)
    assert result.passed and not result.failed, render(result)
