"""``create_app()``: the one WSGI app behind both transports (HTTP server and in-process)."""

from __future__ import annotations

from flask import Flask

from qbo_sim.api import create_flask_app
from qbo_sim.simulator import Simulator


def create_app(sim: Simulator | None = None) -> Flask:
    """Build the Flask app for ``sim`` (a new :class:`~qbo_sim.simulator.Simulator` if None)."""
    if sim is None:
        return Simulator().app
    return create_flask_app(sim)
