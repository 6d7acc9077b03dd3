"""qbo-sim: a QuickBooks Online Accounting API v3 simulator."""

from qbo_sim.app import create_app
from qbo_sim.clock import Clock
from qbo_sim.faults import CATALOGUE, QBOFault
from qbo_sim.intercept import SimMock, mock
from qbo_sim.server import SimServer
from qbo_sim.simulator import Simulator

__all__ = [
    "CATALOGUE",
    "Clock",
    "QBOFault",
    "SimMock",
    "SimServer",
    "Simulator",
    "create_app",
    "mock",
]
