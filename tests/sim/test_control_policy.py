"""The control plane cannot be driven by a web page (qbo_sim.control_policy): cross-origin
requests, DNS-rebinding Host headers and non-JSON bodies are refused, and nothing changes."""

from __future__ import annotations

import pytest

from qbo_sim.control_policy import ControlPolicy, parse_hosts
from qbo_sim.snapshot import dumps


@pytest.fixture
def control(sim, realm):
    return sim.app.test_client()


def _unchanged(sim, before: str) -> None:
    assert dumps(sim.export_state()) == before


def test_a_page_of_another_origin_cannot_reset_the_simulator(sim, realm, control) -> None:
    sim.as_user(realm).create("Customer", {"DisplayName": "Kept"})
    before = dumps(sim.export_state())
    # what a <form> or fetch(..., {mode: "no-cors"}) on evil.example sends: no preflight
    res = control.post(
        "/_sim/reset",
        data='{"realm": "x"}',
        content_type="text/plain",
        headers={"Origin": "http://evil.example"},
    )
    assert res.status_code == 403
    assert res.get_json()["error"] == "cross-origin request refused"
    _unchanged(sim, before)
    res = control.post("/_sim/reset", headers={"Sec-Fetch-Site": "cross-site"})
    assert res.status_code == 403
    _unchanged(sim, before)


def test_a_text_plain_body_is_refused_even_from_the_same_origin(sim, control) -> None:
    before = dumps(sim.export_state())
    res = control.post("/_sim/clock/advance", data='{"seconds": 60}', content_type="text/plain")
    assert res.status_code == 415
    assert res.get_json() == {
        "error": "unsupported media type",
        "detail": "control-plane bodies are JSON: send Content-Type: application/json "
        "(got 'text/plain')",
    }
    _unchanged(sim, before)


def test_a_dns_rebinding_host_is_refused_but_health_answers(sim, control) -> None:
    res = control.get("/_sim/companies", headers={"Host": "evil.example:8080"})
    assert res.status_code == 403
    assert res.get_json()["error"] == "unexpected Host"
    assert "--allow-host" in res.get_json()["detail"]
    assert control.get("/_sim/health", headers={"Host": "10.1.2.3:8080"}).status_code == 200


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "localhost:8080",
        "127.0.0.1:9",
        "[::1]:8080",
        "sandbox-quickbooks.api.intuit.com",
    ],
)
def test_loopback_and_intuit_hosts_are_allowed(control, host) -> None:
    assert control.get("/_sim/companies", headers={"Host": host}).status_code == 200


def test_same_origin_requests_and_plain_clients_go_through(sim, control) -> None:
    res = control.post(
        "/_sim/clock/advance",
        json={"seconds": 60},
        headers={"Origin": "http://localhost:8080", "Host": "localhost:8080"},
    )
    assert res.status_code == 200
    assert control.post("/_sim/clock/advance", json={"seconds": 1}).status_code == 200
    assert control.post("/_sim/reset").status_code == 200  # no body: no content type needed


def test_allowed_hosts_and_cross_origin_can_be_opened_explicitly(sim, control) -> None:
    sim.control_policy = ControlPolicy(allowed_hosts=parse_hosts("qbo-sim, ci.internal"))
    assert control.get("/_sim/companies", headers={"Host": "qbo-sim:8080"}).status_code == 200
    assert control.get("/_sim/companies", headers={"Host": "other:8080"}).status_code == 403
    sim.control_policy = ControlPolicy(allowed_hosts=parse_hosts("*"))
    assert control.get("/_sim/companies", headers={"Host": "other:8080"}).status_code == 200
    cross = {"Origin": "http://dashboard.example"}
    assert control.get("/_sim/companies", headers=cross).status_code == 403
    sim.control_policy = ControlPolicy(allow_cross_origin=True)
    assert control.get("/_sim/companies", headers=cross).status_code == 200


def test_a_control_token_is_required_when_set(sim, control) -> None:
    sim.control_policy = ControlPolicy(token="s3cret")
    before = dumps(sim.export_state())
    res = control.post("/_sim/reset")
    assert res.status_code == 401
    assert res.get_json()["error"] == "control token required"
    assert control.post("/_sim/reset", headers={"Authorization": "Bearer wrong"}).status_code == 401
    _unchanged(sim, before)
    assert control.get("/_sim/companies", headers={"X-QBO-Sim-Token": "s3cret"}).status_code == 200
    ok = control.get("/_sim/companies", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200
    assert control.get("/_sim/health").status_code == 200


def test_the_api_itself_is_not_affected(sim, realm, control) -> None:
    sim.control_policy = ControlPolicy(token="s3cret")
    res = control.get(
        f"/v3/company/{realm}/companyinfo/{realm}",
        headers={"Authorization": "Bearer qbo-sim-dev-token", "Accept": "application/json"},
    )
    assert res.status_code == 200
