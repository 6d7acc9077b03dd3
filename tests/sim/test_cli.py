"""``qbo-sim export`` / ``import`` against a running server, and ``serve --state``."""

from __future__ import annotations

import json
import re
import select
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests
from click.testing import CliRunner

from qbo_sim import Simulator
from qbo_sim.auth import DEV_TOKEN
from qbo_sim.cli import main
from qbo_sim.snapshot import dumps

HEADERS = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}


@pytest.fixture
def served(sim, realm) -> Iterator[str]:
    sim.as_user(realm).create("Customer", {"DisplayName": "Acme Plumbing"})
    with sim.serve() as url:
        yield url


def test_export_prints_the_servers_snapshot(served, sim, realm):
    result = CliRunner().invoke(main, ["export", "--url", served])
    assert result.exit_code == 0, result.output
    assert result.output == dumps(sim.export_state(), pretty=True) + "\n"
    compact = CliRunner().invoke(main, ["export", "--url", served, "--compact"])
    assert compact.output == dumps(sim.export_state()) + "\n"
    one = CliRunner().invoke(main, ["export", "--url", served + "/", "--realm", realm])
    assert json.loads(one.output) == sim.export_state(realm)


def test_import_loads_a_file_into_a_running_server(served, sim, realm, tmp_path, clock):
    snapshot = tmp_path / "books.json"
    snapshot.write_text(dumps(sim.export_state()), encoding="utf-8")
    other = Simulator(clock=clock)
    other.create_company("empty")
    with other.serve() as url:
        result = CliRunner().invoke(main, ["import", "--url", url, "--replace", str(snapshot)])
    assert result.exit_code == 0, result.output
    assert result.output == f"imported realm {realm}\n"
    assert dumps(other.export_state()) == dumps(sim.export_state())


def test_cli_errors_are_clear(served, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--url", served, "--realm", "nope"])
    assert result.exit_code == 1
    assert "Error: 404 unknown realm: nope" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text('{"qbo_sim_snapshot": 3, "companies": []}', encoding="utf-8")
    result = runner.invoke(main, ["import", "--url", served, str(bad)])
    assert "Error: 400 bad snapshot: unsupported snapshot version 3" in result.output
    bad.write_text("not json", encoding="utf-8")
    result = runner.invoke(main, ["import", "--url", served, str(bad)])
    assert result.exit_code == 1 and "is not JSON" in result.output
    result = runner.invoke(main, ["serve", "--port", "0", "--state", str(bad)])
    assert result.exit_code == 1 and f"cannot load {bad}" in result.output
    result = runner.invoke(main, ["export", "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 1 and "cannot reach qbo-sim at http://127.0.0.1:9" in result.output


def _read_base_url(proc: subprocess.Popen) -> str:
    """The URL the server prints once it listens (bounded wait; no sleeping)."""
    assert proc.stdout is not None
    for _ in range(50):
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, "qbo-sim serve printed nothing for 60 s"
        line = proc.stdout.readline()
        assert line, f"qbo-sim serve exited with {proc.wait()}"
        found = re.search(r"serving on (http://\S+)", line)
        if found:
            return found.group(1)
    raise AssertionError("qbo-sim serve never printed its URL")


def test_a_server_restarted_with_state_serves_the_same_data(sim, realm, tmp_path):
    customer = sim.as_user(realm).create("Customer", {"DisplayName": "Acme Plumbing"})
    state = tmp_path / "state.json"
    state.write_text(dumps(sim.export_state()), encoding="utf-8")
    command = [sys.executable, "-c", "from qbo_sim.cli import main; main()"]
    proc = subprocess.Popen(
        [*command, "serve", "--port", "0", "--state", str(state), "--request-seconds", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = _read_base_url(proc)
        res = requests.get(
            f"{url}/v3/company/{realm}/customer/{customer['Id']}", headers=HEADERS, timeout=30
        )
        assert res.status_code == 200
        assert res.json()["Customer"] == customer
        exported = requests.get(f"{url}/_sim/snapshot", timeout=30).json()
        assert dumps(exported) == dumps(sim.export_state())
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        assert proc.stdout is not None
        proc.stdout.close()


def test_python_m_qbo_sim_and_dash_h_on_every_command():
    proc = subprocess.run(
        [sys.executable, "-m", "qbo_sim", "-h"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Usage: qbo-sim [OPTIONS] COMMAND")

    def commands(group, path):
        yield path
        for name, command in getattr(group, "commands", {}).items():
            yield from commands(command, [*path, name])

    for path in commands(main, []):
        result = CliRunner().invoke(main, [*path, "-h"])
        assert result.exit_code == 0, (path, result.output)
        assert result.output.startswith("Usage:"), path
