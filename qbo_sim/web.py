"""What every Flask-facing layer shares: the simulator of the current app, content negotiation
and the one function that turns a ``QBOFault`` into a response.

The blueprints (:mod:`qbo_sim.api`) and the gateway features (throttle, injection) both answer
faults; both use :func:`fault_to_response` from here, so features never import ``api/``
(:mod:`qbo_sim.api.context` and :mod:`qbo_sim.api.errors` re-export these names).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response, current_app, g, has_request_context, request

from qbo_sim import fidelity
from qbo_sim import xml as xml_codec
from qbo_sim.faults import QBOFault
from qbo_sim.interfaces import SimulatorLike
from qbo_sim.serialize import fault_response
from qbo_sim.store import Company

#: ``app.extensions`` key of the simulator an app serves (set by ``api.create_flask_app``).
EXTENSION = "qbo_sim"


def sim() -> SimulatorLike:
    """The simulator behind the app handling the current request."""
    found: SimulatorLike = current_app.extensions[EXTENSION]
    return found


def wants_xml(target: Company | None = None) -> bool:
    """Whether the answer is QBO's XML (§1.4): the best ``Accept`` entry naming JSON or XML
    decides; with none (no header, ``*/*``) the company's ``default_content_type`` does
    (QBO answers XML; qbo-sim's default is JSON, a convenience)."""
    raw = request.headers.get("Accept")
    if raw is not None and raw.lower() == "application/json":  # most clients: no parsing
        return False
    if raw in (None, "", "*/*"):
        accepted: Iterable[tuple[str, float]] = ()
    else:
        accepted = request.accept_mimetypes
    for value, quality in accepted:
        media = value.lower()
        if quality <= 0:
            continue
        if media in xml_codec.MEDIA_TYPES:
            return True
        if media == "application/json":
            return False
    found = target or sim().store.get(g.get("realm_id") or "")
    if found is None:
        return False
    content_type: str = fidelity.get(found.fidelity, "default_content_type")
    return content_type == "xml"


def fault_to_response(fault: QBOFault) -> Response:
    """The response for ``fault`` in the current request, in its envelope and format."""
    simulator = sim()
    company = simulator.store.get(g.get("realm_id") or "")
    offset = company.utc_offset_minutes if company else -480
    # API calls only: the control plane answers JSON whatever the Accept header says
    api_call = has_request_context() and request.path.startswith("/v3/")
    as_xml = api_call and wants_xml(company)
    status, content_type, body = fault_response(fault, simulator.clock.now(), offset, as_xml=as_xml)
    return Response(body, status=status, content_type=content_type)
