"""Contract test: ``node-quickbooks`` (npm, v2.x, axios), unchanged, against ``sim.serve()``.

``tests/compat/node/contract.js`` points the library's module-level base URLs
(``QuickBooks.V3_ENDPOINT_BASE_URL``, ``QuickBooks.TOKEN_URL``) at a qbo-sim server on
127.0.0.1 and runs a sync's usual calls over real HTTP: refresh the token, create, read,
sparse-update, find, a duplicate name (6240), an invoice, count queries, a payment, a batch with
one faulted item and an update with a stale SyncToken (5010). It prints one JSON object; this
module asserts it and what the simulator saw on the wire.

Node.js 18+ and npm are part of the machine image: without them the test fails (it does not
skip). The module fixture runs ``npm ci`` from the committed lockfile when ``node_modules`` is
missing (a fresh clone); later runs take about a second.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from qbo_sim import Clock, Simulator, attachments
from qbo_sim.journal import JournalEntry
from tests.sim.test_pdf import read_pdf

NODE_DIR = Path(__file__).parent / "node"
LIBRARY_VERSION = "2.0.50"  # pinned in node/package.json and package-lock.json
USER_AGENT = f"node-quickbooks: version {LIBRARY_VERSION}"
CONTRACT_TIMEOUT_SECONDS = 60
INSTALL_TIMEOUT_SECONDS = 300
_UUID_V1 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"the node-quickbooks contract test needs `{name}` on PATH (Node.js 18+ and npm are "
            "part of this project's machine image and CI): install Node.js, then rerun",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="module")
def node() -> str:
    """The ``node`` executable, with ``node_modules`` installed from the lockfile."""
    node_path = _require_tool("node")
    version = subprocess.run(
        [node_path, "--version"], capture_output=True, text=True, check=True, timeout=30
    ).stdout.strip()
    major = int(version.lstrip("v").split(".")[0])
    if major < 18:
        pytest.fail(f"node-quickbooks needs Node.js 18+, found {version}", pytrace=False)
    if not (NODE_DIR / "node_modules" / "node-quickbooks").is_dir():
        npm_path = _require_tool("npm")
        install = subprocess.run(
            [npm_path, "ci", "--no-audit", "--no-fund"],
            cwd=NODE_DIR,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_SECONDS,
        )
        if install.returncode != 0:
            pytest.fail(
                f"`npm ci` in {NODE_DIR} failed ({install.returncode}):\n"
                f"{install.stdout}\n{install.stderr}",
                pytrace=False,
            )
    return node_path


@dataclass
class SeenRequest:
    """Headers of one request as the server received them (the journal keeps no headers)."""

    method: str
    path: str
    user_agent: str
    request_id: str
    authorization: str


def _recording(app: Any, seen: list[SeenRequest]) -> Callable[..., Iterable[bytes]]:
    """Flask's WSGI-middleware pattern: note each request's headers, then serve it."""
    wsgi_app = app.wsgi_app

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen.append(
            SeenRequest(
                method=environ["REQUEST_METHOD"],
                path=environ["PATH_INFO"],
                user_agent=environ.get("HTTP_USER_AGENT", ""),
                request_id=environ.get("HTTP_REQUEST_ID", ""),
                authorization=environ.get("HTTP_AUTHORIZATION", ""),
            )
        )
        return wsgi_app(environ, start_response)

    return wsgi


@dataclass
class ContractRun:
    report: dict[str, Any]
    sim: Simulator
    realm: str
    issued: dict[str, Any]
    active_customers_before: int
    seen: list[SeenRequest]

    def api_calls(self) -> list[JournalEntry]:
        return self.sim.journal.entries(realm=self.realm)


@pytest.fixture(scope="module")
def run(node: str) -> Iterator[ContractRun]:
    clock = Clock(frozen_at=datetime(2026, 3, 2, 17, tzinfo=UTC))
    sim = Simulator(seed=3, clock=clock, request_seconds=0.25)
    realm = sim.create_company("sample")
    issued = sim.oauth.issue_tokens(realm)
    client = sim.oauth.default_client
    company = sim.company(realm)
    active_before = sum(1 for c in company.all("Customer") if c.get("Active", True))
    seen: list[SeenRequest] = []
    sim.app.wsgi_app = _recording(sim.app, seen)
    with sim.serve(port=0) as base_url:
        finished = subprocess.run(
            [
                node,
                "contract.js",
                "--base-url",
                base_url,
                "--realm",
                realm,
                "--access-token",
                issued["access_token"],
                "--refresh-token",
                issued["refresh_token"],
                "--client-id",
                client.client_id,
                "--client-secret",
                client.client_secret,
            ],
            cwd=NODE_DIR,
            capture_output=True,
            text=True,
            timeout=CONTRACT_TIMEOUT_SECONDS,
        )
    assert finished.returncode == 0, f"contract.js failed:\n{finished.stderr}"
    assert not sim.errors, sim.errors
    yield ContractRun(
        report=json.loads(finished.stdout),
        sim=sim,
        realm=realm,
        issued=issued,
        active_customers_before=active_before,
        seen=seen,
    )


def test_token_refresh_through_the_librarys_token_url(run):
    assert run.report["library"] == LIBRARY_VERSION
    assert run.report["refresh"] == {
        "token_type": "bearer",
        "expires_in": 3600,
        "x_refresh_token_expires_in": 8726400,
        "access_token_changed": True,
        "refresh_token_changed": True,
    }
    token_calls = [s for s in run.seen if s.path == "/oauth2/v1/tokens/bearer"]
    assert [s.method for s in token_calls] == ["POST"]
    assert token_calls[0].authorization.startswith("Basic ")
    # every API call after it carries the refreshed access token, not the one issued
    bearers = {s.authorization for s in run.seen if s.path.startswith("/v3/")}
    assert len(bearers) == 1 and bearers != {f"Bearer {run.issued['access_token']}"}


def test_create_read_sparse_update_and_find(run):
    report = run.report
    created = report["create"]
    assert created["SyncToken"] == "0" and created["DisplayName"] == "Harbor Property Group"
    assert report["read"] == {
        "Id": created["Id"],
        "SyncToken": "0",
        "email": "ap@harbor.example",
    }
    # node-quickbooks sends updates with "sparse": true: unsent fields are kept
    assert report["sparse_update"] == {
        "SyncToken": "1",
        "CompanyName": "Harbor Property Group LLC",
        "DisplayName": "Harbor Property Group",
        "email": "ap@harbor.example",
    }
    assert report["find"] == {"Ids": [created["Id"]], "startPosition": 1, "maxResults": 1}


def test_duplicate_name_is_the_6240_fault_the_library_surfaces(run):
    assert run.report["duplicate"] == {
        "data": None,
        "fault": {
            "surfacedAs": "AxiosError",  # a 400: the library hands axios's error to the callback
            "status": 400,
            "type": "ValidationFault",
            "code": "6240",
            "Message": "Duplicate Name Exists Error",
            "Detail": f"The name supplied already exists. : Id={run.report['create']['Id']}",
            "element": "",
        },
    }


def test_invoice_counts_and_payment(run):
    report = run.report
    invoice = report["invoice"]
    assert invoice["DocNumber"] == "1011"
    assert invoice["TotalAmt"] == 240 and invoice["Balance"] == 240
    assert invoice["ItemRef"] == {"value": invoice["item"]["Id"], "name": invoice["item"]["Name"]}
    assert report["count"] == {
        "customers": run.active_customers_before + 1,
        "invoices_of_customer": 1,
        "keys": ["totalCount"],  # a count query answers totalCount only
    }
    assert report["payment"] == {
        "Id": report["payment"]["Id"],
        "TotalAmt": 240,
        "UnappliedAmt": 0,
        "linked": {"TxnId": invoice["Id"], "TxnType": "Invoice"},
        "invoice_balance": 0,
        "invoice_SyncToken": "1",  # the payment's link updated the invoice
    }


def test_batch_with_one_faulted_item(run):
    batch = {row["bId"]: row for row in run.report["batch"]}
    assert set(batch) == {"ok", "dup", "q"}
    assert batch["ok"]["Customer"]["DisplayName"] == "Batch From Node"
    assert batch["ok"]["Customer"]["SyncToken"] == "0"
    assert batch["dup"]["fault"] == {
        "type": "ValidationFault",
        "code": "6240",
        "Detail": f"The name supplied already exists. : Id={run.report['create']['Id']}",
    }
    assert batch["q"]["query_ids"] == [run.report["create"]["Id"]]


def test_stale_sync_token_is_the_5010_fault_and_changes_nothing(run):
    stale = run.report["stale"]
    assert stale["fault"] == {
        "surfacedAs": "AxiosError",
        "status": 400,
        "type": "ValidationFault",
        "code": "5010",
        "Message": "Stale Object Error",
        "Detail": "Stale Object Error : You and API API were working on this at the same time. "
        "API API finished before you did, so your work was not saved.",
        "element": "",
    }
    assert stale["data"] is None
    assert (stale["sent_SyncToken"], stale["current_SyncToken"]) == ("0", "1")
    assert stale["Notes"] is None


def test_journal_shows_the_librarys_requests(run):
    calls = run.api_calls()
    assert len(calls) == 18  # with the upload, its link and the send (last three)
    # node-quickbooks adds minorversion and format=json to every call
    assert {(c.query.get("minorversion"), c.query.get("format")) for c in calls} == {("75", "json")}
    # entity.requestId becomes ?requestid= (idempotency key) on the create
    assert [c.requestid for c in calls if c.requestid] == ["node-contract-create-customer"]
    assert calls[0].method == "POST" and calls[0].path.endswith("/customer")
    # updates are POST ?operation=update; queries are GET with the library's paging suffix
    assert [c.query.get("operation") for c in calls if c.body and "sparse" in c.body] == [
        "update",
        "update",
        "update",  # the Attachable's link (test_upload_then_link_and_send_through_the_library)
    ]
    queries = [c.query["query"] for c in calls if c.path.endswith("/query")]
    assert all(q.endswith(" startposition 1 maxresults 1000") for q in queries if "item" not in q)
    assert "select count(*) from customer startposition 1 maxresults 1000" in queries
    assert [(c.status, c.fault_code) for c in calls if c.fault_code] == [
        (400, "6240"),
        (400, "5010"),
    ]
    # and on the wire: the library's User-Agent and a fresh uuid-v1 Request-Id on each call
    api_seen = [s for s in run.seen if s.path.startswith("/v3/")]
    assert len(api_seen) == len(calls)
    assert {s.user_agent for s in api_seen} == {USER_AGENT}
    assert all(_UUID_V1.match(s.request_id) for s in api_seen)
    assert len({s.request_id for s in api_seen}) == len(api_seen)


def test_invoice_pdf_through_the_librarys_get_invoice_pdf(run):
    assert run.report["pdf"]["isBuffer"] is True
    shown = read_pdf(base64.b64decode(run.report["pdf"]["base64"]))
    assert shown[0] == "Invoice"
    assert "Bill to: Harbor Property Group" in shown
    assert f"No.: {run.report['invoice']['DocNumber']}" in shown
    assert shown[-2:] == ["Total", "240.00"]
    (pdf_call,) = [c for c in run.api_calls() if c.path.endswith("/pdf")]
    assert pdf_call.path.endswith(f"/invoice/{run.report['invoice']['Id']}/pdf")
    assert pdf_call.status == 200


def test_upload_then_link_and_send_through_the_library(run):
    # upload(): a content-only /upload, then updateAttachable (sparse by default, served
    # full) with FileName, ContentType and the link, as node-quickbooks does since 2025
    invoice_id = run.report["invoice"]["Id"]
    assert run.report["upload"]["fault"] is None
    linked = run.report["upload"]["data"]
    assert linked["FileName"] == "site-photo.jpg" and linked["ContentType"] == "image/jpeg"
    assert linked["Size"] == 512 and linked["SyncToken"] == "1"
    assert linked["AttachableRef"] == [
        {"EntityRef": {"type": "Invoice", "value": invoice_id}, "IncludeOnSend": False}
    ]
    stored = attachments.file_of(run.sim.company(run.realm), linked["Id"])
    assert stored is not None
    assert stored.data == base64.b64decode(run.report["upload"]["base64"])
    upload_call, link_call = [
        c for c in run.api_calls() if "attachable" in c.path or c.path.endswith("/upload")
    ]
    assert (upload_call.path.endswith("/upload"), upload_call.status) == (True, 200)
    assert link_call.query.get("operation") == "update"
    # sendInvoicePdf(id, sendTo): the invoice answered as sent, one message in the outbox
    assert run.report["send"]["fault"] is None
    assert run.report["send"]["data"]["EmailStatus"] == "EmailSent"
    assert [(m["entity_id"], m["to"]) for m in run.sim.outbox(run.realm)] == [
        (invoice_id, "ap@example.com")
    ]
