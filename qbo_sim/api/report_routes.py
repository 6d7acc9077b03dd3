"""``GET /v3/company/<realm>/reports/<Name>``: a report of the company's books, in QBO's
report JSON or XML (:mod:`qbo_sim.reports`)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from qbo_sim import reports
from qbo_sim.api.context import company, op_context, sim, wants_xml
from qbo_sim.reports.shape import xml_report
from qbo_sim.serialize import JSON_TYPE, XML_TYPE, dumps

bp = Blueprint("reports", __name__, url_prefix="/v3/company/<realm_id>")


@bp.get("/reports/<name>")
def report(realm_id: str, name: str) -> Response:
    target = company()
    with target.lock:  # every figure from one version of the books
        body = reports.run(
            op_context(), name, request.args, sim().clock.now(), request.path, request.url
        )
    if wants_xml(target):
        return Response(xml_report(body), content_type=XML_TYPE)
    return Response(dumps(body), content_type=JSON_TYPE)
