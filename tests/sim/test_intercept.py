"""In-process mode: ``requests`` to Intuit's hosts answered by the simulator's own app."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from flask import Response
from requests.adapters import HTTPAdapter

import qbo_sim
from qbo_sim import Clock, Simulator
from qbo_sim.auth import DEV_TOKEN
from tests.conftest import START

SANDBOX = "https://sandbox-quickbooks.api.intuit.com"
PRODUCTION = "https://quickbooks.api.intuit.com"
HEADERS = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}


def create_customer_the_way_a_user_would(realm: str) -> dict:
    """A user's test, written against the real sandbox URL; it knows nothing of qbo-sim."""
    response = requests.post(
        f"{SANDBOX}/v3/company/{realm}/customer?minorversion=75",
        json={"DisplayName": "Acme Plumbing"},
        headers=HEADERS,
        timeout=10,
    )
    assert response.status_code == 200
    customer = response.json()["Customer"]
    again = requests.get(
        f"{SANDBOX}/v3/company/{realm}/customer/{customer['Id']}", headers=HEADERS, timeout=10
    )
    assert again.json()["Customer"]["DisplayName"] == "Acme Plumbing"
    return response.json()


def test_a_test_against_the_real_sandbox_url_runs_unchanged_in_qbo_sim_mock():
    with qbo_sim.mock(clock=Clock(frozen_at=START)) as sim:
        body = create_customer_the_way_a_user_would(sim.realm)
    assert body["time"] == "2026-03-02T09:00:00.000-08:00"
    assert body["Customer"]["SyncToken"] == "0"
    assert [e.method for e in sim.journal.entries(realm=sim.realm)] == ["POST", "GET"]


def test_mock_passes_path_query_headers_and_body_to_the_app(sim, realm):
    with sim.mock():
        response = requests.post(
            f"{SANDBOX}/v3/company/{realm}/customer",
            params={"minorversion": "75", "requestid": "r-1"},
            data='{"DisplayName": "Café Ünïcode"}'.encode(),
            headers={**HEADERS, "Content-Type": "application/json"},
            timeout=10,
        )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["intuit_tid"].startswith("1-")
    entry = sim.journal.entries(realm=realm)[-1]
    assert entry.query == {"minorversion": "75", "requestid": "r-1"}
    assert entry.requestid == "r-1"
    assert entry.body == {"DisplayName": "Café Ünïcode"}
    assert entry.intuit_tid == response.headers["intuit_tid"]


def test_a_production_company_answers_on_its_own_host_and_refuses_the_sandbox_host(sim):
    realm = sim.create_company("empty", environment="production")
    with sim.mock():
        ok = requests.get(f"{PRODUCTION}/v3/company/{realm}/preferences", headers=HEADERS)
        wrong = requests.get(f"{SANDBOX}/v3/company/{realm}/preferences", headers=HEADERS)
    assert ok.status_code == 200
    assert wrong.status_code == 403
    fault = wrong.json()["fault"]
    assert fault == {
        "error": [
            {
                "message": "message=AuthorizationFailed; errorCode=003100; statusCode=403",
                "detail": None,
                "code": "3100",
                "element": None,
            }
        ],
        "type": "SERVICE",
    }


def test_a_host_qbo_sim_does_not_route_fails_clearly(sim):
    with sim.mock(), pytest.raises(requests.exceptions.ConnectionError) as caught:
        requests.get("https://api.example.com/v1/things", timeout=10)
    message = str(caught.value)
    assert "qbo-sim does not route GET https://api.example.com/v1/things" in message
    assert "sandbox-quickbooks.api.intuit.com" in message


def test_loopback_passes_through_to_a_real_server(sim, realm):
    with sim.serve() as base_url, sim.mock():
        response = requests.get(
            f"{base_url}/v3/company/{realm}/companyinfo/{realm}", headers=HEADERS, timeout=10
        )
    assert response.status_code == 200
    assert response.json()["CompanyInfo"]["Id"] == "1"


def test_intuit_oauth_and_discovery_hosts_reach_the_same_app(sim):
    with sim.mock():
        response = requests.get(
            "https://developer.intuit.com/.well-known/openid_sandbox_configuration/", timeout=10
        )
    # the gateway stamps intuit_tid on every response of the app, whatever the path
    assert response.headers["intuit_tid"].startswith("1-")


class DropEverything:
    """A gateway hook answering like fault injection's dropped connection."""

    stage = "custom"

    def before(self, call):
        return Response(b"", status=200, headers={"X-QBO-Sim-Drop": "1"})

    def after(self, call, response):
        return response


def test_a_response_marked_drop_raises_connection_error(sim, realm):
    sim.hooks.add(DropEverything())
    with sim.mock(), pytest.raises(requests.exceptions.ConnectionError) as caught:
        requests.get(f"{SANDBOX}/v3/company/{realm}/preferences", headers=HEADERS, timeout=10)
    assert "qbo-sim dropped the connection" in str(caught.value)
    assert len(sim.journal.entries(realm=realm)) == 1  # the simulator did see the request


def test_nested_mocks_route_to_the_innermost_and_restore_on_exit(clock):
    outer, inner = Simulator(clock=clock), Simulator(clock=clock)
    outer_realm = outer.create_company("empty", realm_id="111")
    inner.create_company("empty", realm_id="111")
    url = f"{SANDBOX}/v3/company/{outer_realm}/preferences"
    real_send = HTTPAdapter.send
    with outer.mock():
        requests.get(url, headers=HEADERS)
        with inner.mock():
            requests.get(url, headers=HEADERS)
            requests.get(url, headers=HEADERS)
        requests.get(url, headers=HEADERS)
    assert (len(outer.journal), len(inner.journal)) == (2, 2)
    assert HTTPAdapter.send is real_send


def test_an_exception_inside_the_block_still_stops_the_mock(sim):
    real_send = HTTPAdapter.send
    with pytest.raises(RuntimeError, match="boom"), sim.mock():
        assert HTTPAdapter.send is not real_send
        raise RuntimeError("boom")
    assert HTTPAdapter.send is real_send


def test_mock_works_as_a_decorator(sim, realm):
    @sim.mock()
    def sync() -> int:
        url = f"{SANDBOX}/v3/company/{realm}/preferences"
        return requests.get(url, headers=HEADERS, timeout=10).status_code

    assert sync() == 200
    assert sync() == 200
    assert len(sim.journal) == 2
    assert not sim.mock().active


def test_sim_realm_names_the_only_company_and_refuses_to_guess(sim):
    with pytest.raises(ValueError, match="0 companies"):
        _ = sim.realm
    realm = sim.create_company("empty")
    assert sim.realm == realm
    sim.create_company("empty")
    with pytest.raises(ValueError, match="2 companies"):
        _ = sim.realm


ENVIRON_CASES = [
    ("GET", f"{SANDBOX}/v3/company/1/query?query=select%20*%20from%20Customer", None, {}),
    ("POST", f"{SANDBOX}/v3/company/1/customer?minorversion=75", b'{"a": 1}', {}),
    ("POST", f"{SANDBOX}/v3/company/1/customer", '{"DisplayName": "Caf\u00e9"}', {}),
    ("DELETE", "https://oauth.platform.intuit.com:8443/oauth2/v1/tokens/bearer", "x=1", {}),
    ("GET", "http://appcenter.intuit.com/a%2Fb/caf%C3%A9/%7Euser", None, {"X-Many": "a"}),
    ("GET", f"{SANDBOX}/v3/company/1/x'y(z)*;=@:!$,+~_.-", None, {}),
    ("GET", f"{SANDBOX}/v3/company/1/caf\u00e9 bar|^`{{}}", None, {}),
    (
        "POST",
        f"{SANDBOX}/v3/company/1/batch",
        b"<x/>",
        {"Content-Type": "application/xml", "Accept": "application/xml", "X-Empty": ""},
    ),
]


@pytest.mark.parametrize(("method", "url", "body", "headers"), ENVIRON_CASES)
def test_the_hand_built_environ_is_the_one_werkzeug_builds(method, url, body, headers):
    """``intercept.wsgi_environ`` gives what werkzeug's ``EnvironBuilder`` gave for the same
    request (the path, query, host, port, headers and body the app sees)."""
    from werkzeug.test import EnvironBuilder

    from qbo_sim.intercept import _body_bytes, wsgi_environ

    prepared = requests.Request(method, url, data=body, headers=headers).prepare()
    prepared.headers["Host"] = "ignored.example"  # the URL's host wins, as before
    split = urlsplit(prepared.url)
    builder = EnvironBuilder(
        path=split.path or "/",
        base_url=f"{split.scheme}://{split.netloc}",
        query_string=split.query,
        method=method,
        headers=[
            (k, v)
            for k, v in prepared.headers.items()
            if k.lower() not in ("host", "content-length")
        ],
        data=_body_bytes(prepared.body),
    )
    expected = builder.get_environ()
    got = wsgi_environ(prepared)
    assert got.pop("wsgi.input").read() == expected.pop("wsgi.input").read()
    assert got == expected


def test_the_lean_call_gives_status_headers_and_body(sim, realm):
    from qbo_sim.intercept import call_app

    prepared = requests.Request(
        "GET", f"{SANDBOX}/v3/company/{realm}/companyinfo/{realm}", headers=HEADERS
    ).prepare()
    status, headers, body = call_app(sim.app, prepared)
    assert status == 200
    assert dict(headers)["Content-Type"].startswith("application/json")
    assert dict(headers)["Content-Length"] == str(len(body))
    assert b'"CompanyInfo"' in body
    missing = requests.Request("GET", f"{SANDBOX}/v3/company/{realm}/nothing/1").prepare()
    assert call_app(sim.app, missing)[0] in (400, 401, 404)
