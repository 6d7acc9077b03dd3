"""The OAuth 2.0 server (reference §5.11): discovery, consent, code exchange, refresh rotation,
revocation, client authentication, id_token; all on the frozen simulated clock."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlparse

import pytest

from qbo_sim.oauth import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, OAuthError
from qbo_sim.oauth import id_token as jwt

TOKEN = "/oauth2/v1/tokens/bearer"
REVOKE = "/v2/oauth2/tokens/revoke"
CALLBACK = "https://app.example.com/callback"
BASIC = (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)


@pytest.fixture
def client(sim):
    return sim.app.test_client()


def token_request(client, auth=BASIC, **form):
    return client.post(TOKEN, data=form, auth=auth)


def exchange(client, code, auth=BASIC):
    return token_request(
        client, auth, grant_type="authorization_code", code=code, redirect_uri=CALLBACK
    )


def refresh(client, refresh_token, auth=BASIC):
    return token_request(client, auth, grant_type="refresh_token", refresh_token=refresh_token)


def company_info(client, realm, access_token):
    return client.get(
        f"/v3/company/{realm}/companyinfo/{realm}",
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
    )


def test_discovery_documents_have_intuit_values_on_intuit_hosts(client):
    doc = client.get(
        "/.well-known/openid_configuration/", base_url="https://developer.intuit.com"
    ).get_json()
    assert doc == {
        "issuer": "https://oauth.platform.intuit.com/op/v1",
        "authorization_endpoint": "https://appcenter.intuit.com/connect/oauth2",
        "token_endpoint": "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
        "userinfo_endpoint": "https://accounts.platform.intuit.com/v1/openid_connect/userinfo",
        "revocation_endpoint": "https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
        "jwks_uri": "https://oauth.platform.intuit.com/op/v1/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile", "address", "phone"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
    }
    sandbox = client.get(
        "/.well-known/openid_sandbox_configuration/", base_url="https://developer.api.intuit.com"
    ).get_json()
    assert sandbox["userinfo_endpoint"] == (
        "https://sandbox-accounts.platform.intuit.com/v1/openid_connect/userinfo"
    )


def test_discovery_on_a_local_server_advertises_that_server(client):
    res = client.get("/.well-known/openid_sandbox_configuration/", base_url="http://127.0.0.1:8080")
    doc = res.get_json()
    assert doc["token_endpoint"] == "http://127.0.0.1:8080/oauth2/v1/tokens/bearer"
    assert doc["authorization_endpoint"] == "http://127.0.0.1:8080/connect/oauth2"
    assert doc["revocation_endpoint"] == "http://127.0.0.1:8080/v2/oauth2/tokens/revoke"
    assert doc["issuer"] == "https://oauth.platform.intuit.com/op/v1"
    assert res.headers["intuit_tid"]


def test_consent_page_lists_companies_and_posts_back_to_a_redirect(sim, client, realm):
    query = {
        "client_id": DEFAULT_CLIENT_ID,
        "response_type": "code",
        "scope": "com.intuit.quickbooks.accounting openid",
        "redirect_uri": CALLBACK,
        "state": "xyz",
    }
    page = client.get("/connect/oauth2", query_string=query)
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert realm in html and sim.company(realm).name in html and 'method="post"' in html
    res = client.post("/connect/oauth2", data={**query, "realmId": realm, "action": "approve"})
    assert res.status_code == 302
    location = urlparse(res.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    params = parse_qs(location.query)
    assert params["state"] == ["xyz"] and params["realmId"] == [realm]
    tokens = exchange(client, params["code"][0])
    assert tokens.status_code == 200
    assert company_info(client, realm, tokens.get_json()["access_token"]).status_code == 200


def test_auto_approve_flag_skips_the_page_and_deny_returns_access_denied(client, realm):
    query = {
        "client_id": DEFAULT_CLIENT_ID,
        "response_type": "code",
        "scope": "com.intuit.quickbooks.accounting",
        "redirect_uri": CALLBACK,
        "state": "s1",
    }
    res = client.get("/connect/oauth2", query_string={**query, "auto_approve": "1"})
    assert res.status_code == 302 and "code=" in res.headers["Location"]
    denied = client.post("/connect/oauth2", data={**query, "realmId": realm, "action": "deny"})
    assert parse_qs(urlparse(denied.headers["Location"]).query) == {
        "error": ["access_denied"],
        "state": ["s1"],
    }


def test_authorize_rejects_unregistered_redirect_uri_without_redirecting(sim, client):
    app = sim.oauth.register_client(redirect_uris=["https://good.example.com/cb"])
    res = client.get(
        "/connect/oauth2",
        query_string={
            "client_id": app.client_id,
            "response_type": "code",
            "scope": "com.intuit.quickbooks.accounting",
            "redirect_uri": "https://evil.example.com/cb",
            "state": "s",
        },
    )
    assert res.status_code == 400 and "Location" not in res.headers
    assert "The redirect_uri query parameter value is invalid" in res.get_data(as_text=True)


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example.com/cb",
        "/relative/callback",
        "//no-scheme.example.com/cb",
        "https:///no-host",
    ],
)
def test_authorize_refuses_a_redirect_uri_that_is_not_an_http_url_even_for_any_uri_clients(
    sim, client, uri
):
    """The default client accepts any registered-or-not URI, but never one a redirect could
    not safely go to: a page naming the problem, no redirect (consent never shown)."""
    for method in (client.get, client.post):
        res = method(
            "/connect/oauth2",
            query_string={
                "client_id": DEFAULT_CLIENT_ID,
                "response_type": "code",
                "scope": "com.intuit.quickbooks.accounting",
                "redirect_uri": uri,
                "state": "s",
                "auto_approve": "1",
            },
        )
        page = res.get_data(as_text=True)
        assert res.status_code == 400 and "Location" not in res.headers
        assert res.mimetype == "text/html"
        assert "invalid_request" in page and "redirect_uri query parameter value is invalid" in page
    with pytest.raises(OAuthError, match="redirect_uri"):
        sim.oauth.authorize(
            DEFAULT_CLIENT_ID,
            sim.default_realm or sim.create_company("empty"),
            "com.intuit.quickbooks.accounting",
            uri,
        )


def test_token_response_shape_and_headers(sim, client, realm):
    code = sim.oauth.authorize(DEFAULT_CLIENT_ID, realm, "com.intuit.quickbooks.accounting")
    res = token_request(client, grant_type="authorization_code", code=code)
    assert res.status_code == 200
    assert res.headers["Content-Type"] == "application/json;charset=utf-8"
    assert res.headers["intuit_tid"]
    body = res.get_json()
    assert list(body) == [
        "token_type",
        "access_token",
        "refresh_token",
        "expires_in",
        "x_refresh_token_expires_in",
    ]
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600 and body["x_refresh_token_expires_in"] == 8726400
    assert body["access_token"] != body["refresh_token"]


def test_client_secret_post_is_accepted(sim, client, realm):
    code = sim.oauth.authorize(DEFAULT_CLIENT_ID, realm)
    res = token_request(
        client,
        None,
        grant_type="authorization_code",
        code=code,
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
    )
    assert res.status_code == 200 and "access_token" in res.get_json()


@pytest.mark.parametrize(
    "auth", [(DEFAULT_CLIENT_ID, "wrong-secret"), ("no-such-client", "x"), None]
)
def test_bad_client_credentials_are_401_invalid_client(sim, client, realm, auth):
    code = sim.oauth.authorize(DEFAULT_CLIENT_ID, realm)
    res = token_request(client, auth, grant_type="authorization_code", code=code)
    assert res.status_code == 401
    assert res.get_json() == {"error": "invalid_client"}
    assert res.headers["Content-Type"] == "application/json;charset=utf-8"


def test_access_token_expires_after_3600_simulated_seconds(sim, client, realm, clock):
    tokens = sim.oauth.issue_tokens(realm)
    clock.advance(3599)
    assert company_info(client, realm, tokens["access_token"]).status_code == 200
    clock.advance(1)
    res = company_info(client, realm, tokens["access_token"])
    assert res.status_code == 401
    assert res.get_json()["fault"]["error"][0]["code"] == "3200"


def test_refresh_returns_a_new_pair_and_the_new_access_token_works(sim, client, realm, clock):
    first = sim.oauth.issue_tokens(realm)
    clock.advance(3700)
    res = refresh(client, first["refresh_token"])
    assert res.status_code == 200
    second = res.get_json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert second["expires_in"] == 3600 and second["x_refresh_token_expires_in"] == 8726400
    assert company_info(client, realm, second["access_token"]).status_code == 200


def test_rotated_refresh_token_works_for_24_hours_then_invalid_grant(sim, client, realm, clock):
    first = sim.oauth.issue_tokens(realm)
    clock.advance(3600)
    assert refresh(client, first["refresh_token"]).status_code == 200  # rotation happens here
    clock.advance(hours=23, minutes=59, seconds=59)
    assert refresh(client, first["refresh_token"]).status_code == 200
    clock.advance(1)
    late = refresh(client, first["refresh_token"])
    assert late.status_code == 400
    assert late.get_json() == {
        "error": "invalid_grant",
        "error_description": "Incorrect or invalid refresh token",
    }


def test_newest_refresh_token_keeps_working_beyond_the_grace(sim, client, realm, clock):
    current = sim.oauth.issue_tokens(realm)["refresh_token"]
    for _ in range(3):
        clock.advance(hours=30)
        res = refresh(client, current)
        assert res.status_code == 200
        current = res.get_json()["refresh_token"]


def test_refresh_token_of_another_client_is_invalid_grant(sim, client, realm):
    other = sim.oauth.register_client(client_secret="s3cret")
    tokens = sim.oauth.issue_tokens(realm)
    res = refresh(client, tokens["refresh_token"], auth=(other.client_id, "s3cret"))
    assert res.status_code == 400 and res.get_json()["error"] == "invalid_grant"


def test_reused_authorization_code_is_invalid_grant_and_revokes_the_first_pair(sim, client, realm):
    code = sim.oauth.authorize(DEFAULT_CLIENT_ID, realm, redirect_uri=CALLBACK)
    first = exchange(client, code)
    assert first.status_code == 200
    pair = first.get_json()
    assert company_info(client, realm, pair["access_token"]).status_code == 200
    again = exchange(client, code)
    assert again.status_code == 400
    assert again.get_json() == {"error": "invalid_grant"}
    assert company_info(client, realm, pair["access_token"]).status_code == 401
    assert refresh(client, pair["refresh_token"]).status_code == 400


def test_code_exchange_needs_the_same_redirect_uri(sim, client, realm):
    code = sim.oauth.authorize(DEFAULT_CLIENT_ID, realm, redirect_uri=CALLBACK)
    res = token_request(
        client, grant_type="authorization_code", code=code, redirect_uri="https://other/cb"
    )
    assert res.status_code == 400 and res.get_json() == {"error": "invalid_grant"}


def test_unsupported_grant_type(client):
    res = token_request(client, grant_type="password")
    assert res.status_code == 400 and res.get_json() == {"error": "unsupported_grant_type"}


def test_revoking_a_refresh_token_kills_its_access_tokens(sim, client, realm):
    tokens = sim.oauth.issue_tokens(realm)
    res = client.post(REVOKE, json={"token": tokens["refresh_token"]}, auth=BASIC)
    assert res.status_code == 200
    assert company_info(client, realm, tokens["access_token"]).status_code == 401
    assert refresh(client, tokens["refresh_token"]).status_code == 400


def test_revoke_needs_client_credentials(sim, client, realm):
    tokens = sim.oauth.issue_tokens(realm)
    res = client.post(REVOKE, json={"token": tokens["refresh_token"]}, auth=("x", "y"))
    assert res.status_code == 401 and res.get_json() == {"error": "invalid_client"}
    assert company_info(client, realm, tokens["access_token"]).status_code == 200


def test_tokens_record_realm_scopes_and_times(sim, realm, clock):
    tokens = sim.oauth.issue_tokens(realm, scopes=["com.intuit.quickbooks.accounting"])
    rows = {row["kind"]: row for row in sim.oauth.tokens(realm)}
    access = rows["access_token"]
    assert access["token"] == tokens["access_token"]
    assert access["realm_id"] == realm
    assert access["scopes"] == ["com.intuit.quickbooks.accounting"]
    assert access["issued_at"] == "2026-03-02T17:00:00+00:00"
    assert access["expires_at"] == "2026-03-02T18:00:00+00:00"
    assert rows["refresh_token"]["expires_at"] == "2026-06-11T17:00:00+00:00"
    json.dumps(sim.oauth.tokens())  # serialisable for the control plane


def test_id_token_is_an_rs256_jwt_verifiable_with_the_jwks(sim, client, realm):
    tokens = sim.oauth.issue_tokens(realm, scopes="com.intuit.quickbooks.accounting openid")
    header_b64, payload_b64, signature_b64 = tokens["id_token"].split(".")

    def decode(part: str) -> bytes:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))

    header = json.loads(decode(header_b64))
    payload = json.loads(decode(payload_b64))
    assert header["alg"] == "RS256"
    assert payload["realmid"] == realm and payload["aud"] == [DEFAULT_CLIENT_ID]
    assert payload["iss"] == "https://oauth.platform.intuit.com/op/v1"
    key = client.get("/op/v1/jwks").get_json()["keys"][0]
    assert key["kid"] == header["kid"] and key["kty"] == "RSA"
    n = int.from_bytes(decode(key["n"]), "big")
    signed = f"{header_b64}.{payload_b64}".encode()
    assert jwt.verify_rs256(signed, decode(signature_b64), n)
    assert not jwt.verify_rs256(signed + b"x", decode(signature_b64), n)


def test_userinfo_needs_an_openid_token(sim, client, realm):
    with_openid = sim.oauth.issue_tokens(realm)
    without = sim.oauth.issue_tokens(realm, scopes="com.intuit.quickbooks.accounting")
    ok = client.get(
        "/v1/openid_connect/userinfo",
        headers={"Authorization": f"Bearer {with_openid['access_token']}"},
    )
    assert ok.status_code == 200 and ok.get_json()["email"] == "qbo-sim@example.com"
    denied = client.get(
        "/v1/openid_connect/userinfo",
        headers={"Authorization": f"Bearer {without['access_token']}"},
    )
    assert denied.status_code == 401


def test_the_crt_signature_is_the_plain_rsa_signature_and_verifies():
    from qbo_sim.oauth.id_token import RsaKey, sign_rs256, signing_key, verify_rs256

    key = signing_key()
    plain = RsaKey(n=key.n, d=key.d)
    assert key.p and key.q and key.p * key.q == key.n
    for message in (b"", b"header.payload", bytes(range(256)) * 3):
        signature = sign_rs256(message, key)
        assert signature == sign_rs256(message, plain)
        assert verify_rs256(message, signature, key.n)
        assert not verify_rs256(message + b"x", signature, key.n)
