"""Protocol 1 revision 2 between scenarios: a ``cmd:`` integration that declares ``reuse``
keeps its process from one scenario to the next (``reset``, then a leak check); one that
crashed, failed its reset or still knows a record is retired; ``fresh_process`` and an
integration without the capability get a new process for every scenario. And ``statuses``:
several records' statuses in one request."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from qbo_sim.harness.errors import IntegrationError
from qbo_sim.harness.integration import Driver, resolve_factory
from qbo_sim.harness.jsonlines import SubprocessIntegration, retire
from qbo_sim.harness.protocol import ProtocolError, check_line
from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario
from qbo_sim.scenarios import LIBRARY_DIR

FAKES = Path(__file__).with_name("protocol_fakes.py")
LEAKY = Path(__file__).with_name("leaky_sync.py")
REFERENCE = f"{sys.executable} -m qbo_sim.connectors.fieldservice_sync"
FIRST = LIBRARY_DIR / "selftest" / "existing_customer_is_linked.scenario.yaml"
SECOND = LIBRARY_DIR / "article" / "invoice_deleted_in_qbo.scenario.yaml"


def fake(mode: str) -> str:
    return f"{sys.executable} {FAKES} {mode}"


@pytest.fixture(autouse=True)
def no_kept_processes() -> Iterator[None]:
    """Each test starts and ends with no process kept for the commands it uses."""
    commands = [REFERENCE, f"{sys.executable} {LEAKY}"] + [
        fake(m) for m in ("good", "reuse", "reuse-exit", "reuse-reset-error")
    ]
    for command in commands:
        retire(command)
    yield
    for command in commands:
        retire(command)


def recording(command: str, fresh_process: bool = False) -> tuple[Callable[[], Any], list[Any]]:
    """The harness's own factory for ``cmd:<command>``, remembering what it handed out."""
    factory, _ = resolve_factory(f"cmd:{command}", fresh_process=fresh_process)
    served: list[Any] = []

    def made() -> Any:
        one = factory()
        served.append((one, one.pid))
        return one

    return made, served


def test_one_process_serves_scenario_after_scenario() -> None:
    factory, served = recording(REFERENCE)
    for path in (FIRST, SECOND, FIRST):
        result = run_scenario(path, factory)
        assert result.passed, render(result)
    assert len({pid for _, pid in served}) == 1
    assert served[0][0].scenarios == 3


def test_fresh_process_gives_every_scenario_its_own() -> None:
    factory, served = recording(REFERENCE, fresh_process=True)
    for path in (FIRST, SECOND):
        result = run_scenario(path, factory)
        assert result.passed, render(result)
    assert len({pid for _, pid in served}) == 2


def test_an_integration_without_the_capability_gets_a_process_per_scenario() -> None:
    factory, served = recording(fake("good"))
    for _ in range(2):
        run_scenario(FIRST, factory)  # the fake syncs nothing: it fails, that is not the point
    assert len({pid for _, pid in served}) == 2
    assert all(one.scenarios == 1 for one, _ in served)


def test_a_reset_that_forgets_nothing_fails_the_scenario_and_retires_the_process() -> None:
    """leaky_sync.py hands back one connector object for the whole process: the scenario
    passes its steps, then the leak check finds its customer still synced after reset."""
    factory, served = recording(f"{sys.executable} {LEAKY}")
    result = run_scenario(FIRST, factory)
    assert result.failed
    leak = result.failures[-1]
    assert leak.title == "the integration kept the scenario's records after reset"
    assert "after reset the process still reports customer" in leak.observed
    assert '"state": "synced"' in leak.observed
    assert "--fresh-process" in leak.reason
    run_scenario(FIRST, factory)
    assert served[0][1] != served[1][1]  # never handed to another scenario


def test_a_failure_in_a_kept_process_says_so_in_the_report() -> None:
    factory, served = recording(fake("reuse"))
    run_scenario(FIRST, factory)
    second = run_scenario(FIRST, factory)  # the fake syncs nothing: it fails
    assert second.failed and served[0][1] == served[1][1]
    assert f"integration process: pid {served[0][1]}, kept from 1 earlier" in render(second)
    assert "--fresh-process" in render(second)


def test_a_process_that_exits_is_replaced_for_the_next_scenario() -> None:
    factory, served = recording(fake("reuse-exit"))
    first = run_scenario(FIRST, factory)
    assert first.failed
    assert "subprocess exited with code 3" in render(first)
    run_scenario(FIRST, factory)
    assert served[0][1] != served[1][1]


def test_stderr_that_is_not_utf8_is_reported_with_replacement_characters() -> None:
    result = run_scenario(FIRST, f"cmd:{fake('bad-stderr')}")
    assert "subprocess exited with code 4" in render(result)
    assert "latin-1 caf\ufffd" in result.integration_stderr


def test_a_failed_reset_is_reported_and_the_process_retired() -> None:
    factory, served = recording(fake("reuse-reset-error"))
    result = run_scenario(FIRST, factory)
    reset = [f for f in result.failures if f.title == "the integration raised in reset()"]
    assert reset and "RuntimeError: cannot reset" in reset[0].observed
    run_scenario(FIRST, factory)
    assert served[0][1] != served[1][1]


def test_each_scenario_reports_only_its_own_stderr() -> None:
    factory, served = recording(fake("reuse"))
    first = run_scenario(FIRST, factory)
    second = run_scenario(FIRST, factory)
    assert served[0][1] == served[1][1]
    assert "connect #1" in first.integration_stderr
    assert "connect #2" in second.integration_stderr
    assert "connect #1" not in second.integration_stderr


def test_statuses_asks_for_many_records_in_one_request() -> None:
    lines: list[tuple[str, str]] = []
    result = run_scenario(SECOND, lambda: SubprocessIntegration(REFERENCE, transcript=lines))
    retire(REFERENCE)
    assert result.passed, render(result)
    sent = [line for side, line in lines if side == "harness"]
    batches = [line for line in sent if '"method": "statuses"' in line]
    assert batches, "the invariants and until_settled passes ask in batches"
    assert all(line.count('"kind"') >= 2 for line in batches)


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("reuse-statuses-short", "the result of statuses: answers 1 records, 2 were asked"),
        ("reuse-statuses-rotated", "item 0 is invoice '2'; invoice '1' was asked there"),
    ],
)
def test_a_statuses_answer_for_other_records_breaks_the_protocol(mode: str, says: str) -> None:
    integration = SubprocessIntegration(fake(mode))
    try:
        with pytest.raises(ProtocolError, match=says) as caught:
            Driver(integration, "fake").statuses([("invoice", "1"), ("invoice", "2")])
        assert "stdout line 2" in caught.value.message  # the line, quoted
        assert not integration.reusable
    finally:
        integration.close()


class _Batching:
    """An in-process stand-in whose batch answers an error for its second record."""

    def __init__(self) -> None:
        self.asked: list[list[tuple[str, str]]] = []

    def status_batch(self, records: list[tuple[str, str]]) -> list[dict[str, Any]]:
        self.asked.append(records)
        return [
            {"kind": "invoice", "key": "A", "status": {"state": "synced", "attempts": 1}},
            {"kind": "invoice", "key": "B", "error": {"type": "KeyError", "message": "no B"}},
        ]

    def status(self, kind: str, key: str) -> dict[str, Any]:  # pragma: no cover - unused
        raise AssertionError("status() is not called when a batch is available")


def test_an_error_item_in_a_batch_raises_as_status_would() -> None:
    stand_in = _Batching()
    with pytest.raises(IntegrationError) as caught:
        Driver(stand_in, "x").statuses([("invoice", "A"), ("invoice", "B")])
    assert caught.value.method == "status"
    assert caught.value.message == "KeyError: no B (asked the status of invoice 'B')"
    assert stand_in.asked == [[("invoice", "A"), ("invoice", "B")]]


def test_a_statuses_item_names_its_record_and_wraps_its_status() -> None:
    ok = (
        '{"id": 4, "result": [{"kind": "invoice", "key": "A", "status": {"state": "synced"}},'
        ' {"kind": "invoice", "key": "B", "error": {"message": "x"}}]}'
    )
    assert check_line(1, ok, "statuses") is not None
    with pytest.raises(ProtocolError, match="'status' is a required property"):
        unwrapped = '{"id": 4, "result": [{"kind": "i", "key": "A", "state": "synced"}]}'
        check_line(2, unwrapped, "statuses")
    with pytest.raises(ProtocolError, match="'(kind|key)' is a required property"):
        check_line(3, '{"id": 4, "result": [{"status": {"state": "synced"}}]}', "statuses")


def test_a_cached_verdict_never_hides_a_new_problem() -> None:
    """The same message with another id value passes from the cache; a negative id (another
    class of id) or another result is validated again."""
    assert check_line(1, '{"id": 5, "result": null}', "sync") is not None
    assert check_line(2, '{"id": 6, "result": null}', "sync") is not None
    with pytest.raises(ProtocolError, match="minimum"):
        check_line(3, '{"id": -1, "result": null}', "sync")
    with pytest.raises(ProtocolError, match="the result of sync"):
        check_line(4, '{"id": 7, "result": 3}', "sync")


def test_serve_jsonl_declares_reuse_unless_told_not_to() -> None:
    import io
    import json

    from qbo_sim.harness.jsonlines import serve_jsonl

    declared = []
    for reuse in (True, False):
        out = io.StringIO()
        hello = json.dumps({"id": 0, "method": "hello", "params": {"protocol": 1}}) + "\n"
        serve_jsonl(object, io.StringIO(hello), out, reuse=reuse)
        declared.append(json.loads(out.getvalue())["result"]["capabilities"])
    assert declared == [["companies", "statuses", "reuse"], ["companies", "statuses"]]


def test_a_process_that_hangs_on_close_is_killed_within_the_goodbye_time(monkeypatch) -> None:
    from qbo_sim.harness import jsonlines

    monkeypatch.setattr(jsonlines, "GOODBYE_TIMEOUT", 0.5)
    integration = SubprocessIntegration(fake("hang-on-close"))
    integration._shut(wait=True)  # as at interpreter exit
    assert integration._proc.poll() is not None


def test_a_hung_process_gets_no_close_and_is_killed() -> None:
    lines: list[tuple[str, str]] = []
    integration = SubprocessIntegration(fake("hang"), timeout=0.5, transcript=lines)
    with pytest.raises(IntegrationError, match="no answer within"):
        integration.sync()
    integration.close()
    integration._proc.wait(timeout=5)  # killed by the reaper, not after its 60 s sleep
    assert not any('"method": "close"' in line for side, line in lines if side == "harness")


def test_a_kept_process_that_died_while_waiting_is_reaped_and_replaced() -> None:
    factory, served = recording(fake("reuse"))
    run_scenario(FIRST, factory)
    kept = served[0][0]
    kept._proc.kill()
    kept._proc.wait()
    run_scenario(FIRST, factory)
    assert served[1][1] != served[0][1]
    assert kept._exited  # closed (its descriptors with it), not dropped


class _Counting:
    """An in-process stand-in with a batch: counts the requests a subprocess would get."""

    def __init__(self, unknown: str | None = None) -> None:
        self.batches = 0
        self.singles = 0
        self.unknown = unknown

    def status_batch(self, records: list[tuple[str, str]]) -> list[dict[str, Any]]:
        self.batches += 1
        if self.unknown in {key for _, key in records}:
            raise IntegrationError("statuses", "KeyError: no such record")
        return [{"kind": k, "key": key, "status": {"state": "synced"}} for k, key in records]

    def status(self, kind: str, key: str) -> dict[str, Any]:
        self.singles += 1
        if key == self.unknown:
            raise KeyError(key)
        return {"state": "pending"}


def test_a_reading_block_asks_once_and_forgets_after_it() -> None:
    from qbo_sim.harness.context import RunContext

    stand_in = _Counting()
    ctx = RunContext(scenario=None, sim=None, realm="1", driver=Driver(stand_in, "x"))  # type: ignore[arg-type]
    with ctx.statuses_read([("invoice", "A"), ("invoice", "B"), ("invoice", "A")]):
        assert ctx.status("invoice", "A").state == "synced"
        assert ctx.status("invoice", "B").state == "synced"
    assert (stand_in.batches, stand_in.singles) == (1, 0)
    assert ctx.status("invoice", "A").state == "pending"  # asked again after the block
    assert stand_in.singles == 1


def test_an_unknown_record_in_a_reading_block_is_reported_by_its_own_check() -> None:
    from qbo_sim.harness.context import RunContext

    stand_in = _Counting(unknown="B")
    ctx = RunContext(scenario=None, sim=None, realm="1", driver=Driver(stand_in, "x"))  # type: ignore[arg-type]
    with ctx.statuses_read([("invoice", "A"), ("invoice", "B")]):
        assert ctx.status("invoice", "A").state == "pending"  # nothing kept from the batch
        with pytest.raises(IntegrationError, match="KeyError"):
            ctx.status("invoice", "B")
