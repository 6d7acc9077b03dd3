"""Issue 19, end to end: a second qbo-sim server stands in for QBO, a stub in front of it answers
like QBO for faults the simulator does not produce; the reference connector syncs through
``qbo-sim record``'s proxy; the recording becomes a scenario that runs, and parity replays it.
No secret reaches any file written."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import requests

from qbo_sim import SimServer
from qbo_sim.connectors.fieldservice_sync import make_integration
from qbo_sim.harness.connection import Connection
from qbo_sim.recording import read_recording
from qbo_sim.recording.proxy import RecordingProxy
from tests.recording.helpers import assert_no_secret, company

ROOT = Path(__file__).resolve().parents[2]
#: A 500 as QBO answers it (python-quickbooks#250 style SystemFault; no ``element``).
SYSTEM_FAULT = {
    "Fault": {
        "Error": [
            {
                "Message": "An application error has occurred while processing your request",
                "Detail": "System Failure Error: java.lang.NullPointerException",
                "code": "10000",
            }
        ],
        "type": "SystemFault",
    },
    "time": "2026-03-02T09:00:00.000-08:00",
}
#: QBO's load balancer during an outage (reference §1.5).
OUTAGE_PAGE = (
    b"<html><head><title>503 Service Temporarily Unavailable</title></head><body><center>"
    b"<h1>503 Service Temporarily Unavailable</h1></center></body></html>"
)


def stub(upstream: str):
    """A WSGI app forwarding to ``upstream``, except the first invoice create (500 10000) and
    the first item query (503 HTML), which it answers itself."""
    answered: set[str] = set()
    session = requests.Session()
    session.trust_env = False

    def app(environ, start_response):
        method, target = environ["REQUEST_METHOD"], environ["REQUEST_URI"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        path = target.split("?")[0]
        if method == "POST" and path.endswith("/invoice") and "invoice" not in answered:
            answered.add("invoice")
            start_response("500 Internal Server Error", [("Content-Type", "application/json")])
            return [json.dumps(SYSTEM_FAULT).encode()]
        if path.endswith("/query") and "Item" in requests.utils.unquote(target):
            if "item" not in answered:
                answered.add("item")
                start_response(
                    "503 Service Temporarily Unavailable", [("Content-Type", "text/html")]
                )
                return [OUTAGE_PAGE]
        headers = {
            k[5:].replace("_", "-").title(): v
            for k, v in environ.items()
            if k.startswith("HTTP_") and k not in ("HTTP_HOST", "HTTP_CONTENT_LENGTH")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        answer = session.request(
            method, upstream + target, headers=headers, data=body or None, allow_redirects=False
        )
        framing = ("content-length", "transfer-encoding", "connection", "content-encoding")
        kept = [(k, v) for k, v in answer.raw.headers.items() if k.lower() not in framing]
        start_response(
            f"{answer.status_code} {answer.reason}",
            kept + [("Content-Length", str(len(answer.content)))],
        )
        return [answer.content]

    return app


#: the signed work order (every byte value: an upload must not re-encode it)
WORK_ORDER = b"%PDF-1.4\n" + bytes(range(256)) * 8
RECORDS = [
    {"kind": "customer", "key": "C1", "data": {"name": "Lakeside Dental"}},
    {"kind": "customer", "key": "C2", "data": {"name": "Summit Supply"}},
    {
        "kind": "item",
        "key": "AC",
        "data": {"name": "AC Repair", "income_account": "Service Income"},
    },
    {
        "kind": "invoice",
        "key": "2051",
        "data": {"number": "2051", "customer": "C1", "lines": [{"item": "AC", "amount": 250}]},
    },
    {
        "kind": "attachment",
        "key": "WO1",
        "data": {
            "invoice": "2051",
            "file_name": "work-order.pdf",
            "content_type": "application/pdf",
            "content_base64": base64.b64encode(WORK_ORDER).decode("ascii"),
            "note": "signed on site",
        },
    },
]


def record_a_sync(out: Path):
    """The customer's sync, through the proxy: a name a vendor has (6240, from the upstream's
    books), an outage page and a SystemFault (the stub), an access token that expires (401,
    then a refresh through the proxy)."""
    sim, creds = company()
    user = sim.as_user(creds.realm)
    user.create("Account", {"Name": "Service Income", "AccountType": "Income"})
    user.create("Vendor", {"DisplayName": "Summit Supply"})
    with (
        sim.serve(port=0) as upstream,
        SimServer(stub(upstream)) as stub_url,
        RecordingProxy(stub_url, out, clock=sim.clock) as proxy,
    ):
        connection = Connection(
            api_base_url=proxy,
            realm_id=creds.realm,
            access_token=creds.access_token,
            refresh_token=creds.refresh_token,
            client_id=creds.client_id,
            client_secret=creds.client_secret,
            oauth_token_url=f"{proxy}/oauth2/v1/tokens/bearer",
            now=sim.clock.now,
            sleep=sim.clock.advance,
            http=requests.Session(),
        )
        sync = make_integration()
        sync.connect(connection)
        for change in RECORDS:
            sync.apply(change)
        sync.sync()
        sim.clock.advance(3700)  # the access token expires
        sync.apply(
            {
                "kind": "invoice",
                "key": "2052",
                "data": {
                    "number": "2052",
                    "customer": "C1",
                    "lines": [{"item": "AC", "amount": 90}],
                },
            }
        )
        sync.sync()
        states = {
            k: sync.status(kind, k)["state"]
            for kind, k in [
                ("customer", "C1"),
                ("customer", "C2"),
                ("invoice", "2051"),
                ("invoice", "2052"),
                ("attachment", "WO1"),
            ]
        }
        sync.close()
    secrets = creds.secrets() + [t["token"] for t in sim.oauth.tokens(creds.realm) if "token" in t]
    secrets += [r.get("refresh_token", "") for r in sim.oauth.tokens(creds.realm)]
    return creds, states, [s for s in secrets if s]


def qbo_sim(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "qbo_sim", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def test_record_a_sync_with_faults_build_the_scenario_run_it_and_run_parity(tmp_path):
    out = tmp_path / "recordings"
    creds, states, secrets = record_a_sync(out)
    assert states == {
        "C1": "synced",
        "C2": "failed",
        "2051": "synced",
        "2052": "synced",
        "WO1": "synced",
    }
    recording_file = out / "recording-1.jsonl"
    recording = read_recording(recording_file)
    statuses = [e.status for e in recording.exchanges]
    assert {400, 401, 500, 503} <= set(statuses)
    assert any(e.url.endswith("/oauth2/v1/tokens/bearer") for e in recording.exchanges)
    assert any(e.path.endswith("/upload") for e in recording.exchanges)

    # the scenario: built, validated as written
    made = qbo_sim(
        "scenarios",
        "from-recording",
        str(recording_file),
        "--out",
        str(tmp_path / "sc"),
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    scenario = tmp_path / "sc" / "recording-1.scenario.yaml"
    text = scenario.read_text(encoding="utf-8")
    for rule in (
        # the second Customer create met the 6240: the first goes through (skip 1)
        'inject: {fault: "duplicate_name", params: {id: "1"}, entity: "Customer", '
        'operation: "create", skip: 1, times: 1}',
        'inject: {fault: "http_503", entity: "Item", operation: "query", times: 1}',
        'inject: {fault: "system_fault", params: {detail: "java.lang.NullPointerException"}, '
        'entity: "Invoice", operation: "create", times: 1}',
        'inject: {fault: "token_invalid", operation: "cdc", times: 1}',
    ):
        assert rule in text
    assert (
        text.index("duplicate_name")
        < text.index("http_503")
        < text.index("system_fault")
        < text.index("token_invalid")
    )
    # the records, derived from what the integration sent, in two passes an hour apart
    applied = [
        json.loads(line.strip()[2:]) for line in text.splitlines() if line.startswith("      - {")
    ]
    assert [(r["kind"], r["key"]) for r in applied] == [
        ("customer", "C1"),
        ("customer", "C2"),
        ("item", "I1"),
        ("invoice", "2051"),
        ("attachment", "A1"),
        ("invoice", "2052"),
    ]
    assert applied[3]["data"] == {
        "number": "2051",
        "customer": "C1",
        "lines": [{"item": "I1", "amount": 250}],
    }
    assert base64.b64decode(applied[4]["data"]["content_base64"]) == WORK_ORDER
    assert applied[4]["data"]["invoice"] == "2051"
    assert text.index('"key": "A1"') < text.index("advance_clock") < text.index('"key": "2052"')
    assert "TODO(support)" in text and "FILL IN: #" not in text
    assert qbo_sim("scenarios", "validate", str(scenario), cwd=tmp_path).returncode == 0
    snapshot = json.loads(
        (tmp_path / "sc" / "fixtures" / "recording-1.json").read_text(encoding="utf-8")
    )
    (books,) = snapshot["companies"]
    assert books["realm_id"] == creds.realm
    assert [r["Name"] for r in books["entities"]["Account"]] == ["Service Income"]
    # created by the recording: the integration makes them again
    assert "Invoice" not in books["entities"] and "Attachable" not in books["entities"]

    # the support engineer writes the expectation only, and runs it: the reference
    # connector passes, the naive one (no retries, no token refresh) fails
    filled = text.replace(
        "      # TODO(support): what the integration must do after these faults, e.g.\n",
        '      - status: {kind: customer, key: C2, is: failed, error_code: "6240"}\n'
        '      - status: {kind: invoice, key: "2051", is: synced}\n'
        '      - status: {kind: invoice, key: "2052", is: synced}\n'
        "      - attachment: {key: A1}\n",
    )
    scenario.write_text(filled, encoding="utf-8")
    verdicts = {}
    for name in ("fieldservice_sync", "naive_sync"):
        ran = qbo_sim(
            "scenarios",
            "run",
            str(scenario),
            "--integration",
            f"qbo_sim.connectors.{name}:make_integration",
            cwd=tmp_path,
        )
        verdicts[name] = (ran.returncode == 0, ran.stdout.splitlines()[-1:])
    assert verdicts == {
        "fieldservice_sync": (True, ["1 passed, 0 failed"]),
        "naive_sync": (False, ["0 passed, 1 failed"]),
    }, verdicts

    # the books after the sync keep the uploaded work order
    after = qbo_sim(
        "scenarios",
        "from-recording",
        str(recording_file),
        "--out",
        str(tmp_path / "after"),
        "--state",
        "after",
        cwd=tmp_path,
    )
    assert after.returncode == 0, after.stderr
    books_after = json.loads(
        (tmp_path / "after" / "fixtures" / "recording-1.json").read_text(encoding="utf-8")
    )["companies"][0]
    (attachable,) = books_after["entities"]["Attachable"]
    stored = books_after["extras"]["attachment_files"][attachable["Id"]]
    assert base64.b64decode(stored["data"]) == WORK_ORDER

    # parity: every exchange replayed, the upload's too; the only difference is the stub's
    # SystemFault body, which has no "element" where the simulator writes an empty one (a
    # real difference: python-quickbooks#250's SystemFault has none)
    parity = qbo_sim("parity", str(recording_file), "--json", cwd=tmp_path)
    assert parity.returncode == 1, parity.stderr
    report = json.loads(parity.stdout)
    assert report["exchanges"] == len(recording.exchanges)
    differing = [r for r in report["results"] if r["differences"]]
    assert [(r["recorded_status"], r["injected"], r["differences"]) for r in differing] == [
        (
            500,
            "system_fault",
            [
                {
                    "what": "extra",
                    "path": "Fault.Error[0].element",
                    "recorded": "absent",
                    "simulator": "empty",
                }
            ],
        )
    ]
    (upload,) = [r for r in report["results"] if "/upload" in r["url"]]
    assert upload["sim_status"] == 200 and upload["fields_matched"] == upload["fields_compared"]
    injected = sorted(r["injected"] for r in report["results"] if r["injected"])
    assert injected == ["duplicate_name", "http_503", "system_fault"]  # the 401 needs none
    plain = qbo_sim("parity", str(recording_file), cwd=tmp_path)
    assert "1 differ" in plain.stdout

    assert_no_secret(tmp_path, secrets)
