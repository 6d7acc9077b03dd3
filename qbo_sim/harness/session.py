"""A run of many scenarios, as ``qbo-sim scenarios run`` makes it: selection (``-k``,
``--tag``), order (file order, or shuffled with a printed seed), timing, the integration's
stderr prefixed with the scenario it belongs to, and a JUnit XML report.

The engine for one scenario stays :func:`qbo_sim.harness.runner.run_scenario`; this module
only composes runs of it.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import random
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from qbo_sim.harness.model import Scenario
from qbo_sim.harness.runner import ScenarioResult, run_scenario


@dataclass
class TimedResult:
    """One scenario's result and how long it took (wall clock, seconds)."""

    result: ScenarioResult
    seconds: float


def select(scenarios: list[Scenario], keyword: str | None, tags: tuple[str, ...]) -> list[Scenario]:
    """The scenarios whose path or name contains ``keyword`` (case-insensitive; ``not X``
    excludes) and that carry every tag in ``tags``."""
    chosen = []
    for scenario in scenarios:
        if keyword and not _keyword_matches(keyword, f"{scenario.path} {scenario.name}"):
            continue
        if not set(tags) <= set(scenario.tags):
            continue
        chosen.append(scenario)
    return chosen


def _keyword_matches(keyword: str, text: str) -> bool:
    word = keyword.strip().lower()
    if word.startswith("not "):
        return word[4:].strip() not in text.lower()
    return word in text.lower()


def shuffled(scenarios: list[Scenario], seed: int) -> list[Scenario]:
    """``scenarios`` in a random order that the same seed reproduces."""
    out = list(scenarios)
    random.Random(seed).shuffle(out)
    return out


class _PrefixedWriter(io.TextIOBase):
    """Writes to ``target`` with ``prefix`` at the start of every line."""

    def __init__(self, target: TextIO, prefix: str) -> None:
        self._target = target
        self._prefix = prefix
        self._at_line_start = True

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        for piece in text.splitlines(keepends=True):
            if self._at_line_start:
                self._target.write(self._prefix)
            self._target.write(piece)
            self._at_line_start = piece.endswith("\n")
        return len(text)

    def flush(self) -> None:
        self._target.flush()


@contextlib.contextmanager
def stderr_prefixed(prefix: str) -> Iterator[None]:
    """While it is open, what an in-process integration writes to ``sys.stderr`` reads
    ``[prefix] ...`` (a subprocess integration's stderr is kept for its failure report)."""
    real = sys.stderr
    writer = _PrefixedWriter(real, f"[{prefix}] ")
    with contextlib.redirect_stderr(writer):
        try:
            yield
        finally:
            writer.flush()


def run_all(
    scenarios: list[Scenario],
    integration: str | Callable[[], Any],
    *,
    expect_failure: bool | None = None,
    journal_tail: int = 8,
    jobs: int = 0,
    on_result: Callable[[int, int, TimedResult], None] | None = None,
    fresh_process: bool = False,
) -> list[TimedResult]:
    """Run every scenario; ``on_result(n, total, timed)`` after each, in the order they finish.

    ``jobs=0`` runs them one after another in this process. ``jobs=N`` runs them in N worker
    processes, each scenario in a fresh forked process of its own, so an in-process
    integration's module-level state (caches, globals) cannot leak from one scenario into the
    next; ``integration`` must then be a spec string. Results come back in scenario order.
    ``fresh_process``: a ``cmd:`` integration gets a new process for every scenario, even one
    that declares ``reuse``.
    """
    args = [
        (scenario, integration, expect_failure, journal_tail, fresh_process)
        for scenario in scenarios
    ]
    done: dict[int, TimedResult] = {}

    def record(index: int, timed: TimedResult) -> None:
        done[index] = timed
        if on_result:
            on_result(len(done), len(scenarios), timed)

    if jobs <= 0:
        for index, one in enumerate(args):
            record(index, _run_one(one))
    else:
        if not isinstance(integration, str):
            raise TypeError("jobs > 0 needs the integration as a spec string")
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, maxtasksperchild=1) as pool:
            for index, timed in pool.imap_unordered(_run_indexed, enumerate(args)):
                record(index, timed)
    return [done[i] for i in range(len(scenarios))]


def _run_one(args: tuple[Scenario, Any, bool | None, int, bool]) -> TimedResult:
    scenario, integration, expect_failure, journal_tail, fresh_process = args
    started = time.perf_counter()
    with stderr_prefixed(Path(scenario.path).name.removesuffix(".scenario.yaml")):
        result = run_scenario(
            scenario,
            integration,
            expect_failure=expect_failure,
            journal_tail=journal_tail,
            fresh_process=fresh_process,
        )
    return TimedResult(result, time.perf_counter() - started)


def _run_indexed(
    item: tuple[int, tuple[Scenario, Any, bool | None, int, bool]],
) -> tuple[int, Any]:
    from qbo_sim.harness import jsonlines

    jsonlines.PREFETCH = False  # a forked worker runs one scenario: no next process to start
    scenario, integration, expect_failure, journal_tail, _ = item[1]
    # nor a process to keep for a next scenario
    return item[0], _run_one((scenario, integration, expect_failure, journal_tail, True))


def write_junit(results: list[TimedResult], path: str | Path, render: Callable[..., str]) -> None:
    """A JUnit XML report (one testcase per scenario; the failure text is the full report)."""
    failed = [t for t in results if not t.result.passed]
    suite = ET.Element(
        "testsuite",
        name="qbo-sim scenarios",
        tests=str(len(results)),
        failures=str(len(failed)),
        errors="0",
        skipped="0",
        time=f"{sum(t.seconds for t in results):.3f}",
    )
    for timed in results:
        result = timed.result
        case = ET.SubElement(
            suite,
            "testcase",
            classname=Path(result.path).parent.name,
            name=result.name,
            file=result.path,
            time=f"{timed.seconds:.3f}",
        )
        if not result.passed:
            first = result.failures[0].title if result.failures else "scenario failed"
            failure = ET.SubElement(case, "failure", message=first)
            failure.text = render(result)
    root = ET.Element("testsuites")
    root.append(suite)
    tree = ET.ElementTree(root)
    ET.indent(tree)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
