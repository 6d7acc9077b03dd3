"""API authentication at the gateway (reference §1.3, §1.5): golden bodies of the 401/403s."""

from __future__ import annotations

import pytest

from qbo_sim.auth import DEV_TOKEN
from tests.conftest import fault_of

GATEWAY_KEYS = [
    "warnings",
    "intuitObject",
    "fault",
    "report",
    "queryResponse",
    "batchItemResponse",
    "attachableResponse",
    "syncErrorResponse",
    "requestId",
    "time",
    "status",
    "cdcresponse",
]


def call(sim, realm, token, base_url="http://localhost"):
    return sim.app.test_client().get(
        f"/v3/company/{realm}/companyinfo/{realm}",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        base_url=base_url,
    )


def gateway_error(res):
    body = res.get_json()
    assert list(body) == GATEWAY_KEYS
    assert body["batchItemResponse"] == [] and body["warnings"] is None
    assert isinstance(body["time"], int)
    return body["fault"]


def test_expired_token_is_401_3200_token_expired(sim, realm, clock):
    token = sim.oauth.issue_tokens(realm)["access_token"]
    clock.advance(3600)
    res = call(sim, realm, token)
    assert res.status_code == 401
    assert gateway_error(res) == {
        "error": [
            {
                "message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                "detail": f"Token expired: {token[:20]}...",
                "code": "3200",
                "element": None,
            }
        ],
        "type": "AUTHENTICATION",
    }
    assert res.headers["intuit_tid"]


@pytest.mark.parametrize("token", ["short", "x" * 4097])
def test_malformed_token_is_401_3200(sim, realm, token):
    res = call(sim, realm, token)
    assert res.status_code == 401
    error = gateway_error(res)["error"][0]
    assert error["detail"] == "Malformed bearer token: too short or too long"
    assert error["code"] == "3200"


def test_missing_authorization_header_is_401_3200(sim, realm):
    res = sim.app.test_client().get(f"/v3/company/{realm}/companyinfo/{realm}")
    assert res.status_code == 401
    assert gateway_error(res)["error"][0]["code"] == "3200"


def test_revoked_token_is_401_3200_with_null_detail(sim, realm):
    tokens = sim.oauth.issue_tokens(realm)
    assert sim.oauth.revoke(tokens["refresh_token"])
    res = call(sim, realm, tokens["access_token"])
    assert res.status_code == 401
    assert gateway_error(res)["error"][0] == {
        "message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
        "detail": None,
        "code": "3200",
        "element": None,
    }


def test_token_of_another_realm_is_401_code_100(sim, realm):
    other = sim.create_company("empty")
    token = sim.oauth.issue_tokens(other)["access_token"]
    res = call(sim, realm, token)
    assert fault_of(res) == {
        "Message": "General Authentication Error",
        "Detail": "AuthenticationErrorGeneral: SRV-110-Authentication Failure , statusCode: 401",
        "code": "100",
        "element": "",
        "type": "AuthenticationFault",
        "status": 401,
    }


def test_token_without_accounting_scope_is_403_3100(sim, realm):
    token = sim.oauth.issue_tokens(realm, scopes="openid email")["access_token"]
    res = call(sim, realm, token)
    assert res.status_code == 403
    assert gateway_error(res) == {
        "error": [
            {
                "message": "message=ApplicationAuthorizationFailed; errorCode=003100; "
                "statusCode=403",
                "detail": "The access token does not have sufficient scope",
                "code": "3100",
                "element": None,
            }
        ],
        "type": "SERVICE",
    }


def test_sandbox_token_on_the_production_host_is_403_wrong_host(sim, realm):
    token = sim.oauth.issue_tokens(realm)["access_token"]
    ok = call(sim, realm, token, base_url="https://sandbox-quickbooks.api.intuit.com")
    assert ok.status_code == 200
    res = call(sim, realm, token, base_url="https://quickbooks.api.intuit.com")
    assert res.status_code == 403
    assert gateway_error(res)["error"][0] == {
        "message": "message=AuthorizationFailed; errorCode=003100; statusCode=403",
        "detail": None,
        "code": "3100",
        "element": None,
    }


def test_dev_token_works_for_every_realm_until_disabled(sim, realm, clock):
    other = sim.create_company("empty")
    clock.advance(days=400)
    assert call(sim, realm, DEV_TOKEN).status_code == 200
    assert call(sim, other, DEV_TOKEN).status_code == 200
    sim.oauth.allow_dev_token = False
    res = call(sim, realm, DEV_TOKEN)
    assert res.status_code == 401
    assert gateway_error(res)["error"][0]["code"] == "3200"


def test_forced_expiry_for_scenarios(sim, realm):
    token = sim.oauth.issue_tokens(realm)["access_token"]
    assert sim.oauth.expire_access_tokens(realm) == 1
    assert call(sim, realm, token).status_code == 401
