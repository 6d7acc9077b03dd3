"""What ``qbo-sim scenarios from-recording`` and ``qbo-sim parity`` make of a recording: every
entity it refers to is in the snapshot (a stand-in when it was never read), uploads keep their
bytes, replays of uploads compare without false differences, and a fault that was not the
first matching call is skipped to (issue 19, review points 1-5)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import requests

from qbo_sim import Simulator
from qbo_sim.auth import DEV_TOKEN
from qbo_sim.parity.replay import run
from qbo_sim.recording import read_recording, record
from qbo_sim.recording.scenario import build_snapshot, fault_steps, from_recording
from tests.recording.helpers import company

SANDBOX = "https://sandbox-quickbooks.api.intuit.com"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4  # every byte value: nothing may be re-encoded


class Books:
    """A company whose customer, item and invoice exist before anything is recorded."""

    def __init__(self) -> None:
        self.sim, self.creds = company()
        self.user = self.sim.as_user(self.creds.realm)
        self.income = self.user.create("Account", {"Name": "Sales", "AccountType": "Income"})
        for n in range(57):  # QBO's Ids are not 1, 2, 3: the stand-ins keep the real ones
            self.user.create("Customer", {"DisplayName": f"Other {n}"})
        self.customer = self.user.create("Customer", {"DisplayName": "Acme Dental"})
        self.item = self.user.create(
            "Item",
            {"Name": "Widget", "Type": "Service", "IncomeAccountRef": {"value": self.income["Id"]}},
        )
        self.invoice = self.user.create("Invoice", self.invoice_body(5))
        self.base = f"{SANDBOX}/v3/company/{self.creds.realm}"
        self.headers = {
            "Authorization": f"Bearer {self.creds.access_token}",
            "Accept": "application/json",
        }

    def invoice_body(self, amount: float, item: str | None = None) -> dict:
        return {
            "CustomerRef": {"value": self.customer["Id"]},
            "Line": [
                {
                    "DetailType": "SalesItemLineDetail",
                    "Amount": amount,
                    "SalesItemLineDetail": {"ItemRef": {"value": item or self.item["Id"]}},
                }
            ],
        }

    def post(self, path: str, body: dict) -> requests.Response:
        return requests.post(f"{self.base}/{path}", json=body, headers=self.headers)

    def upload(self, name: str, invoice_id: str) -> requests.Response:
        metadata = {
            "FileName": name,
            "ContentType": "application/pdf",
            "AttachableRef": [{"EntityRef": {"type": "Invoice", "value": invoice_id}}],
        }
        return requests.post(
            f"{self.base}/upload",
            files={
                "file_metadata_01": (None, json.dumps(metadata), "application/json"),
                "file_content_01": (name, PDF, "application/pdf"),
            },
            headers=self.headers,
        )

    def recording(self, path: Path):
        return record(path, clock=self.sim.clock)


def tables(doc: dict) -> dict[str, dict[str, dict]]:
    (books,) = doc["companies"]
    return {name: {r["Id"]: r for r in rows} for name, rows in books["entities"].items()}


# --- 1. references the recording never read -------------------------------------------------
def test_an_invoice_create_naming_unread_entities_gets_stand_ins_with_their_ids(tmp_path):
    books = Books()
    path = tmp_path / "r.jsonl"
    with books.sim.mock(), books.recording(path):
        assert books.post("invoice", books.invoice_body(250)).status_code == 200
    recording = read_recording(path)
    snapshot = tables(build_snapshot(recording, books.creds.realm, when="before"))
    customer_id, item_id = books.customer["Id"], books.item["Id"]
    assert customer_id == "58"
    # the answer named them: the stand-ins have QBO's names and Ids
    assert snapshot["Customer"][customer_id]["DisplayName"] == "Acme Dental"
    assert snapshot["Item"][item_id]["Name"] == "Widget"
    assert snapshot["Item"][item_id]["Type"] == "Service"
    assert "Invoice" not in snapshot  # created by the recording: the integration makes it again
    # replayed against the snapshot, the create is answered as QBO answered it (not 2500)
    report = run(recording)
    assert [(e.recorded_status, e.sim_status, e.diffs) for e in report.exchanges] == [
        (200, 200, [])
    ]


def test_an_account_stand_in_has_the_type_its_reference_implies(tmp_path):
    books = Books()
    path = tmp_path / "r.jsonl"
    with books.sim.mock(), books.recording(path):
        created = books.post(
            "item",
            {
                "Name": "Gadget",
                "Type": "Service",
                "IncomeAccountRef": {"value": books.income["Id"]},
            },
        )
    assert created.status_code == 200
    snapshot = tables(build_snapshot(read_recording(path), books.creds.realm, when="before"))
    account = snapshot["Account"][books.income["Id"]]
    assert (account["Name"], account["AccountType"], account["Active"]) == ("Sales", "Income", True)


def test_a_reference_qbo_refused_with_2500_gets_no_stand_in(tmp_path):
    books = Books()
    path = tmp_path / "r.jsonl"
    with books.sim.mock(), books.recording(path):
        refused = books.post("invoice", books.invoice_body(10, item="999"))
    assert refused.json()["Fault"]["Error"][0]["code"] == "2500"
    recording = read_recording(path)
    snapshot = tables(build_snapshot(recording, books.creds.realm, when="before"))
    assert "999" not in snapshot.get("Item", {})  # it did not exist in QBO
    assert books.customer["Id"] in snapshot["Customer"]  # the request's other reference did
    (only,) = run(recording).exchanges
    assert (only.sim_status, only.diffs) == (400, [])


# --- 2. references inside an upload's metadata ----------------------------------------------
def test_an_upload_linked_to_an_unread_invoice_gets_a_stand_in_invoice(tmp_path):
    books = Books()
    path = tmp_path / "r.jsonl"
    with books.sim.mock(), books.recording(path):
        answer = books.upload("signed.pdf", books.invoice["Id"]).json()
    assert "Attachable" in answer["AttachableResponse"][0]
    recording = read_recording(path)
    snapshot = tables(build_snapshot(recording, books.creds.realm, when="before"))
    assert books.invoice["Id"] in snapshot["Invoice"]
    (only,) = run(recording).exchanges
    assert only.diffs == []  # not 6000 "the entity ... you are trying to link does not exist"


# --- 3. the books after the recording keep the uploaded files -------------------------------
def test_the_after_snapshot_carries_the_uploaded_bytes_and_serves_them(tmp_path):
    books = Books()
    path = tmp_path / "r.jsonl"
    with books.sim.mock(), books.recording(path):
        answer = books.upload("signed.pdf", books.invoice["Id"]).json()
    attachable = answer["AttachableResponse"][0]["Attachable"]
    doc = from_recording(read_recording(path), when="last").snapshot
    files = doc["companies"][0]["extras"]["attachment_files"]
    assert base64.b64decode(files[attachable["Id"]]["data"]) == PDF
    assert files[attachable["Id"]]["content_type"] == "application/pdf"
    fresh = Simulator()
    fresh.import_state(doc)
    auth = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}
    with fresh.mock():
        read = requests.get(f"{books.base}/attachable/{attachable['Id']}", headers=auth)
        link = read.json()["Attachable"]["TempDownloadUri"]
        assert "<redacted" not in link  # signed anew, not the recorded (redacted) link
        assert requests.get(link).content == PDF


# --- 4. parity of uploads: Ids, signed links, queries -----------------------------------------
def record_uploads(books: Books, path: Path) -> None:
    """An invoice whose Id the replay cannot give (someone else took one meanwhile), a file
    uploaded to it, read back, fetched through both links, and found by a query on its Id."""
    with books.sim.mock(), books.recording(path):
        books.user.create("Invoice", books.invoice_body(1))  # not recorded: another user
        invoice = books.post("invoice", books.invoice_body(250)).json()["Invoice"]["Id"]
        attachable = books.upload("a.pdf", invoice).json()["AttachableResponse"][0]
        attachable_id = attachable["Attachable"]["Id"]
        link = requests.get(f"{books.base}/download/{attachable_id}", headers=books.headers).text
        assert requests.get(link).content == PDF
        read = requests.get(f"{books.base}/attachable/{attachable_id}", headers=books.headers)
        assert requests.get(read.json()["Attachable"]["TempDownloadUri"]).content == PDF
        found = requests.get(
            f"{books.base}/query",
            params={
                "query": "SELECT * FROM Attachable WHERE "
                f"AttachableRef.EntityRef.value = '{invoice}'"
            },
            headers=books.headers,
        )
        assert found.json()["QueryResponse"]["Attachable"]


def test_parity_replays_uploads_without_false_differences(tmp_path):
    books = Books()
    path = tmp_path / "r.jsonl"
    record_uploads(books, path)
    report = run(read_recording(path))
    assert len(report.exchanges) == 7
    assert [(e.seq, e.diffs) for e in report.differing] == []
    assert all(e.recorded_status == e.sim_status == 200 for e in report.exchanges)


def test_parity_still_reports_a_real_difference_in_an_upload_answer(tmp_path):
    books = Books()
    path = tmp_path / "r.jsonl"
    record_uploads(books, path)
    # as if QBO had answered the upload with a thumbnail link the simulator does not make
    lines = path.read_text(encoding="utf-8").splitlines()
    upload = json.loads(lines[2])  # the header, the invoice create, the upload
    assert upload["request"]["url"].endswith("/upload")
    body = json.loads(upload["response"]["body"]["text"])
    body["AttachableResponse"][0]["Attachable"]["ThumbnailFileAccessUri"] = "/v3/x"
    upload["response"]["body"]["text"] = json.dumps(body)
    lines[2] = json.dumps(upload)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (only,) = run(read_recording(path)).differing
    assert [(d.what, d.path) for d in only.diffs] == [
        ("missing", "AttachableResponse[0].Attachable.ThumbnailFileAccessUri")
    ]


# --- 5. a fault that was not the first matching call ----------------------------------------
def test_a_fault_after_successful_calls_is_injected_with_skip(tmp_path):
    books = Books()
    path = tmp_path / "r.jsonl"
    books.sim.injector.add(entity="Invoice", operation="create", status=500, skip=2, times=1)
    with books.sim.mock(), books.recording(path):
        statuses = [books.post("invoice", books.invoice_body(n)).status_code for n in (1, 2, 3, 4)]
    assert statuses == [200, 200, 500, 200]
    (step,) = fault_steps(read_recording(path).exchanges)
    assert step.rule() == {
        "fault": "system_fault",
        "params": {"detail": "java.lang.NullPointerException"},
        "entity": "Invoice",
        "operation": "create",
        "skip": 2,
        "times": 1,
    }


# --- 6. the records the writes came from ----------------------------------------------------
def test_the_records_come_from_the_writes_and_what_they_refer_to(tmp_path):
    books = Books()
    vendor = books.user.create("Vendor", {"DisplayName": "Pipe Supply"})
    expense = books.user.create("Account", {"Name": "Materials", "AccountType": "Expense"})
    bank = books.user.create("Account", {"Name": "Checking", "AccountType": "Bank"})
    path = tmp_path / "r.jsonl"
    with books.sim.mock(), books.recording(path):
        # the invoice is read (a payment's LinkedTxn gets no stand-in: a stand-in's balance
        # would not be QBO's)
        requests.get(f"{books.base}/invoice/{books.invoice['Id']}", headers=books.headers)
        paid = books.post(
            "payment",
            {
                "CustomerRef": {"value": books.customer["Id"]},
                "TotalAmt": 5,
                "PaymentRefNum": "CHK-9",
                "Line": [
                    {
                        "Amount": 5,
                        "LinkedTxn": [{"TxnId": books.invoice["Id"], "TxnType": "Invoice"}],
                    }
                ],
            },
        )
        bill = books.post(
            "bill",
            {
                "VendorRef": {"value": vendor["Id"]},
                "DocNumber": "PS-77",
                "Line": [
                    {
                        "DetailType": "AccountBasedExpenseLineDetail",
                        "Amount": 40,
                        "AccountBasedExpenseLineDetail": {"AccountRef": {"value": expense["Id"]}},
                    }
                ],
            },
        )
        journal = books.post(
            "journalentry",
            {
                "Line": [
                    {
                        "DetailType": "JournalEntryLineDetail",
                        "Amount": 1,
                        "JournalEntryLineDetail": {
                            "PostingType": side,
                            "AccountRef": {"value": account},
                        },
                    }
                    for side, account in (("Debit", expense["Id"]), ("Credit", bank["Id"]))
                ]
            },
        )
    assert (paid.status_code, bill.status_code, journal.status_code) == (200, 200, 200)
    recorded = from_recording(read_recording(path))
    (one,) = recorded.derivation.passes
    assert one.records == [
        {"kind": "customer", "key": "C1", "data": {"name": "Acme Dental"}},
        # a stand-in (the invoice read names it): the recording cannot say its account
        {"kind": "item", "key": "I1", "data": {"name": "Widget", "type": "Service",
                                               "income_account": "FILL IN"}},
        {
            "kind": "invoice",
            "key": books.invoice["DocNumber"],
            "data": {
                "number": books.invoice["DocNumber"],
                "customer": "C1",
                "date": books.invoice["TxnDate"],
                # as QBO answered it (the recording read it): TaxCodeRef NON on the line
                "lines": [{"item": "I1", "amount": 5.0, "taxable": False}],
            },
        },
        {"kind": "payment", "key": "PAY1", "data": {
            "invoice": books.invoice["DocNumber"], "amount": 5, "reference_number": "CHK-9"}},
        {"kind": "vendor", "key": "V1", "data": {"name": "Pipe Supply"}},
        {"kind": "receipt", "key": "R1", "data": {
            "vendor": "V1", "vendor_document_number": "PS-77",
            "lines": [{"account": "Materials", "amount": 40}]}},
    ]  # fmt: skip
    assert one.notes == [
        f"Item {books.item['Id']} (in the snapshot, not written by the recording): "
        "its income_account",
        "#4 POST /journalentry: a JournalEntry write has no record kind (docs/harness.md §3)",
    ]
    text = render_scenario(recorded)
    assert "  # FILL IN: #4 POST /journalentry: a JournalEntry write" in text


def render_scenario(recorded) -> str:
    from qbo_sim.recording.scenario import render

    return render(recorded, "t", "fixtures/t.json")


def test_a_bundle_line_and_a_project_get_a_bundle_and_a_project_as_stand_ins(tmp_path):
    books = Books()
    bundle = books.user.create_bundle("Widget kit", [(books.item["Id"], 3)])
    project = books.user.create_project(books.customer["Id"], "Dental fit-out")
    body = {
        "CustomerRef": {"value": books.customer["Id"]},
        "ProjectRef": {"value": project["Id"]},
        "Line": [
            {
                "DetailType": "GroupLineDetail",
                "GroupLineDetail": {"GroupItemRef": {"value": bundle["Id"]}},
            }
        ],
    }
    path = tmp_path / "r.jsonl"
    with books.sim.mock(), books.recording(path):
        assert books.post("invoice", body).status_code == 200
    recording = read_recording(path)
    snapshot = tables(build_snapshot(recording, books.creds.realm, when="before"))
    assert snapshot["Item"][bundle["Id"]]["Type"] == "Group"
    assert snapshot["Customer"][project["Id"]]["IsProject"] is True
    assert [e.sim_status for e in run(recording).exchanges] == [200]
