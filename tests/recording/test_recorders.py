"""The two recorders: in process (``qbo_sim.recording.record`` on ``requests``) and the proxy
of ``qbo-sim record``; both write the same redacted format."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from qbo_sim.recording import RecordingError, read_recording, record
from qbo_sim.recording.proxy import RecordingProxy, Router
from tests.recording.helpers import assert_no_secret, company

SANDBOX = "https://sandbox-quickbooks.api.intuit.com"
TOKEN_URL = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
ROOT = Path(__file__).resolve().parents[2]


def test_in_process_recording_of_api_oauth_and_upload_calls(tmp_path):
    sim, creds = company()
    path = tmp_path / "rec.jsonl"
    bearer = {"Authorization": f"Bearer {creds.access_token}", "Accept": "application/json"}
    with sim.mock(), record(path) as writer:
        base = f"{SANDBOX}/v3/company/{creds.realm}"
        ok = requests.post(f"{base}/customer", json={"DisplayName": "Acme"}, headers=bearer)
        dup = requests.post(f"{base}/customer", json={"DisplayName": "Acme"}, headers=bearer)
        fresh = requests.post(
            TOKEN_URL,
            data={"grant_type": "refresh_token", "refresh_token": creds.refresh_token},
            auth=(creds.client_id, creds.client_secret),
            headers={"Accept": "application/json"},
        ).json()
        pdf = b"%PDF-1.4\n\x00\xff\xfe binary " + creds.refresh_token.encode()
        upload = requests.post(
            f"{base}/upload",
            files={
                "file_metadata_01": (
                    None,
                    json.dumps({"FileName": "a.pdf", "ContentType": "application/pdf"}),
                    "application/json",
                ),
                "file_content_01": ("a.pdf", pdf, "application/pdf"),
            },
            headers={
                "Authorization": f"Bearer {fresh['access_token']}",
                "Accept": "application/json",
            },
        )
    assert (ok.status_code, dup.status_code, upload.status_code) == (200, 400, 200)
    assert writer.count == 4
    recording = read_recording(path)
    assert [e.status for e in recording.exchanges] == [200, 400, 200, 200]
    assert recording.header["recorder"] == "in-process"
    assert recording.realms == [creds.realm]
    first = recording.exchanges[0]
    assert first.intuit_tid and first.realm == creds.realm and first.duration_ms >= 0
    assert json.loads(first.response.body)["Customer"]["DisplayName"] == "Acme"
    line = json.loads(path.read_text(encoding="utf-8").splitlines()[4])
    assert "base64" in line["request"]["body"]  # the multipart upload with PDF bytes
    assert_no_secret(tmp_path, creds.secrets() + [fresh["access_token"], fresh["refresh_token"]])


def test_only_the_chosen_hosts_are_recorded_and_production_is_refused(tmp_path):
    sim, creds = company()
    with sim.serve(port=0) as url, sim.mock():
        with record(tmp_path / "r.jsonl", hosts=["127.0.0.1"]) as writer:
            requests.get(f"{url}/_sim/health")
            requests.get(f"{SANDBOX}/v3/company/{creds.realm}/companyinfo/{creds.realm}")
            with pytest.raises(RecordingError, match="production QuickBooks API"):
                requests.get(
                    f"https://quickbooks.api.intuit.com/v3/company/{creds.realm}/companyinfo/1"
                )
    assert writer.count == 1
    assert read_recording(tmp_path / "r.jsonl").exchanges[0].url.endswith("/_sim/health")


def test_a_failed_connection_is_recorded_without_a_response(tmp_path):
    with record(tmp_path / "r.jsonl", hosts=["*"]):
        with pytest.raises(requests.ConnectionError):
            requests.get("http://127.0.0.1:9/nothing-listens-here", timeout=5)
    (only,) = read_recording(tmp_path / "r.jsonl").exchanges
    assert only.response is None and only.error.startswith("ConnectionError")


def test_the_proxy_forwards_records_and_keeps_discovery_on_itself(tmp_path):
    sim, creds = company()
    with sim.serve(port=0) as upstream, RecordingProxy(upstream, tmp_path) as proxy:
        headers = {"Authorization": f"Bearer {creds.access_token}", "Accept": "application/json"}
        created = requests.post(
            f"{proxy}/v3/company/{creds.realm}/customer",
            json={"DisplayName": "Acme"},
            headers=headers,
        )
        discovery = requests.get(f"{proxy}/.well-known/openid_sandbox_configuration/").json()
        refreshed = requests.post(
            discovery["token_endpoint"],
            data={"grant_type": "refresh_token", "refresh_token": creds.refresh_token},
            auth=(creds.client_id, creds.client_secret),
            headers={"Accept": "application/json"},
        )
    assert created.status_code == 200 and created.json()["Customer"]["Id"]
    assert discovery["token_endpoint"] == f"{proxy}/oauth2/v1/tokens/bearer"
    assert refreshed.status_code == 200
    recording = read_recording(tmp_path / "recording-1.jsonl")
    assert recording.header["upstream"] == upstream and recording.header["recorder"] == "proxy"
    urls = [e.url for e in recording.exchanges]
    assert urls == [
        f"{upstream}/v3/company/{creds.realm}/customer",
        f"{upstream}/.well-known/openid_sandbox_configuration/",
        f"{upstream}/oauth2/v1/tokens/bearer",
    ]
    # the recording keeps the upstream's discovery document, not the rewritten one
    assert upstream.encode() in recording.exchanges[1].response.body
    assert_no_secret(tmp_path, creds.secrets() + [refreshed.json()["refresh_token"]])


def test_an_unreachable_upstream_answers_502_and_is_recorded(tmp_path):
    with RecordingProxy("http://127.0.0.1:9", tmp_path) as proxy:
        answer = requests.get(f"{proxy}/v3/company/1/companyinfo/1")
    assert answer.status_code == 502 and "did not answer" in answer.text
    (only,) = read_recording(tmp_path / "recording-1.jsonl").exchanges
    assert only.response is None and only.error


def test_routes_for_an_intuit_upstream_and_the_production_refusal(tmp_path):
    router = Router(SANDBOX)
    assert router.base_for("/v3/company/1/query") == SANDBOX
    assert router.base_for("/oauth2/v1/tokens/bearer") == "https://oauth.platform.intuit.com"
    assert router.base_for("/connect/oauth2") == "https://appcenter.intuit.com"
    assert (
        router.base_for("/v1/openid_connect/userinfo")
        == "https://sandbox-accounts.platform.intuit.com"
    )
    assert (
        Router("http://127.0.0.1:8080").base_for("/oauth2/v1/tokens/bearer")
        == "http://127.0.0.1:8080"
    )
    assert Router(SANDBOX, "http://127.0.0.1:9").base_for("/connect/oauth2") == "http://127.0.0.1:9"
    with pytest.raises(RecordingError, match="production"):
        RecordingProxy("https://quickbooks.api.intuit.com", tmp_path)
    assert RecordingProxy("https://quickbooks.api.intuit.com", tmp_path, allow_production=True)


def _cli(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "qbo_sim", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kwargs,
    )


def test_qbo_sim_record_runs_until_sigterm_and_says_what_it_wrote(tmp_path):
    sim, creds = company()
    with sim.serve(port=0) as upstream:
        proc = _cli("record", "--upstream", upstream, "--out", str(tmp_path), "--port", "0")
        banner = proc.stdout.readline()
        assert banner.startswith("qbo-sim recording proxy on http://127.0.0.1:"), banner
        proxy = banner.split(" on ", 1)[1].strip()
        info = requests.get(
            f"{proxy}/v3/company/{creds.realm}/companyinfo/{creds.realm}",
            headers={"Authorization": f"Bearer {creds.access_token}", "Accept": "application/json"},
        )
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert info.status_code == 200
    assert proc.returncode == 0, err
    assert f"recorded 1 exchange(s) in {tmp_path / 'recording-1.jsonl'}" in out
    assert_no_secret(tmp_path, creds.secrets())


def test_qbo_sim_record_refuses_production_without_the_flag(tmp_path):
    proc = _cli("record", "--upstream", "https://quickbooks.api.intuit.com", "--out", str(tmp_path))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "production QuickBooks API" in err and "--allow-production" in err
    assert not list(tmp_path.iterdir())


def test_the_proxy_relays_a_qbo_sim_control_plane_unrecorded_and_hides_link_signatures(tmp_path):
    sim, creds = company()
    sim.throttle.set_enabled(False)
    headers = {"Authorization": f"Bearer {creds.access_token}", "Accept": "application/json"}
    with sim.serve(port=0) as upstream, RecordingProxy(upstream, tmp_path) as proxy:
        health = requests.get(f"{proxy}/_sim/health")
        uploaded = requests.post(
            f"{proxy}/v3/company/{creds.realm}/upload",
            files={"file_content_0": ("a.txt", b"hello", "text/plain")},
            headers=headers,
        )
    assert health.status_code == 200 and health.json()
    link = uploaded.json()["AttachableResponse"][0]["Attachable"]["TempDownloadUri"]
    signature = link.rsplit("X-Amz-Signature=", 1)[1]
    recording = read_recording(tmp_path / "recording-1.jsonl")
    assert [e.url.rsplit("/", 1)[-1] for e in recording.exchanges] == ["upload"]
    # a working presigned link to a customer's file is a secret too
    assert_no_secret(tmp_path, [signature])
    assert b"X-Amz-Signature=<redacted:link_signature:" in recording.exchanges[0].response.body


def test_a_busy_port_leaves_no_recording_file(tmp_path):
    import socket

    from qbo_sim.recording.proxy import RecordingProxy

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proxy = RecordingProxy("http://127.0.0.1:9", tmp_path / "out", port=port)
        with pytest.raises(OSError):
            proxy.start()
    assert not proxy.path.exists()  # bound first: no header-only recording left behind
    assert list(tmp_path.rglob("*.jsonl")) == []
    with RecordingProxy("http://127.0.0.1:9", tmp_path / "out") as url:  # a free port: recorded
        assert url.startswith("http://127.0.0.1:")
    assert read_recording(tmp_path / "out" / "recording-1.jsonl").exchanges == []


@pytest.mark.parametrize("outside", [True, False], ids=["record-outside-mock", "record-inside"])
def test_the_in_process_recorder_records_with_the_mock_in_either_order(tmp_path, outside):
    sim, creds = company()
    path = tmp_path / "r.jsonl"
    bearer = {"Authorization": f"Bearer {creds.access_token}", "Accept": "application/json"}
    url = f"{SANDBOX}/v3/company/{creds.realm}/customer"
    if outside:
        with record(path), sim.mock():
            answer = requests.post(url, json={"DisplayName": "Acme"}, headers=bearer)
    else:
        with sim.mock(), record(path):
            answer = requests.post(url, json={"DisplayName": "Acme"}, headers=bearer)
    assert answer.status_code == 200
    (only,) = read_recording(path).exchanges
    assert (only.status, only.response.json()["Customer"]["DisplayName"]) == (200, "Acme")
