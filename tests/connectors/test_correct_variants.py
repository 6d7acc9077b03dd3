"""No false positives: correct variants of the reference connector pass every library
scenario, including the ones that once failed them (issue 11). Each variant is an
importable module under ``variants/`` with a ``make_integration`` factory; the reference
and naive connectors keep their verdicts (``test_scenario_library.py``)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario
from qbo_sim.scenarios import LIBRARY_DIR

VARIANTS = Path(__file__).with_name("variants")

#: variant module → the library scenarios it failed before the fix (it must pass them now).
CASES = {
    "defer_on_429": ["operations/throttled_backoff"],
    "self_pacing": ["operations/throttled_backoff"],
    "proactive_refresh": ["operations/expired_access_token"],
    "read_before_update": ["support/ticket_invoice_1042_deleted"],
    "recreate_on_reentry": ["article/receipt_deleted_and_recreated"],
    # added with the mutation suite: other policies the new scenarios must accept
    "void_on_delete": ["sync/field_deletes_reach_qbo"],
    "sparse_always": ["article/expense_gl_account_inactive", "sync/qbo_user_edits_between_passes"],
    "paged_list_cache": ["sync/lookup_past_first_page"],
    "batch_creates": [  # a 6240 inside a BatchItemResponse; no POST /invoice or /payment
        "sync/name_taken_by_a_vendor",
        "article/invoice_deleted_in_qbo",
        "support/ticket_invoice_1042_deleted",
        "support/ticket_payment_invoice_already_paid",
        "sync/dropped_connections",
    ],
    # job paperwork (issue 16): another way to attach a file, another moment to e-mail
    "upload_then_link": [
        "attachments/upload_retried_without_duplicate",
        "attachments/refused_file_surfaced",
    ],
    "send_after_pass": ["attachments/invoice_emailed_once"],
}
#: Scenarios every correct variant must pass (the always-on invariants judged them wrongly:
#: two partial payments sharing a PaymentRefNum were taken for a duplicate).
FOR_EVERY_VARIANT = ["operations/partial_payments_same_reference"]
#: The whole library: a scenario that fails a correct variant is a false positive.
LIBRARY = sorted(
    str(p.relative_to(LIBRARY_DIR)).removesuffix(".scenario.yaml")
    for p in LIBRARY_DIR.rglob("*.scenario.yaml")
)


def spec(variant: str) -> str:
    return f"{VARIANTS / variant}.py:make_integration"


def test_the_scenarios_each_variant_once_failed_are_in_the_library() -> None:
    """They run in ``test_correct_variant_passes_the_whole_library`` (not twice)."""
    for scenarios in [*CASES.values(), FOR_EVERY_VARIANT]:
        assert set(scenarios) <= set(LIBRARY), scenarios


@pytest.mark.parametrize(
    ("variant", "scenario"),
    [(v, s) for v in sorted(CASES) for s in LIBRARY],
    ids=lambda value: str(value).rpartition("/")[2],
)
def test_correct_variant_passes_the_whole_library(variant: str, scenario: str) -> None:
    result = run_scenario(LIBRARY_DIR / f"{scenario}.scenario.yaml", spec(variant))
    assert result.passed and not result.failures, render(result)
    assert result.steps_run == result.steps_total


def test_at_least_six_correct_variants() -> None:
    assert len(CASES) >= 6


def test_every_variant_module_has_a_factory_and_a_case() -> None:
    modules = {p.stem for p in VARIANTS.glob("*.py") if p.stem != "__init__"}
    assert modules == set(CASES)
    for module in modules:
        assert "def make_integration" in (VARIANTS / f"{module}.py").read_text()


def test_the_token_expiry_reaches_a_subprocess_integration() -> None:
    """``access_token_expires_at`` crosses the JSON-lines boundary (the variant refuses to
    connect without it, and refreshes ahead of it)."""
    code = (
        f"import sys; sys.path.insert(0, {str(VARIANTS)!r}); import proactive_refresh; "
        "from qbo_sim.harness.jsonlines import serve_jsonl; "
        "serve_jsonl(proactive_refresh.make_integration)"
    )
    command = f"cmd:{shlex.quote(sys.executable)} -c {shlex.quote(code)}"
    result = run_scenario(LIBRARY_DIR / "operations/expired_access_token.scenario.yaml", command)
    assert result.passed and not result.failures, render(result)
    assert result.integration == "proactive-refresh"
