"""``/_sim/openapi.json`` describes exactly the control-plane routes the app serves: built from
``app.url_map`` and ``control_openapi.OPERATIONS``, refused when either has what the other
lacks. (That the answers match it is ``test_control_schemathesis.py``.)"""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask

from qbo_sim.api import control_common, control_openapi, control_routes
from qbo_sim.api.control_actions import USER_ACTIONS
from qbo_sim.api.control_openapi import OPERATIONS, document, routes
from qbo_sim.simulator import Simulator


def test_the_document_is_served_with_every_route_and_each_user_action():
    sim = Simulator()
    realm = sim.create_company("sample")
    res = sim.app.test_client().get("/_sim/openapi.json")
    assert res.status_code == 200 and res.mimetype == "application/json"
    doc = res.get_json()
    assert doc["openapi"] == "3.1.0"
    operations = {
        f"{method.upper()} {path}" for path, item in doc["paths"].items() for method in item
    }
    assert len(operations) == len(OPERATIONS) + len(USER_ACTIONS)
    assert "GET /_sim/companies/{realm}" in operations
    assert "POST /_sim/companies/{realm}/user/move-invoice" in operations
    assert "POST /_sim/companies/{realm}/user/{action}" not in operations
    realm_param = doc["paths"]["/_sim/companies/{realm}"]["get"]["parameters"][0]
    assert realm_param["example"] == realm and realm_param["in"] == "path"
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    health = sim.app.test_client().get("/_sim/health").get_json()
    assert doc["info"]["version"] == (health["version"] or "0")


def test_by_id_user_actions_name_the_entity_types_they_apply_to():
    """The dashboard's Entity drop-down is read from these enums."""
    doc = Simulator().app.test_client().get("/_sim/openapi.json").get_json()

    def entity(action):
        path = f"/_sim/companies/{{realm}}/user/{action}"
        body = doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        return body["schema"]["properties"]["entity"]

    assert entity("void")["enum"] == ["BillPayment", "Invoice", "Payment", "SalesReceipt"]
    assert entity("merge")["enum"] == ["Customer", "Item", "Vendor"]
    assert (
        "Customer" in entity("deactivate")["enum"] and "Invoice" not in entity("deactivate")["enum"]
    )
    assert "Invoice" in entity("delete")["enum"] and "Customer" not in entity("delete")["enum"]
    assert "enum" not in entity("sparse-update") and "Item" in entity("sparse-update")["examples"]


def test_the_version_falls_back_to_0():
    assert document(Simulator().app)["info"]["version"] == "0"


def test_every_served_route_is_described_and_nothing_else():
    app = Simulator().app
    served = set(routes(app))
    assert served == set(OPERATIONS) | {"POST /_sim/companies/<realm>/user/<action>"}


def test_a_route_without_a_description_is_refused():
    extra = Blueprint("extra", __name__)
    extra.add_url_rule("/undocumented", "undocumented", lambda: "x")
    app = Flask("partial")
    app.register_blueprint(
        control_common.control_plane(control_routes.bp, control_openapi.bp, extra)
    )
    with pytest.raises(ValueError) as refused:
        document(app)
    text = str(refused.value)
    assert "GET /_sim/undocumented" in text  # served, not described
    assert "POST /_sim/faults" in text  # described, not served here


def test_a_required_field_sent_as_null_is_a_400_not_a_500():  # found by schemathesis
    sim = Simulator()
    client = sim.app.test_client()
    for path, body in (
        ("/_sim/clock/set", {"time": None}),
        ("/_sim/clock/advance", {"seconds": None}),
    ):
        res = client.post(path, json=body)
        assert res.status_code == 400 and res.get_json()["error"].startswith("missing field")
    assert sim.errors == []


def test_the_fault_rule_body_documents_every_field_the_parser_reads():
    from qbo_sim.fault_rules import FIELDS

    body = OPERATIONS["POST /_sim/faults"].body
    assert body is not None and body["additionalProperties"] is False
    assert sorted(body["properties"]) == sorted(FIELDS)
    assert body["properties"]["skip"] == {"type": "integer", "minimum": 0}
