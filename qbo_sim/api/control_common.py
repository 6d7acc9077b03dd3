"""Shared pieces of the ``/_sim/`` control plane: the blueprint, its guard and JSON errors,
and the helpers that read and check request bodies (see :mod:`qbo_sim.api.control_routes`).

:func:`control_plane` builds the ``/_sim`` blueprint of one app around its parts, the nested
blueprints of :mod:`~qbo_sim.api.control_routes`, :mod:`~qbo_sim.api.control_actions` and
:mod:`~qbo_sim.api.control_webhooks` (``qbo_sim.api.register`` names them); the guard and the
error handlers of the parent apply to every route of every part.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, g, request
from werkzeug.exceptions import HTTPException

from qbo_sim import control_policy
from qbo_sim.api.context import sim
from qbo_sim.api.errors import fault_to_response
from qbo_sim.errors import SimError
from qbo_sim.faults import QBOFault
from qbo_sim.store import Company
from qbo_sim.validation import MAX_BODY_DEPTH, too_deep


def control_plane(*parts: Blueprint) -> Blueprint:
    """A new ``control`` blueprint at ``/_sim`` with the guard, the error handlers and ``parts``
    nested in it (their endpoints are ``control.<part>.<view>``). A new one for each app: a
    blueprint cannot take more parts once it is registered."""
    parent = Blueprint("control", __name__, url_prefix="/_sim")
    parent.before_request(_guard)
    parent.register_error_handler(ControlError, _control_error)
    parent.register_error_handler(QBOFault, _qbo_fault)
    parent.register_error_handler(HTTPException, _http_error)
    parent.register_error_handler(Exception, _unexpected)
    for part in parts:
        parent.register_blueprint(part)
    return parent


def _guard() -> Response | None:
    """Refuse what qbo_sim.control_policy refuses (foreign Host or Origin, non-JSON bodies,
    a missing control token)."""
    refusal = control_policy.check(
        sim().control_policy,
        path=request.path,
        host=request.host,
        headers={k: v for k in control_policy.HEADERS_READ if (v := request.headers.get(k))},
        has_body=bool(request.content_length or request.get_data(cache=True)),
        mimetype=request.mimetype,
    )
    if refusal is None:
        return None
    return reply({"error": refusal.error, "detail": refusal.detail}, refusal.status)


class ControlError(SimError):
    """A control-plane error: ``{"error": message, "detail": detail}`` with ``status``."""

    def __init__(self, status: int, error: str, detail: Any = None) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.detail = detail


def reply(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")


# --- errors ------------------------------------------------------------------------------
def _control_error(error: ControlError) -> Response:
    return reply({"error": error.error, "detail": error.detail}, error.status)


def _qbo_fault(fault: QBOFault) -> Response:
    return fault_to_response(fault)


def _http_error(error: HTTPException) -> Response:
    return reply({"error": error.name, "detail": error.description}, error.code or 500)


def _unexpected(error: Exception) -> Response:
    """A bug in the simulator: kept in ``sim.errors`` (fails the test), answered 500 JSON."""
    sim().errors.append(error)
    return reply({"error": "internal error", "detail": f"{type(error).__name__}: {error}"}, 500)


# --- request helpers ---------------------------------------------------------------------
def body_of(allowed: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The JSON object of the request (``{}`` when empty); 400 for anything else."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        body: Any = {}
    else:
        try:
            body = json.loads(raw, parse_constant=_reject_constant)
        except RecursionError:
            raise ControlError(400, "bad JSON", "nested too deep") from None
        except ValueError as error:
            raise ControlError(400, "bad JSON", str(error)) from None
        if too_deep(body):
            raise ControlError(400, "bad JSON", f"nested deeper than {MAX_BODY_DEPTH} levels")
    if not isinstance(body, dict):
        raise ControlError(400, "bad JSON", "the body must be a JSON object")
    if allowed is not None:
        unknown = sorted(set(body) - set(allowed))
        if unknown:
            raise ControlError(
                400, "unknown fields", {"unknown": unknown, "allowed": sorted(allowed)}
            )
    return body


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (numbers must be finite)")


def required(body: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    """``body[name]``, of ``kind``: 400 when absent, null or a blank string (a form's empty
    field names nothing; ``typed`` lets null through)."""
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ControlError(400, f"missing field {name!r}", f"{name} is required")
    return typed(body, name, kind)


def typed(
    body: dict[str, Any], name: str, kind: type | tuple[type, ...], *, nullable: bool = True
) -> Any:
    """``body[name]`` when absent, null or of ``kind`` (a bool is not a number); else 400.
    ``nullable=False``: null is refused as well (a field the OpenAPI document types, where
    null does not mean "omitted")."""
    value = body.get(name)
    if value is None:
        if not nullable and name in body:
            expected = " or ".join(
                k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,))
            )
            raise ControlError(400, f"field {name!r} must be {expected}", value)
        return None
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        expected = " or ".join(k.__name__ for k in kinds)
        raise ControlError(400, f"field {name!r} must be {expected}", value)
    return value


def company_of(realm: str) -> Company:
    found = sim().store.get(realm)
    if found is None:
        raise ControlError(404, "unknown realm", realm)
    g.realm_id = realm  # QBO faults answered for this company use its UTC offset
    return found


def call_feature(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a feature's Python API; its argument errors become 400s."""
    try:
        return func(*args, **kwargs)
    except (TypeError, ValueError, KeyError) as error:
        raise ControlError(400, f"{func.__name__} refused the request", message(error)) from None


def message(error: BaseException) -> str:
    return str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
