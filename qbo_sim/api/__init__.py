"""Flask blueprints: thin adapters from HTTP to :mod:`qbo_sim.operations` and back."""

from __future__ import annotations

from flask import Flask

from qbo_sim.api import (
    batch_routes,
    cdc_routes,
    company,
    control_actions,
    control_common,
    control_routes,
    control_webhooks,
    errors,
    gateway,
    oauth_routes,
    query_routes,
)
from qbo_sim.interfaces import SimulatorLike
from qbo_sim.web import EXTENSION


def create_flask_app(sim: SimulatorLike) -> Flask:
    """The Flask app serving ``sim`` (``Simulator`` builds its own with this)."""
    app = Flask("qbo_sim")
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions[EXTENSION] = sim
    register(app)
    return app


def register(app: Flask) -> None:
    """Attach the gateway (auth, journal, headers), the error handlers and every blueprint:
    what the app serves is this list.

    The query blueprint comes before ``company`` so ``/query`` is not taken for an entity.
    """
    gateway.register(app)
    errors.register(app)
    app.register_blueprint(query_routes.bp)  # /v3/company/<realm>/query
    app.register_blueprint(batch_routes.bp)  # /v3/company/<realm>/batch
    app.register_blueprint(cdc_routes.bp)  # /v3/company/<realm>/cdc
    app.register_blueprint(  # /_sim/: the guard and JSON errors, around its parts
        control_common.control_plane(
            control_routes.bp,  # health, companies, snapshots, journal, clock, fidelity, 404
            control_actions.bp,  # as the QBO user, fault injection, throttling
            control_webhooks.bp,  # webhooks
        )
    )
    app.register_blueprint(oauth_routes.bp)  # OAuth 2.0 / OpenID Connect, discovery
    app.register_blueprint(company.bp)  # /v3/company/<realm>/<entity>[/<id>]
