"""``POST /v3/company/<realm>/<txn>/<id>/send[?sendTo=]``: e-mail a transaction (issue 16).

A thin adapter over :func:`qbo_sim.operations.send`; the message lands in the simulated outbox
(:mod:`qbo_sim.outbox`). Registered before ``company`` so its path is not read as an entity.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from qbo_sim import operations
from qbo_sim.api.company import respond
from qbo_sim.api.context import op_context
from qbo_sim.entities import BY_PATH
from qbo_sim.faults import QBOFault

bp = Blueprint("send", __name__, url_prefix="/v3/company/<realm_id>")


@bp.post("/<segment>/<entity_id>/send")
def send(realm_id: str, segment: str, entity_id: str) -> Response:
    spec = BY_PATH.get(segment)
    if spec is None or spec.send_email is None:
        raise QBOFault("unknown_resource", path=request.path, url=request.url)
    send_to = request.args.get("sendTo")
    return respond(spec.name, operations.send(op_context(), spec, entity_id, send_to))
