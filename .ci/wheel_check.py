"""Install qbo-sim as a user's project gets it, and use it from an unrelated directory.

Builds the wheel from this checkout, checks that ``qbo_sim`` is its only top-level package,
installs it (with the locked dependency versions) into a fresh virtualenv outside the repo, and
from a project of its own, one that has its own ``harness/`` and ``examples/`` packages, runs:
``qbo-sim --help``, ``python -m qbo_sim -h``, ``serve`` (start, health, one API call,
``export``, ``import`` and ``scenarios capture`` against it, stop), ``scenarios new``,
``scenarios list|validate|run --library`` with the reference connector, ``copy-library``, the
scenario pytest plugin on one scenario, and the project's own tests next to it; and the Docker
image's CMD with its ENV and its HEALTHCHECK (no Docker daemon runs here).

Run by ``.ci/run``; locally: ``python3 .ci/wheel_check.py`` (needs the package index for the
virtualenv's dependencies). Prints one line per check; exits non-zero at the first failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "requirements.lock"
REFERENCE = "qbo_sim.connectors.fieldservice_sync:make_integration"
NAIVE = "qbo_sim.connectors.naive_sync:make_integration"
ONE_SCENARIO = "article/invoice_deleted_in_qbo.scenario.yaml"

#: A user's project: generic package names qbo-sim must not shadow, and a test that uses them.
USER_PROJECT = {
    "harness/__init__.py": "NAME = 'the project harness'\n",
    "examples/__init__.py": "NAME = 'the project examples'\n",
    "tests/test_own.py": (
        "import harness, examples\n\n"
        "def test_own_packages_win():\n"
        "    assert harness.NAME == 'the project harness'\n"
        "    assert examples.NAME == 'the project examples'\n\n"
        "def test_qbo_sim_fixture(qbo_mock, qbo_company):\n"
        "    assert qbo_company\n"
    ),
}


def step(name: str, *cmd: str, cwd: Path, env: dict[str, str], expect: int = 0) -> str:
    started = time.monotonic()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    took = time.monotonic() - started
    if done.returncode != expect:
        print(f"FAIL {name}: exit {done.returncode}, expected {expect}\n$ {' '.join(cmd)}")
        print(done.stdout[-4000:], done.stderr[-4000:], sep="\n")
        sys.exit(1)
    print(f"ok   {name} ({took:.1f} s)")
    return done.stdout


def check_wheel_contents(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    strays = sorted(t for t in tops if t != "qbo_sim" and not t.endswith(".dist-info"))
    if strays:
        sys.exit(f"FAIL wheel has top-level names besides qbo_sim: {strays}")
    needed = [
        "qbo_sim/harness/scenario.schema.json",
        "qbo_sim/harness/records.schema.json",
        "qbo_sim/presets/sample.py",
        f"qbo_sim/scenarios/{ONE_SCENARIO}",
        "qbo_sim/scenarios/support/fixtures/ticket_invoice_1042_deleted.json",
        "qbo_sim/py.typed",
        "qbo_sim/snapshot.schema.json",
        "qbo_sim/recording/recording.schema.json",
        "qbo_sim/templates/consent.html",
        "qbo_sim/templates/dashboard.html",
        "qbo_sim/templates/dashboard.js",
    ]
    missing = [n for n in needed if n not in names]
    if missing:
        sys.exit(f"FAIL wheel lacks package data: {missing}")
    print(f"ok   wheel {wheel.name}: only qbo_sim, {len(names)} files, package data present")


def serve_once(qbo_sim: Path, cwd: Path, env: dict[str, str]) -> None:
    """Start ``qbo-sim serve`` on a free port, wait for health, make one API call, stop."""
    proc = subprocess.Popen(
        [str(qbo_sim), "serve", "--port", "0"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any("API base URL" in x for x in lines):
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
        api = next((x.split(": ", 1)[1].strip() for x in lines if "API base URL" in x), None)
        if api is None:
            sys.exit(f"FAIL serve printed no API base URL:\n{''.join(lines)}{proc.stderr.read()}")
        base = api.split("/v3/")[0]
        realm = api.rsplit("/", 1)[1]
        with urllib.request.urlopen(f"{base}/_sim/health", timeout=10) as answer:
            health = json.load(answer)
        request = urllib.request.Request(
            f"{api}/companyinfo/{realm}",
            headers={"Authorization": "Bearer qbo-sim-dev-token", "Accept": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            info = json.load(answer)
        assert info["CompanyInfo"]["CompanyName"], info
        print(f"ok   serve: health {health.get('status')}, companyinfo {realm} from {base}")
        exported = step("export --url", str(qbo_sim), "export", "--url", base, cwd=cwd, env=env)
        (cwd / "books.json").write_text(exported, encoding="utf-8")
        step("import --url", str(qbo_sim), "import", "--url", base, "books.json",
             cwd=cwd, env=env)  # fmt: skip
        step("scenarios capture --url", str(qbo_sim), "scenarios", "capture", "--url", base,
             "--name", "captured", "-o", "made/captured.scenario.yaml",
             cwd=cwd, env=env)  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def dockerfile_final_stage() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile's last stage, continuation lines joined."""
    rows: list[tuple[str, str]] = []
    pending = ""
    for raw in (REPO / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        pending = ""
        rows.append((keyword.upper(), args.strip()))
    last = max(i for i, (keyword, _) in enumerate(rows) if keyword == "FROM")
    return rows[last:]


def image_entry(bin_dir: Path, cwd: Path, env: dict[str, str]) -> None:
    """The image's CMD, with the image's ENV, from the installed wheel (no Docker daemon here),
    and its HEALTHCHECK command, which must pass once the server is ready."""
    import shlex
    import socket

    stage = dockerfile_final_stage()
    image_env = dict(env)
    for keyword, args in stage:
        if keyword == "ENV":
            image_env.update(p.partition("=")[::2] for p in shlex.split(args))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        image_env["QBO_SIM_PORT"] = str(probe.getsockname()[1])
    cmd = json.loads(next(args for keyword, args in stage if keyword == "CMD"))
    check = next(args for keyword, args in stage if keyword == "HEALTHCHECK")
    check_cmd = json.loads(check.split(" CMD ", 1)[1])
    cmd[0] = str(bin_dir / cmd[0]) if (bin_dir / cmd[0]).exists() else cmd[0]
    check_cmd[0] = str(bin_dir / check_cmd[0])
    proc = subprocess.Popen(cmd, cwd=cwd, env=image_env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            done = subprocess.run(check_cmd, env=image_env, capture_output=True, timeout=30)
            if done.returncode == 0:
                break
            if time.monotonic() > deadline or proc.poll() is not None:
                sys.exit(f"FAIL the image's HEALTHCHECK never passed: {done.stderr[-2000:]!r}")
            time.sleep(0.5)
        print(f"ok   image entry: {' '.join(cmd)} with the image's ENV; HEALTHCHECK passes")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="qbo-sim-wheel-") as tmp_name:
        tmp = Path(tmp_name)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        step(
            "build wheel",
            sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"),
            str(REPO), cwd=tmp, env=env,
        )  # fmt: skip
        wheel = next((tmp / "dist").glob("qbo_sim-*.whl"))
        check_wheel_contents(wheel)
        step("fresh venv", sys.executable, "-m", "venv", str(tmp / "venv"), cwd=tmp, env=env)
        bin_dir = tmp / "venv" / "bin"
        python = str(bin_dir / "python")
        env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
        step(
            "install wheel + pytest from the lock",
            python, "-m", "pip", "install", "-q", "-c", str(LOCK), str(wheel), "pytest",
            cwd=tmp, env=env,
        )  # fmt: skip
        project = tmp / "userproject"
        for rel, text in USER_PROJECT.items():
            (project / rel).parent.mkdir(parents=True, exist_ok=True)
            (project / rel).write_text(text, encoding="utf-8")
        where = step(
            "qbo_sim imported from the venv",
            python, "-c", "import qbo_sim; print(qbo_sim.__file__)", cwd=project, env=env,
        )  # fmt: skip
        if str(tmp / "venv") not in where:
            sys.exit(f"FAIL qbo_sim came from {where.strip()}, not the fresh venv")
        qbo = bin_dir / "qbo-sim"
        step("qbo-sim --help", str(qbo), "--help", cwd=project, env=env)
        step("python -m qbo_sim -h", python, "-m", "qbo_sim", "-h", cwd=project, env=env)
        step("scenarios run -h", str(qbo), "scenarios", "run", "-h", cwd=project, env=env)
        serve_once(qbo, project, env)
        image_entry(bin_dir, project, env)
        listed = step("scenarios list --library", str(qbo), "scenarios", "list", "--library",
                      cwd=project, env=env)  # fmt: skip
        if ONE_SCENARIO.split("/")[1] not in listed:
            sys.exit("FAIL the bundled library does not list its scenarios")
        step("scenarios validate --library", str(qbo), "scenarios", "validate", "--library",
             cwd=project, env=env)  # fmt: skip
        step("scenarios run --library (reference connector)", str(qbo), "scenarios", "run",
             "--library", "--integration", REFERENCE, cwd=project, env=env)  # fmt: skip
        step("scenarios run --library (naive connector fails)", str(qbo), "scenarios", "run",
             "--library", "--integration", NAIVE, cwd=project, env=env, expect=1)  # fmt: skip
        step("scenarios new", str(qbo), "scenarios", "new", "--name", "ticket 1",
             "--article-section", "4", "-o", "made/new.scenario.yaml",
             cwd=project, env=env)  # fmt: skip
        step("scenarios validate (new, captured)", str(qbo), "scenarios", "validate", "made",
             cwd=project, env=env)  # fmt: skip
        step("scenarios copy-library", str(qbo), "scenarios", "copy-library", "lib",
             cwd=project, env=env)  # fmt: skip
        step("scenarios validate lib", str(qbo), "scenarios", "validate", "lib",
             cwd=project, env=env)  # fmt: skip
        step("pytest plugin on one scenario", python, "-m", "pytest", "-q", "-p",
             "no:cacheprovider", f"lib/{ONE_SCENARIO}", "--qbo-integration", REFERENCE,
             cwd=project, env=env)  # fmt: skip
        step("the project's own tests, with its harness/ and examples/", python, "-m",
             "pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=project, env=env)  # fmt: skip
        print("wheel check: all passed")


if __name__ == "__main__":
    main()
