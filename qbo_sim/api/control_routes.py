"""The control plane at ``/_sim/``: tests and support staff drive the simulator over HTTP.

JSON in and out, no OAuth token. Each endpoint is a thin adapter over a Python method of the
simulator (its "twin", listed in ``docs/control-plane.md``). Errors are
``{"error": "...", "detail": ...}`` with an HTTP status; a QBO fault raised by an action of the
QBO user is answered as QBO's own fault body, with its status. Never a traceback.

This module is the ``core`` part (``bp``): health, companies, snapshots, the journal, the clock,
fidelity, subscriptions, the index and the JSON 404/405 for anything else under ``/_sim/``.
:func:`qbo_sim.api.control_common.control_plane` nests it with the other parts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, current_app, request
from werkzeug.routing import Map, Rule

from qbo_sim import fidelity
from qbo_sim.api.context import sim
from qbo_sim.api.control_common import (
    ControlError,
    body_of,
    company_of,
    message,
    reply,
    required,
    typed,
)
from qbo_sim.snapshot import SnapshotError

__all__ = ["bp"]

bp = Blueprint("core", __name__)

_ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def _endpoint_rules() -> list[Rule]:
    """The app's control-plane routes, the catch-all :func:`unknown` left out."""
    views = current_app.view_functions
    return [
        r
        for r in current_app.url_map.iter_rules()
        if r.endpoint.startswith("control.") and views.get(r.endpoint) is not unknown
    ]


# --- health ------------------------------------------------------------------------------
@bp.get("/health")
def health() -> Response:
    """Liveness: 200 whenever the process answers, with what it serves."""
    return reply(sim().health())


@bp.get("/ready")
def ready() -> Response:
    """Readiness: 200 once the start-up company exists, 503 before (or with no company)."""
    state = sim().health()
    return reply(state, 200 if state["ready"] else 503)


# --- companies ---------------------------------------------------------------------------
@bp.get("/")
def index() -> Response:
    endpoints = sorted(
        f"{m} {r.rule}"
        for r in _endpoint_rules()
        for m in sorted((r.methods or set()) - {"HEAD", "OPTIONS"})
    )
    return reply({"endpoints": endpoints})


@bp.get("/companies")
def list_companies() -> Response:
    return reply({"companies": sim().list_companies()})


_CREATE_FIELDS = ("preset", "seed", "name", "environment", "preferences", "fidelity", "realm_id")


@bp.post("/companies")
def create_company() -> Response:
    body = body_of(_CREATE_FIELDS)
    typed(body, "seed", int)
    for name in ("preset", "name", "environment", "realm_id"):
        typed(body, name, str)
    for name in ("preferences", "fidelity"):
        typed(body, name, dict)
    simulator = sim()
    try:
        realm = simulator.create_company(
            body.get("preset") or "sample",
            seed=body.get("seed"),
            name=body.get("name"),
            realm_id=body.get("realm_id"),
            environment=body.get("environment") or "sandbox",
            preferences=body.get("preferences"),
            fidelity_settings=body.get("fidelity"),
        )
    except (ValueError, KeyError) as error:
        raise ControlError(400, "cannot create the company", message(error)) from None
    return reply(_summary(realm), 201)


@bp.get("/companies/<realm>")
def get_company(realm: str) -> Response:
    company_of(realm)
    return reply(_summary(realm))


@bp.delete("/companies/<realm>")
def delete_company(realm: str) -> Response:
    company_of(realm)
    sim().delete_company(realm)
    return reply({"deleted": realm})


@bp.post("/companies/<realm>/reset")
def reset_company(realm: str) -> Response:
    company_of(realm)
    return reply({"reset": _reset(realm)})


@bp.post("/reset")
def reset_all() -> Response:
    return reply({"reset": _reset(None)})


def _reset(realm: str | None) -> list[str]:
    try:
        return sim().reset(realm)
    except ValueError as error:
        raise ControlError(409, "cannot reset", str(error)) from None


def _summary(realm: str) -> dict[str, Any]:
    from qbo_sim.presets import company_summary

    return company_summary(sim().company(realm))


# --- snapshots ---------------------------------------------------------------------------
@bp.get("/snapshot")
def export_snapshot() -> Response:
    realm = request.args.get("realm")
    if realm is not None:
        company_of(realm)
    return reply(sim().export_state(realm))


@bp.post("/snapshot")
def import_snapshot() -> Response:
    replace = _flag(request.args.get("replace"), "replace") or False
    try:
        # body_of parses the request anew: nobody else holds the document, so it is adopted
        realms = sim().import_state(body_of(), replace=replace, adopt=True)
    except SnapshotError as error:
        raise ControlError(400, "bad snapshot", str(error)) from None
    return reply({"imported": realms})


# --- journal -----------------------------------------------------------------------------
_JOURNAL_FILTERS = ("realm", "method", "path", "status", "fault_code", "user_edit", "since")


@bp.get("/journal")
def read_journal() -> Response:
    unknown = sorted(set(request.args) - set(_JOURNAL_FILTERS))
    if unknown:
        raise ControlError(
            400, "unknown filters", {"unknown": unknown, "allowed": _JOURNAL_FILTERS}
        )
    args = request.args
    entries = sim().journal.entries(
        realm=args.get("realm"),
        method=args.get("method"),
        path_contains=args.get("path"),
        status=_integer(args.get("status"), "status"),
        fault_code=args.get("fault_code"),
        user_edit=_flag(args.get("user_edit"), "user_edit"),
        since=_integer(args.get("since"), "since") or 0,
    )
    return reply({"entries": [e.to_dict() for e in entries], "last_seq": sim().journal.last_seq()})


@bp.delete("/journal")
def clear_journal() -> Response:
    journal = sim().journal
    count = len(journal)
    journal.clear()
    return reply({"cleared": count})


def _integer(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise ControlError(400, f"{name} must be an integer", value) from None


def _flag(value: str | None, name: str) -> bool | None:
    if value is None:
        return None
    lowered = value.lower()
    if lowered not in ("true", "false", "1", "0"):
        raise ControlError(400, f"{name} must be true or false", value)
    return lowered in ("true", "1")


# --- clock -------------------------------------------------------------------------------
def _clock_state() -> dict[str, Any]:
    clock = sim().clock
    return {"now": clock.now().astimezone(UTC).isoformat(), "frozen": clock.frozen}


@bp.get("/clock")
def read_clock() -> Response:
    return reply(_clock_state())


@bp.post("/clock/advance")
def advance_clock() -> Response:
    seconds = required(body_of(("seconds",)), "seconds", (int, float))
    if seconds < 0:
        raise ControlError(
            400,
            "cannot advance the clock",
            "the clock only moves forward; to go back, set it: POST /_sim/clock/set "
            '{"time": "<ISO-8601>"} (the dashboard\'s Clock tab: Set the clock)',
        )
    try:
        sim().clock.advance(seconds)
    except ValueError as error:
        raise ControlError(400, "cannot advance the clock", str(error)) from None
    return reply(_clock_state())


@bp.post("/clock/set")
def set_clock() -> Response:
    value = required(body_of(("time",)), "time", str)
    try:
        instant = datetime.fromisoformat(value)
    except ValueError as error:
        raise ControlError(400, "time must be ISO-8601", str(error)) from None
    try:
        sim().clock.set(instant)
    except ValueError as error:
        raise ControlError(400, "cannot set the clock", str(error)) from None
    return reply(_clock_state())


# --- fidelity ----------------------------------------------------------------------------
@bp.get("/fidelity")
def fidelity_catalogue() -> Response:
    return reply(
        {
            "settings": [
                {
                    "name": s.name,
                    "default": s.default,
                    "description": s.description,
                    "source": s.source,
                    "confidence": s.confidence,
                }
                for s in fidelity.SETTINGS.values()
            ]
        }
    )


@bp.get("/companies/<realm>/fidelity")
def read_fidelity(realm: str) -> Response:
    company_of(realm)
    return reply({"realm_id": realm, "settings": sim().fidelity(realm)})


@bp.patch("/companies/<realm>/fidelity")
def change_fidelity(realm: str) -> Response:
    company_of(realm)
    body = body_of()
    unknown = sorted(set(body) - set(fidelity.SETTINGS))
    if unknown:
        raise ControlError(
            400,
            "unknown fidelity settings",
            {"unknown": unknown, "allowed": sorted(fidelity.SETTINGS)},
        )
    try:
        settings = sim().set_fidelity(realm, body)
    except TypeError as error:
        raise ControlError(400, "bad fidelity value", str(error)) from None
    return reply({"realm_id": realm, "settings": settings})


# --- subscription ------------------------------------------------------------------------
@bp.get("/companies/<realm>/subscription")
def read_subscription(realm: str) -> Response:
    from qbo_sim.rules import subscription

    return reply({"realm_id": realm, "status": subscription.state(company_of(realm))})


@bp.put("/companies/<realm>/subscription")
def change_subscription(realm: str) -> Response:
    company_of(realm)
    status = required(body_of(("status",)), "status", str)
    try:
        sim().set_subscription(realm, status)
    except ValueError as error:
        raise ControlError(400, "bad subscription status", str(error)) from None
    return reply({"realm_id": realm, "status": status})


# --- anything else under /_sim/ ----------------------------------------------------------
@bp.route("/<path:unknown>", methods=_ALL_METHODS)
def unknown(unknown: str) -> Response:
    """No such endpoint (404) or not with this method (405), as JSON."""
    rules = [Rule(r.rule, endpoint=r.endpoint, methods=r.methods) for r in _endpoint_rules()]
    allowed = Map(rules).bind("localhost").allowed_methods(request.path)
    if allowed:
        raise ControlError(
            405, "method not allowed", {"path": request.path, "allowed": sorted(allowed)}
        )
    raise ControlError(404, "no such control-plane endpoint", f"{request.method} {request.path}")
