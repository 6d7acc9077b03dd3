"""``/_sim/outbox``: the e-mail sent by ``/<txn>/<id>/send`` (docs/control-plane.md).

A thin adapter over :func:`qbo_sim.outbox.messages` (Python twin ``sim.outbox(realm)``); the
``outbox`` part of the control plane (``bp``, nested in
:func:`qbo_sim.api.control_common.control_plane`).
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from qbo_sim import outbox
from qbo_sim.api.control_common import ControlError, company_of, reply

bp = Blueprint("outbox", __name__)


@bp.get("/outbox")
def sent_mail() -> Response:
    """``sim.outbox(realm)``: ``{"realm", "messages": [...]}``, oldest first."""
    realm = request.args.get("realm")
    if not realm:
        raise ControlError(400, "missing query parameter 'realm'")
    return reply({"realm": realm, "messages": outbox.messages(company_of(realm))})
