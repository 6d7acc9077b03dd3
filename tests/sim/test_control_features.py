"""Control-plane endpoints over features that landed separately: fault injection, outages,
throttling, business rules (6240 for the QBO user), OAuth discovery through the mock."""

from __future__ import annotations

import pytest
import requests

from qbo_sim.auth import DEV_TOKEN
from tests.conftest import fault_of

SANDBOX = "https://sandbox-quickbooks.api.intuit.com"
HEADERS = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}


@pytest.fixture
def control(sim):
    return sim.app.test_client()


def test_fault_rules_add_list_remove_clear(control, api, sim, realm):
    res = control.post(
        "/_sim/faults",
        json={
            "realm": realm,
            "entity": "customer",
            "operation": "create",
            "times": 1,
            "status": 500,
        },
    )
    assert res.status_code == 201
    rule_id = res.get_json()["id"]
    assert sim.injector.rules()[0]["id"] == rule_id
    assert control.get("/_sim/faults").get_json()["rules"] == sim.injector.rules()
    first = api.post("customer", {"DisplayName": "Acme"})
    assert fault_of(first)["code"] == "10000"
    assert api.post("customer", {"DisplayName": "Acme"}).status_code == 200  # times=1 used up
    control.post("/_sim/faults", json={"status": 503})
    res = control.delete(f"/_sim/faults/{rule_id}")
    assert res.get_json()["removed"] == str(rule_id)
    assert [r["status"] for r in res.get_json()["rules"]] == [503]
    assert control.delete(f"/_sim/faults/{rule_id}").status_code == 404
    assert control.delete("/_sim/faults").get_json() == {"rules": []}
    assert sim.injector.rules() == []


@pytest.mark.parametrize(
    "body",
    [
        {"fault": "no_such_fault"},
        {"status": 418},
        {"operation": "launch", "status": 500},
        {"colour": "red"},
        {},
    ],
)
def test_unusable_fault_rules_are_400(control, sim, body):
    res = control.post("/_sim/faults", json=body)
    assert res.status_code == 400
    assert res.get_json()["error"] == "add refused the request"
    assert sim.injector.rules() == []


def test_an_injected_catalogue_fault_reaches_the_client_with_its_exact_body(control, api, sim):
    control.post(
        "/_sim/faults",
        json={"operation": "create", "fault": "duplicate_name", "params": {"id": "58"}},
    )
    assert fault_of(api.post("customer", {"DisplayName": "Acme"})) == {
        "Message": "Duplicate Name Exists Error",
        "Detail": "The name supplied already exists. : Id=58",
        "code": "6240",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }


def test_outage_until_the_clock_moves_past_it(control, api, sim, clock):
    res = control.post("/_sim/outage", json={"minutes": 10, "status": 503})
    assert res.status_code == 201
    assert api.get("preferences").status_code == 503
    control.post("/_sim/clock/advance", json={"seconds": 601})
    assert api.get("preferences").status_code == 200
    assert control.post("/_sim/outage", json={"hours": 1}).get_json()["error"] == "unknown fields"


def test_an_injected_drop_is_a_connection_error_in_process_and_over_http(control, sim, realm):
    control.post("/_sim/faults", json={"drop": True, "operation": "read"})
    url = f"/v3/company/{realm}/preferences"
    with sim.mock(), pytest.raises(requests.exceptions.ConnectionError):
        requests.get(SANDBOX + url, headers=HEADERS, timeout=10)
    with sim.serve() as base_url, pytest.raises(requests.exceptions.ConnectionError):
        requests.get(base_url + url, headers=HEADERS, timeout=10)
    assert [e.status for e in sim.journal.entries(realm=realm)] == [599, 599]


def test_throttle_settings_switch_limits_counts_and_reset(control, api, sim, realm):
    assert control.get("/_sim/throttle").get_json() == sim.throttle.settings()
    res = control.patch("/_sim/throttle", json={"limits": {"per_app_second": 2}})
    assert res.get_json()["limits"]["per_app_second"] == 2
    statuses = [api.get("preferences").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    counts = control.get(f"/_sim/throttle/{realm}")
    assert counts.status_code == 200 and counts.get_json() == sim.throttle.state(realm)
    control.post("/_sim/throttle/reset")
    assert api.get("preferences").status_code == 200
    res = control.patch("/_sim/throttle", json={"realm": realm, "enabled": False})
    assert res.get_json()["companies"] == {realm: {"enabled": False}}
    assert [api.get("preferences").status_code for _ in range(5)] == [200] * 5
    control.patch("/_sim/throttle", json={"enabled": False})
    assert sim.throttle.enabled is False


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"limits": {"per_fortnight": 1}}, 400, "configure refused the request"),
        ({"limits": {"per_app_second": "ten"}}, 400, "field 'per_app_second' must be int"),
        ({"enabled": "no"}, 400, "field 'enabled' must be bool"),
        ({"realm": "404", "enabled": False}, 404, "unknown realm"),
    ],
)
def test_throttle_errors(control, body, status, error):
    res = control.patch("/_sim/throttle", json=body)
    assert res.status_code == status
    assert res.get_json()["error"] == error


def test_a_user_creating_a_duplicate_name_sees_6240(control, sim, realm):
    url = f"/_sim/companies/{realm}/user/create"
    first = control.post(url, json={"entity": "Customer", "body": {"DisplayName": "Acme"}})
    assert first.status_code == 200
    second = control.post(url, json={"entity": "Customer", "body": {"DisplayName": "Acme"}})
    assert fault_of(second) == {
        "Message": "Duplicate Name Exists Error",
        "Detail": "The name supplied already exists. : Id=" + first.get_json()["Customer"]["Id"],
        "code": "6240",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }
    assert sim.company(realm).count("Customer") == 1


def test_oauth_discovery_through_the_mock_points_at_intuits_real_urls(sim):
    with sim.mock():
        res = requests.get(
            "https://developer.intuit.com/.well-known/openid_sandbox_configuration/", timeout=10
        )
    assert res.status_code == 200
    doc = res.json()
    assert doc["issuer"] == "https://oauth.platform.intuit.com/op/v1"
    assert doc["token_endpoint"] == "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"


def test_an_oauth_token_exchange_and_api_call_work_through_the_mock(sim, realm):
    from qbo_sim.oauth.server import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

    code = sim.oauth.authorize(DEFAULT_CLIENT_ID, realm)
    with sim.mock():
        res = requests.post(
            "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": "x"},
            auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
            headers={"Accept": "application/json"},
            timeout=10,
        )
        assert res.status_code == 200, res.text
        tokens = res.json()
        assert (tokens["expires_in"], tokens["x_refresh_token_expires_in"]) == (3600, 8726400)
        api = requests.get(
            f"{SANDBOX}/v3/company/{realm}/companyinfo/{realm}",
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
            timeout=10,
        )
    assert api.status_code == 200


def test_the_fault_catalogue_lists_what_a_rule_may_inject_and_each_entry_is_accepted(control):
    body = control.get("/_sim/faults/catalogue").get_json()
    faults = {f["key"]: f for f in body["faults"]}
    assert faults["stale_object"]["code"] == "5010"
    assert faults["stale_object"]["status"] == 400
    assert body["shorthands"][:2] == ["drop", "ambiguous"] and "http_503" in body["shorthands"]
    # every entry, with a value for each param it lists, is a rule the injector accepts;
    # without them the rule is refused naming the first missing one (params is exact)
    for key, entry in faults.items():
        params = {name: "x" for name in entry["params"]}
        res = control.post("/_sim/faults", json={"fault": key, "params": params, "times": 0})
        assert res.status_code == 201, (key, res.get_json())
        if entry["params"]:
            refused = control.post("/_sim/faults", json={"fault": key, "times": 0})
            assert refused.status_code == 400
            assert entry["params"][0] in refused.get_json()["detail"]
    for shorthand in body["shorthands"]:
        assert control.post("/_sim/faults", json={"fault": shorthand}).status_code == 201
