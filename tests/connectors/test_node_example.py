"""The Node example connector (clients/node/example/, the reference connector's logic on the
Node protocol helper) through the harness: the whole library passes through the CLI and
through the pytest plugin, the broken variant fails, and every message of a Node run follows
the protocol schema. Node 20 is a CI requirement (.ci/run also runs the helper's own tests,
``node --test``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from qbo_sim.scenarios import LIBRARY_DIR
from tests.harness.protocol_transcript import (
    TRANSCRIBED,
    assert_transcript_follows_schema,
    transcribe,
)

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node") or "node"
EXAMPLE = ROOT / "clients" / "node" / "example" / "fieldservice-sync" / "index.js"
BROKEN = ROOT / "clients" / "node" / "example" / "broken-sync.js"
LIBRARY_SIZE = len(list(LIBRARY_DIR.rglob("*.scenario.yaml")))


def qbo_sim(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qbo_sim", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_the_node_example_passes_the_whole_library_through_the_cli() -> None:
    run = qbo_sim("scenarios", "run", "--library", "--integration", f"cmd:{NODE} {EXAMPLE}")
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert run.stdout.strip().splitlines()[-1] == f"{LIBRARY_SIZE} passed, 0 failed"


def test_the_node_example_passes_the_whole_library_through_pytest(tmp_path: Path) -> None:
    copied = qbo_sim("scenarios", "copy-library", str(tmp_path / "scenarios"))
    assert copied.returncode == 0, copied.stderr
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--qbo-integration",
            f"cmd:{NODE} {EXAMPLE}",
            "scenarios",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 0, run.stdout[-4000:]
    assert f"{LIBRARY_SIZE} passed" in run.stdout.strip().splitlines()[-1]


def test_the_broken_node_variant_fails_with_reports() -> None:
    run = qbo_sim(
        "scenarios",
        "run",
        str(LIBRARY_DIR / "sync" / "name_taken_by_a_vendor.scenario.yaml"),
        str(LIBRARY_DIR / "article"),
        "--integration",
        f"cmd:{NODE} {BROKEN}",
    )
    assert run.returncode == 1, run.stdout[-4000:]
    out = run.stdout
    assert "FAILED" in out and "name_taken_by_a_vendor.scenario.yaml" in out
    assert "[integration: fieldservice-sync-node-broken]" in out
    assert "expected: failed, error code 610" in out  # article/invoice_deleted_in_qbo
    assert "ignored QBO fault" in out  # its stderr is in the report
    assert " 0 failed" not in out.strip().splitlines()[-1]


def test_the_node_helper_speaks_the_schema_both_ways() -> None:
    methods = assert_transcript_follows_schema(transcribe(f"{NODE} {EXAMPLE}", TRANSCRIBED))
    assert methods >= {
        "hello", "connect", "apply", "sync", "status", "operate", "inbound", "webhook",
        "close", "now", "sleep", "reset", "statuses",
    }  # fmt: skip
