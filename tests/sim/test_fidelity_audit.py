"""Discrepancies found by the fidelity audit against ``shared/qbo-reference.md``, pinned with
golden bodies from the reference so they cannot come back."""

from __future__ import annotations

import pytest

from tests.conftest import fault_of


def test_url_without_realm_is_unsupported_operation_as_php_sdk_246(api):
    # §1.5: "Unknown resource path → 400 with code 500 'Unsupported Operation'" (realm missing)
    res = api.client.get("/v3/company/query?minorversion=36", headers=api.headers)
    assert fault_of(res) == {
        "Message": "Unsupported Operation",
        "Detail": "Operation Could not find resource for relative : /v3/company/query of full "
        "path: http://localhost/v3/company/query?minorversion=36 is not supported.",
        "code": "500",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }


@pytest.mark.parametrize("segment", ["false", "undefined", "null"])
def test_realm_segment_that_is_no_realm_id_is_6000_as_node_quickbooks_48(api, sim, segment):
    # node-quickbooks#48: realmId left out, so the next argument (false) went into the URL
    res = api.client.get(
        f"/v3/company/{segment}/query?query=select%20*%20from%20Customer", headers=api.headers
    )
    assert fault_of(res) == {
        "Message": "A business validation error has occurred while processing your request",
        "Detail": "Business Validation Error: Unexpected Internal Error. (-30000)",
        "code": "6000",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }
    res = api.client.post(
        f"/v3/company/{segment}/customer", json={"DisplayName": "Acme"}, headers=api.headers
    )
    assert fault_of(res)["code"] == "6000"
    assert list(sim.company(api.realm).all("Customer")) == []


def test_numeric_unknown_realm_stays_general_authentication_error(api):
    res = api.client.get("/v3/company/123/customer/1", headers=api.headers)
    assert (fault_of(res)["code"], res.status_code) == ("100", 401)


def test_payment_total_amt_must_not_be_negative(api, sim, realm):
    # §5.12: "Payment requires CustomerRef and TotalAmt (non-negative)"; the code is assumed
    customer = api.create("Customer", {"DisplayName": "Payer"})
    before = sim.company(realm).to_dict()
    res = api.post("payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": -5})
    assert fault_of(res) == {
        "Message": "Invalid Number Range",
        "Detail": "Supplied value: -5",
        "code": "2240",
        "element": "TotalAmt",
        "type": "ValidationFault",
        "status": 400,
    }
    assert sim.company(realm).to_dict() == before
    zero = {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 0}
    assert api.post("payment", zero).status_code == 200


@pytest.mark.parametrize("amount", [1e308, -1e20, 100_000_000_000])
def test_amounts_beyond_qbo_ceiling_are_a_number_range_fault(api, amount):
    # §3.1 Item.UnitPrice/PurchaseCost max 99999999999; §3.2 Line.Amount max 15 digits
    customer = api.create("Customer", {"DisplayName": "Big"})
    res = api.post(
        "invoice",
        {
            "CustomerRef": {"value": customer["Id"]},
            "Line": [{"Amount": amount, "DetailType": "DescriptionOnly"}],
        },
    )
    error = fault_of(res)
    assert (error["code"], error["Message"], error["element"], error["status"]) == (
        "2240",
        "Invalid Number Range",
        "Line.Amount",
        400,
    )


def test_the_ceiling_itself_is_accepted(api):
    customer = api.create("Customer", {"DisplayName": "Rich"})
    body = {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 99_999_999_999}
    assert api.create("Payment", body)["TotalAmt"] == 99_999_999_999
