"""``POST /v3/company/<realm>/taxservice/taxcode``: a thin adapter over
:func:`qbo_sim.taxservice.create_tax_code` (docs/research/sales-tax.md §1.5). The body is JSON
(Intuit: ``Content-Type: application/json``); the answer is ``{"TaxService": {...}, "time"}``
in JSON or XML. Registered before ``company`` so its path is not read as an entity."""

from __future__ import annotations

from flask import Blueprint, Response

from qbo_sim import taxservice
from qbo_sim.api.company import respond
from qbo_sim.api.context import json_body, op_context

bp = Blueprint("taxservice", __name__, url_prefix="/v3/company/<realm_id>")

#: The answer's root element (Intuit's SalesTax.xsd ``TaxService``).
TAX_SERVICE = "TaxService"


@bp.post("/taxservice/taxcode")
def create_tax_code(realm_id: str) -> Response:
    return respond(TAX_SERVICE, taxservice.create_tax_code(op_context(), json_body()))
