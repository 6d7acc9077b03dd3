"""qbo-sim: a QuickBooks Online Accounting API v3 simulator.

The public names are imported lazily (PEP 562), so loading the pytest plugin, which pytest does
in every run of a project that has qbo-sim installed, costs nothing until a fixture is used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qbo_sim.app import create_app
    from qbo_sim.clock import Clock
    from qbo_sim.errors import SimError
    from qbo_sim.faults import CATALOGUE, QBOFault
    from qbo_sim.intercept import SimMock
    from qbo_sim.server import SimServer
    from qbo_sim.simulator import Simulator, mock

_HOMES = {
    "CATALOGUE": "qbo_sim.faults",
    "Clock": "qbo_sim.clock",
    "QBOFault": "qbo_sim.faults",
    "SimError": "qbo_sim.errors",
    "SimMock": "qbo_sim.intercept",
    "SimServer": "qbo_sim.server",
    "Simulator": "qbo_sim.simulator",
    "create_app": "qbo_sim.app",
    "mock": "qbo_sim.simulator",
}

__all__ = [
    "CATALOGUE",
    "Clock",
    "QBOFault",
    "SimError",
    "SimMock",
    "SimServer",
    "Simulator",
    "create_app",
    "mock",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'qbo_sim' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
