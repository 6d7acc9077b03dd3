"""Discovery documents and the OAuth error page (reference §5.11; the consent page is the
``consent.html`` template, :mod:`qbo_sim.api.oauth_routes`).

Served on Intuit's hosts (the in-process transport routes them to the same app), a discovery
document carries Intuit's real URLs; served anywhere else (``qbo-sim serve`` on localhost), its
endpoints point at that server so a client configured with the local discovery URL talks to
qbo-sim for every step.
"""

from __future__ import annotations

from html import escape
from typing import Any

from qbo_sim.hosts import ALL_HOSTS
from qbo_sim.oauth.id_token import ISSUER

PRODUCTION_DISCOVERY_PATH = "/.well-known/openid_configuration/"
SANDBOX_DISCOVERY_PATH = "/.well-known/openid_sandbox_configuration/"
AUTHORIZE_PATH = "/connect/oauth2"
TOKEN_PATH = "/oauth2/v1/tokens/bearer"
REVOKE_PATH = "/v2/oauth2/tokens/revoke"
JWKS_PATH = "/op/v1/jwks"
USERINFO_PATH = "/v1/openid_connect/userinfo"

#: §5.11 (NET-SDK discovery.json): the real endpoint URLs.
INTUIT_ENDPOINTS = {
    "authorization_endpoint": "https://appcenter.intuit.com" + AUTHORIZE_PATH,
    "token_endpoint": "https://oauth.platform.intuit.com" + TOKEN_PATH,
    "revocation_endpoint": "https://developer.api.intuit.com" + REVOKE_PATH,
    "jwks_uri": "https://oauth.platform.intuit.com" + JWKS_PATH,
}
USERINFO = {
    "production": "https://accounts.platform.intuit.com" + USERINFO_PATH,
    "sandbox": "https://sandbox-accounts.platform.intuit.com" + USERINFO_PATH,
}


def is_intuit_host(host: str) -> bool:
    return host.split(":")[0].lower() in ALL_HOSTS


def discovery_document(environment: str, host: str, base_url: str) -> dict[str, Any]:
    """The document for ``environment`` as seen by a request to ``host`` (``base_url`` is
    ``scheme://host[:port]`` of that request)."""
    if is_intuit_host(host):
        endpoints = dict(INTUIT_ENDPOINTS)
        userinfo = USERINFO[environment]
    else:
        base = base_url.rstrip("/")
        endpoints = {
            "authorization_endpoint": base + AUTHORIZE_PATH,
            "token_endpoint": base + TOKEN_PATH,
            "revocation_endpoint": base + REVOKE_PATH,
            "jwks_uri": base + JWKS_PATH,
        }
        userinfo = base + USERINFO_PATH
    return {
        "issuer": ISSUER,
        "authorization_endpoint": endpoints["authorization_endpoint"],
        "token_endpoint": endpoints["token_endpoint"],
        "userinfo_endpoint": userinfo,
        "revocation_endpoint": endpoints["revocation_endpoint"],
        "jwks_uri": endpoints["jwks_uri"],
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile", "address", "phone"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
    }


def error_page(error: str, description: str | None) -> str:
    text = escape(description or error)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Error</title></head><body>'
        f"<h1>{escape(error)}</h1><p>{text}</p></body></html>\n"
    )
