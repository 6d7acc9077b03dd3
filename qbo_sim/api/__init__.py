"""Flask blueprints: thin adapters from HTTP to :mod:`qbo_sim.operations` and back."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Attach the gateway (auth, journal, headers), error handlers and every blueprint."""
    from qbo_sim.api import company, errors, gateway

    gateway.register(app)
    errors.register(app)
    app.register_blueprint(company.bp)
