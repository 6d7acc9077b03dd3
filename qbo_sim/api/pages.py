"""HTML pages: the Jinja templates shipped in ``qbo_sim/templates/`` (package data), rendered
with autoescaping. The consent page (:mod:`qbo_sim.api.oauth_routes`) and the dashboard
(:mod:`qbo_sim.api.control_ui`) are rendered here; neither needs a build step."""

from __future__ import annotations

from typing import Any

from flask import Response
from jinja2 import Environment, PackageLoader, select_autoescape

_ENV = Environment(
    loader=PackageLoader("qbo_sim", "templates"),
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)

HTML = "text/html; charset=utf-8"


def render(name: str, **context: Any) -> str:
    """The text of template ``name`` with ``context``."""
    return _ENV.get_template(name).render(**context)


def page(name: str, status: int = 200, **context: Any) -> Response:
    """An HTML response of template ``name``."""
    return Response(render(name, **context), status=status, content_type=HTML)
