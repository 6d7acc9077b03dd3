"""pytest plugin (``pytest11`` entry point ``qbo_sim``): fixtures that need no setup code.

- ``qbo_sim``: a fresh :class:`~qbo_sim.simulator.Simulator` on a frozen clock;
- ``qbo_company``: the realm id of a fresh ``sample`` company in it;
- ``qbo_mock``: the simulator with in-process interception active for the test
  (``requests`` calls to Intuit's hosts are answered by it).

Overridable configuration fixtures: ``qbo_sim_start`` (the frozen instant), ``qbo_sim_seed``.

An exception raised inside the simulator while a test runs (a simulator bug, answered to the
client as a 500) fails that test with the original traceback, as pytest-httpserver re-raises
handler errors in the test thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from qbo_sim.simulator import Simulator

#: Where ``qbo_sim``'s clock stands still unless ``qbo_sim_start`` is overridden.
DEFAULT_START = datetime(2026, 1, 15, 17, 0, 0, tzinfo=UTC)

_SIMULATORS = pytest.StashKey[list["Simulator"]]()


@pytest.fixture
def qbo_sim_start() -> datetime:
    """The instant the ``qbo_sim`` clock is frozen at (override to choose another)."""
    return DEFAULT_START


@pytest.fixture
def qbo_sim_seed() -> int:
    """The seed of the ``qbo_sim`` simulator and its sample data (override to choose)."""
    return 0


@pytest.fixture
def qbo_sim_request_seconds() -> float:
    """Simulated duration of each API request of ``qbo_sim`` (override to choose; 0 = none).

    A frozen clock would otherwise see every request of a test at one instant, and QBO's
    10 requests/second throttle would answer the 11th with 429."""
    return 0.25


@pytest.fixture
def qbo_sim(
    request: pytest.FixtureRequest,
    qbo_sim_start: datetime,
    qbo_sim_seed: int,
    qbo_sim_request_seconds: float,
) -> Any:
    """A new simulator on a clock frozen at ``qbo_sim_start``; move it with
    ``qbo_sim.clock.advance(...)``. Each API request moves it by ``qbo_sim_request_seconds``."""
    from qbo_sim.clock import Clock
    from qbo_sim.simulator import Simulator

    sim = Simulator(
        seed=qbo_sim_seed,
        clock=Clock(frozen_at=qbo_sim_start),
        request_seconds=qbo_sim_request_seconds,
    )
    request.node.stash.setdefault(_SIMULATORS, []).append(sim)
    return sim


@pytest.fixture
def qbo_company(qbo_sim: Simulator) -> str:
    """The realm id of a fresh ``sample`` company of ``qbo_sim``."""
    return qbo_sim.create_company("sample")


@pytest.fixture
def qbo_mock(qbo_sim: Simulator) -> Iterator[Simulator]:
    """``qbo_sim`` with ``requests`` routed into it for the whole test."""
    with qbo_sim.mock():
        yield qbo_sim


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail the test with the first exception the simulator swallowed while it ran."""
    try:
        return (yield)
    finally:
        for sim in item.stash.get(_SIMULATORS, []):
            if sim.errors:
                raise sim.errors[0]
