"""The error handlers: every exception a view raises becomes a response here, through
:func:`qbo_sim.web.fault_to_response` (the one fault → response function)."""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from qbo_sim.faults import QBOFault
from qbo_sim.web import fault_to_response, sim

__all__ = ["fault_to_response", "register"]


def register(app: Flask) -> None:
    app.register_error_handler(QBOFault, fault_to_response)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _http_error(error: HTTPException) -> BaseResponse:
    """Unknown paths and wrong methods answer as QBO does: 400 Unsupported Operation."""
    if request.path.startswith("/v3/"):
        return fault_to_response(QBOFault("unknown_resource", path=request.path, url=request.url))
    return error.get_response()


def _unexpected(error: Exception) -> Response:
    """A bug in the simulator: keep it for the test that caused it, answer SystemFault."""
    sim().errors.append(error)
    detail = f"{type(error).__name__}: {error}"
    return fault_to_response(QBOFault("system_fault", detail=detail))
