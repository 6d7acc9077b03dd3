"""Flask blueprints: thin adapters from HTTP to :mod:`qbo_sim.operations` and back."""

from __future__ import annotations

import copy
import threading

from flask import Flask
from flask.config import Config

from qbo_sim.api import (
    batch_routes,
    cdc_routes,
    company,
    control_actions,
    control_common,
    control_openapi,
    control_outbox,
    control_routes,
    control_ui,
    control_webhooks,
    currency_routes,
    errors,
    gateway,
    oauth_routes,
    pdf_routes,
    query_routes,
    report_routes,
    send_routes,
    tax_routes,
    upload_routes,
)
from qbo_sim.interfaces import SimulatorLike
from qbo_sim.web import EXTENSION


class SimApp(Flask):
    """The qbo-sim Flask app. Its routes, blueprints, hooks and error handlers are built once
    per process (:func:`shared_app`); each simulator serves through its own shallow copy of
    that app (:func:`create_flask_app`), so what a simulator is (``app.extensions``, its
    config, a replaced ``wsgi_app``) stays its own while building the routes costs nothing.

    A copy's routes are the shared ones: adding a route, hook or handler to it would change
    every simulator's app, so the setup methods refuse (AssertionError, as Flask's own
    refusal once an app has served).
    """

    #: True on the copies: their setup is the shared app's, finished.
    shared_setup = False

    def _check_setup_finished(self, f_name: str) -> None:
        if self.shared_setup:
            raise AssertionError(
                f"The setup method {f_name!r} cannot be called on a simulator's app: its "
                "routes, hooks and handlers are shared by every simulator of the process "
                "(qbo_sim.api.shared_app); wrap app.wsgi_app or build a Flask app of your own"
            )
        super()._check_setup_finished(f_name)


_SHARED: SimApp | None = None
_SHARED_LOCK = threading.Lock()


def shared_app() -> SimApp:
    """The process's one built app (routes, blueprints, gateway, error handlers), serving no
    simulator itself; built on first use."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            app = SimApp("qbo_sim")
            app.json.sort_keys = False  # type: ignore[attr-defined]
            register(app)
            _SHARED = app
        return _SHARED


def create_flask_app(sim: SimulatorLike) -> Flask:
    """The Flask app serving ``sim`` (``Simulator`` builds its own with this): a copy of
    :func:`shared_app` whose ``extensions`` name ``sim``; the app finds its simulator per
    request there (:func:`qbo_sim.web.sim`)."""
    base = shared_app()
    app = copy.copy(base)
    app.config = Config(base.root_path, base.config)
    app.extensions = {EXTENSION: sim}
    app.json = app.json_provider_class(app)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.shared_setup = True
    return app


def register(app: Flask) -> None:
    """Attach the gateway (auth, journal, headers), the error handlers and every blueprint:
    what the app serves is this list.

    The query, report, send, PDF, tax service and currency blueprints come before
    ``company`` so ``/query``, ``/reports/<name>``, ``/<txn>/<id>/send``, ``/<txn>/<id>/pdf``,
    ``/taxservice/taxcode`` and ``/exchangerate`` are not taken for an entity.
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
            control_outbox.bp,  # the e-mail of /send
            control_openapi.bp,  # /_sim/openapi.json, built from these routes
            control_ui.bp,  # /_sim/ui, the dashboard (its calls are the routes above)
        )
    )
    app.register_blueprint(control_ui.home)  # /, a front page linking to the dashboard
    app.register_blueprint(oauth_routes.bp)  # OAuth 2.0 / OpenID Connect, discovery
    app.register_blueprint(send_routes.bp)  # /v3/company/<realm>/<txn>/<id>/send
    app.register_blueprint(pdf_routes.bp)  # /v3/company/<realm>/<txn>/<id>/pdf
    app.register_blueprint(report_routes.bp)  # /v3/company/<realm>/reports/<Name>
    app.register_blueprint(upload_routes.bp)  # /upload, /download/<id>, signed file links
    app.register_blueprint(tax_routes.bp)  # /v3/company/<realm>/taxservice/taxcode
    app.register_blueprint(currency_routes.bp)  # /v3/company/<realm>/exchangerate
    app.register_blueprint(company.bp)  # /v3/company/<realm>/<entity>[/<id>]
