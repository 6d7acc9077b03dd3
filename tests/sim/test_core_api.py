"""The wire format of the core: envelopes, SyncToken, MetaData, intuit_tid, basic faults."""

from __future__ import annotations

import pytest

from tests.conftest import fault_of


def test_create_returns_envelope_with_server_fields(api):
    res = api.post("customer", {"DisplayName": "Acme Plumbing"})
    assert res.status_code == 200
    body = res.get_json()
    assert set(body) == {"Customer", "time"}
    assert body["time"] == "2026-03-02T09:00:00.000-08:00"
    customer = body["Customer"]
    assert customer["domain"] == "QBO" and customer["sparse"] is False
    assert customer["Id"] == "1" and customer["SyncToken"] == "0"
    assert customer["MetaData"] == {
        "CreateTime": "2026-03-02T09:00:00-08:00",
        "LastUpdatedTime": "2026-03-02T09:00:00-08:00",
    }
    assert res.headers["intuit_tid"].startswith("1-")


def test_sparse_update_bumps_synctoken_and_old_token_is_stale(api, clock):
    created = api.create("Customer", {"DisplayName": "Acme Plumbing"})
    clock.advance(61)
    res = api.post(
        "customer", {"Id": created["Id"], "SyncToken": "0", "sparse": True, "CompanyName": "Acme"}
    )
    updated = res.get_json()["Customer"]
    assert updated["SyncToken"] == "1"
    assert updated["CompanyName"] == "Acme"
    assert updated["MetaData"]["CreateTime"] == "2026-03-02T09:00:00-08:00"
    assert updated["MetaData"]["LastUpdatedTime"] == "2026-03-02T09:01:01-08:00"
    stale = api.post(
        "customer", {"Id": created["Id"], "SyncToken": "0", "sparse": True, "CompanyName": "Other"}
    )
    assert fault_of(stale) == {
        "Message": "Stale Object Error",
        "Detail": "Stale Object Error : You and API API were working on this at the same "
        "time. API API finished before you did, so your work was not saved.",
        "code": "5010",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }


def test_error_responses_carry_intuit_tid(api):
    res = api.get("nosuchentity/1")
    assert res.status_code == 400
    assert res.headers["intuit_tid"]
    assert fault_of(res)["code"] == "500"


def test_request_seconds_paces_a_frozen_clock_so_sequential_calls_are_not_throttled(clock):
    from qbo_sim import Simulator
    from tests.conftest import START, Api

    sim = Simulator(clock=clock, request_seconds=0.25)
    api = Api(sim.app.test_client(), sim.create_company("empty"))
    codes = [api.post("customer", {"DisplayName": f"C{i}"}).status_code for i in range(30)]
    assert codes == [200] * 30
    assert (clock.now() - START).total_seconds() == 7.5


def test_without_request_seconds_a_frozen_second_throttles_the_eleventh_call(sim, api):
    codes = [api.post("customer", {"DisplayName": f"C{i}"}).status_code for i in range(11)]
    assert codes == [200] * 10 + [429]


def _utf8_2010(problem: str) -> dict:
    return {
        "Message": "Request has invalid or unsupported property",
        "Detail": f"Property Name:{problem} specified is unsupported or invalid",
        "code": "2010",
        "type": "ValidationFault",
        "status": 400,
    }


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        # the capture: Latin-1 "Rémi", 0xE9 then "m" (QuickBooks-V3-Java-SDK#181)
        (b'{"DisplayName": "R\xe9mi Belanger"}', "Invalid UTF-8 middle byte 0x6d"),
        (b'{"DisplayName": "Caf\xe9"}', "Invalid UTF-8 middle byte 0x22"),
        (b'{"DisplayName": "\xe2\x82\n"}', "Invalid UTF-8 middle byte 0xa"),
        (b'{"DisplayName": "A\x80"}', "Invalid UTF-8 start byte 0x80"),
        (b'{"DisplayName": "A\xff"}', "Invalid UTF-8 start byte 0xff"),
    ],
)
def test_non_utf8_json_body_is_2010_naming_the_byte(api, sim, body, problem):
    res = api.client.post(
        api.url("customer"),
        data=body,
        headers={**api.headers, "Content-Type": "application/json"},
    )
    assert fault_of(res) == _utf8_2010(problem)
    assert list(sim.company(api.realm).all("Customer")) == []


def test_non_utf8_batch_json_body_is_the_same_2010(api):
    res = api.client.post(
        api.url("batch"),
        data=b'{"BatchItemRequest": [{"bId": "1", "operation": "create", "Customer": '
        b'{"DisplayName": "R\xe9mi"}}]}',
        headers={**api.headers, "Content-Type": "application/json"},
    )
    assert fault_of(res) == _utf8_2010("Invalid UTF-8 middle byte 0x6d")


def test_bytes_jackson_reads_but_are_not_text_are_malformed_json(api):
    res = api.client.post(
        api.url("customer"),
        data=b'{"DisplayName": "\xed\xa0\x80"}',  # an encoded lone surrogate
        headers={**api.headers, "Content-Type": "application/json"},
    )
    error = fault_of(res)
    assert (error["code"], error["status"]) == ("2010", 400)
    assert "failed to parse json object" in error["Detail"]


def test_wrong_method_and_unknown_entity_answer_unsupported_operation(api):
    for res in (
        api.client.put(api.url("customer"), json={}, headers=api.headers),
        api.client.delete(api.url("customer/1"), headers=api.headers),
        api.post("widget", {"Name": "x"}),
    ):
        error = fault_of(res)
        assert (error["code"], error["status"], error["Message"]) == (
            "500",
            400,
            "Unsupported Operation",
        )
        assert error["Detail"].startswith("Operation Could not find resource for relative : ")


def test_unknown_realm_is_general_authentication_error(api):
    res = api.client.get("/v3/company/123/customer/1", headers=api.headers)
    assert fault_of(res) == {
        "Message": "General Authentication Error",
        "Detail": "AuthenticationErrorGeneral: SRV-110-Authentication Failure , statusCode: 401",
        "code": "100",
        "element": "",
        "type": "AuthenticationFault",
        "status": 401,
    }


def test_name_list_delete_is_unsupported_and_changes_nothing(api, sim, realm):
    customer = api.create("Customer", {"DisplayName": "Acme"})
    before = sim.company(realm).to_dict()
    res = api.post("customer?operation=delete", {"Id": customer["Id"], "SyncToken": "0"})
    assert fault_of(res)["Detail"] == "Operation Delete is not supported."
    assert sim.company(realm).to_dict() == before


def test_minorversion_below_75_is_served_and_non_numeric_is_refused(api):
    for version in ("4", "65", "75", "999"):
        res = api.post(f"customer?minorversion={version}", {"DisplayName": f"C{version}"})
        assert res.status_code == 200
    res = api.post("customer?minorversion=latest", {"DisplayName": "X"})
    assert fault_of(res) == {
        "Message": "Request has invalid or unsupported property",
        "Detail": "Property Name:minorversion=latest specified is unsupported or invalid",
        "code": "2010",
        "type": "ValidationFault",
        "status": 400,
    }


def test_last_updated_time_never_falls_before_create_time_after_the_clock_moves_back(
    api, sim, clock
):
    """Issue 13: after the clock moved back an update stamped LastUpdatedTime < CreateTime."""
    created = api.create("Customer", {"DisplayName": "Back in time"})
    clock.advance(hours=2)
    later = api.update(
        "Customer", {"Id": created["Id"], "SyncToken": "0", "sparse": True, "Notes": "a"}
    )
    assert later["MetaData"]["LastUpdatedTime"] == "2026-03-02T11:00:00-08:00"
    clock.set("2026-03-01T12:00:00+00:00")  # before the create
    again = api.update(
        "Customer", {"Id": created["Id"], "SyncToken": "1", "sparse": True, "Notes": "b"}
    )
    assert again["MetaData"]["CreateTime"] == "2026-03-02T09:00:00-08:00"
    assert again["MetaData"]["LastUpdatedTime"] == "2026-03-02T11:00:00-08:00"  # not earlier
    clock.set("2026-03-05T12:00:00+00:00")
    moved = api.update(
        "Customer", {"Id": created["Id"], "SyncToken": "2", "sparse": True, "Notes": "c"}
    )
    assert moved["MetaData"]["LastUpdatedTime"] == "2026-03-05T04:00:00-08:00"


def test_a_delete_stub_is_not_stamped_before_the_last_update(api, sim, clock):
    account = api.create("Account", {"Name": "Sales", "AccountType": "Income"})
    item = api.create(
        "Item", {"Name": "Work", "Type": "Service", "IncomeAccountRef": {"value": account["Id"]}}
    )
    customer = api.create("Customer", {"DisplayName": "Stub"})
    line = {
        "Amount": 5,
        "DetailType": "SalesItemLineDetail",
        "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}},
    }
    invoice = api.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line]})
    clock.set("2026-01-01T00:00:00+00:00")
    res = api.post("invoice?operation=delete", {"Id": invoice["Id"], "SyncToken": "0"})
    assert res.status_code == 200
    stub = sim.company(api.realm).deleted_stub("Invoice", invoice["Id"])
    assert stub["MetaData"]["LastUpdatedTime"] == invoice["MetaData"]["LastUpdatedTime"]
