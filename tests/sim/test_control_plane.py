"""The /_sim/ control plane: companies, reset, snapshots, journal, clock, fidelity, errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from qbo_sim import Simulator, fidelity
from qbo_sim.snapshot import dumps


@pytest.fixture
def control(sim):
    return sim.app.test_client()


def test_companies_create_list_get_delete(control, sim):
    created = control.post(
        "/_sim/companies",
        json={
            "preset": "empty",
            "seed": 5,
            "name": "Field Co",
            "environment": "production",
            "realm_id": "9130350000000001",
            "preferences": {"SalesFormsPrefs": {"CustomTxnNumbers": True}},
            "fidelity": {"requestid_retention_hours": 1},
        },
    )
    assert created.status_code == 201
    assert created.get_json() == {
        "realm_id": "9130350000000001",
        "name": "Field Co",
        "environment": "production",
        "preset": "empty",
        "seed": 5,
        "entities": {"CompanyInfo": 1, "Preferences": 1, "TaxCode": 2},
        "utc_offset_minutes": -480,  # the journal's times are this company's local time
    }
    company = sim.company("9130350000000001")
    assert company.fidelity == {"requestid_retention_hours": 1}
    assert company.get("Preferences", "1")["SalesFormsPrefs"]["CustomTxnNumbers"] is True
    listed = control.get("/_sim/companies").get_json()["companies"]
    assert listed == sim.list_companies() == [created.get_json()]
    assert control.get("/_sim/companies/9130350000000001").get_json() == created.get_json()
    deleted = control.delete("/_sim/companies/9130350000000001")
    assert deleted.get_json() == {"deleted": "9130350000000001"}
    assert sim.store.realm_ids() == []


def test_a_created_company_defaults_to_the_sample_preset_in_the_sandbox(control):
    body = control.post("/_sim/companies").get_json()
    assert (body["preset"], body["environment"]) == ("sample", "sandbox")


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"preset": "galaxy"}, "cannot create the company"),
        ({"environment": "staging"}, "cannot create the company"),
        ({"fidelity": {"no_such_setting": 1}}, "cannot create the company"),
        ({"seed": "seven"}, "field 'seed' must be int"),
        ({"seed": True}, "field 'seed' must be int"),
        ({"colour": "blue"}, "unknown fields"),
    ],
)
def test_company_creation_errors_are_400_json(control, body, error):
    res = control.post("/_sim/companies", json=body)
    assert res.status_code == 400
    assert res.get_json()["error"] == error


def test_creating_a_realm_twice_is_refused(control, realm):
    res = control.post("/_sim/companies", json={"realm_id": realm})
    assert res.status_code == 400
    assert res.get_json() == {
        "error": "cannot create the company",
        "detail": f"a company with realm id {realm} already exists",
    }


def test_unknown_realm_is_404_everywhere(control):
    for method, path in [
        ("get", "/_sim/companies/404"),
        ("delete", "/_sim/companies/404"),
        ("post", "/_sim/companies/404/reset"),
        ("get", "/_sim/companies/404/fidelity"),
        ("patch", "/_sim/companies/404/fidelity"),
        ("post", "/_sim/companies/404/user/create"),
        ("get", "/_sim/snapshot?realm=404"),
    ]:
        res = getattr(control, method)(path)
        assert res.status_code == 404, path
        assert res.get_json() == {"error": "unknown realm", "detail": "404"}, path


def test_reset_one_and_all(control, sim, realm):
    other = sim.create_company("empty")
    for r in (realm, other):
        sim.as_user(r).create("Customer", {"DisplayName": "Temporary"})
    assert control.post(f"/_sim/companies/{realm}/reset").get_json() == {"reset": [realm]}
    assert (sim.company(realm).count("Customer"), sim.company(other).count("Customer")) == (0, 1)
    assert control.post("/_sim/reset").get_json() == {"reset": sorted([realm, other])}
    assert sim.company(other).count("Customer") == 0


def test_reset_of_a_company_without_preset_record_is_409(control, sim):
    sim.import_state({"qbo_sim_snapshot": 1, "companies": [{"realm_id": "7", "name": "Bare"}]})
    res = control.post("/_sim/companies/7/reset")
    assert res.status_code == 409
    assert res.get_json()["detail"] == "company 7 has no preset record, so it cannot be reset"


def test_snapshot_export_and_import_over_http(control, sim, realm, clock):
    sim.as_user(realm).create("Customer", {"DisplayName": "Acme"})
    exported = control.get("/_sim/snapshot")
    assert exported.status_code == 200
    assert exported.get_json() == sim.export_state()
    assert control.get(f"/_sim/snapshot?realm={realm}").get_json() == sim.export_state(realm)
    other = Simulator(clock=clock)
    other_control = other.app.test_client()
    res = other_control.post(
        "/_sim/snapshot", data=exported.get_data(), content_type="application/json"
    )
    assert res.get_json() == {"imported": [realm]}
    assert dumps(other.export_state()) == dumps(sim.export_state())
    sim.create_company("empty")
    res = control.post(
        "/_sim/snapshot?replace=true", data=exported.get_data(), content_type="application/json"
    )
    assert sim.store.realm_ids() == [realm]


def test_bad_snapshots_are_400(control):
    bad = control.post("/_sim/snapshot", data="{nope", content_type="application/json")
    assert bad.get_json()["error"] == "bad JSON"
    res = control.post("/_sim/snapshot", json={"qbo_sim_snapshot": 9, "companies": []})
    assert res.status_code == 400
    assert res.get_json() == {
        "error": "bad snapshot",
        "detail": "unsupported snapshot version 9; this qbo-sim reads 1",
    }
    assert control.post("/_sim/snapshot?replace=maybe", json={}).status_code == 400


def _company(**changes):
    base = {"realm_id": "7", "name": "Bad"}
    return {"qbo_sim_snapshot": 1, "companies": [{**base, **changes}]}


BAD_SNAPSHOTS = [
    (_company(entities="x"), "companies[0].entities"),
    (_company(sequences="x"), "companies[0].sequences"),
    (_company(deleted="x"), "companies[0].deleted"),
    (_company(extras="x"), "companies[0].extras"),
    (_company(extras={"throttle": "x"}), "companies[0].extras.throttle"),
    (_company(extras={"editors": {"Customer:1": 5}}), "companies[0].extras.editors.Customer:1"),
    (_company(environment="mars"), "companies[0].environment"),
    (_company(realm_id="../../x"), "companies[0].realm_id"),
    (_company(realm_id=7), "companies[0].realm_id"),
    (_company(utc_offset_minutes="x"), "companies[0].utc_offset_minutes"),
    (_company(fidelity={"no_such_setting": 1}), "companies[0].fidelity"),
    (
        _company(fidelity={"requestid_retention_hours": "x"}),
        "companies[0].fidelity.requestid_retention_hours",
    ),
    (_company(entities={"Bogus": []}), "companies[0].entities"),
    (_company(entities={"Customer": ["x"]}), "companies[0].entities.Customer[0]"),
    (_company(entities={"Customer": [{"Id": 1}]}), "companies[0].entities.Customer[0].Id"),
    (_company(sequences={"txn": -1}), "companies[0].sequences.txn"),
    ({**_company(), "clock": {"now": 5}}, "clock.now"),
    ({**_company(), "surprise": 1}, "the document"),
]


@pytest.mark.parametrize(("doc", "path"), BAD_SNAPSHOTS, ids=lambda v: str(v)[-40:])
def test_a_bad_snapshot_is_a_400_naming_the_path_and_changes_nothing(control, sim, doc, path):
    """Issue 13: these were 500s, or accepted and then every query, create and export of
    the company answered 500."""
    sim.create_company("empty")
    before = dumps(sim.export_state())
    res = control.post("/_sim/snapshot?replace=true", json=doc)
    assert res.status_code == 400, res.get_json()
    assert res.get_json()["error"] == "bad snapshot"
    assert res.get_json()["detail"].startswith(f"bad snapshot value at {path}: ")
    assert dumps(sim.export_state()) == before
    assert control.get("/_sim/snapshot").status_code == 200
    with pytest.raises(ValueError, match="bad snapshot value at"):  # SnapshotError: the CLI's
        sim.import_state(doc)
    assert dumps(sim.export_state()) == before


def test_the_snapshot_schema_ships_with_the_package():
    from qbo_sim import snapshot

    assert snapshot.SCHEMA_PATH.parent.name == "qbo_sim"
    assert snapshot.SCHEMA_PATH.exists()
    pyproject = (snapshot.SCHEMA_PATH.parent.parent / "pyproject.toml").read_text()
    assert '"snapshot.schema.json"' in pyproject


def test_journal_filters_and_clear(control, api, sim, realm, clock):
    api.post("customer", {"DisplayName": "Acme"})
    api.post("customer", {"DisplayName": "Acme"} | {"Id": "1", "SyncToken": "9", "sparse": True})
    sim.as_user(realm).sparse_update("Customer", "1", CompanyName="Acme Co")
    everything = control.get("/_sim/journal").get_json()
    assert [e["seq"] for e in everything["entries"]] == [1, 2, 3]
    assert everything["last_seq"] == 3

    def seqs(query: str) -> list[int]:
        res = control.get(f"/_sim/journal?{query}")
        assert res.status_code == 200, res.get_json()
        return [e["seq"] for e in res.get_json()["entries"]]

    assert seqs("status=400") == [2]
    assert seqs("fault_code=5010") == [2]
    assert seqs("user_edit=true") == [3]
    assert seqs("user_edit=false&method=post") == [1, 2]
    assert seqs(f"realm={realm}&since=1") == [2, 3]
    assert seqs("path=/customer") == [1, 2]
    assert seqs("path=CUSTOMER") == [1, 2, 3]  # case ignored: the user's "update Customer" too
    assert seqs("realm=other") == []
    entry = everything["entries"][1]
    assert entry["response"]["Fault"]["Error"][0]["code"] == "5010"
    assert control.delete("/_sim/journal").get_json() == {"cleared": 3}
    assert control.get("/_sim/journal").get_json()["entries"] == []


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("status=abc", "status must be an integer"),
        ("since=x", "since must be an integer"),
        ("user_edit=perhaps", "user_edit must be true or false"),
        ("colour=red", "unknown filters"),
    ],
)
def test_journal_filter_errors_are_400(control, query, error):
    res = control.get(f"/_sim/journal?{query}")
    assert res.status_code == 400
    assert res.get_json()["error"] == error


def test_clock_read_advance_and_set(control, clock):
    assert control.get("/_sim/clock").get_json() == {
        "now": "2026-03-02T17:00:00+00:00",
        "frozen": True,
    }
    res = control.post("/_sim/clock/advance", json={"seconds": 90.5})
    assert res.get_json()["now"] == "2026-03-02T17:01:30.500000+00:00"
    res = control.post("/_sim/clock/set", json={"time": "2026-04-01T08:00:00-07:00"})
    assert res.get_json()["now"] == "2026-04-01T15:00:00+00:00"
    assert clock.now() == datetime(2026, 4, 1, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("path", "body", "error"),
    [
        ("/_sim/clock/advance", {"seconds": -5}, "cannot advance the clock"),
        ("/_sim/clock/advance", {"seconds": "5"}, "field 'seconds' must be int or float"),
        ("/_sim/clock/advance", {}, "missing field 'seconds'"),
        ("/_sim/clock/set", {"time": "next tuesday"}, "time must be ISO-8601"),
        ("/_sim/clock/set", {"when": "2026-01-01"}, "unknown fields"),
    ],
)
def test_clock_errors_are_400(control, clock, path, body, error):
    res = control.post(path, json=body)
    assert res.status_code == 400
    assert res.get_json()["error"] == error
    assert clock.now().isoformat() == "2026-03-02T17:00:00+00:00"


def test_going_back_says_to_set_the_clock_in_control_plane_words(control, clock):
    detail = control.post("/_sim/clock/advance", json={"seconds": -5}).get_json()["detail"]
    assert "POST /_sim/clock/set" in detail and "set()" not in detail


DEEP = '{"a":' * 100_000 + "1" + "}" * 100_000


@pytest.mark.parametrize(
    ("path", "raw", "error"),
    [
        ("/_sim/clock/advance", '{"seconds": Infinity}', "bad JSON"),
        ("/_sim/clock/advance", '{"seconds": NaN}', "bad JSON"),
        ("/_sim/clock/advance", '{"seconds": 1e300}', "cannot advance the clock"),
        ("/_sim/clock/advance", '{"seconds": 1e12}', "cannot advance the clock"),
        ("/_sim/clock/set", '{"time": "0001-01-01"}', "cannot set the clock"),
        ("/_sim/clock/set", '{"time": "9999-12-31"}', "cannot set the clock"),
        ("/_sim/clock/set", '{"time": "1899-12-31T23:59:59+00:00"}', "cannot set the clock"),
        ("/_sim/outage", '{"seconds": Infinity}', "bad JSON"),
        ("/_sim/outage", '{"minutes": 1e300}', "outage refused the request"),
        ("/_sim/outage", '{"seconds": 1e12}', "outage refused the request"),
        ("/_sim/outage", '{"minutes": -5}', "outage refused the request"),
        ("/_sim/faults", '{"latency": 1e300}', "add refused the request"),
        ("/_sim/clock/advance", DEEP, "bad JSON"),
        ("/_sim/clock/set", '{"time":' * 70 + '"x"' + "}" * 70, "bad JSON"),
        ("/_sim/outage", DEEP, "bad JSON"),
        ("/_sim/snapshot", DEEP, "bad JSON"),
        ("/_sim/companies", DEEP, "bad JSON"),
    ],
    ids=lambda v: v[:40],
)
def test_out_of_range_and_deep_control_bodies_are_400(control, sim, api, clock, path, raw, error):
    """Issue 13: these were 500s, or (0001-01-01, 9999-12-31) accepted, after which creates,
    reads and CDC answered 500."""
    res = control.post(path, data=raw, content_type="application/json")
    assert res.status_code == 400, res.get_data(as_text=True)[:300]
    assert res.get_json()["error"] == error
    assert clock.now().isoformat() == "2026-03-02T17:00:00+00:00"
    assert sim.injector.rules() == []
    created = api.post("customer", {"DisplayName": "After"})
    assert created.status_code == 200
    assert api.get("customer/1").status_code == 200
    assert api.get("cdc?entities=Customer&changedSince=2026-03-01").status_code == 200


def test_the_clock_refuses_instants_outside_its_years_in_python(clock):
    for instant in ("0001-01-01", "9999-12-31", "1899-12-31T23:59:59+00:00"):
        with pytest.raises(ValueError, match="1900..9000"):
            clock.set(instant)
    for seconds in (float("inf"), float("nan"), 1e300, 1e12):
        with pytest.raises(ValueError):
            clock.advance(seconds)
    assert clock.now().isoformat() == "2026-03-02T17:00:00+00:00"
    clock.set("9000-12-31T23:59:00+00:00")
    with pytest.raises(ValueError):
        clock.advance(120)
    assert clock.set("1900-01-01T00:00:00+00:00").year == 1900


def test_fidelity_read_and_patch(control, sim, realm):
    assert control.get("/_sim/fidelity").get_json()["settings"][0]["name"] in fidelity.SETTINGS
    current = control.get(f"/_sim/companies/{realm}/fidelity").get_json()
    assert current == {"realm_id": realm, "settings": fidelity.defaults()}
    res = control.patch(
        f"/_sim/companies/{realm}/fidelity",
        json={"inactive_reference_fault": "2500", "requestid_retention_hours": 2},
    )
    assert res.status_code == 200
    settings = res.get_json()["settings"]
    assert (settings["inactive_reference_fault"], settings["requestid_retention_hours"]) == (
        "2500",
        2,
    )
    assert sim.fidelity(realm) == settings
    assert sim.company(realm).fidelity == {
        "inactive_reference_fault": "2500",
        "requestid_retention_hours": 2,
    }


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"no_such_setting": 1}, "unknown fidelity settings"),
        ({"requestid_retention_hours": "24"}, "bad fidelity value"),
        ({"name_match_case_insensitive": 1}, "bad fidelity value"),
        (
            {"inactive_reference_fault": "2500", "requestid_retention_hours": 2.5},
            "bad fidelity value",
        ),
    ],
)
def test_bad_fidelity_keys_and_values_are_400_and_change_nothing(control, sim, realm, body, error):
    res = control.patch(f"/_sim/companies/{realm}/fidelity", json=body)
    assert res.status_code == 400
    assert res.get_json()["error"] == error
    assert sim.company(realm).fidelity == {}


def test_bad_json_bodies_are_400(control, realm):
    for path in ("/_sim/companies", "/_sim/clock/advance", f"/_sim/companies/{realm}/user/create"):
        res = control.post(path, data="{'single': 'quotes'}", content_type="application/json")
        assert res.status_code == 400, path
        assert res.get_json()["error"] == "bad JSON"
    res = control.post("/_sim/clock/advance", json=[1, 2])
    assert res.get_json() == {"error": "bad JSON", "detail": "the body must be a JSON object"}


def test_unknown_endpoints_are_404_and_wrong_methods_405_as_json(control):
    res = control.get("/_sim/nothing/here")
    assert res.status_code == 404
    assert res.get_json() == {
        "error": "no such control-plane endpoint",
        "detail": "GET /_sim/nothing/here",
    }
    res = control.put("/_sim/clock")
    assert res.status_code == 405
    assert res.get_json()["detail"]["allowed"] == ["GET", "HEAD", "OPTIONS"]


def test_the_index_lists_every_endpoint(control):
    endpoints = control.get("/_sim/").get_json()["endpoints"]
    assert "POST /_sim/companies/<realm>/user/<action>" in endpoints
    assert "GET /_sim/journal" in endpoints


def test_a_simulator_bug_in_the_control_plane_is_500_json_and_recorded(control, sim, monkeypatch):
    def broken() -> list:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(sim, "list_companies", broken)
    res = control.get("/_sim/companies")
    assert res.status_code == 500
    assert res.get_json() == {
        "error": "internal error",
        "detail": "ZeroDivisionError: division by zero",
    }
    assert "Traceback" not in res.get_data(as_text=True)
    assert isinstance(sim.errors.pop(), ZeroDivisionError)  # pop: the plugin re-raises


def test_control_plane_needs_no_token_and_answers_json(control):
    res = control.get("/_sim/clock")
    assert res.status_code == 200
    assert res.content_type == "application/json"
    assert json.loads(res.get_data())["frozen"] is True
