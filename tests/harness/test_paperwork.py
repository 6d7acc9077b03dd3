"""The harness's paperwork pieces (issue 16): the ``attachment`` record kind, the operator
action ``send``, the ``attachment`` and ``outbox`` expectations and their invariants, each
shown to pass for a correct integration and to fail, with a readable report, for a wrong one.
The wrong integrations are small subclasses of the reference connector defined here."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.paperwork import SEND, Paperwork
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord
from qbo_sim.harness.errors import ScenarioSchemaError
from qbo_sim.harness.model import parse_scenario
from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import ScenarioResult, run_scenario
from qbo_sim.harness.schema import record_problems

REFERENCE = "qbo_sim.connectors.fieldservice_sync:make_integration"
PHOTO = b"\xff\xd8\xff\xe0 a photo \xff\xd9"
ATTACHMENT = {
    "kind": "attachment",
    "key": "A1",
    "data": {
        "invoice": "1001",
        "file_name": "before.jpg",
        "content_type": "image/jpeg",
        "content_base64": base64.b64encode(PHOTO).decode(),
    },
}

SCENARIO = """\
name: paperwork
given:
  preset: empty
  seed: 41
  qbo:
    - {{action: create, entity: Account, body: {{Name: Service Income, AccountType: Income}}}}
steps:
  - apply:
      - {{kind: customer, key: C1, data: {{name: Ann Field, email: ann@example.com}}}}
      - {{kind: item, key: I1, data: {{name: Labor, income_account: Service Income}}}}
      - kind: invoice
        key: "1001"
        data: {{number: "1001", customer: C1, lines: [{{item: I1, amount: 100}}]}}
      - kind: attachment
        key: A1
        data:
          invoice: "1001"
          file_name: before.jpg
          content_type: image/jpeg
          content_base64: "{photo}"
  - operate: {{action: send, kind: invoice, key: "1001"}}
  - sync: {{until_settled: true, max_passes: 3}}
  - expect:
{expect}
"""


def run(tmp_path: Path, expect: str, spec: str = REFERENCE) -> ScenarioResult:
    path = tmp_path / "paperwork.scenario.yaml"
    photo = base64.b64encode(PHOTO).decode()
    path.write_text(SCENARIO.format(photo=photo, expect=expect))
    return run_scenario(path, spec)


# --- wrong integrations ------------------------------------------------------------------
class _Swapped(FieldServiceSync):
    paperwork_class: type[Paperwork] = Paperwork

    def connect(self, connection: Any) -> None:
        super().connect(connection)
        assert self.engine is not None
        self.engine.paperwork = self.paperwork_class(self.store, self.engine.client)


class TwiceUploaded(Paperwork):
    def upload(self, record: SyncRecord, invoice_id: str) -> dict[str, Any]:
        super().upload(record, invoice_id)
        return super().upload(record, invoice_id)


class Base64AsBytes(Paperwork):
    """PHP-SDK#410: the base64 text sent as the file's bytes (the file is corrupted)."""

    def upload(self, record: SyncRecord, invoice_id: str) -> dict[str, Any]:
        metadata = self.metadata(record, invoice_id)
        raw = str(record.data["content_base64"]).encode()
        return self.client.upload(metadata, metadata["FileName"], metadata["ContentType"], raw)


class SentTwice(Paperwork):
    def send_if_asked(self, record: SyncRecord) -> None:
        if self.asked(record):
            assert record.qbo_id is not None
            self.client.send("Invoice", record.qbo_id)
        super().send_if_asked(record)


class NeverSent(Paperwork):
    def send_if_asked(self, record: SyncRecord) -> None:
        record.extra.pop(SEND, None)


def _make(paperwork: type[Paperwork], name: str) -> FieldServiceSync:
    integration = type(name, (_Swapped,), {"paperwork_class": paperwork, "name": name})()
    assert isinstance(integration, FieldServiceSync)
    return integration


def twice_uploaded() -> FieldServiceSync:
    return _make(TwiceUploaded, "twice-uploaded")


def base64_as_bytes() -> FieldServiceSync:
    return _make(Base64AsBytes, "base64-as-bytes")


def sent_twice() -> FieldServiceSync:
    return _make(SentTwice, "sent-twice")


def never_sent() -> FieldServiceSync:
    return _make(NeverSent, "never-sent")


def spec(factory: str) -> str:
    return f"{Path(__file__)}:{factory}"


# --- schemas -----------------------------------------------------------------------------
def test_the_record_schema_takes_an_attachment() -> None:
    assert record_problems(ATTACHMENT) == []
    text = dict(ATTACHMENT, data={**ATTACHMENT["data"], "content": "a note"})  # type: ignore[dict-item]
    del text["data"]["content_base64"]
    assert record_problems(text) == []
    assert record_problems(dict(text, data={**text["data"], "category": "Signature"})) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"content_base64": None}, "is not valid under any of the given schemas"),
        ({"content": "both"}, "is valid under each of"),
        ({"category": "Selfie"}, "'Selfie' is not one of"),
        ({"invoice": None}, "'invoice' is a required property"),
        ({"size": 3}, "Additional properties are not allowed ('size' was unexpected)"),
    ],
)
def test_the_record_schema_refuses_a_bad_attachment(change: dict[str, Any], problem: str) -> None:
    data = dict(ATTACHMENT["data"])  # type: ignore[call-overload]
    for key, value in change.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    problems = record_problems(dict(ATTACHMENT, data=data))
    assert any(problem in p for p in problems), problems


STEPS = """\
name: paperwork steps
given: {{preset: empty}}
steps:
{steps}
"""


def test_the_scenario_schema_takes_send_and_the_paperwork_expectations() -> None:
    steps = """\
  - operate: {action: send, kind: invoice, key: "1", params: {to: a@example.com}}
  - expect:
      - outbox: {invoice: "1", count: 1, to: a@example.com}
      - outbox: {doc_number: "1001", count: 0}
      - attachment: {key: A1, count: 2, bytes_intact: false}
      - attachment: {key: A1}
"""
    scenario = parse_scenario(STEPS.format(steps=steps))
    assert [s.kind for s in scenario.steps] == ["operate", "expect"]
    assert scenario.steps[0].params["action"] == "send"


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("operate: {action: email, kind: invoice, key: '1'}", "'email' is not one of"),
        ("expect: [{outbox: {count: 1}}]", "expected exactly one of: invoice, doc_number"),
        ("expect: [{outbox: {invoice: '1'}}]", "'count' is a required property"),
        ("expect: [{attachment: {key: A1, copies: 2}}]", "'copies' was unexpected"),
    ],
)
def test_the_scenario_schema_names_a_bad_paperwork_step(step: str, message: str) -> None:
    with pytest.raises(ScenarioSchemaError) as raised:
        parse_scenario(STEPS.format(steps=f"  - {step}\n"))
    assert message in str(raised.value), str(raised.value)


# --- expectations and invariants ----------------------------------------------------------
def test_the_reference_connector_meets_the_paperwork_expectations(tmp_path: Path) -> None:
    expect = """\
      - attachment: {key: A1, count: 1}
      - outbox: {invoice: "1001", count: 1, to: ann@example.com}
      - outbox: {doc_number: "1001", count: 1}
      - status: {kind: attachment, key: A1, is: synced}"""
    result = run(tmp_path, expect)
    assert result.passed and not result.failures, render(result)


def test_wrong_counts_and_addresses_fail_with_what_qbo_holds(tmp_path: Path) -> None:
    expect = """\
      - attachment: {key: A1, count: 0}
      - outbox: {invoice: "1001", count: 2}
      - outbox: {invoice: "1001", count: 1, to: bob@example.com}"""
    result = run(tmp_path, expect)
    titles = [(f.title, f.observed, f.reason) for f in result.failures]
    assert len(titles) == 3, render(result)
    assert titles[0][0] == "attachment 'A1' (\"before.jpg\" on invoice '1001')"
    assert titles[0][1].endswith("(bytes intact)") and titles[0][2] == (
        "1 Attachable(s) have that file name"
    )
    assert titles[1][0] == "e-mail of invoice '1001'"
    assert titles[1][1].startswith("1: #1 to ann@example.com at ")
    assert titles[1][2] == "QBO sent 1 message(s) (the simulated outbox)"
    assert titles[2][2] == "a message went to another address (the simulated outbox)"


def test_a_duplicate_upload_fails_the_expectation_and_the_invariant(tmp_path: Path) -> None:
    result = run(tmp_path, "      - attachment: {key: A1}", spec("twice_uploaded"))
    report = render(result)
    first, invariant = result.failures
    assert first.reason == "2 Attachable(s) have that file name", report
    assert invariant.where == "invariant", report
    assert (
        invariant.title
        == "attachment 'A1' (\"before.jpg\" on invoice '1001') exists 2 times in QBO"
    )


def test_corrupted_bytes_are_a_lost_file(tmp_path: Path) -> None:
    result = run(tmp_path, "      - attachment: {key: A1}", spec("base64_as_bytes"))
    report = render(result)
    first, invariant = result.failures
    assert first.reason == "a file QBO serves is not the record's", report
    assert "byte(s) that differ from the record's 15" in first.observed, report
    assert invariant.title.endswith("is synced but not in QBO"), report
    ignored = run(
        tmp_path, "      - attachment: {key: A1, bytes_intact: false}", spec("base64_as_bytes")
    )
    assert [f.where for f in ignored.failures] == ["invariant"], render(ignored)


def test_an_invoice_e_mailed_twice_breaks_the_invariant(tmp_path: Path) -> None:
    result = run(
        tmp_path, "      - status: {kind: invoice, key: '1001', is: synced}", spec("sent_twice")
    )
    report = render(result)
    assert [f.title for f in result.failures] == ["invoice '1001' was e-mailed 2 time(s)"], report
    assert result.failures[0].expected == "at most 1 (the operator's send actions)"


def test_a_send_dropped_silently_breaks_the_invariant(tmp_path: Path) -> None:
    result = run(
        tmp_path, "      - status: {kind: invoice, key: '1001', is: synced}", spec("never_sent")
    )
    report = render(result)
    assert [f.title for f in result.failures] == ["invoice '1001' is synced but was never e-mailed"]
    assert "the operator's send was dropped silently" in report


def test_an_attachment_whose_invoice_is_not_in_qbo(tmp_path: Path) -> None:
    path = tmp_path / "orphan.scenario.yaml"
    path.write_text(
        "name: orphan\ngiven: {preset: empty, seed: 3}\nsteps:\n"
        "  - apply:\n"
        "      - {kind: invoice, key: '9',\n"
        "         data: {number: '9', customer: NOBODY, lines: [{item: X, amount: 1}]}}\n"
        "      - {kind: attachment, key: A9,\n"
        "         data: {invoice: '9', file_name: a.pdf, content_type: text/plain, content: x}}\n"
        "  - sync: {}\n"
        "  - expect:\n"
        "      - attachment: {key: A9, count: 0}\n"
        "      - attachment: {key: A9}\n"
        "      - status: {kind: attachment, key: A9, is: failed, error_code: DEPENDENCY}\n"
    )
    result = run_scenario(path, REFERENCE)
    assert [(f.line, f.observed) for f in result.failures] == [(12, "invoice '9' has no QBO id")], (
        render(result)
    )
