"""The JSON-lines protocol (version 1): its schema, every line both ways of a real run
against it (the Python adapter, ``serve_jsonl``), and the protocol errors the harness reports
for an integration that breaks it (naming the offending stdout line). The Node helper is held
to the same schema in tests/connectors/test_node_example.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from qbo_sim.harness.jsonlines import SubprocessIntegration
from qbo_sim.harness.protocol import (
    PROTOCOL_VERSION,
    ProtocolError,
    check_line,
    problem_with,
    protocol_schema,
)
from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario
from qbo_sim.scenarios import LIBRARY_DIR
from tests.harness.protocol_transcript import (
    TRANSCRIBED,
    assert_transcript_follows_schema,
    transcribe,
)

FAKES = Path(__file__).with_name("protocol_fakes.py")
PYTHON_REFERENCE = f"{sys.executable} -m qbo_sim.connectors.fieldservice_sync"


def test_the_schema_is_valid_draft_2020_12_and_version_1() -> None:
    schema = protocol_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["x-protocol-version"] == PROTOCOL_VERSION == 1


def test_the_python_adapter_speaks_the_schema_both_ways() -> None:
    methods = assert_transcript_follows_schema(transcribe(PYTHON_REFERENCE, TRANSCRIBED))
    assert methods >= {
        "hello", "connect", "apply", "sync", "status", "operate", "inbound", "webhook",
        "close", "now", "sleep", "reset", "statuses",
    }  # fmt: skip


def test_every_result_shape_is_checked() -> None:
    assert problem_with({"state": "done"}, ("results", "status")) is not None
    assert problem_with({"state": "synced", "qbo_id": "1"}, ("results", "status")) is None
    assert problem_with(None, ("results", "sync")) is None
    assert problem_with({"protocol": 2}, ("results", "hello")) is not None


def test_check_line_ignores_print_debugging_and_names_a_bad_line() -> None:
    assert check_line(3, "syncing 4 records\n", "sync") is None
    with pytest.raises(ProtocolError) as caught:
        check_line(4, '{"id": 3, "result": {"state": "done"}}\n', "status")
    assert "stdout line 4" in caught.value.message
    assert '{"id": 3, "result": {"state": "done"}}' in caught.value.message
    assert "'done' is not one of" in caught.value.message


SCENARIO = LIBRARY_DIR / "selftest" / "existing_customer_is_linked.scenario.yaml"


def run_fake(mode: str) -> Any:
    return run_scenario(SCENARIO, f"cmd:{sys.executable} {FAKES} {mode}")


@pytest.mark.parametrize(
    ("mode", "method", "shows"),
    [
        ("bad-status", "status", "the result of status: state: 'done' is not one of"),
        ("not-json", "sync", "not JSON"),
        ("wrong-id", "sync", "the harness waits for the answer to request"),
        ("bad-call", "sync", "params.seconds: 'soon' is not of type 'number'"),
        ("bad-utf8", "sync", "the result of sync: '\ufffd' is not of type 'null'"),
    ],
)
def test_a_line_that_breaks_the_protocol_fails_the_step_naming_the_line(
    mode: str, method: str, shows: str
) -> None:
    result = run_fake(mode)
    assert result.failed and not result.passed
    failure = result.failures[0]
    assert failure.title == f"the integration broke the JSON-lines protocol in {method}()"
    assert "stdout line" in failure.observed and shows in failure.observed
    report = render(result)
    assert "the line: {" in report


def test_another_protocol_version_is_refused_at_the_handshake() -> None:
    result = run_fake("version-2")
    assert result.failed
    assert result.failures[0].title == "could not load the integration"
    assert "protocol 1 handshake" in result.failures[0].observed


def test_an_integration_that_does_not_declare_webhooks_is_not_subscribed() -> None:
    """The fake declares no capability: no webhook request, no inbound request (it syncs
    nothing either, so the scenario fails)."""
    lines: list[tuple[str, str]] = []
    path = LIBRARY_DIR / "webhooks" / "payment_recorded_in_qbo.scenario.yaml"
    result = run_scenario(
        path, lambda: SubprocessIntegration(f"{sys.executable} {FAKES} good", transcript=lines)
    )
    assert result.failed
    sent = {json.loads(line).get("method") for side, line in lines if side == "harness"}
    assert "webhook" not in sent and "inbound" not in sent


def test_the_message_reference_in_docs_is_up_to_date() -> None:
    """docs/harness.md renders the schema (regenerate: ``python3 docs/gen_protocol.py``)."""
    import importlib.util

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("gen_protocol", root / "docs" / "gen_protocol.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (root / "docs" / "harness.md").read_text(encoding="utf-8")
    assert module.updated(text) == text
