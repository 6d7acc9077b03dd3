"""Bounded fuzzing of every route family (issue 13): entity writes with JSON and XML bodies,
queries, batch, ``/upload`` multipart bodies and ``/_sim/`` bodies.

For every request: never a 5xx; every answer parses as its content type (XML answers are
well-formed); every API error is a QBO ``Fault`` (JSON or XML), every control-plane error the
control plane's ``{"error", "detail"}``; a rejected request leaves ``sim.export_state()``
byte-identical. Examples are few (the whole file runs in well under 30 s); the junk lists and
value strategies of ``test_robustness`` are reused.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbo_sim import Simulator
from qbo_sim.snapshot import dumps
from tests.conftest import Api
from tests.sim.test_robustness import JUNK_BATCHES, JUNK_BODIES, _json, _keys

NS = "{http://schema.intuit.com/finance/v3}"
ENTITIES = {"customer": "Customer", "invoice": "Invoice", "item": "Item", "payment": "Payment"}
OPERATIONS = ["", "?operation=update", "?operation=delete", "?operation=void"]
ACCEPT = st.sampled_from(["application/json", "application/xml"])
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def books(sim: Simulator) -> Api:
    """A small company (fast to export) with one of each entity the writes aim at."""
    sim.throttle.set_enabled(False)
    api = Api(sim.app.test_client(), sim.create_company("empty"))
    account = api.create("Account", {"Name": "Sales", "AccountType": "Income"})
    item = api.create(
        "Item", {"Name": "Work", "Type": "Service", "IncomeAccountRef": {"value": account["Id"]}}
    )
    customer = api.create("Customer", {"DisplayName": "Fuzz Co"})
    line = {
        "Amount": 10,
        "DetailType": "SalesItemLineDetail",
        "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}},
    }
    api.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line]})
    return api


def state(sim: Simulator) -> str:
    return dumps(sim.export_state())


def check_api_answer(res: Any) -> bool:
    """Assert the answer's shape; True when it is a rejection (an error status or a Fault)."""
    text = res.get_data(as_text=True)
    assert res.status_code < 500, text[:500]
    if res.mimetype in ("application/xml", "text/xml"):
        root = ET.fromstring(res.get_data())  # well-formed, always
        fault = root.find(f"{NS}Fault")
        if res.status_code >= 400:
            assert root.tag == f"{NS}IntuitResponse" and fault is not None, text[:500]
            assert fault.get("type")
            errors = fault.findall(f"{NS}Error")
            assert errors and all(
                e.get("code") and e.find(f"{NS}Message") is not None for e in errors
            ), text[:500]
        return res.status_code >= 400 or fault is not None
    body = json.loads(text)
    if res.status_code >= 400:
        fault = body["Fault"]
        assert isinstance(fault["type"], str), body
        assert fault["Error"] and all(
            isinstance(e["code"], str) and isinstance(e["Message"], str) for e in fault["Error"]
        ), body
        assert isinstance(body["time"], str)
    return res.status_code >= 400 or "Fault" in body


def send(api: Api, path: str, raw: str | bytes, content_type: str, accept: str) -> Any:
    headers = {**api.headers, "Content-Type": content_type, "Accept": accept}
    return api.client.post(api.url(path), data=raw, headers=headers)


# --- XML bodies --------------------------------------------------------------------------
_xml_names = _keys.filter(lambda k: k[:1].isalpha() and k.isascii() and k.isalnum())
_xml_text = st.text(max_size=12) | st.sampled_from(["10", "1.5", "true", "-1", "", "&", "x"])


def _element(tag: str, value: Any) -> str:
    if isinstance(value, dict):
        inner = "".join(_element(k, v) for k, v in value.items() if _is_name(k))
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, list):
        return "".join(_element(tag, v) for v in value)
    text = "" if value is None else str(value)
    return f"<{tag}>{escape(text)}</{tag}>"


def _is_name(key: str) -> bool:
    return bool(key) and key[:1].isalpha() and key.isascii() and key.isalnum()


@st.composite
def xml_bodies(draw: Any, root: str) -> bytes:
    body = draw(st.dictionaries(_xml_names, _json, max_size=6))
    attrs = draw(st.sampled_from(["", ' sparse="true"', ' sparse="maybe"', ' domain="QBO"']))
    prolog = draw(
        st.sampled_from(["", '<?xml version="1.0"?>', '<?xml version="1.0" encoding="ebcdic"?>'])
    )
    text = f"{prolog}<{root}{attrs}>" + _element("x", body)[3:-4] + f"</{root}>"
    junk = draw(st.sampled_from(["", "<", "&", "\x01", "]]>", "<a>" * 80, "</x>"]))
    at = draw(st.integers(0, len(text)))
    return (text[:at] + junk + text[at:]).encode("utf-8", "surrogatepass")


# --- entity writes -----------------------------------------------------------------------
@FUZZ
@given(
    path=st.sampled_from(sorted(ENTITIES)),
    operation=st.sampled_from(OPERATIONS),
    body=st.dictionaries(_keys, _json, max_size=6) | st.sampled_from(JUNK_BODIES),
    accept=ACCEPT,
)
def test_fuzzed_json_writes(sim, books, path, operation, body, accept):
    raw = body if isinstance(body, str) else json.dumps(body)
    before = state(sim)
    res = send(books, path + operation, raw, "application/json", accept)
    if check_api_answer(res):
        assert state(sim) == before, raw[:200]
    assert not sim.errors, sim.errors


@FUZZ
@given(
    path=st.sampled_from(sorted(ENTITIES)),
    operation=st.sampled_from(OPERATIONS),
    data=st.data(),
    accept=ACCEPT,
)
def test_fuzzed_xml_writes(sim, books, path, operation, data, accept):
    raw = data.draw(xml_bodies(ENTITIES[path]))
    before = state(sim)
    res = send(books, path + operation, raw, "application/xml", accept)
    if check_api_answer(res):
        assert state(sim) == before, raw[:200]
    assert not sim.errors, sim.errors


# --- queries -----------------------------------------------------------------------------
_words = st.sampled_from(
    [
        "select", "*", "count(*)", "from", "Customer", "Invoice", "Item", "where", "and", "or",
        "DisplayName", "Id", "TotalAmt", "Active", "MetaData.CreateTime", "=", "<", ">=", "in",
        "like", "(", ")", ",", "'a%'", "'%%%%%%%%%%%%a'", "'x\\'y'", "'", "\\", "1", "-1.5",
        "1e400", "true", "current_date", "orderby", "desc", "startposition", "maxresults",
        "99999999999999999999", "\u2019", "\x00",
    ]
)  # fmt: skip
_statements = st.lists(_words | st.text(max_size=6), max_size=14).map(" ".join) | st.builds(
    lambda n: "select * from Customer where " + " and ".join(["DisplayName like '%a%'"] * n),
    st.integers(0, 1500),
)


@FUZZ
@given(statement=_statements, post=st.booleans(), accept=ACCEPT)
def test_fuzzed_queries(sim, books, statement, post, accept):
    before = state(sim)
    if post:
        res = send(
            books, "query", statement.encode("utf-8", "surrogatepass"), "application/text", accept
        )
    else:
        headers = {**books.headers, "Accept": accept}
        res = books.client.get(
            books.url("query"), query_string={"query": statement}, headers=headers
        )
    check_api_answer(res)
    assert state(sim) == before  # a query never writes
    assert not sim.errors, sim.errors


# --- batch -------------------------------------------------------------------------------
_items = st.fixed_dictionaries(
    {"bId": st.text(max_size=4) | st.integers()},
    optional={
        "operation": st.sampled_from(["create", "update", "delete", "void", "bogus"]) | _json,
        "Customer": st.dictionaries(_keys, _json, max_size=4) | _json,
        "Invoice": st.dictionaries(_keys, _json, max_size=4),
        "Query": _statements | _json,
    },
)
_batches = (
    st.builds(lambda items: json.dumps({"BatchItemRequest": items}), st.lists(_items, max_size=5))
    | st.sampled_from(JUNK_BATCHES)
    | st.dictionaries(_keys, _json, max_size=3).map(json.dumps)
)


@FUZZ
@given(raw=_batches, accept=ACCEPT)
def test_fuzzed_batches(sim, books, raw, accept):
    before = state(sim)
    res = send(books, "batch", raw, "application/json", accept)
    rejected = check_api_answer(res)
    if res.status_code == 200 and res.mimetype == "application/json":
        items = res.get_json()["BatchItemResponse"]
        rejected = all("Fault" in item for item in items)
        for item in items:
            if "Fault" in item:
                assert item["Fault"]["Error"] and isinstance(item["Fault"]["type"], str), item
    if rejected:
        assert state(sim) == before, raw[:200]
    assert not sim.errors, sim.errors


# --- the control plane -------------------------------------------------------------------
_control_keys = st.sampled_from(
    [
        "seconds", "minutes", "time", "status", "realm", "enabled", "limits", "fault",
        "latency", "times", "probability", "until", "params", "preset", "seed", "name",
        "environment", "realm_id", "qbo_sim_snapshot", "companies", "clock", "DisplayName",
        "Id", "SyncToken", "requestid_retention_hours",
    ]
) | st.text(max_size=6)  # fmt: skip
_control_values = (
    _json
    | st.sampled_from([1e300, 1e12, -1, 0, 30, "0001-01-01", "9999-12-31", "2026-03-02"])
    | st.sampled_from(["x", "mars", "../../x", "empty", "sample", "ended", "stale_object"])
)
_control_bodies = st.dictionaries(_control_keys, _control_values, max_size=4).map(json.dumps) | (
    st.sampled_from(
        [
            '{"seconds": Infinity}',
            '{"minutes": NaN}',
            '{"a":' * 5000 + "1" + "}" * 5000,
            "[" * 200 + "]" * 200,
            "not json",
            '{"qbo_sim_snapshot": 1, "companies": [{"realm_id": "7", "name": "x", "extras": "x"}]}',
        ]
    )
)
_control_paths = st.sampled_from(
    [
        ("POST", "/_sim/clock/advance"), ("POST", "/_sim/clock/set"), ("POST", "/_sim/outage"),
        ("POST", "/_sim/faults"), ("POST", "/_sim/snapshot"), ("POST", "/_sim/companies"),
        ("PATCH", "/_sim/throttle"), ("PATCH", "/_sim/companies/{realm}/fidelity"),
        ("PUT", "/_sim/companies/{realm}/subscription"),
        ("POST", "/_sim/companies/{realm}/user/create"),
        ("POST", "/_sim/companies/{realm}/user/update"),
        ("POST", "/_sim/companies/{realm}/user/delete"),
    ]
)  # fmt: skip


@FUZZ
@given(route=_control_paths, raw=_control_bodies)
def test_fuzzed_control_plane_bodies(sim, books, route, raw):
    method, path = route
    sim.injector.clear()  # an outage or fault rule accepted by an earlier example
    before = state(sim)
    res = books.client.open(
        path.format(realm=books.realm), method=method, data=raw, content_type="application/json"
    )
    text = res.get_data(as_text=True)
    assert res.status_code < 500, text[:500]
    body = json.loads(text)
    if res.status_code >= 400:
        if "Fault" in body:  # an edit as the QBO user refused by QBO's rules
            assert body["Fault"]["Error"][0]["code"], body
        else:
            assert set(body) == {"error", "detail"} and isinstance(body["error"], str), body
        assert state(sim) == before, raw[:200]
        assert sim.injector.rules() == []
    assert not sim.errors, sim.errors
    if not sim.injector.rules():  # whatever else was accepted, the API still answers
        check_api_answer(books.get("query?query=select * from Customer"))


# --- uploads -----------------------------------------------------------------------------
_part_names = st.sampled_from(
    ["file_metadata_0", "file_content_0", "file_metadata_1", "file_content_1", "file_content_",
     "other", "FILE_CONTENT_0", ""]
)  # fmt: skip
_part_types = st.sampled_from(
    ["application/json", "application/xml", "text/plain", "image/jpeg", "application/pdf",
     "application/octet-stream", "", "multipart/mixed; boundary=q", "\x00/\x01"]
)  # fmt: skip
_filenames = st.sampled_from(["a.jpg", "b.PDF", "c.exe", "noext", "", 'x"y.txt', "ü.csv"])
_part_data = (
    st.dictionaries(_keys, _json, max_size=5).map(json.dumps)
    | st.sampled_from(JUNK_BODIES)
    | st.binary(max_size=64).map(lambda b: b.decode("latin-1"))
    | st.just('{"AttachableRef":[{"EntityRef":{"type":"Invoice","value":"1"}}]}')
)


def _part(name: str, content_type: str, filename: str, data: str) -> str:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    head = f"Content-Disposition: {disposition}\r\n" if name else ""
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    return f"{head}\r\n{data}\r\n"


@FUZZ
@given(
    parts=st.lists(st.tuples(_part_names, _part_types, _filenames, _part_data), max_size=4),
    closed=st.booleans(),
    header=st.sampled_from(
        ["multipart/form-data; boundary=qq", "multipart/form-data", "application/json"]
    ),
    accept=ACCEPT,
)
def test_fuzzed_uploads(sim, books, parts, closed, header, accept):
    body = "".join(f"--qq\r\n{_part(*p)}" for p in parts) + ("--qq--\r\n" if closed else "")
    before = state(sim)
    res = send(books, "upload", body.encode("utf-8", "surrogatepass"), header, accept)
    refused = check_api_answer(res)
    if res.status_code >= 400:
        assert refused and state(sim) == before, body[:300]
    elif res.mimetype == "application/json":
        answer = res.get_json()["AttachableResponse"]
        assert all(set(item) in ({"Attachable"}, {"Fault"}) for item in answer), answer
        if all("Fault" in item for item in answer):
            assert state(sim) == before, body[:300]
    assert not sim.errors, sim.errors
