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
    assert leak.title == "the integration raised in reset()"
    assert "declares 'reuse', but after reset it still reports customer" in leak.observed
    assert '"state": "synced"' in leak.observed
    run_scenario(FIRST, factory)
    assert served[0][1] != served[1][1]  # never handed to another scenario


def test_a_process_that_exits_is_replaced_for_the_next_scenario() -> None:
    factory, served = recording(fake("reuse-exit"))
    first = run_scenario(FIRST, factory)
    assert first.failed
    assert "subprocess exited with code 3" in render(first)
    run_scenario(FIRST, factory)
    assert served[0][1] != served[1][1]


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


def test_a_statuses_answer_of_the_wrong_length_is_an_error() -> None:
    integration = SubprocessIntegration(fake("reuse-statuses-short"))
    try:
        with pytest.raises(IntegrationError, match="answered 1 statuses for 2 records"):
            Driver(integration, "fake").statuses([("invoice", "1"), ("invoice", "2")])
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
            {"status": {"state": "synced", "qbo_id": "7", "attempts": 1}},
            {"error": {"type": "KeyError", "message": "no invoice record 'B'"}},
        ]

    def status(self, kind: str, key: str) -> dict[str, Any]:  # pragma: no cover - unused
        raise AssertionError("status() is not called when a batch is available")


def test_an_error_item_in_a_batch_raises_as_status_would() -> None:
    stand_in = _Batching()
    with pytest.raises(IntegrationError) as caught:
        Driver(stand_in, "x").statuses([("invoice", "A"), ("invoice", "B")])
    assert caught.value.method == "status"
    assert "KeyError: no invoice record 'B'" in caught.value.message
    assert stand_in.asked == [[("invoice", "A"), ("invoice", "B")]]


def test_a_statuses_item_must_be_wrapped() -> None:
    ok = '{"id": 4, "result": [{"status": {"state": "synced"}}, {"error": {"message": "x"}}]}'
    assert check_line(1, ok, "statuses") is not None
    with pytest.raises(ProtocolError, match="the result of statuses"):
        check_line(2, '{"id": 4, "result": [{"state": "synced"}]}', "statuses")


def test_a_cached_verdict_never_hides_a_new_problem() -> None:
    """The same message with another id value passes from the cache; a negative id (another
    class of id) or another result is validated again."""
    assert check_line(1, '{"id": 5, "result": null}', "sync") is not None
    assert check_line(2, '{"id": 6, "result": null}', "sync") is not None
    with pytest.raises(ProtocolError, match="minimum"):
        check_line(3, '{"id": -1, "result": null}', "sync")
    with pytest.raises(ProtocolError, match="the result of sync"):
        check_line(4, '{"id": 7, "result": 3}', "sync")
