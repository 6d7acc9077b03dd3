"""The OAuth 2.0 server: clients, consent, codes, token exchange, refresh rotation, revocation.

All times come from ``sim.clock`` (tokens expire on simulated time). The HTTP routes in
:mod:`qbo_sim.api.oauth_routes` are thin adapters over these methods; tests and the control
plane call them directly.

Behaviour (reference §5.11; "assumed" where the reference is silent):

- access tokens live 3600 s; refresh tokens 8726400 s from issue (renewed by every refresh);
- every refresh returns a new access token AND a new refresh token; the previous refresh token
  keeps working for 24 simulated hours after that rotation, then ``invalid_grant`` (assumed
  model of Intuit's "a new value roughly every 24 h; the previous one then stops working");
- an authorization code is single-use; a second exchange is ``invalid_grant`` and revokes every
  token issued from that code (observed: "using the same auth code twice poisons it");
- revoking any token (access or refresh) revokes its whole grant (assumed: Intuit's revoke
  disconnects the app), so revoking a refresh token kills its access tokens;
- the development token (:data:`qbo_sim.auth.DEV_TOKEN`) is valid for every realm and never
  expires while ``allow_dev_token`` is True: a convenience of qbo-sim, not of QBO.
"""

from __future__ import annotations

import base64
import random
import string
import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from qbo_sim.auth import ACCOUNTING_SCOPE, DEV_TOKEN
from qbo_sim.oauth.records import (
    ACCESS_TOKEN_SECONDS,
    AUTH_CODE_SECONDS,
    BAD_REFRESH_TOKEN,
    KNOWN_SCOPES,
    REFRESH_TOKEN_SECONDS,
    ROTATION_GRACE_SECONDS,
    AccessToken,
    AuthCode,
    Client,
    Grant,
    OAuthError,
    RefreshToken,
    invalid_client,
    invalid_grant,
)

if TYPE_CHECKING:
    from qbo_sim.interfaces import SimulatorLike

#: The client registered on every simulator (documented in the report and ``qbo-sim serve``).
DEFAULT_CLIENT_ID = "qbo-sim-client"
DEFAULT_CLIENT_SECRET = "qbo-sim-secret"
#: The app identity of the development token (throttling counts it as its own app).
DEV_TOKEN_CLIENT_ID = "qbo-sim-dev-token"
DEFAULT_SCOPES: tuple[str, ...] = (ACCOUNTING_SCOPE, "openid", "profile", "email")
#: The shape of Intuit's JWE access tokens (``eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..``).
_JWE_HEADER = "eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0"
_ALNUM = string.ascii_letters + string.digits


def parse_scopes(scope: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """``"a b"`` or ``["a", "b"]`` → ``("a", "b")`` (order kept, duplicates dropped)."""
    parts = scope.split() if isinstance(scope, str) else list(scope or ())
    return tuple(dict.fromkeys(p for p in parts if p))


class OAuthServer:
    """``sim.oauth``: Intuit's OAuth 2.0 / OpenID Connect server, on the simulated clock."""

    def __init__(self, sim: SimulatorLike) -> None:
        self.sim = sim
        self.clock = sim.clock
        #: Accept :data:`qbo_sim.auth.DEV_TOKEN` for every realm (development convenience).
        self.allow_dev_token = True
        self._lock = threading.RLock()
        self._rng = random.Random(f"oauth:{sim.seed}")
        self._clients: dict[str, Client] = {}
        self._codes: dict[str, AuthCode] = {}
        self._refresh: dict[str, RefreshToken] = {}
        self._access: dict[str, AccessToken] = {}
        self._grants: dict[str, Grant] = {}
        self.dev_token = AccessToken(
            token=DEV_TOKEN,
            client_id=DEV_TOKEN_CLIENT_ID,
            scopes=tuple(sorted(KNOWN_SCOPES)),
            issued_at=None,
            expires_at=None,
        )
        self.default_client = self.register_client(
            DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, redirect_uris=None, name="qbo-sim default"
        )

    # --- clients ------------------------------------------------------------------------
    def register_client(
        self,
        client_id: str | None = None,
        client_secret: str | None = None,
        redirect_uris: list[str] | None = None,
        name: str = "qbo-sim app",
    ) -> Client:
        """Register an app; ids and secrets are generated in Intuit's shape when omitted.

        ``redirect_uris=None`` accepts any redirect URI (qbo-sim convenience).
        """
        with self._lock:
            client = Client(
                client_id=client_id or "AB" + self._random(48),
                client_secret=client_secret or self._random(40),
                redirect_uris=list(redirect_uris) if redirect_uris is not None else None,
                name=name,
            )
            self._clients[client.client_id] = client
            return client

    def client(self, client_id: str) -> Client | None:
        return self._clients.get(client_id)

    def clients(self) -> list[dict[str, Any]]:
        return [c.to_dict() for c in self._clients.values()]

    def authenticate_client(self, client_id: str | None, client_secret: str | None) -> Client:
        """The client, or 401 ``invalid_client`` (§5.11)."""
        client = self._clients.get(client_id or "")
        if client is None or client.client_secret != client_secret:
            raise invalid_client()
        return client

    # --- authorization ------------------------------------------------------------------
    def check_authorize_request(
        self, client_id: str, redirect_uri: str, scopes: tuple[str, ...]
    ) -> Client:
        """Validate an authorize request before consent: unknown client or redirect URI →
        ``OAuthError`` shown on the page (never redirected), bad scope → ``invalid_scope``."""
        client = self._clients.get(client_id)
        if client is None:
            raise OAuthError("invalid_client", 400, "Unknown client_id")
        if not redirect_uri or not usable_redirect(redirect_uri):
            raise OAuthError("invalid_request", 400, BAD_REDIRECT)
        if not client.allows_redirect(redirect_uri):
            raise OAuthError("invalid_request", 400, BAD_REDIRECT)
        if not scopes or any(s not in KNOWN_SCOPES for s in scopes):
            raise OAuthError("invalid_scope", 400, "Invalid scope")
        return client

    def authorize(
        self,
        client_id: str,
        realm_id: str,
        scopes: str | list[str] | tuple[str, ...] = DEFAULT_SCOPES,
        redirect_uri: str | None = None,
    ) -> str:
        """The user consents for ``realm_id``: returns a single-use authorization code.

        ``redirect_uri`` None skips the redirect check (Python callers).
        """
        wanted = parse_scopes(scopes)
        with self._lock:
            if redirect_uri is None:
                if client_id not in self._clients:
                    raise OAuthError("invalid_client", 400, "Unknown client_id")
                if not wanted or any(s not in KNOWN_SCOPES for s in wanted):
                    raise OAuthError("invalid_scope", 400, "Invalid scope")
            else:
                self.check_authorize_request(client_id, redirect_uri, wanted)
            self.sim.company(realm_id)  # KeyError for an unknown realm
            now = self.clock.now()
            grant = Grant("g" + self._random(16), client_id, realm_id, wanted, now)
            self._grants[grant.grant_id] = grant
            code = AuthCode(
                code="AB11" + str(int(now.timestamp()) + AUTH_CODE_SECONDS) + self._random(30),
                grant=grant,
                redirect_uri=redirect_uri,
                issued_at=now,
                expires_at=now + timedelta(seconds=AUTH_CODE_SECONDS),
            )
            self._codes[code.code] = code
            return code.code

    # --- token endpoint -----------------------------------------------------------------
    def exchange_code(
        self,
        client: Client,
        code: str | None,
        redirect_uri: str | None,
        *,
        with_id_token: bool = True,
    ) -> dict[str, Any]:
        """``grant_type=authorization_code``; a re-used code revokes what it issued.
        ``with_id_token=False`` leaves out the ``id_token`` an ``openid`` grant carries (for
        callers that never read it: signing one is most of the cost of an exchange)."""
        with self._lock:
            record = self._codes.get(code or "")
            now = self.clock.now()
            if record is None or record.grant.client_id != client.client_id:
                raise invalid_grant()
            if record.used_at is not None:
                self._revoke_grant(record.grant, "authorization code re-used")
                raise invalid_grant()
            if now >= record.expires_at or record.grant.revoked:
                raise invalid_grant()
            if record.redirect_uri is not None and redirect_uri != record.redirect_uri:
                raise invalid_grant()
            record.used_at = now
            return self._issue(record.grant, with_id_token=with_id_token)

    def refresh(self, client: Client, refresh_token: str | None) -> dict[str, Any]:
        """``grant_type=refresh_token``: a new access token and a new refresh token."""
        with self._lock:
            record = self._refresh.get(refresh_token or "")
            if record is None or record.grant.client_id != client.client_id:
                raise invalid_grant(BAD_REFRESH_TOKEN)
            if not self._refresh_usable(record, self.clock.now()):
                raise invalid_grant(BAD_REFRESH_TOKEN)
            response = self._issue(record.grant)
            if record.rotated_at is None:
                record.rotated_at = self.clock.now()
                record.successor = response["refresh_token"]
            return response

    def revoke(self, token: str, client: Client | None = None) -> bool:
        """Revoke the grant of an access or refresh token; False when the token is unknown
        (or belongs to another client). Either way the HTTP answer is 200 (RFC 7009, assumed)."""
        with self._lock:
            grant = self._grant_of(token)
            if grant is None or (client is not None and grant.client_id != client.client_id):
                return False
            self._revoke_grant(grant, "revoked")
            return True

    # --- conveniences for tests, the CLI and the control plane ---------------------------
    def issue_tokens(
        self,
        realm_id: str,
        client_id: str | None = None,
        scopes: str | list[str] | tuple[str, ...] = DEFAULT_SCOPES,
        *,
        with_id_token: bool = True,
    ) -> dict[str, Any]:
        """Consent + code exchange in one call: the token endpoint's response body
        (``with_id_token``: see :meth:`exchange_code`)."""
        client = self._clients[client_id or DEFAULT_CLIENT_ID]
        code = self.authorize(client.client_id, realm_id, scopes)
        return self.exchange_code(client, code, None, with_id_token=with_id_token)

    def expire_access_tokens(self, realm_id: str | None = None) -> int:
        """Make current access tokens (of one realm, or all) expire now; returns how many."""
        with self._lock:
            now = self.clock.now()
            hit = [
                t
                for t in self._access.values()
                if (realm_id is None or t.realm_id == realm_id)
                and t.expires_at is not None
                and t.expires_at > now
            ]
            for token in hit:
                token.expires_at = now
            return len(hit)

    def tokens(self, realm_id: str | None = None) -> list[dict[str, Any]]:
        """Every access and refresh token (serialisable, for the control plane)."""
        with self._lock:
            rows = [t.to_dict() for t in self._access.values()]
            rows += [t.to_dict() for t in self._refresh.values()]
        return [r for r in rows if realm_id is None or r["realm_id"] == realm_id]

    # --- API authentication support ------------------------------------------------------
    def access_token(self, token: str) -> AccessToken | None:
        """The record of an access token (the dev token while it is allowed), else None."""
        if token == DEV_TOKEN:
            return self.dev_token if self.allow_dev_token else None
        return self._access.get(token)

    def is_expired(self, record: AccessToken) -> bool:
        return record.expires_at is not None and self.clock.now() >= record.expires_at

    def userinfo(self, token: str) -> dict[str, Any] | None:
        """OpenID userinfo claims for a valid access token with the ``openid`` scope."""
        record = self.access_token(token)
        if record is None or record.revoked or self.is_expired(record):
            return None
        if "openid" not in record.scopes:
            return None
        sub = record.grant.grant_id if record.grant else DEV_TOKEN_CLIENT_ID
        info: dict[str, Any] = {"sub": sub}
        if "email" in record.scopes:
            info.update({"email": "qbo-sim@example.com", "emailVerified": True})
        if "profile" in record.scopes:
            info.update({"givenName": "Craig", "familyName": "Carlson"})
        return info

    # --- internals ----------------------------------------------------------------------
    def _issue(self, grant: Grant, *, with_id_token: bool = True) -> dict[str, Any]:
        now = self.clock.now()
        access = AccessToken(
            token=f"{_JWE_HEADER}..{self._b64(16)}.{self._b64(540)}.{self._b64(16)}",
            client_id=grant.client_id,
            scopes=grant.scopes,
            issued_at=now,
            expires_at=now + timedelta(seconds=ACCESS_TOKEN_SECONDS),
            grant=grant,
            realm_id=grant.realm_id,
        )
        refresh_expiry = now + timedelta(seconds=REFRESH_TOKEN_SECONDS)
        refresh = RefreshToken(
            token="AB11" + str(int(refresh_expiry.timestamp())) + self._random(36),
            grant=grant,
            issued_at=now,
            expires_at=refresh_expiry,
        )
        self._access[access.token] = access
        self._refresh[refresh.token] = refresh
        body: dict[str, Any] = {
            "token_type": "bearer",
            "access_token": access.token,
            "refresh_token": refresh.token,
            "expires_in": ACCESS_TOKEN_SECONDS,
            "x_refresh_token_expires_in": REFRESH_TOKEN_SECONDS,
        }
        if with_id_token and "openid" in grant.scopes:
            from qbo_sim.oauth.id_token import id_token

            body["id_token"] = id_token(grant, now)
        return body

    def _refresh_usable(self, record: RefreshToken, now: datetime) -> bool:
        if record.grant.revoked or now >= record.expires_at:
            return False
        if record.rotated_at is None:
            return True
        return now < record.rotated_at + timedelta(seconds=ROTATION_GRACE_SECONDS)

    def _grant_of(self, token: str) -> Grant | None:
        if token in self._refresh:
            return self._refresh[token].grant
        access = self._access.get(token)
        return access.grant if access else None

    def _revoke_grant(self, grant: Grant, reason: str) -> None:
        if grant.revoked_at is None:
            grant.revoked_at = self.clock.now()
            grant.revoked_reason = reason

    def _random(self, n: int) -> str:
        return "".join(self._rng.choice(_ALNUM) for _ in range(n))

    def _b64(self, n: int) -> str:
        return base64.urlsafe_b64encode(self._rng.randbytes(n)).rstrip(b"=").decode()


#: What Intuit's authorization page says for a redirect URI it refuses [observed:
#: vm0-ai/vm0#25780 (2026), an unregistered one]. qbo-sim says the same, shown on its page and
#: never redirected to, for one that is not registered and for one that is not an absolute
#: http(s) URL (``javascript:``, ``data:``, ``ftp:``, relative: Intuit's app settings accept
#: only such URLs, so none can be registered; the ``invalid_request`` error name is assumed).
BAD_REDIRECT = (
    "The redirect_uri query parameter value is invalid. Make sure it is listed in the "
    "Redirect URIs section on your app's keys tab and matches it exactly."
)


def usable_redirect(uri: str) -> bool:
    """An absolute ``http``/``https`` URL with a host (what a redirect may go to)."""
    parts = urlsplit(uri)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """``Authorization: Basic base64(client_id:client_secret)`` → the pair, else None."""
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except ValueError:
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None
