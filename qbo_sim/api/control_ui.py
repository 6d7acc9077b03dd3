"""The dashboard at ``/_sim/ui`` and the front page ``/`` that links to it.

The dashboard is one server-rendered page (``templates/dashboard.html`` with its CSS and
JavaScript inlined, no build step) whose every action is an existing ``/_sim/`` call made by the
page's own script, so it adds no behaviour: companies and entities, the journal, the QBO user's
actions, faults and outages, the clock, snapshots, the OpenAPI document. The page is behind the
control plane's guard like every ``/_sim/`` route (Host and Origin checks); with a control token
the page itself loads and asks for the token, which its calls then send. ``bp`` is the ``ui``
part of the control plane, ``home`` serves ``/``.
"""

from __future__ import annotations

from flask import Blueprint, Response

from qbo_sim.api import pages

bp = Blueprint("ui", __name__)
home = Blueprint("home", __name__)

DASHBOARD_PATH = "/_sim/ui"


@bp.get("/ui")
def dashboard() -> Response:
    """The dashboard page (its data come from the control plane, fetched by the page)."""
    return pages.page("dashboard.html")


@home.get("/")
def front() -> Response:
    """``/``: what this server is, with links to the dashboard and the documents."""
    return pages.page("home.html", dashboard=DASHBOARD_PATH)
