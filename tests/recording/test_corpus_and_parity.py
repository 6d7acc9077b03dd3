"""The parity corpus of recordings (tests/recording/corpus), checked offline: each recording
replays to the committed report, and none holds a secret. Plus what parity and
from-recording make of single faults."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests

from qbo_sim.parity.replay import run
from qbo_sim.recording import read_recording, record
from qbo_sim.recording.content import RecordedFault, catalogue_match
from tests.recording.helpers import company

CORPUS = Path(__file__).parent / "corpus"
RECORDINGS = sorted(CORPUS.glob("*.jsonl"))


def test_the_corpus_has_recordings():
    assert RECORDINGS


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: p.stem)
def test_each_recording_replays_to_its_committed_report(path):
    """Regenerate after a deliberate change: see docs/fidelity.md, 'Contributing a recording'."""
    report = run(read_recording(path)).to_dict()
    report["recording"] = path.name
    expected = json.loads(path.with_suffix(".parity.json").read_text(encoding="utf-8"))
    assert report == expected


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: p.stem)
def test_no_recording_of_the_corpus_holds_a_secret(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"eyJ[A-Za-z0-9_-]{4,}\.", text), "a JWT-shaped token"
    for line in map(json.loads, text.splitlines()[1:]):
        for name, value in line["request"]["headers"]:
            if name.lower() == "authorization":
                assert re.fullmatch(r"(Bearer|Basic) <redacted:[a-z_]+:\d+>", value), value


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (
            RecordedFault(
                400,
                "6240",
                "Duplicate Name Exists Error",
                "The name supplied already exists. : Id=58",
                "",
                "ValidationFault",
                "standard",
            ),
            ("duplicate_name", {"id": "58"}, True, None),
        ),
        (
            RecordedFault(
                400,
                "6240",
                "Duplicate Name Exists Error",
                "The name supplied already exists. : Id=58",
                None,
                "ValidationFault",
                "lowercase",
            ),
            ("duplicate_name", {"id": "58"}, True, "lowercase"),
        ),
        (RecordedFault(503), ("http_503", {}, True, None)),
        (
            RecordedFault(
                429,
                "3001",
                "message=ThrottleExceeded; errorCode=003001; statusCode=429",
                "The request limit was reached.  Try again later",
                None,
                "SERVICE",
                "xml",
            ),
            ("throttled", {}, True, None),
        ),
        (
            RecordedFault(
                400,
                "6000",
                "A business validation error has occurred while processing your request",
                "Business Validation Error: Unexpected Internal Error. (-30000)",
                "",
                "ValidationFault",
                "standard",
            ),
            ("realm_not_a_number", {}, True, None),
        ),
        (
            RecordedFault(
                400,
                "610",
                "Object Not Found",
                "Something else entirely",
                "",
                "ValidationFault",
                "standard",
            ),
            ("made_inactive", {}, False, None),
        ),
    ],
)
def test_a_recorded_fault_finds_its_catalogue_entry(fault, expected):
    match = catalogue_match(fault)
    assert (match.fault, match.params, match.exact, match.envelope) == expected


def test_a_fault_no_catalogue_entry_answers_is_none():
    assert catalogue_match(RecordedFault(400, "9999", "New in QBO", "x")) is None
    assert catalogue_match(RecordedFault(400)) is None  # an OAuth error: no QBO fault body


def test_parity_finds_a_structural_difference_and_reports_it(tmp_path):
    sim, creds = company()
    path = tmp_path / "r.jsonl"
    headers = {"Authorization": f"Bearer {creds.access_token}", "Accept": "application/json"}
    with sim.mock(), record(path):
        requests.post(
            f"https://sandbox-quickbooks.api.intuit.com/v3/company/{creds.realm}/customer",
            json={"DisplayName": "Acme"},
            headers=headers,
        )
    clean = run(read_recording(path))
    assert not clean.differing and clean.exchanges[0].matched == clean.exchanges[0].compared > 0
    # as if QBO had answered with one more field, and a Balance in another format
    text = path.read_text(encoding="utf-8").replace(
        '\\"Balance\\":0', '\\"Balance\\":\\"0\\",\\"Notes\\":\\"x\\"'
    )
    path.write_text(text, encoding="utf-8")
    (only,) = run(read_recording(path)).differing
    assert sorted((d.what, d.path) for d in only.diffs) == [
        ("format", "Customer.Balance"),
        ("missing", "Customer.Notes"),
    ]
