"""The only place that turns exceptions into error responses."""

from __future__ import annotations

from flask import Flask, Response, g, has_request_context, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from qbo_sim.api.context import sim, wants_xml
from qbo_sim.faults import QBOFault
from qbo_sim.serialize import fault_response


def register(app: Flask) -> None:
    app.register_error_handler(QBOFault, fault_to_response)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def fault_to_response(fault: QBOFault) -> Response:
    simulator = sim()
    company = simulator.store.get(g.get("realm_id") or "")
    offset = company.utc_offset_minutes if company else -480
    # API calls only: the control plane answers JSON whatever the Accept header says
    api_call = has_request_context() and request.path.startswith("/v3/")
    as_xml = api_call and wants_xml(company)
    status, content_type, body = fault_response(fault, simulator.clock.now(), offset, as_xml=as_xml)
    return Response(body, status=status, content_type=content_type)


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
