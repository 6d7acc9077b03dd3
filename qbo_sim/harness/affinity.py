"""Keep a subprocess scenario's three parties on one CPU: the harness's thread, the loopback
server's connection threads and the integration's main thread.

They never run at once: the harness writes a request and waits, the integration works and
calls the simulator over HTTP, whose thread answers while the integration waits, and so on,
a few hundred hand-offs a scenario. Each hand-off wakes a sleeping thread; on another CPU that
wake-up costs about ten times what it does on the same one (a pipe round trip measured on the
2-core CI machine: 66 us across CPUs, 7 us on one), and the cache is cold there. Pinned to one
CPU, the library's subprocess run took about a fifth less time (bench/bench_languages.py).

Only those threads are pinned (Linux's ``sched_setaffinity`` of a thread id: of the
integration, its main thread, and the threads it starts after; a kept process stays pinned
while it waits for the next scenario, which pins it again), only while a scenario runs, to the
CPU the harness's thread is on at its start (so parallel harness processes, ``pytest -n``,
spread over the CPUs as the scheduler put them); the harness's thread gets its own set back
afterwards. Where the system has no per-thread affinity (macOS, Windows) or refuses it, nothing
is pinned. ``QBO_SIM_PIN_CPU=0`` turns it off.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

#: Environment variable: "0" leaves every thread where the scheduler puts it.
ENV_VAR = "QBO_SIM_PIN_CPU"


def _current_cpu() -> int | None:
    """The CPU this thread last ran on (``/proc/thread-self/stat``, field 39), or None."""
    try:
        with open("/proc/thread-self/stat", encoding="ascii") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[36])
    except (OSError, ValueError, IndexError):
        return None


def pin(tid: int, cpus: set[int] | None) -> None:
    """Pin thread (or process) ``tid`` (0: the calling thread) to ``cpus``; silently nothing
    when ``cpus`` is None or the system refuses."""
    if cpus is None:
        return
    try:
        os.sched_setaffinity(tid, cpus)
    except (OSError, AttributeError):
        pass


@contextmanager
def one_cpu(child_pid: int | None) -> Iterator[set[int] | None]:
    """Pin the calling thread and ``child_pid`` to the CPU the thread is on, for the block;
    yields the CPU set (for the server's threads) or None when nothing was pinned."""
    enabled = os.environ.get(ENV_VAR, "1") != "0" and hasattr(os, "sched_setaffinity")
    cpu = _current_cpu() if enabled else None
    if cpu is None or child_pid is None:
        yield None
        return
    try:
        before = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {cpu})
    except OSError:
        yield None
        return
    pin(child_pid, {cpu})
    try:
        yield {cpu}
    finally:
        pin(0, before)
