"""qbo_sim/harness/affinity.py: a subprocess scenario's threads and process share one CPU
for the scenario, and the harness's thread gets its own CPUs back."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from qbo_sim.harness.affinity import ENV_VAR, one_cpu

pytestmark = pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="needs per-thread CPU affinity and two CPUs (Linux; CI has both)",
)


@pytest.fixture
def child() -> Iterator[subprocess.Popen[bytes]]:
    command = [sys.executable, "-c", "import sys; sys.stdin.read()"]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE)
    yield proc
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=10)


def test_the_thread_and_the_child_share_one_cpu_and_the_thread_gets_its_set_back(child) -> None:
    before = os.sched_getaffinity(0)
    with one_cpu(child.pid) as cpus:
        assert cpus is not None and len(cpus) == 1 and cpus <= before
        assert os.sched_getaffinity(0) == cpus
        assert os.sched_getaffinity(child.pid) == cpus
    assert os.sched_getaffinity(0) == before


def test_nothing_is_pinned_when_turned_off_or_without_a_child(child, monkeypatch) -> None:
    before = os.sched_getaffinity(0)
    with one_cpu(None) as cpus:
        assert cpus is None and os.sched_getaffinity(0) == before
    monkeypatch.setenv(ENV_VAR, "0")
    with one_cpu(child.pid) as cpus:
        assert cpus is None
        assert os.sched_getaffinity(0) == before
        assert os.sched_getaffinity(child.pid) == before
