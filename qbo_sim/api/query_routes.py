"""``GET /v3/company/<realm>/query?query=...`` and ``POST`` with the statement as the body
(``Content-Type: application/text``), answered identically (reference §4.1)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from qbo_sim.api.context import answer, company, sim
from qbo_sim.clock import response_time
from qbo_sim.faults import QBOFault
from qbo_sim.query import run_statement

bp = Blueprint("query", __name__, url_prefix="/v3/company/<realm_id>")


def _statement() -> str:
    """The body of a POST (any content type), else the ``query`` parameter."""
    if request.method == "POST":
        raw = request.get_data(cache=True)
        if raw.strip():
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                raise QBOFault("invalid_utf8") from None
    return request.args.get("query", "")


@bp.route("/query", methods=["GET", "POST"])
def query(realm_id: str) -> Response:
    """Run one statement; 4000/4001 faults are rendered by the app's error handler."""
    target = company()
    simulator = sim()
    statement = _statement()
    with simulator.store.lock:  # rows are the stored objects: serialize before any write
        body = run_statement(target, statement, simulator.clock)
        body["time"] = response_time(simulator.clock.now(), target.utc_offset_minutes)
        content_type, text = answer(body, target)
    return Response(text, status=200, content_type=content_type)
