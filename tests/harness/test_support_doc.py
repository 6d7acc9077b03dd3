"""docs/support.md cannot rot: its ``bash`` blocks are run, in order, as the doc says.

The ``qbo-sim serve`` block is started as a real server (port 0 instead of 8080); the other
blocks run in one scratch folder, each after the block that names the variables. The ``yaml``
block is the edit the doc tells the reader to make: it replaces ``steps:`` of the captured
file before the next block validates and runs it. ``qbo-sim`` and ``pytest`` are run by this
interpreter (``python -m``), so the test needs neither on ``PATH``. Every scenario the doc's
table names exists.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from qbo_sim.harness.model import load_scenario
from qbo_sim.scenarios import LIBRARY_DIR

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "support.md"
DOC_BASE = "http://127.0.0.1:8080"
BLOCK = re.compile(r"```(bash|yaml)\n(.*?)```", re.S)
#: the doc's commands as this interpreter runs them (bash functions, before the doc's blocks).
COMMANDS = "\n".join(
    f'{name}() {{ {shlex.quote(sys.executable)} -m {module} "$@"; }}'
    for name, module in (("qbo-sim", "qbo_sim"), ("pytest", "pytest"))
)


#: what the reader does by hand: replace ``steps:`` of the captured file with the doc's block.
APPLY_EDIT = """
import sys
from pathlib import Path
scenario, edit = Path(sys.argv[1]), Path(sys.argv[2]).read_text()
text = scenario.read_text()
scenario.write_text(text[: text.index("\\nsteps:\\n") + 1] + edit)
"""


def blocks(kind: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(DOC.read_text(encoding="utf-8")) if lang == kind]


def shell_commands(block: str) -> str:
    return block.replace("\\\n", " ")


@pytest.fixture
def served() -> Iterator[str]:
    """``qbo-sim serve`` exactly as the doc starts it, on a free port; its base URL."""
    (serve,) = [b for b in blocks("bash") if b.startswith("qbo-sim serve")]
    argv = serve.split()
    assert argv[0] == "qbo-sim"
    argv[:1] = [sys.executable, "-m", "qbo_sim"]
    assert argv[argv.index("--port") + 1] == "8080"
    argv[argv.index("--port") + 1] = "0"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.match(r"qbo-sim serving on (http://\S+)", first)
        assert match, first
        yield match.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()


def test_the_capture_walkthrough_runs_as_written(served: str, tmp_path: Path) -> None:
    bash = [shell_commands(b) for b in blocks("bash") if not b.startswith("qbo-sim serve")]
    assert bash[0].startswith(f"BASE={DOC_BASE}\n")
    (edit,) = blocks("yaml")
    (tmp_path / "edit.yaml").write_text(edit, encoding="utf-8")
    captured = tmp_path / "scenarios" / "support" / "ticket_4711.scenario.yaml"
    # one shell session, as in a terminal; after the capture the reader's edit is applied.
    script = [COMMANDS]
    for index, block in enumerate(bash):
        script.append(f"echo '=== block {index}'\n{block}")
        if "scenarios capture" in block:
            script.append(f"{sys.executable} -c {shlex.quote(APPLY_EDIT)} {captured} edit.yaml")
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", "\n".join(script).replace(DOC_BASE, served)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    outputs = dict(zip(bash, re.split(r"=== block \d+\n", done.stdout)[1:], strict=True))
    assert next(o for b, o in outputs.items() if "/payment?" in b).strip() == "6000"
    journal = next(o for b, o in outputs.items() if "_sim/journal" in b)
    assert '"method":"POST"' in journal and '"fault_code":"6000"' in journal
    capture = next(o for b, o in outputs.items() if "scenarios capture" in b)
    assert "1 faulted call(s) expected" in capture, capture
    run = next(o for b, o in outputs.items() if "scenarios run" in b)
    assert "PASSED" in run and "(failed as expected)" in run, run
    ci = next(o for b, o in outputs.items() if b.startswith("pytest"))
    assert "1 passed" in ci, ci
    given = yaml.safe_load(captured.read_text(encoding="utf-8"))["given"]
    assert given["snapshot"] == "fixtures/ticket_4711.json"
    assert "invoice_2051" in given["aliases"]
    for name in ("ticket_4712", "ticket_4713"):
        assert load_scenario(tmp_path / f"scenarios/support/{name}.scenario.yaml").steps


def test_every_scenario_the_doc_names_exists() -> None:
    named = set(re.findall(r"`((?:article|support|operations)/[a-z0-9_]+)`", DOC.read_text()))
    assert len(named) >= 12
    for name in named:
        assert (LIBRARY_DIR / f"{name}.scenario.yaml").is_file(), name
    for section in range(1, 11):
        assert f"| §{section} " in DOC.read_text(), section
