"""``qbo-sim serve --persist`` (state that survives a restart) and the control-plane options
(``--control-token``, ``--allow-host``), over real HTTP to a server subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import requests

from qbo_sim.auth import DEV_TOKEN
from tests.sim.test_serve_service import serving

HEADERS = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}


def _companies(url: str, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.get(f"{url}/_sim/companies", headers=headers or {}, timeout=30)


def test_persisted_state_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "books.sqlite"
    with serving("--port", "0", "--preset", "empty", "--persist", str(state), "-q") as (url, out):
        realm = _companies(url).json()["companies"][0]["realm_id"]
        res = requests.post(
            f"{url}/v3/company/{realm}/customer",
            json={"DisplayName": "Survivor"},
            headers=HEADERS,
            timeout=30,
        )
        assert res.status_code == 200
        created = res.json()["Customer"]["Id"]
    assert f"persisted in:  {state}" in out["stdout"]
    # a different preset and seed: the file's state wins
    with serving("--port", "0", "--preset", "sample", "--seed", "5", "--persist", str(state),
                 "-q") as (url, _):  # fmt: skip
        assert [c["realm_id"] for c in _companies(url).json()["companies"]] == [realm]
        res = requests.get(
            f"{url}/v3/company/{realm}/customer/{created}", headers=HEADERS, timeout=30
        )
        assert res.json()["Customer"]["DisplayName"] == "Survivor"


def test_a_file_that_cannot_hold_state_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database\n" * 200)
    env = {k: v for k, v in os.environ.items() if not k.startswith("QBO_SIM_")}
    done = subprocess.run(
        [sys.executable, "-m", "qbo_sim", "serve", "--port", "0", "--persist", str(bad), "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: cannot keep state in {bad}: {bad} is not a qbo-sim state file: "
        "file is not a database"
    ]


def test_control_token_guards_the_control_plane_and_clients_send_it(tmp_path: Path) -> None:
    env = {"QBO_SIM_CONTROL_TOKEN": "s3cret"}
    with serving("--port", "0", "-q", env=env) as (url, _):
        assert _companies(url).status_code == 401
        assert _companies(url, {"X-QBO-Sim-Token": "s3cret"}).status_code == 200
        assert requests.get(f"{url}/_sim/health", timeout=30).status_code == 200
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("QBO_SIM_")}
        refused = subprocess.run(
            [sys.executable, "-m", "qbo_sim", "export", "--url", url],
            capture_output=True, text=True, env=base_env, timeout=120,
        )  # fmt: skip
        assert refused.returncode == 1
        assert "401 control token required" in refused.stderr
        exported = subprocess.run(
            [sys.executable, "-m", "qbo_sim", "export", "--url", url],
            capture_output=True, text=True, env={**base_env, **env}, timeout=120,
        )  # fmt: skip
        assert exported.returncode == 0, exported.stderr
        assert '"qbo_sim_snapshot": 1' in exported.stdout


def test_allow_host_opens_the_control_plane_to_a_service_name() -> None:
    with serving("--port", "0", "-q", "--allow-host", "qbo-sim") as (url, _):
        assert _companies(url, {"Host": "qbo-sim:8080"}).status_code == 200
        refused = _companies(url, {"Host": "evil.example"})
        assert refused.status_code == 403
        assert refused.json()["error"] == "unexpected Host"
