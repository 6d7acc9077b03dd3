"""``create_app()``: the one WSGI app behind both transports (HTTP server and in-process)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from qbo_sim.simulator import Simulator


def create_app(sim: Simulator | None = None) -> Flask:
    """Build the Flask app for ``sim`` (a new :class:`~qbo_sim.simulator.Simulator` if None)."""
    if sim is None:
        from qbo_sim.simulator import Simulator

        return Simulator().app
    from qbo_sim.api import register

    app = Flask("qbo_sim")
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["qbo_sim"] = sim
    register(app)
    return app
