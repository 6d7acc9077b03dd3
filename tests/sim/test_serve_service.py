"""``qbo-sim serve`` as a service: configuration by environment, health and readiness, the
access log, clear start-up errors, and request pacing on a running clock."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import requests
from click.testing import CliRunner

from qbo_sim import Clock, Simulator
from qbo_sim.access_log import format_line
from qbo_sim.auth import DEV_TOKEN
from qbo_sim.cli import main
from qbo_sim.server import SimServer
from tests.sim.test_cli import _read_base_url
from tests.sim.test_intercept import DropEverything

HEADERS = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}


@contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, dict]]:
    """``qbo-sim serve`` in a subprocess on a free port: yields (base URL, output); once the
    block ends the server is stopped (SIGTERM) and ``output["stderr"]`` filled in."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("QBO_SIM_")}
    environ.update(env or {})
    proc = subprocess.Popen(
        [sys.executable, "-m", "qbo_sim", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
    )
    output: dict = {}
    try:
        yield _read_base_url(proc), output
    finally:
        proc.terminate()
        stdout, stderr = proc.communicate(timeout=60)
        output.update(stdout=stdout, stderr=stderr, returncode=proc.returncode)


def _realm(url: str) -> str:
    return requests.get(f"{url}/_sim/companies", timeout=30).json()["companies"][0]["realm_id"]


# --- configuration by environment --------------------------------------------------------
def test_every_setting_comes_from_the_environment():
    env = {
        "QBO_SIM_PORT": "0",
        "QBO_SIM_PRESET": "empty",
        "QBO_SIM_SEED": "5",
        "QBO_SIM_REQUEST_SECONDS": "0",
        "QBO_SIM_THROTTLE": "off",
        "QBO_SIM_DEV_TOKEN": "off",
        "QBO_SIM_LOG_FORMAT": "json",
        "QBO_SIM_THREADS": "2",
        "QBO_SIM_UPLOAD_LIMIT": "2048",
    }
    with serving(env=env) as (url, output):
        health = requests.get(f"{url}/_sim/health", timeout=30).json()
        realm = _realm(url)
        company = requests.get(f"{url}/_sim/companies/{realm}", timeout=30).json()
        refused = requests.get(f"{url}/v3/company/{realm}/preferences", headers=HEADERS)
    assert output["returncode"] == 0, output["stderr"]
    assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
    assert health["ready"] is True and health["companies"] == 1
    assert health["request_seconds"] == 0 and health["throttle"] is False
    assert health["dev_token"] is False
    assert health["upload_limit"] == 2048
    assert (company["preset"], company["seed"]) == ("empty", 5)
    assert refused.status_code == 401
    assert DEV_TOKEN not in output["stdout"]  # no dev-token hints when it is refused
    lines = [json.loads(line) for line in output["stderr"].splitlines()]
    assert {
        "method": "GET",
        "path": f"/v3/company/{realm}/preferences",
        "status": 401,
        "fault": "3200",
        "realm": realm,
    }.items() <= lines[-1].items()


def test_upload_limit_flag_lowers_the_6030_threshold_of_the_served_api():
    with serving("--port", "0", "--preset", "empty", "--upload-limit", "1000") as (url, _):
        realm = _realm(url)
        body = b'--b\r\nContent-Disposition: form-data; name="file_content_0"; ' + (
            b'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
            + b"x" * 2000
            + b"\r\n--b--\r\n"
        )
        answer = requests.post(
            f"{url}/v3/company/{realm}/upload",
            data=body,
            headers={**HEADERS, "Content-Type": "multipart/form-data; boundary=b"},
            timeout=30,
        )
    error = answer.json()["Fault"]["Error"][0]
    assert (answer.status_code, error["code"]) == (400, "6030")
    assert error["Detail"].endswith(f"The current request size is {len(body)}")


def test_flags_win_over_the_environment_and_quiet_silences_the_access_log():
    env = {"QBO_SIM_PRESET": "sample", "QBO_SIM_QUIET": "1"}
    with serving("--port", "0", "--preset", "empty", env=env) as (url, output):
        realm = _realm(url)
        assert requests.get(f"{url}/_sim/companies/{realm}", timeout=30).json()["preset"] == "empty"
        requests.get(f"{url}/v3/company/{realm}/preferences", headers=HEADERS, timeout=30)
    assert output["stderr"] == ""


def test_default_pace_lets_a_sequential_client_make_thirty_calls_without_429():
    """The measured problem (docs/server.md): over loopback a call takes a few ms of real
    time, so without pacing the 11th sequential call within one second answers 429."""
    with serving("--port", "0", "--preset", "empty") as (url, output):
        realm = _realm(url)
        with requests.Session() as session:
            codes = [
                session.get(f"{url}/v3/company/{realm}/preferences", headers=HEADERS).status_code
                for _ in range(30)
            ]
    assert codes == [200] * 30
    log = [line for line in output["stderr"].splitlines() if "/preferences" in line]
    assert len(log) == 30
    assert re.fullmatch(rf"GET /v3/company/{realm}/preferences 200 \d+\.\dms realm={realm}", log[0])


# --- request pacing on a running clock ---------------------------------------------------
def test_request_seconds_moves_a_running_clock_so_each_call_lasts_at_least_that_long():
    sim = Simulator(clock=Clock(), request_seconds=0.25)
    realm = sim.create_company("empty")
    client = sim.app.test_client()
    before = sim.clock.now()
    codes = [
        client.get(f"/v3/company/{realm}/preferences", headers=HEADERS).status_code
        for _ in range(30)
    ]
    assert codes == [200] * 30
    assert sim.clock.now() - before >= timedelta(seconds=7.5)


def test_advance_to_never_moves_a_clock_back():
    clock = Clock()
    later = clock.now() + timedelta(hours=1)
    assert clock.advance_to(later) >= later
    assert clock.advance_to(later - timedelta(hours=2)) >= later
    frozen = Clock(frozen_at=later)
    assert frozen.advance_to(later + timedelta(seconds=1)) == later + timedelta(seconds=1)
    assert frozen.advance_to(later) == later + timedelta(seconds=1)


# --- health and readiness ----------------------------------------------------------------
def test_health_is_always_200_and_ready_waits_for_the_start_up_company(clock):
    sim = Simulator(clock=clock)
    client = sim.app.test_client()
    sim.starting = True
    assert client.get("/_sim/health").status_code == 200
    assert client.get("/_sim/health").get_json()["status"] == "starting"
    not_yet = client.get("/_sim/ready")
    assert not_yet.status_code == 503 and not_yet.get_json()["ready"] is False
    realm = sim.create_company("empty")
    sim.starting = False
    ready = client.get("/_sim/ready")
    assert ready.status_code == 200
    body = ready.get_json()
    assert body == sim.health()
    assert (body["status"], body["ready"], body["companies"]) == ("ok", True, 1)
    sim.delete_company(realm)
    assert client.get("/_sim/ready").status_code == 503
    assert client.get("/_sim/health").get_json()["status"] == "no company"


# --- the access log ----------------------------------------------------------------------
def test_access_log_lines_text_and_json(sim, realm, throttle_off):
    text, js = io.StringIO(), io.StringIO()
    for stream, log_format in ((text, "text"), (js, "json")):
        with SimServer(sim.app, access_log=stream, log_format=log_format) as url:
            requests.get(f"{url}/v3/company/{realm}/preferences", headers=HEADERS, timeout=30)
            requests.post(
                f"{url}/v3/company/{realm}/customer", json={}, headers=HEADERS, timeout=30
            )
            requests.get(f"{url}/_sim/health", timeout=30)
    lines = text.getvalue().splitlines()
    assert len(lines) == 3
    assert re.fullmatch(
        rf"GET /v3/company/{realm}/preferences 200 \d+\.\dms realm={realm}", lines[0]
    )
    assert re.fullmatch(
        rf"POST /v3/company/{realm}/customer 400 fault=\d+ \d+\.\dms realm={realm}", lines[1]
    )
    assert re.fullmatch(r"GET /_sim/health 200 \d+\.\dms", lines[2])
    records = [json.loads(line) for line in js.getvalue().splitlines()]
    assert [r["status"] for r in records] == [200, 400, 200]
    assert records[1]["fault"] == sim.journal.entries(method="POST")[-1].fault_code
    assert records[0]["fault"] is None and records[2]["realm"] is None
    assert set(records[0]) == {"method", "path", "status", "fault", "ms", "realm"}


def test_access_log_marks_dropped_connections_and_stays_on_one_line(sim, realm, throttle_off):
    stream = io.StringIO()
    sim.hooks.add(DropEverything())
    with SimServer(sim.app, access_log=stream) as url:
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(f"{url}/v3/company/{realm}/preferences", headers=HEADERS, timeout=30)
    assert re.fullmatch(
        rf"GET /v3/company/{realm}/preferences dropped \d+\.\dms realm={realm}\n",
        stream.getvalue(),
    )
    line = format_line({"REQUEST_METHOD": "GET", "PATH_INFO": "/a\nb"}, 404, 1.0, "text")
    assert line == "GET /a\\nb 404 1.0ms"


def test_in_process_serve_logs_nothing(sim, realm, capfd):
    with sim.serve() as url:
        requests.get(f"{url}/_sim/health", timeout=30)
    assert capfd.readouterr().err == ""


# --- start-up errors: one line, non-zero exit, no traceback ------------------------------
def test_a_busy_port_is_a_one_line_error():
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--port", "70000"], {}, "Invalid value for '--port'"),
        ([], {"QBO_SIM_PORT": "http"}, "Invalid value for '--port'"),
        (["--log-format", "xml"], {}, "Invalid value for '--log-format'"),
        ([], {"QBO_SIM_THROTTLE": "sometimes"}, "Invalid value for '--throttle"),
        (["--request-seconds", "-1"], {}, "Invalid value for '--request-seconds'"),
        ([], {"QBO_SIM_UPLOAD_LIMIT": "0"}, "Invalid value for '--upload-limit'"),
        (["--state", "/nonexistent/state.json"], {}, "Invalid value for '--state'"),
    ],
)
def test_bad_flags_and_env_vars_are_usage_errors(args, env, message):
    result = CliRunner().invoke(main, ["serve", *args], env=env)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert message in result.output.splitlines()[-1]


def test_a_bad_state_file_is_a_one_line_error_after_the_port_is_freed(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--port", "0", "--state", str(bad)])
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1
    assert result.output.startswith(f"Error: cannot load {bad}: ")


def test_every_control_plane_route_is_in_its_doc():
    """docs/control-plane.md lists every /_sim/ endpoint (health and readiness included)."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "control-plane.md").read_text("utf-8")

    def normal(text: str) -> str:
        return re.sub(r"<[^>]+>", "<>", text.replace("/_sim/companies/<realm>/", ".../"))

    documented = normal(doc)
    rules = Simulator().app.url_map.iter_rules()
    missing = [
        r.rule
        for r in rules
        if r.endpoint.startswith("control.")
        # the catch-all; and the QBO user actions, documented one row each
        and r.endpoint not in ("control.core.unknown", "control.actions.act_as_user")
        and normal(r.rule) not in documented
        and normal(r.rule.replace("/_sim/companies/<realm>/", ".../")) not in documented
    ]
    assert missing == []
