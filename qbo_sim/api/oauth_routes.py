"""Intuit's OAuth 2.0 endpoints on their real paths (reference §5.11).

The paths are unique across Intuit's hosts, so one app serves them all (in-process the real
hosts are routed here; ``qbo-sim serve`` serves them on its own host):

- ``GET /.well-known/openid_configuration/`` and ``/.well-known/openid_sandbox_configuration/``
- ``GET|POST /connect/oauth2``: consent page, then a redirect with ``code``, ``state``,
  ``realmId``; ``auto_approve=1`` (with ``realmId=`` when there are several companies) skips the
  page and redirects at once (qbo-sim convenience for tests and headless clients)
- ``POST /oauth2/v1/tokens/bearer``: ``authorization_code`` and ``refresh_token`` grants, client
  credentials by ``client_secret_basic`` or ``client_secret_post``
- ``POST /v2/oauth2/tokens/revoke``: JSON ``{"token": ...}`` with Basic auth
- ``GET /op/v1/jwks``, ``GET /v1/openid_connect/userinfo``

OAuth responses are ``application/json;charset=utf-8``; the gateway adds ``intuit_tid``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from qbo_sim.api import pages
from qbo_sim.api.context import sim
from qbo_sim.oauth import discovery, id_token
from qbo_sim.oauth.records import SCOPE_WORDS, OAuthError, oauth_error_body
from qbo_sim.oauth.server import OAuthServer, basic_credentials, parse_scopes

bp = Blueprint("oauth", __name__)

OAUTH_JSON = "application/json;charset=utf-8"
_AUTHORIZE_FIELDS = ("client_id", "response_type", "scope", "redirect_uri", "state")


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type=OAUTH_JSON)


def _server() -> OAuthServer:
    server: OAuthServer = sim().oauth
    return server


@bp.errorhandler(OAuthError)
def _oauth_error(error: OAuthError) -> Response:
    return _json(error.body(), error.status)


# --- discovery --------------------------------------------------------------------------
@bp.get(discovery.PRODUCTION_DISCOVERY_PATH)
def production_discovery() -> Response:
    return _json(discovery.discovery_document("production", request.host, request.host_url))


@bp.get(discovery.SANDBOX_DISCOVERY_PATH)
def sandbox_discovery() -> Response:
    return _json(discovery.discovery_document("sandbox", request.host, request.host_url))


@bp.get(discovery.JWKS_PATH)
def jwks() -> Response:
    return _json(id_token.jwks())


@bp.get(discovery.USERINFO_PATH)
def userinfo() -> Response:
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    info = _server().userinfo(token)
    if info is None:  # assumed: RFC 6750 style
        return _json(oauth_error_body("invalid_token"), 401)
    return _json(info)


# --- authorize ----------------------------------------------------------------------------
@bp.route(discovery.AUTHORIZE_PATH, methods=["GET", "POST"])
def authorize() -> BaseResponse:
    params = request.values
    fields = {k: params.get(k, "") for k in _AUTHORIZE_FIELDS}
    server = _server()
    scopes = parse_scopes(fields["scope"])
    try:
        client = server.check_authorize_request(
            fields["client_id"], fields["redirect_uri"], parse_scopes(fields["scope"]) or ("-",)
        )
    except OAuthError as error:
        if error.error != "invalid_scope":  # never redirect to an unverified URI
            page = discovery.error_page(error.error, error.description)
            return Response(page, status=400, content_type="text/html; charset=utf-8")
        return _back(fields, {"error": "invalid_scope"})
    if fields["response_type"] != "code":
        return _back(fields, {"error": "unsupported_response_type"})
    auto = params.get("auto_approve", "").lower() in ("1", "true", "yes")
    if request.method == "GET" and not auto:
        return _consent(client.name, scopes, fields)
    if params.get("action") == "deny":
        return _back(fields, {"error": "access_denied"})
    realm = params.get("realmId") or params.get("realm_id") or _only_realm()
    if not realm or sim().store.get(realm) is None:
        page = discovery.error_page("invalid_request", "Choose a company to connect")
        return Response(page, status=400, content_type="text/html; charset=utf-8")
    code = server.authorize(client.client_id, realm, scopes, fields["redirect_uri"])
    return _back(fields, {"code": code, "realmId": realm})


def _consent(app_name: str, scopes: tuple[str, ...], fields: dict[str, str]) -> Response:
    """The consent page: the companies (a selector only with several; the one ``serve``
    printed, else the ``realmId`` asked for, else the first, selected), the scopes in words."""
    store = sim().store
    companies = [c for c in (store.get(r) for r in store.realm_ids()) if c is not None]
    realms = [c.realm_id for c in companies]
    wanted = [request.args.get("realmId"), sim().default_realm]
    selected = next((r for r in wanted if r in realms), realms[0] if realms else None)
    return pages.page(
        "consent.html",
        app_name=app_name,
        companies=companies,
        selected=selected,
        scopes=[{"name": s, "words": SCOPE_WORDS.get(s, s)} for s in scopes],
        fields=fields,
    )


def _only_realm() -> str | None:
    realms = sim().store.realm_ids()
    return realms[0] if len(realms) == 1 else None


def _back(fields: dict[str, str], answer: dict[str, str]) -> BaseResponse:
    """Redirect to the app's ``redirect_uri`` with ``code``/``error``, ``state``, ``realmId``."""
    query = {k: v for k, v in answer.items() if k != "realmId"}
    query["state"] = fields["state"]
    if "realmId" in answer:
        query["realmId"] = answer["realmId"]
    uri = fields["redirect_uri"]
    return redirect(uri + ("&" if "?" in uri else "?") + urlencode(query), code=302)


# --- token, revoke --------------------------------------------------------------------------
def _client_credentials() -> tuple[str | None, str | None]:
    pair = basic_credentials(request.headers.get("Authorization"))
    if pair is not None:
        return pair
    return request.form.get("client_id"), request.form.get("client_secret")


@bp.post(discovery.TOKEN_PATH)
def token() -> Response:
    server = _server()
    client = server.authenticate_client(*_client_credentials())
    grant_type = request.form.get("grant_type")
    if grant_type == "authorization_code":
        body = server.exchange_code(
            client, request.form.get("code"), request.form.get("redirect_uri")
        )
    elif grant_type == "refresh_token":
        body = server.refresh(client, request.form.get("refresh_token"))
    elif not grant_type:
        raise OAuthError("invalid_request")
    else:
        raise OAuthError("unsupported_grant_type")
    return _json(body)


@bp.post(discovery.REVOKE_PATH)
def revoke() -> Response:
    server = _server()
    client = server.authenticate_client(*_client_credentials())
    payload = request.get_json(silent=True, force=True)
    value = payload.get("token") if isinstance(payload, dict) else request.form.get("token")
    if not value:
        raise OAuthError("invalid_request")
    server.revoke(value, client)
    return Response(b"", status=200, content_type=OAUTH_JSON)
