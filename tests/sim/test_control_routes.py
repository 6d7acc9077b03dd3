"""The control plane's routes are registered explicitly (``qbo_sim.api.register`` names every
blueprint): every endpoint ``docs/control-plane.md`` lists is served, so a part that stops being
registered fails here, and no module registers routes as a side effect of being imported.

(The other direction, every served route is documented, is
``test_serve_service.test_every_control_plane_route_is_in_its_doc``.)
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from flask import Blueprint, Flask
from werkzeug.exceptions import HTTPException

from qbo_sim.api import control_common, control_routes, control_webhooks
from qbo_sim.api.control_actions import USER_ACTIONS
from qbo_sim.simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "control-plane.md"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: the catch-all (JSON 404/405) serves anything; a route it answers is not served
CATCH_ALL = "control.core.unknown"


def documented_endpoints() -> list[tuple[str, str]]:
    """(method, path) of each entry of the control plane's endpoint table; ``.../`` is
    ``/_sim/companies/<realm>/`` and ``GET` / `PATCH /x`` is two entries."""
    lines = DOC.read_text("utf-8").splitlines()
    start = lines.index("| Endpoint | Body / query | Python twin |") + 2
    found: list[tuple[str, str]] = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        methods: list[str] = []
        for chunk in re.findall(r"`([^`]+)`", line.split(" | ")[0]):
            words = chunk.split()
            if words[0] in METHODS:
                methods.append(words.pop(0))
            if words:
                path = words[0].replace(".../", "/_sim/companies/<realm>/")
                found += [(method, path) for method in methods]
                methods = []
    return found


def unserved(app: Flask) -> list[str]:
    """The documented endpoints ``app`` does not serve (answered by the catch-all or nothing)."""
    adapter = app.url_map.bind("localhost")
    missing = []
    for method, path in documented_endpoints():
        concrete = re.sub(r"<[^>]+>", "1", path)
        try:
            endpoint, args = adapter.match(concrete, method=method)
        except HTTPException:
            endpoint, args = None, {}
        if endpoint in (None, CATCH_ALL) or (
            endpoint == "control.actions.act_as_user" and args["action"] not in USER_ACTIONS
        ):
            missing.append(f"{method} {path}")
    return missing


def test_the_doc_table_is_read_as_expected():
    endpoints = documented_endpoints()
    assert len(endpoints) == len(set(endpoints)) >= 45
    assert ("GET", "/_sim/health") in endpoints
    assert ("PATCH", "/_sim/webhooks") in endpoints  # "`GET` / `PATCH /_sim/webhooks`"
    assert ("DELETE", "/_sim/webhooks/outbox") in endpoints
    assert ("GET", "/_sim/webhooks/events") in endpoints  # the second of a row
    assert ("POST", "/_sim/companies/<realm>/user/merge") in endpoints  # ".../user/merge"


def test_every_documented_control_endpoint_is_served():
    assert unserved(Simulator().app) == []


def test_every_served_control_endpoint_is_reached_from_the_doc():
    app = Simulator().app
    adapter = app.url_map.bind("localhost")
    reached = {
        adapter.match(re.sub(r"<[^>]+>", "1", path), method=method)[0]
        for method, path in documented_endpoints()
    }
    served = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("control.")}
    # the index is described in the prose ("`GET /_sim/` lists every endpoint"), not the table
    assert served - reached == {CATCH_ALL, "control.core.index"}


def test_a_part_left_out_of_the_control_plane_is_noticed():
    app = Flask("partial")
    app.register_blueprint(control_common.control_plane(control_routes.bp, control_webhooks.bp))
    missing = unserved(app)
    assert "POST /_sim/faults" in missing
    assert "POST /_sim/companies/<realm>/user/create" in missing
    assert "GET /_sim/webhooks" not in missing and "GET /_sim/health" not in missing


def test_every_blueprint_of_the_api_package_is_registered():
    app = Simulator().app
    registered = set(app.blueprints)
    for path in sorted((ROOT / "qbo_sim" / "api").glob("*.py")):
        module = importlib.import_module(f"qbo_sim.api.{path.stem}")
        for value in vars(module).values():
            if isinstance(value, Blueprint) and value.name not in registered:
                assert f"control.{value.name}" in registered, f"{path.name}: {value.name}"


def test_no_module_is_imported_only_for_its_side_effects():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "qbo_sim").rglob("*.py"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if "noqa: F401" in line
    ]
    assert offenders == []
