"""Readable reports: each failure names the scenario file and line, shows expected vs observed
and why, the last API calls from the journal, and one command that reproduces the scenario."""

from __future__ import annotations

import json
import os
from typing import Any

from qbo_sim.harness.runner import ScenarioResult

TRACEBACK_LINES = 15


def _fault_message(entry: Any) -> str:
    body = entry.response if isinstance(entry.response, dict) else {}
    fault = body.get("Fault") or body.get("fault") or {}
    errors = fault.get("Error") or fault.get("error") or []
    if errors and isinstance(errors[0], dict):
        return str(errors[0].get("Message") or errors[0].get("message") or "")
    return ""


def journal_line(entry: Any) -> str:
    query = {k: v for k, v in (entry.query or {}).items() if k != "requestid"}
    text = f"{entry.path}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else entry.path
    out = f"#{entry.seq} {entry.time} {entry.method} {text} -> {entry.status}"
    if entry.fault_code:
        out += f" fault {entry.fault_code}"
        message = _fault_message(entry)
        if message:
            out += f" {json.dumps(message)}"
    if entry.requestid:
        out += f" requestid={entry.requestid}"
    if entry.user_edit:
        out += " (QBO user)"
    if "replay" in entry.tags:
        out += " (replay of an earlier answer to this requestid)"
    if "injected" in entry.tags:
        out += " (injected by the scenario)"
    return out


def integration_load_hint(message: str) -> str:
    """What to do about an integration that could not be loaded; "" when nothing to add."""
    if "cannot import" not in message:
        return ""
    return (
        f"the working directory ({os.getcwd()}) is importable: run from the directory that "
        "holds the package, add that directory to PYTHONPATH, or give path/to/file.py:factory"
    )


def render(result: ScenarioResult) -> str:
    """The full report of one scenario result."""
    verdict = "PASSED" if result.passed else "FAILED"
    if result.expected_failure:
        verdict += " (expected to fail for this integration)"
    lines = [f"{verdict} {result.path}: {result.name} [integration: {result.integration}]"]
    if result.steps_total:
        lines.append(f"  steps run: {result.steps_run} of {result.steps_total}")
    for failure in result.failures:
        where = f"{failure.where}: " if failure.where else ""
        at = f"{result.path}:{failure.line}" if failure.line else str(result.path)
        lines.append(f"{at}: {where}{failure.title}")
        reason = failure.reason
        if failure.where == "integration" and not reason:
            reason = integration_load_hint(failure.observed)
        for label, value in (
            ("expected", failure.expected),
            ("observed", failure.observed),
            ("why", reason),
            ("because", failure.because),
        ):
            if value:
                lines.append(f"    {label + ':':<10}{value}")
        if failure.traceback:
            tail = failure.traceback.rstrip().splitlines()[-TRACEBACK_LINES:]
            lines.append("    traceback (last lines):")
            lines.extend(f"      {t}" for t in tail)
    if result.journal_tail:
        lines.append(f"  last {len(result.journal_tail)} API call(s):")
        lines.extend(f"    {journal_line(e)}" for e in result.journal_tail)
    if result.integration_stderr and result.failures:
        lines.append("  integration stderr (last lines):")
        lines.extend(f"    {t}" for t in result.integration_stderr.splitlines())
    if result.integration_process and result.failures:
        lines.append(f"  integration process: {result.integration_process}")
    lines.append(f"  reproduce: {result.reproduce}")
    return "\n".join(lines)


def summary(results: list[ScenarioResult]) -> str:
    """The closing line, ``N passed, M failed`` alone (what CI systems read)."""
    passed = sum(r.passed for r in results)
    return f"{passed} passed, {len(results) - passed} failed"


def summary_details(results: list[ScenarioResult], seconds: float) -> str:
    """The line before it: how many scenarios, how long, how many failed as expected."""
    xfail = sum(r.passed and r.expected_failure for r in results)
    text = f"{len(results)} scenario(s) in {seconds:.1f} s"
    if xfail:
        text += f" ({xfail} failed as expected)"
    return text
