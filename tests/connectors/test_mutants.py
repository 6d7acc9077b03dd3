"""The mutation suite (issue 11): every mutant of the reference connector under ``mutants/``
is killed by a named library scenario, with an integration verdict (a failed expectation or
invariant, or the integration raising), never a harness or scenario error.

``docs/harness.md`` ("Bug classes the library is proven to catch") lists the same table;
a test keeps the two in step.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario
from qbo_sim.scenarios import LIBRARY_DIR
from tests.connectors.test_scenario_library import HAPPY_PATH  # the one happy path

MUTANTS = Path(__file__).with_name("mutants")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "harness.md"

#: mutant module → (bug class, the library scenario that kills it).
KILLED_BY: dict[str, tuple[str, str]] = {
    # paging and queries
    "list_first_page": (
        "lookup never pages past the first 100 rows",
        "sync/lookup_past_first_page",
    ),
    "list_one_page_of_1000": ("lookup never pages past 1000 rows", "sync/lookup_past_first_page"),
    "page_boundary_skips_row": (
        "off-by-one at the 1000-row page boundary",
        "sync/lookup_past_first_page",
    ),
    "empty_last_page_crash": (
        "off-by-one at exactly 1000 rows (empty last page)",
        "sync/lookup_past_first_page",
    ),
    "query_not_escaped": (
        "query values not escaped (apostrophe)",
        "sync/special_characters_in_names",
    ),
    "sql_style_escaping": (
        "query values escaped SQL-style ('')",
        "sync/special_characters_in_names",
    ),
    "backslash_not_escaped": (
        "backslash not escaped in queries",
        "sync/special_characters_in_names",
    ),
    # transport
    "write_drop_crashes": (
        "dropped connection or timeout on a write crashes the sync",
        "sync/dropped_connections",
    ),
    "read_drop_crashes": (
        "dropped connection on a read crashes the sync",
        "sync/dropped_connections",
    ),
    "retry_new_requestid": (
        "retried write duplicates (no same requestid)",
        "operations/ambiguous_payment_create",
    ),
    "no_requestid": ("no requestid on writes", "selftest/lost_answer_does_not_duplicate"),
    "new_requestid_each_pass": (
        "requestid not kept across passes",
        "sync/server_errors_request_budget",
    ),
    "hammer_5xx": ("5xx retried many times with no backoff", "sync/server_errors_request_budget"),
    "retry_429_immediately": ("429 retried immediately", "operations/throttled_backoff"),
    "throttle_fails_record": (
        "429 treated as a definitive failure",
        "operations/throttled_backoff",
    ),
    "legacy_throttle_refused": (
        "legacy 403 throttle (3001) treated as a definitive failure",
        "census/throttled_legacy_403",
    ),
    "outage_fails_record": ("outage treated as a definitive failure", "article/connector_outage"),
    # OAuth
    "rotation_ignored": ("refresh-token rotation ignored", "sync/refresh_token_rotation"),
    "dead_refresh_retried": (
        "dead refresh token retried for ever, not surfaced",
        "sync/refresh_token_dead",
    ),
    "no_refresh_on_401": ("access token never refreshed", "operations/expired_access_token"),
    # identity and linking
    "invoice_linked_by_docnumber": (
        "invoice linked by DocNumber alone (another customer's)",
        "sync/invoice_number_of_another_customer",
    ),
    "property_linked_by_name": (
        "duplicate property name linked to another customer's",
        "article/property_duplicate_name",
    ),
    "receipt_linked_by_docnumber": (
        "vendor document number duplicate linked as ours",
        "article/receipt_duplicate_vendor_doc_number",
    ),
    "payment_lookup_ignores_amount": (
        "payment look-up ignores the amount",
        "sync/partial_payment_recorded_in_qbo",
    ),
    "realm_cache_module_level": (
        "realm mix-up: ids cached across companies",
        "sync/lookup_past_first_page",
    ),
    # field-service deletes, QBO-user edits
    "field_deletes_ignored": (
        "deletes in the field-service app never reach QBO",
        "sync/field_deletes_reach_qbo",
    ),
    "transaction_delete_skipped": (
        "deleted/voided transactions never reach QBO",
        "sync/field_deletes_reach_qbo",
    ),
    "resend_all_fields": (
        "update reverts a QBO user's rename (stale full data)",
        "sync/qbo_user_edits_between_passes",
    ),
    "moved_invoice_moved_back": (
        "update moves a moved invoice back",
        "sync/qbo_user_edits_between_passes",
    ),
    # payments
    "payment_for_invoice_total": (
        "payment posted for the invoice total",
        "operations/partial_payments_same_reference",
    ),
    "unposted_payment_synced": ("unposted payment synced", "article/payment_issues"),
    "payer_from_qbo_invoice": (
        "payment credited to the moved invoice's customer",
        "article/invoice_moved_in_qbo",
    ),
    "bypass_ignored": (
        "payment against a paid invoice posted again after bypass",
        "article/payment_already_in_qbo",
    ),
    "payment_currency_dropped": (
        "currency mismatch hidden: payment resent without its currency",
        "sync/payment_in_wrong_currency",
    ),
    # errors
    "error_swallowed": (
        "error swallowed (marked synced on a fault)",
        "sync/name_taken_by_a_vendor",
    ),
    "error_code_lost": ("error code lost (generic message)", "article/inactive_class_or_item"),
    "lowercase_fault_unread": (
        "lower-case fault envelope not read (code lost)",
        "census/duplicate_name_lowercase_envelope",
    ),
    "batch_partial_as_success": (
        "batch partial failure read as all-success",
        "sync/name_taken_by_a_vendor",
    ),
    "name_truncated": ("over-long name truncated silently", "article/character_limits"),
    "dependency_not_retried": (
        "dependency failure not retried after the dependency syncs",
        "article/character_limits",
    ),
    "stale_synctoken_not_reread": (
        "stale SyncToken (5010) not re-read",
        "operations/stale_synctoken",
    ),
    "inactive_not_surfaced": ("inactive item/class not surfaced", "article/inactive_class_or_item"),
    # sales tax (issue 17)
    "total_mismatch_ignored": (
        "invoice total computed differently by QBO not compared",
        "tax/invoice_tax_computed_differently",
    ),
    "inactive_tax_code_dropped": (
        "inactive tax code worked around by dropping the tax",
        "tax/tax_code_inactive_in_qbo",
    ),
    "refid_reset_ignored": (
        "deleted invoice RefID reset ignored",
        "article/invoice_deleted_in_qbo",
    ),
    "item_update_drops_account": (
        "GL account mismatch: item update drops the account",
        "article/expense_gl_account_inactive",
    ),
    "closed_period_redated": (
        "closed period worked around by re-dating",
        "operations/closed_books",
    ),
    # job paperwork: attachments and e-mailed invoices (issue 16)
    "attachment_reupload_blind": (
        "attachment uploaded again on retry without looking (duplicate file)",
        "attachments/upload_retried_without_duplicate",
    ),
    "upload_fault_item_ignored": (
        "Fault inside the upload's 200 answer read as success (file lost)",
        "attachments/refused_file_surfaced",
    ),
    "send_every_pass": (
        "invoice e-mailed on every sync pass",
        "attachments/invoice_emailed_once",
    ),
    "resend_after_lost_answer": (
        "send repeated after a lost answer without checking the invoice",
        "attachments/invoice_emailed_once",
    ),
}

#: mutants whose bug needs state left in the process by an earlier scenario (a module-level
#: cache): this scenario runs first, in the same process, then the killing one.
PRIMER = {"realm_cache_module_level": "operations/closed_books"}

#: failure titles that are not an integration verdict (the scenario or harness broke).
NOT_A_VERDICT = (
    "the step could not run",
    "harness or simulator error",
    "could not load the integration",
    "was rejected",
    "query failed",
    "the snapshot could not be loaded",
)


def spec(mutant: str) -> str:
    return f"{MUTANTS / mutant}.py:make_integration"


def scenario_path(name: str) -> Path:
    return LIBRARY_DIR / f"{name}.scenario.yaml"


@pytest.mark.parametrize("mutant", ["field_deletes_ignored", "transaction_delete_skipped"])
def test_parts_invoiced_twice_show_up_as_negative_stock(mutant: str) -> None:
    """A connector that leaves the deleted invoice in QBO invoices the parts twice: QBO
    books it without an error, and the scenario sees the quantity on hand go negative."""
    result = run_scenario(scenario_path("books/parts_invoiced_twice"), spec(mutant))
    report = render(result)
    assert result.failed, report
    assert "QtyOnHand=-2 (expected 0)" in report, report


@pytest.mark.parametrize("mutant", sorted(KILLED_BY))
def test_the_library_kills_the_mutant(mutant: str) -> None:
    if mutant in PRIMER:
        primed = run_scenario(scenario_path(PRIMER[mutant]), spec(mutant))
        assert primed.passed, f"the primer must pass: {render(primed)}"
    result = run_scenario(scenario_path(KILLED_BY[mutant][1]), spec(mutant))
    report = render(result)
    assert result.failed, f"{mutant} survived {KILLED_BY[mutant][1]}"
    assert result.integration.startswith("mutant-"), report
    first = result.failures[0]  # later ones may follow from it (a QBO user's edit refused)
    assert not any(text in first.title for text in NOT_A_VERDICT), report
    assert first.where != "schema", report


@pytest.mark.parametrize("mutant", sorted(KILLED_BY))
def test_the_mutant_still_works_on_the_happy_path(tmp_path: Path, mutant: str) -> None:
    """One bug each, not a broken connector: every mutant syncs a plain day's work."""
    path = tmp_path / "happy.scenario.yaml"
    path.write_text(HAPPY_PATH)
    result = run_scenario(path, spec(mutant))
    assert result.passed and not result.failures, render(result)


def test_every_mutant_module_is_in_the_table() -> None:
    modules = {p.stem for p in MUTANTS.glob("*.py") if not p.stem.startswith("_")}
    assert modules == set(KILLED_BY)
    assert len(modules) >= 30
    for module in modules:
        text = (MUTANTS / f"{module}.py").read_text()
        assert "def make_integration" in text, module
        doc = ast.get_docstring(ast.parse(text)) or ""
        assert doc.startswith("Mutant, bug class"), module


def test_every_killing_scenario_is_in_the_library() -> None:
    for _, scenario in KILLED_BY.values():
        assert scenario_path(scenario).is_file(), scenario
    for scenario in PRIMER.values():
        assert scenario_path(scenario).is_file(), scenario


def test_the_docs_list_every_bug_class_with_its_scenario() -> None:
    text = DOCS.read_text()
    section = text.split("## Bug classes the library is proven to catch", 1)
    assert len(section) == 2, "docs/harness.md lacks the section"
    rows = dict(re.findall(r"^\| `(\w+)` \| .*? \| `([\w/]+)` \|$", section[1], re.MULTILINE))
    assert rows == {mutant: scenario for mutant, (_, scenario) in KILLED_BY.items()}
