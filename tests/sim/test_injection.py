"""Fault injection (``sim.injector``): matching, counts, probability, each outcome's exact body,
latency and outages on the simulated clock, ambiguous failures."""

from __future__ import annotations

import json

import pytest

from qbo_sim.serialize import outage_page
from tests.conftest import fault_of


def create_customer(api, name="Acme"):
    return api.post("customer", {"DisplayName": name})


def test_catalogue_fault_with_params_for_the_next_n_matching_requests(sim, api):
    sim.injector.add(entity="Customer", operation="create", fault="stale_object",
                     params={"user": "Craig Carlson"}, times=2)  # fmt: skip
    first, second, third = (create_customer(api, f"C{i}") for i in range(3))
    expected = {
        "Message": "Stale Object Error",
        "Detail": "Stale Object Error : You and Craig Carlson were working on this at the same "
        "time. Craig Carlson finished before you did, so your work was not saved.",
        "code": "5010",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }
    assert fault_of(first) == expected and fault_of(second) == expected
    assert third.status_code == 200
    assert sim.company(api.realm).count("Customer") == 1
    assert sim.injector.rules()[0]["fired"] == 2 and sim.injector.rules()[0]["remaining"] == 0


def test_rules_match_entity_operation_method_and_path(sim, api):
    sim.injector.add(entity="invoice", fault="system_fault", params={"detail": "x"})
    sim.injector.add(operation="read", path="/customer/", status=503)
    created = create_customer(api)
    assert created.status_code == 200  # neither rule matches a customer create
    read = api.get(f"customer/{created.get_json()['Customer']['Id']}")
    assert read.status_code == 503
    query = api.get("query", query_string={"query": "select * from Invoice"})
    assert fault_of(query)["code"] == "10000"
    assert api.get("query", query_string={"query": "select * from Item"}).status_code == 200


def test_injected_500_is_system_fault(sim, api):
    sim.injector.add(status=500, times=1)
    res = create_customer(api)
    assert fault_of(res) == {
        "Message": "An application error has occurred while processing your request",
        "Detail": "System Failure Error: java.lang.NullPointerException",
        "code": "10000",
        "element": "",
        "type": "SystemFault",
        "status": 500,
    }
    assert sim.company(api.realm).count("Customer") == 0


@pytest.mark.parametrize(
    ("status", "title"),
    [(502, "502 Bad Gateway"), (503, "503 Service Temporarily Unavailable")],
)
def test_injected_502_503_are_html_outage_pages_with_intuit_tid(sim, api, status, title):
    sim.injector.add(status=status, times=1)
    res = create_customer(api)
    assert res.status_code == status
    assert res.mimetype == "text/html"
    assert res.get_data(as_text=True) == outage_page(status)
    assert f"<title>{title}</title>" in res.get_data(as_text=True)
    assert res.headers["intuit_tid"]


def test_gateway_fault_keeps_its_lower_case_envelope(sim, api):
    sim.injector.add(fault="gateway_error", times=1)
    res = create_customer(api)
    assert res.status_code == 500
    assert res.get_json()["fault"] == {
        "error": [
            {
                "message": "message=InternalServerError; errorCode=003100; statusCode=500",
                "detail": None,
                "code": "3100",
                "element": None,
            }
        ],
        "type": "SERVICE",
    }


def test_dropped_connection_is_marked_for_the_transports(sim, api):
    sim.injector.add(drop=True, times=1)
    res = create_customer(api)
    assert res.headers["X-QBO-Sim-Drop"] == "1"
    assert res.get_data() == b""
    assert sim.company(api.realm).count("Customer") == 0


def test_latency_advances_the_simulated_clock(sim, api, clock):
    start = clock.now()
    sim.injector.add(latency=30, times=1)
    res = create_customer(api)
    assert res.status_code == 200
    assert (clock.now() - start).total_seconds() == 30
    assert res.get_json()["time"] == "2026-03-02T09:00:30.000-08:00"


def test_seeded_probability_is_reproducible(sim, api):
    sim.throttle.enabled = False

    def pattern(seed):
        sim.injector.clear()
        sim.injector.add(operation="query", status=503, probability=0.3, seed=seed)
        return [
            api.get("query", query_string={"query": "select * from Item"}).status_code
            for _ in range(40)
        ]

    first = pattern(7)
    assert first == pattern(7)
    assert 4 <= first.count(503) <= 20 and 200 in first


def test_outage_window_fails_every_request_until_it_ends(sim, api, clock):
    sim.injector.outage(minutes=10, status=503)
    assert create_customer(api, "A").status_code == 503
    clock.advance(minutes=9, seconds=59)
    assert api.get("preferences").status_code == 503
    clock.advance(1)
    assert create_customer(api, "B").status_code == 200


def test_outage_seconds_are_its_length_not_added_to_ten_minutes(sim, api, clock):
    """Issue 13: ``outage(seconds=30)`` made a 630-second outage (10-minute default + 30 s)."""
    rule = sim.injector.outage(seconds=30)
    assert sim.injector.rules()[0]["until"] == "2026-03-02T17:00:30+00:00"
    clock.advance(29)
    assert create_customer(api, "A").status_code == 503
    clock.advance(1)
    assert create_customer(api, "B").status_code == 200
    sim.injector.remove(rule)
    sim.injector.outage(minutes=1, seconds=30)
    sim.injector.outage()
    assert [r["until"] for r in sim.injector.rules()] == [
        "2026-03-02T17:02:00+00:00",
        "2026-03-02T17:10:30+00:00",
    ]


def test_outage_seconds_over_the_control_plane(sim, clock):
    res = sim.app.test_client().post("/_sim/outage", json={"seconds": 30})
    assert res.status_code == 201
    assert res.get_json()["rules"][0]["until"] == "2026-03-02T17:00:30+00:00"


def test_outage_of_one_realm_leaves_others_alone(sim, api):
    other = sim.create_company("empty")
    sim.injector.outage(minutes=5, status=502, realm=other)
    assert create_customer(api).status_code == 200


def test_ambiguous_failure_commits_but_answers_an_error(sim, api):
    sim.injector.add(entity="Customer", operation="create", ambiguous=True, status=504, times=1)
    res = create_customer(api)
    assert res.status_code == 504
    assert res.get_data(as_text=True) == outage_page(504)
    assert [c["DisplayName"] for c in sim.company(api.realm).all("Customer")] == ["Acme"]


def test_ambiguous_drop(sim, api):
    sim.injector.add(ambiguous=True, drop=True, times=1)
    res = create_customer(api)
    assert res.headers["X-QBO-Sim-Drop"] == "1"
    assert sim.company(api.realm).count("Customer") == 1


def test_injected_faults_are_journalled(sim, api):
    sim.injector.add(fault="stale_object", params={"user": "Craig Carlson"}, times=1)
    create_customer(api)
    entry = sim.journal.entries()[-1]
    assert entry.status == 400 and entry.fault_code == "5010"


def test_rule_management_is_serialisable(sim, clock):
    first = sim.injector.add(status=503, times=3)
    second = sim.injector.outage(minutes=10)
    rules = sim.injector.rules()
    json.dumps(rules)
    assert [r["id"] for r in rules] == [first, second]
    assert rules[1]["until"] == "2026-03-02T17:10:00+00:00"
    assert sim.injector.remove(first) and not sim.injector.remove(first)
    sim.injector.clear()
    assert sim.injector.rules() == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"fault": "no_such_fault"},
        {"fault": "stale_object"},  # missing the {user} parameter
        {"status": 404},
        {"operation": "merge", "status": 503},
        {"status": 503, "drop": True},
        {"entity": "Customer"},  # no outcome
        {"status": 503, "probability": 1.5},
    ],
)
def test_unusable_rules_are_refused(sim, kwargs):
    with pytest.raises((KeyError, ValueError)):
        sim.injector.add(**kwargs)


def test_an_entity_rule_with_a_catalogue_fault_reaches_each_matching_batch_item(sim, api):
    """A write sent in a batch meets the same injected fault as sent alone: the matching item
    gets it as its Fault, the others run; HTTP outcomes stay whole-request."""
    sim.injector.add(entity="Customer", operation="create", fault="malformed_json", times=1)
    before = sim.company(api.realm).count("Customer")
    items = [
        {"bId": "a", "operation": "create", "Customer": {"DisplayName": "Batch A"}},
        {"bId": "b", "operation": "create", "Customer": {"DisplayName": "Batch B"}},
        {"bId": "c", "operation": "create", "Vendor": {"DisplayName": "Batch Vendor"}},
    ]
    res = api.post("batch", {"BatchItemRequest": items})
    assert res.status_code == 200
    answers = {a["bId"]: a for a in res.get_json()["BatchItemResponse"]}
    assert answers["a"]["Fault"]["Error"][0]["code"] == "2010"
    assert answers["b"]["Customer"]["DisplayName"] == "Batch B"  # the rule fired once
    assert answers["c"]["Vendor"]["DisplayName"] == "Batch Vendor"
    assert sim.company(api.realm).count("Customer") == before + 1
    assert [(r["fired"], r["remaining"]) for r in sim.injector.rules()] == [(1, 0)]
    sim.injector.add(status=503, times=1)  # no entity: the batch request itself
    assert api.post("batch", {"BatchItemRequest": items[2:]}).status_code == 503
