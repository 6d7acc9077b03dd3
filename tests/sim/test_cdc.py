"""Change data capture: changed objects, deleted stubs, the 30-day look-back (§5.8)."""

from __future__ import annotations

from tests.conftest import fault_of


def test_cdc_returns_changes_and_deleted_stubs(api, clock):
    old = api.create("Customer", {"DisplayName": "Old"})
    clock.advance(hours=2)
    new = api.create("Customer", {"DisplayName": "New"})
    invoice = api.create(
        "Invoice",
        {
            "CustomerRef": {"value": new["Id"]},
            "Line": [{"Amount": 5, "DetailType": "DescriptionOnly", "DescriptionLineDetail": {}}],
        },
    )
    api.post("invoice?operation=delete", {"Id": invoice["Id"], "SyncToken": "0"})
    res = api.get(
        "cdc",
        query_string={"entities": "Customer,Invoice", "changedSince": "2026-03-02T10:00:00-08:00"},
    )
    assert res.status_code == 200
    groups = res.get_json()["CDCResponse"][0]["QueryResponse"]
    customers = groups[0]["Customer"]
    assert [c["Id"] for c in customers] == [new["Id"]]
    assert old["Id"] not in [c["Id"] for c in customers]
    assert groups[1]["Invoice"] == [
        {
            "domain": "QBO",
            "status": "Deleted",
            "Id": invoice["Id"],
            "MetaData": {"LastUpdatedTime": "2026-03-02T11:00:00-08:00"},
        }
    ]


def test_cdc_with_no_changes_is_an_empty_query_response(api):
    res = api.get(
        "cdc", query_string={"entities": "Customer", "changedSince": "2026-03-02T10:00:00-08:00"}
    )
    assert res.get_json()["CDCResponse"] == [{"QueryResponse": [{}]}]


def test_cdc_answers_an_empty_query_response_for_each_entity_without_changes(api, clock):
    """One QueryResponse per asked entity, in the asked order (the captured CDC answer of
    quickbooks-ruby's spec/fixtures/change_data_capture_response.xml has 11, 7 of them empty)."""
    clock.advance(hours=2)
    customer = api.create("Customer", {"DisplayName": "Changed"})
    res = api.get(
        "cdc",
        query_string={
            "entities": "Estimate,Customer,Invoice",
            "changedSince": "2026-03-02T10:00:00-08:00",
        },
    )
    groups = res.get_json()["CDCResponse"][0]["QueryResponse"]
    assert len(groups) == 3
    assert groups[0] == {} and groups[2] == {}
    assert [c["Id"] for c in groups[1]["Customer"]] == [customer["Id"]]


def test_cdc_older_than_thirty_days_is_refused(api):
    res = api.get("cdc", query_string={"entities": "Customer", "changedSince": "2026-01-01"})
    error = fault_of(res)
    assert error["code"] == "6000" and error["status"] == 400
    assert error["Detail"] == (
        "Business Validation Error: Operation cdc with changedSince date 2026-01-01 which is "
        "older than fixed days is not supported."
    )


def test_cdc_refuses_entities_it_does_not_serve(api):
    for name in ("TimeActivity", "TaxCode", "Widget"):
        res = api.get(
            "cdc",
            query_string={
                "entities": f"Customer,{name}",
                "changedSince": "2026-03-02T08:00:00-08:00",
            },
        )
        error = fault_of(res)
        assert (error["code"], error["Detail"], error["status"]) == (
            "2000",
            f"Object Name: {name}",
            400,
        )
