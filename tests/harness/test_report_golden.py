# ruff: noqa: E501  (golden reports: lines as the report prints them)
"""Failure reports as a support engineer reads them, compared to the letter: QBO values as
JSON (``null``, ``"1"``, ``{...}``), never Python reprs; requestid replays and injected answers
marked in the journal excerpt; a step that needs the QBO id of a record the integration never
synced blames the integration, not the scenario. Only the realm id, the file's folder and the
connector's random requestids are normalised."""

from __future__ import annotations

import re
from pathlib import Path

from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario
from qbo_sim.scenarios import LIBRARY_DIR

NAIVE = "qbo_sim.connectors.naive_sync:make_integration"
REFERENCE = "qbo_sim.connectors.fieldservice_sync:make_integration"


def _normal(text: str, folder: Path) -> str:
    text = text.replace(str(folder), "<dir>")
    text = re.sub(r"/company/\d+/", "/company/<realm>/", text)
    return re.sub(r"requestid=fs-(\w+)-[0-9a-f]{32}", r"requestid=fs-\1-<uuid>", text)


# the naive sync sends the Bill with VendorRef {"value": null} (it lost the vendor's id):
# QBO answers 2020 for a reference that names nothing (qbo_sim.validation)
VALUES_AS_JSON = """\
FAILED <dir>/article/receipt_duplicate_vendor_doc_number.scenario.yaml: duplicate vendor document number, operator renames it [integration: naive]
  steps run: 6 of 6
<dir>/article/receipt_duplicate_vendor_doc_number.scenario.yaml:41: step 3 (expect), expectation 1: status of vendor 'V1'
    expected: synced, qbo id 1
    observed: synced, no qbo id, 1 attempt(s)
    why:      it points at QBO id none, not 1
    because:  the vendor already exists in QBO and must be linked, not created again
<dir>/article/receipt_duplicate_vendor_doc_number.scenario.yaml:43: step 3 (expect), expectation 2: status of receipt 'R1'
    expected: failed, error code 6140
    observed: synced, no qbo id, 1 attempt(s)
    why:      its state is synced, not failed; the surfaced error code is none
<dir>/article/receipt_duplicate_vendor_doc_number.scenario.yaml:53: step 6 (expect), expectation 2: SELECT * FROM Bill WHERE DocNumber = 'R-100-20260302' returned 0 row(s)
    expected: 1 row(s)
    observed: 0 row(s) (Ids: none)
    why:      QBO does not hold the expected number of matching entities
<dir>/article/receipt_duplicate_vendor_doc_number.scenario.yaml:53: step 6 (expect), expectation 2: SELECT * FROM Bill WHERE DocNumber = 'R-100-20260302': field values differ
    expected: {"VendorRef.value": "1", "TotalAmt": 125.5}
    observed: no rows
    why:      QBO's data does not match what the integration should send
  last 8 API call(s):
    #7 2026-03-02T09:00:00.750-08:00 GET /v3/company/<realm>/query?query=SELECT * FROM Account WHERE Name = 'Job Materials' -> 200
    #8 2026-03-02T09:00:01.000-08:00 POST /v3/company/<realm>/bill -> 400 fault 2020 "Required param missing, need to supply the required value for the API"
    #9 2026-03-02T09:00:01.250-08:00 POST /v3/company/<realm>/bill -> 400 fault 2020 "Required param missing, need to supply the required value for the API"
    #10 2026-03-02T09:00:01.500-08:00 POST /v3/company/<realm>/bill -> 400 fault 2020 "Required param missing, need to supply the required value for the API"
    #11 2026-03-02T09:00:01.750-08:00 GET /v3/company/<realm>/query?query=SELECT * FROM Account WHERE Name = 'Job Materials' -> 200
    #12 2026-03-02T09:00:02.000-08:00 POST /v3/company/<realm>/bill -> 400 fault 2020 "Required param missing, need to supply the required value for the API"
    #13 2026-03-02T09:00:02.250-08:00 POST /v3/company/<realm>/bill -> 400 fault 2020 "Required param missing, need to supply the required value for the API"
    #14 2026-03-02T09:00:02.500-08:00 POST /v3/company/<realm>/bill -> 400 fault 2020 "Required param missing, need to supply the required value for the API"
  reproduce: qbo-sim scenarios run <dir>/article/receipt_duplicate_vendor_doc_number.scenario.yaml --integration qbo_sim.connectors.naive_sync:make_integration"""

UNSYNCED_RECORD_BLAMES_THE_INTEGRATION = """\
FAILED <dir>/selftest/lost_answer_does_not_duplicate.scenario.yaml: self-test: a create whose answer is lost is not repeated blindly [integration: naive]
  steps run: 4 of 4
<dir>/selftest/lost_answer_does_not_duplicate.scenario.yaml:17: step 4 (expect): the step needs a record's QBO id, and the integration reports none
    expected: a QBO id for the record
    observed: $record.customer.C9.qbo_id is empty: customer 'C9' has no QBO id (its status: synced, no qbo id, 1 attempt(s))
    why:      the integration did not sync that record, or did not report its QBO id, so this step has nothing to act on
  last 3 API call(s):
    #1 2026-03-02T09:00:00.000-08:00 POST /v3/company/<realm>/customer -> 500 fault 10000 "An application error has occurred while processing your request" (injected by the scenario)
    #2 2026-03-02T09:00:00.250-08:00 POST /v3/company/<realm>/customer -> 400 fault 6240 "Duplicate Name Exists Error"
    #3 2026-03-02T09:00:00.500-08:00 POST /v3/company/<realm>/customer -> 400 fault 6240 "Duplicate Name Exists Error"
  reproduce: qbo-sim scenarios run <dir>/selftest/lost_answer_does_not_duplicate.scenario.yaml --integration qbo_sim.connectors.naive_sync:make_integration"""

REPLAY_SCENARIO = """\
name: a lost answer, the retry is a replay
given: {preset: empty, seed: 3}
steps:
  - apply: {kind: customer, key: C1, data: {name: Replay Plumbing}}
  - inject: {fault: ambiguous, entity: Customer, operation: create, times: 1}
  - sync: {}
  - expect:
      - query: "SELECT * FROM Customer WHERE DisplayName = 'Replay Plumbing'"
        count: 2
        because: deliberately wrong, to show the report
"""

REPLAY_MARKED = """\
FAILED <dir>/replay.scenario.yaml: a lost answer, the retry is a replay [integration: fieldservice-sync]
  steps run: 4 of 4
<dir>/replay.scenario.yaml:8: step 4 (expect), expectation 1: SELECT * FROM Customer WHERE DisplayName = 'Replay Plumbing' returned 1 row(s)
    expected: 2 row(s)
    observed: 1 row(s) (Ids: 1)
    why:      QBO does not hold the expected number of matching entities
    because:  deliberately wrong, to show the report
  last 3 API call(s):
    #1 2026-03-02T09:00:00.000-08:00 GET /v3/company/<realm>/query?minorversion=75&query=SELECT * FROM Customer WHERE DisplayName = 'Replay Plumbing' STARTPOSITION 1 MAXRESULTS 1000 -> 200
    #2 2026-03-02T09:00:00.250-08:00 POST /v3/company/<realm>/customer?minorversion=75 -> 500 fault 10000 "An application error has occurred while processing your request" requestid=fs-customer-<uuid> (injected by the scenario)
    #3 2026-03-02T09:00:01.500-08:00 POST /v3/company/<realm>/customer?minorversion=75 -> 200 requestid=fs-customer-<uuid> (replay of an earlier answer to this requestid)
  reproduce: qbo-sim scenarios run <dir>/replay.scenario.yaml --integration qbo_sim.connectors.fieldservice_sync:make_integration"""


def test_qbo_values_are_shown_as_json() -> None:
    path = LIBRARY_DIR / "article" / "receipt_duplicate_vendor_doc_number.scenario.yaml"
    report = _normal(render(run_scenario(path, NAIVE)), LIBRARY_DIR)
    assert report == VALUES_AS_JSON


def test_an_empty_reference_to_an_unsynced_record_blames_the_integration() -> None:
    path = LIBRARY_DIR / "selftest" / "lost_answer_does_not_duplicate.scenario.yaml"
    report = _normal(render(run_scenario(path, NAIVE)), LIBRARY_DIR)
    assert report == UNSYNCED_RECORD_BLAMES_THE_INTEGRATION


def test_replays_and_injected_answers_are_marked_in_the_journal_excerpt(tmp_path: Path) -> None:
    path = tmp_path / "replay.scenario.yaml"
    path.write_text(REPLAY_SCENARIO, encoding="utf-8")
    report = _normal(render(run_scenario(path, REFERENCE)), tmp_path)
    assert report == REPLAY_MARKED
