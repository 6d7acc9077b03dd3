"""The Dockerfile keeps its promises. No Docker daemon runs where the suite runs, so the image
is not built here: the file is parsed and each promise is checked against the code (the user,
the port, the health check, the environment, the command), and the HEALTHCHECK's own command
is run against a live ``sim.serve()``."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from qbo_sim import Clock, Simulator
from qbo_sim.cli import main

ROOT = Path(__file__).resolve().parent.parent
SERVE = main.commands["serve"]


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    rows: list[tuple[str, str]] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, args = line.partition(" ")
        rows.append((keyword.upper(), args.strip()))
    return rows


def final_stage() -> list[tuple[str, str]]:
    rows = instructions()
    last_from = max(i for i, (keyword, _) in enumerate(rows) if keyword == "FROM")
    return rows[last_from:]


def one(keyword: str) -> str:
    found = [args for k, args in final_stage() if k == keyword]
    assert len(found) == 1, f"expected one {keyword} in the final stage, found {found}"
    return found[0]


def env_vars() -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, args in final_stage():
        if keyword == "ENV":
            for pair in shlex.split(args):
                name, _, value = pair.partition("=")
                env[name] = value
    return env


def cli_envvars() -> dict[str, object]:
    """Each environment variable ``qbo-sim serve`` reads, with its option's default."""
    return {p.envvar: p.default for p in SERVE.params if isinstance(p.envvar, str)}


def healthcheck_command() -> list[str]:
    args = one("HEALTHCHECK")
    assert " CMD " in f" {args} "
    command = json.loads(args[args.index("CMD ") + 4 :])
    assert isinstance(command, list), "HEALTHCHECK CMD in exec form"
    return command


def test_small_base_image_and_a_non_root_user():
    assert one("FROM") == "python:3.11-slim"
    user = one("USER")
    assert user and user.split(":")[0] not in ("root", "0")
    keywords = [k for k, _ in final_stage()]
    assert keywords.index("USER") < keywords.index("CMD")


def test_expose_is_the_default_port_and_the_container_binds_every_interface():
    defaults = cli_envvars()
    assert defaults["QBO_SIM_PORT"] == 8080 and defaults["QBO_SIM_HOST"] == "127.0.0.1"
    assert one("EXPOSE") == str(defaults["QBO_SIM_PORT"])
    env = env_vars()
    assert env["QBO_SIM_HOST"] == "0.0.0.0"
    assert env["QBO_SIM_PORT"] == one("EXPOSE")


def test_every_qbo_sim_env_var_in_the_image_is_read_by_the_cli():
    names = {name for name in env_vars() if name.startswith("QBO_SIM_")}
    assert names and names <= set(cli_envvars())


def test_cmd_is_a_real_command():
    command = json.loads(one("CMD"))
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    assert command[0] in scripts and scripts[command[0]] == "qbo_sim.cli:main"
    assert command[1] in main.commands
    assert main.commands[command[1]] is SERVE


def test_installs_the_package_with_the_lock_file_as_constraints():
    copies = [args.split() for k, args in instructions() if k == "COPY"]
    sources = [s for parts in copies if not parts[0].startswith("--from") for s in parts[:-1]]
    assert "pyproject.toml" in sources and "qbo_sim" in sources
    for source in sources:
        # requirements.lock lands with the reproducible-CI change; every other file is here
        assert (ROOT / source).exists() or source == "requirements.lock", source
    runs = " ".join(args for k, args in instructions() if k == "RUN")
    assert "-c /tmp/install/requirements.lock" in runs
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert {".git", "tests"} <= set(ignored)
    assert not {"qbo_sim", "pyproject.toml", "README.md", "requirements.lock"} & set(ignored)


def test_healthcheck_path_is_a_route():
    command = healthcheck_command()
    assert command[:2] == ["python", "-c"]
    assert "/_sim/health" in command[2]
    routes = {rule.rule for rule in Simulator().app.url_map.iter_rules()}
    assert "/_sim/health" in routes


def _run_healthcheck(port: int) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, *healthcheck_command()[1:]]
    env = {**os.environ, "QBO_SIM_PORT": str(port)}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def served() -> Simulator:
    return Simulator(clock=Clock())


def test_healthcheck_command_passes_against_a_ready_server(served):
    served.create_company("empty")
    server = served.serve(port=0)
    with server as url:
        result = _run_healthcheck(int(url.rsplit(":", 1)[1]))
    assert result.returncode == 0, result.stderr


def test_healthcheck_command_fails_while_starting_and_without_a_server(served):
    served.starting = True
    server = served.serve(port=0)
    with server as url:
        port = int(url.rsplit(":", 1)[1])
        assert _run_healthcheck(port).returncode == 1
    assert _run_healthcheck(port).returncode != 0  # nothing listens any more
