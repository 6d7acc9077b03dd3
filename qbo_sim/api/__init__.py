"""Flask blueprints: thin adapters from HTTP to :mod:`qbo_sim.operations` and back."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Attach the gateway (auth, journal, headers), error handlers and every blueprint.

    The query blueprint comes before ``company`` so ``/query`` is not taken for an entity.
    """
    from qbo_sim.api import (
        batch_routes,
        cdc_routes,
        company,
        control_routes,
        errors,
        gateway,
        oauth_routes,
        query_routes,
    )

    gateway.register(app)
    errors.register(app)
    app.register_blueprint(query_routes.bp)
    app.register_blueprint(batch_routes.bp)
    app.register_blueprint(cdc_routes.bp)
    app.register_blueprint(control_routes.bp)
    app.register_blueprint(oauth_routes.bp)
    app.register_blueprint(company.bp)
