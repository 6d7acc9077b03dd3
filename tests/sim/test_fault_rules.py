"""The one fault-rule parser (``qbo_sim.fault_rules.parse_rule``): both dialects, one error type
naming the field, matcher reasons, the three entry points agreeing, and the envelope variants
QBO has been seen to send (issue 12 item 2, issue 14 items 3-4)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from qbo_sim.fault_rules import Matcher, RuleError, parse_rule
from qbo_sim.harness.context import RunContext
from qbo_sim.harness.errors import StepError
from qbo_sim.harness.model import Step
from qbo_sim.harness.steps.qbo import inject

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("scenario", "canonical"),
    [
        ({"fault": "http_503"}, {"status": 503}),
        ({"fault": "http_500", "times": 2}, {"status": 500, "times": 2}),
        ({"fault": "drop"}, {"drop": True}),
        ({"fault": "ambiguous"}, {"ambiguous": True, "status": 500}),
        ({"fault": "http_504", "ambiguous": True}, {"status": 504, "ambiguous": True}),
        ({"fault": "drop", "ambiguous": True}, {"drop": True, "ambiguous": True}),
        ({"latency_seconds": 30}, {"latency": 30}),
        ({"fault": "http_502", "latency_seconds": 2.5}, {"status": 502, "latency": 2.5}),
    ],
)
def test_the_scenario_dialect_parses_to_the_same_rule(scenario, canonical):
    assert parse_rule(scenario) == parse_rule(canonical)


def test_a_parsed_rule_has_its_three_parts():
    spec = parse_rule(
        {
            "entity": "Invoice",
            "operation": "create",
            "method": "post",
            "fault": "stale_object",
            "params": {"user": "Craig"},
            "times": 2,
            "probability": 0.5,
            "seed": 7,
            "until": "2026-03-02T18:00:00",
        }  # fmt: skip
    )
    assert spec.matcher == Matcher(entity="Invoice", operation="create", method="POST")
    assert (spec.outcome.fault, spec.outcome.params, spec.outcome.terminal) == (
        "stale_object",
        {"user": "Craig"},
        True,
    )
    assert spec.budget.times == 2 and spec.budget.probability == 0.5 and spec.budget.seed == 7
    assert spec.budget.until == datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # naive: read as UTC
    assert parse_rule({"latency": 5}).outcome.terminal is False


@pytest.mark.parametrize(
    ("mapping", "field", "text"),
    [
        ({"colour": "red", "status": 503}, "colour", "unknown field"),
        ({"status": 418}, "status", "must be 500, 502, 503 or 504"),
        ({"status": True}, "status", "must be 500"),
        ({"operation": "launch", "status": 500}, "operation", "must be one of"),
        ({"fault": "no_such_fault"}, "fault", "no fault 'no_such_fault' in the catalogue"),
        ({"fault": "stale_object"}, "params", 'needs params {"user": ...}'),
        # a blank value would leave a hole in the Detail ("You and  were working")
        ({"fault": "stale_object", "params": {"user": ""}}, "params", 'needs params {"user"'),
        ({"fault": "stale_object", "params": {"user": " "}}, "params", 'needs params {"user"'),
        ({"fault": "stale_object", "params": "Craig"}, "params", "must be an object"),
        ({"times": "twice", "status": 503}, "times", "must be a whole number"),
        ({"times": -1, "status": 503}, "times", "must be 0 or more"),
        ({"probability": 1.5, "status": 503}, "probability", "between 0 and 1"),
        ({"latency": 1e300}, "latency", "duration too long"),
        ({"latency": 3601}, "latency", "must be between 0 and 3600.0 seconds"),
        ({"latency_seconds": -1}, "latency_seconds", "between 0 and"),
        ({"latency": 1, "latency_seconds": 1}, "latency_seconds", "not both"),
        ({"until": "soon", "status": 503}, "until", "Invalid isoformat"),
        ({"until": "0001-01-01T00:00:00", "status": 503}, "until", "the clock shows the years"),
        ({"drop": "yes"}, "drop", "must be true or false"),
        ({"entity": 12, "status": 503}, "entity", "must be a string"),
        ({"fault": "http_503", "status": 500}, "status", "disagrees with fault 'http_503'"),
        (
            {"fault": "duplicate_name", "params": {"id": "1"}, "envelope": "upper"},
            "envelope",
            "must be one of",
        ),  # fmt: skip
        ({"status": 503, "envelope": "lowercase"}, "envelope", "give fault="),
        ({"fault": "throttled", "envelope": "lowercase"}, "envelope", "standard catalogue fault"),
        ({"status": 503, "drop": True}, None, "choose one of fault=, status= or drop="),
        ({"entity": "Customer"}, None, "a rule needs an outcome"),
        ({}, None, "a rule needs an outcome"),
    ],
)
def test_a_refused_rule_raises_one_error_type_naming_the_field(mapping, field, text):
    with pytest.raises(RuleError) as refused:
        parse_rule(mapping)
    assert refused.value.field == field
    assert text in refused.value.message
    assert isinstance(refused.value, ValueError)  # what callers already catch
    assert str(refused.value).startswith(f"{field}: " if field else text)


def test_none_is_the_default_of_every_field():
    assert parse_rule({"status": 503, "times": None, "drop": None, "latency": None}) == parse_rule(
        {"status": 503}
    )


def call(path="/v3/company/1/customer", method="POST", realm="1"):
    return SimpleNamespace(path=path, method=method, realm_id=realm)


@pytest.mark.parametrize(
    ("matcher", "request_", "expected"),
    [
        (Matcher(), (call(), "customer", "create"), (True, "matched every request")),
        (
            Matcher(entity="Customer", operation="create"),
            (call(), "customer", "create"),
            (True, "matched entity='Customer', operation='create'"),
        ),
        (Matcher(realm="2"), (call(), "customer", "create"), (False, "realm '1' is not '2'")),
        (Matcher(method="GET"), (call(), "customer", "create"), (False, "method POST is not GET")),
        (
            Matcher(path="/invoice"),
            (call(), "customer", "create"),
            (False, "path '/v3/company/1/customer' does not contain '/invoice'"),
        ),
        (
            Matcher(operation="read"),
            (call(), "customer", "create"),
            (False, "operation create is not read"),
        ),
        (
            Matcher(entity="Invoice"),
            (call(), "customer", "create"),
            (False, "entity 'customer' is not 'Invoice'"),
        ),
        (
            Matcher(entity="Invoice"),
            (call(), None, "batch"),
            (False, "entity None is not 'Invoice'"),
        ),
    ],
)
def test_a_matcher_says_why_it_matched_or_not(matcher, request_, expected):
    request, entity, operation = request_
    assert matcher.match(request, entity, operation, NOW) == expected


def test_only_entity_rules_reach_into_a_batch_item():
    assert Matcher(entity="Customer").match_batch_item("1", "Customer", "create")[0] is True
    assert Matcher().match_batch_item("1", "Customer", "create") == (
        False,
        "no entity: applies to the batch request itself",
    )
    assert (
        Matcher(entity="Customer", path="/batch")
        .match_batch_item("1", "Customer", "create")[1]
        .startswith("a path or a method")
    )
    assert Matcher(entity="Customer", realm="2").match_batch_item("1", "Customer", "create") == (
        False,
        "realm '1' is not '2'",
    )


# --- the three entry points agree ---------------------------------------------------------
RULES = [
    {"fault": "http_503", "entity": "Invoice", "times": 2},
    {"fault": "drop", "operation": "read"},
    {"fault": "ambiguous", "entity": "Payment", "operation": "create", "times": 1},
    {"fault": "stale_object", "params": {"user": "Craig"}, "probability": 0.25, "seed": 3},
    {"fault": "duplicate_name", "params": {"id": "58"}, "envelope": "lowercase"},
    {"fault": "throttled_legacy", "method": "GET", "latency_seconds": 4},
    {"fault": "proxy_timeout", "path": "/query"},
    {"fault": "http_500", "entity": "Customer", "operation": "create", "skip": 2, "times": 1},
]


def without_ids(rules):
    return [{k: v for k, v in rule.items() if k != "id"} for rule in rules]


def python_api(sim, realm, rule):
    kwargs = dict(rule, realm=realm)
    if "latency_seconds" in kwargs:  # the keyword API's own spelling; the parser takes both
        kwargs["latency"] = kwargs.pop("latency_seconds")
    sim.injector.add(**kwargs)


def control_plane(sim, realm, rule):
    res = sim.app.test_client().post("/_sim/faults", json=dict(rule, realm=realm))
    assert res.status_code == 201, res.get_json()


def scenario_step(sim, realm, rule):
    inject(RunContext(scenario=None, sim=sim, realm=realm), Step(0, "inject", dict(rule), 1))


@pytest.mark.parametrize("enter", [python_api, control_plane, scenario_step])
def test_the_three_entry_points_add_the_same_rules(sim, realm, enter):
    expected = [parse_rule(dict(rule, realm=realm)) for rule in RULES]
    for rule in RULES:
        enter(sim, realm, rule)
    assert [rule.spec for rule in sim.injector._rules] == expected
    listed = without_ids(sim.injector.rules())
    assert [rule["realm"] for rule in listed] == [realm] * len(RULES)
    assert [rule["status"] for rule in listed] == [503, None, 500, None, None, None, None, 500]
    assert [rule["envelope"] for rule in listed if "envelope" in rule] == ["lowercase"]
    assert [(rule["skip"], rule["skipped"]) for rule in listed if "skip" in rule] == [(2, 0)]
    assert listed[5]["latency"] == 4


def refusal(sim, realm, enter, rule):
    """The text with which an entry point refuses ``rule``."""
    if enter is control_plane:
        res = sim.app.test_client().post("/_sim/faults", json=dict(rule, realm=realm))
        assert res.status_code == 400
        assert res.get_json()["error"] == "add refused the request"
        return res.get_json()["detail"]
    with pytest.raises((RuleError, StepError)) as refused:
        enter(sim, realm, rule)
    return str(refused.value)


@pytest.mark.parametrize("enter", [python_api, control_plane, scenario_step])
@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ({"fault": "stale_object"}, "params: fault 'stale_object' needs params {\"user\": ...}"),
        ({"fault": "http_418"}, "fault: no fault 'http_418' in the catalogue"),
        ({"fault": "throttled", "envelope": "lowercase"}, "envelope: 'lowercase' re-renders"),
        ({"fault": "http_503", "skip": -1}, "skip: must be 0 or more, not -1"),
        ({"fault": "http_503", "skip": "2"}, "skip: must be a whole number, not '2'"),
    ],
)
def test_the_three_entry_points_refuse_the_same_rule_alike(sim, realm, enter, rule, text):
    assert text in refusal(sim, realm, enter, rule)
    assert sim.injector.rules() == []


def test_the_control_plane_names_the_refused_field(sim):
    res = sim.app.test_client().post("/_sim/faults", json={"status": 503, "times": "x"})
    assert res.status_code == 400
    assert res.get_json() == {
        "error": "add refused the request",
        "detail": "times: must be a whole number, not 'x'",
    }


def test_rules_output_keeps_its_keys_without_an_envelope(sim):
    sim.injector.add(status=503, times=1)
    assert list(sim.injector.rules()[0]) == [
        "id", "realm", "entity", "operation", "method", "path", "times", "probability", "seed",
        "until", "fault", "params", "element", "status", "drop", "latency", "ambiguous",
        "fired", "remaining",
    ]  # fmt: skip


# --- envelope variants QBO has been seen to send --------------------------------------------
def test_a_lowercase_envelope_fault_is_the_captured_shape(sim, api, clock):
    sim.injector.add(fault="duplicate_name", params={"id": "58"}, envelope="lowercase", times=1)
    api.headers["Accept"] = "application/xml"
    res = api.post("customer", {"DisplayName": "Acme"})
    assert res.status_code == 400
    assert res.content_type == "application/json;charset=UTF-8"  # always JSON, as captured
    assert json.loads(res.get_data()) == {
        "fault": {
            "error": [
                {
                    "message": "Duplicate Name Exists Error",
                    "detail": "The name supplied already exists. : Id=58",
                    "code": "6240",
                }
            ],
            "type": "ValidationFault",
        },
        "batchItemResponse": [],
        "attachableResponse": [],
        "time": int(clock.now().timestamp() * 1000),
        "cdcresponse": [],
    }
    assert "intuit_tid" in res.headers
    api.headers["Accept"] = "application/json"
    assert api.post("customer", {"DisplayName": "Acme"}).status_code == 200  # times=1 used up


def test_a_lowercase_fault_that_names_a_field_keeps_its_element(sim, api):
    sim.injector.add(fault="stale_object", params={"user": "Craig"}, element="SyncToken",
                     envelope="lowercase")  # fmt: skip
    error = api.post("customer", {"DisplayName": "Acme"}).get_json()["fault"]["error"][0]
    assert (error["code"], error["element"]) == ("5010", "SyncToken")


def test_the_legacy_throttle_is_a_403_xml_service_fault(sim, api):
    sim.injector.add(fault="throttled_legacy", times=1)
    res = api.get("preferences")  # Accept: application/json, answered XML anyway
    assert res.status_code == 403
    assert res.content_type == "application/xml;charset=UTF-8"
    body = res.get_data(as_text=True)
    assert '<Fault type="SERVICE"><Error code="3001">' in body
    assert "<Message>message=ThrottleExceeded; errorCode=003001; statusCode=403</Message>" in body
    assert "<Detail>The request limit was reached.  Try again later</Detail>" in body


def test_the_proxy_timeout_is_a_504_xml_service_fault_6002(sim, api):
    sim.app.test_client().post("/_sim/faults", json={"fault": "proxy_timeout", "times": 1})
    res = api.get("preferences")
    assert res.status_code == 504
    assert res.content_type == "application/xml;charset=UTF-8"
    body = res.get_data(as_text=True)
    assert (
        '<Fault type="SERVICE"><Error code="6002"><Message>message=Timeout occurred while '
        "proxying request; errorCode=006002; statusCode=504</Message></Error></Fault>"
    ) in body
    assert "<Detail>" not in body
    assert sim.journal.entries(realm=api.realm)[-1].status == 504


def test_an_entity_rule_with_an_envelope_gives_batch_items_the_standard_fault(sim, api):
    sim.injector.add(entity="Customer", fault="duplicate_name", params={"id": "9"},
                     envelope="lowercase", times=1)  # fmt: skip
    res = api.post(
        "batch",
        {"BatchItemRequest": [
            {"bId": "1", "operation": "create", "Customer": {"DisplayName": "A"}}]},
    )  # fmt: skip
    item = res.get_json()["BatchItemResponse"][0]
    assert item["Fault"]["Error"][0]["code"] == "6240"
    assert item["Fault"]["type"] == "ValidationFault"


# --- skip: the first N matching calls go through ------------------------------------------
def test_skip_lets_the_first_matching_calls_through_then_faults(sim, api):
    sim.injector.add(entity="Customer", operation="create", fault="duplicate_name",
                     params={"id": "9"}, skip=2, times=1)  # fmt: skip
    statuses = [api.post("customer", {"DisplayName": f"C{n}"}).status_code for n in range(4)]
    assert statuses == [200, 200, 400, 200]
    assert api.get("customer/1").status_code == 200  # a read is not a matching call
    (rule,) = sim.injector.rules()
    assert (rule["skip"], rule["skipped"], rule["fired"], rule["remaining"]) == (2, 2, 1, 0)


def test_a_call_an_earlier_rule_answered_is_not_counted_by_a_later_skip(sim, api):
    sim.injector.add(entity="Customer", operation="create", status=503, skip=1, times=1)
    sim.injector.add(entity="Customer", operation="create", status=500, skip=2, times=1)
    statuses = [api.post("customer", {"DisplayName": f"C{n}"}).status_code for n in range(5)]
    # call 1: both let it through; call 2: the first rule's 503 (the second never sees it);
    # call 3: the second rule's second pass; call 4: its 500
    assert statuses == [200, 503, 200, 500, 200]


def test_skip_counts_batch_items_as_the_same_write_sent_alone(sim, api):
    sim.injector.add(entity="Customer", fault="duplicate_name", params={"id": "9"}, skip=1)
    res = api.post(
        "batch",
        {"BatchItemRequest": [
            {"bId": str(n), "operation": "create", "Customer": {"DisplayName": f"B{n}"}}
            for n in range(3)]},
    )  # fmt: skip
    items = res.get_json()["BatchItemResponse"]
    assert ["Fault" in item for item in items] == [False, True, True]


def test_skip_with_a_probability_draws_only_after_the_skipped_calls(sim, api):
    sim.injector.add(entity="Customer", operation="create", status=503, skip=3, probability=1.0)
    statuses = [api.post("customer", {"DisplayName": f"C{n}"}).status_code for n in range(5)]
    assert statuses == [200, 200, 200, 503, 503]
