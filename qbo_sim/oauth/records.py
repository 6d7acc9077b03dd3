"""What the OAuth 2.0 server remembers: clients, grants, codes and tokens (reference §5.11).

A *grant* is one user's consent for one app on one company (realm). Every authorization code,
refresh token and access token belongs to a grant; revoking a token revokes its grant, so all
tokens of that connection stop working at once (assumed, matching Intuit's "disconnect").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from qbo_sim.auth import ACCOUNTING_SCOPE  # the scope every API call needs (auth checks it)
from qbo_sim.errors import SimError

#: OpenID scopes of the discovery document (§5.11).
OPENID_SCOPES = ("openid", "profile", "email", "phone", "address")
#: Scopes the authorize endpoint accepts: Intuit's product scopes plus OpenID (§5.11).
KNOWN_SCOPES = frozenset(
    (
        ACCOUNTING_SCOPE,
        "com.intuit.quickbooks.payment",
        "com.intuit.quickbooks.payroll",
        "com.intuit.quickbooks.payroll.timetracking",
        "com.intuit.quickbooks.payroll.benefits",
        "intuit_name",
    )
    + OPENID_SCOPES
)
#: What the consent page says each scope lets the app do (assumed wording, after Intuit's page).
SCOPE_WORDS = {
    ACCOUNTING_SCOPE: "Read and change your accounting data: customers, vendors, items, "
    "invoices, payments, bills and reports",
    "com.intuit.quickbooks.payment": "Process payments and refunds for your company",
    "com.intuit.quickbooks.payroll": "Read and change your payroll data",
    "com.intuit.quickbooks.payroll.timetracking": "Read and change your employees' time entries",
    "com.intuit.quickbooks.payroll.benefits": "Read and change your employees' benefits",
    "intuit_name": "Know your name",
    "openid": "Sign you in with your Intuit account",
    "profile": "See your name",
    "email": "See your email address",
    "phone": "See your phone number",
    "address": "See your address",
}
assert set(SCOPE_WORDS) == KNOWN_SCOPES

#: §5.11: ``expires_in`` 3600 and ``x_refresh_token_expires_in`` 8726400 (≈ 101 days).
ACCESS_TOKEN_SECONDS = 3600
REFRESH_TOKEN_SECONDS = 8_726_400
#: A rotated refresh token keeps working this long after its successor was issued (§5.11
#: "roughly every 24 h"; qbo-sim rotates on every refresh and keeps a 24 h grace, assumed).
ROTATION_GRACE_SECONDS = 24 * 3600
#: How long an authorization code can be exchanged (assumed: Intuit documents no figure).
AUTH_CODE_SECONDS = 300


def _iso(instant: datetime | None) -> str | None:
    return instant.isoformat() if instant else None


@dataclass
class Client:
    """A registered app. ``redirect_uris`` None accepts any redirect URI (dev convenience)."""

    client_id: str
    client_secret: str
    redirect_uris: list[str] | None = None
    name: str = "qbo-sim app"

    def allows_redirect(self, uri: str) -> bool:
        return self.redirect_uris is None or uri in self.redirect_uris

    def to_dict(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uris": self.redirect_uris,
            "name": self.name,
        }


@dataclass
class Grant:
    """One consent: ``client_id`` may act on ``realm_id`` with ``scopes``."""

    grant_id: str
    client_id: str
    realm_id: str
    scopes: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None = None
    revoked_reason: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass
class AuthCode:
    code: str
    grant: Grant
    redirect_uri: str | None
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass
class RefreshToken:
    token: str
    grant: Grant
    issued_at: datetime
    expires_at: datetime
    #: when a refresh with this token issued a successor; it works until rotated_at + 24 h.
    rotated_at: datetime | None = None
    successor: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "refresh_token",
            "token": self.token,
            "client_id": self.grant.client_id,
            "realm_id": self.grant.realm_id,
            "scopes": list(self.grant.scopes),
            "issued_at": _iso(self.issued_at),
            "expires_at": _iso(self.expires_at),
            "rotated_at": _iso(self.rotated_at),
            "revoked": self.grant.revoked,
        }


@dataclass
class AccessToken:
    """An access token. ``grant`` None marks the development token (every realm, no expiry)."""

    token: str
    client_id: str
    scopes: tuple[str, ...]
    issued_at: datetime | None
    expires_at: datetime | None
    grant: Grant | None = None
    realm_id: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def is_dev_token(self) -> bool:
        return self.grant is None

    @property
    def revoked(self) -> bool:
        return self.grant is not None and self.grant.revoked

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "access_token",
            "token": self.token,
            "client_id": self.client_id,
            "realm_id": self.realm_id,
            "scopes": list(self.scopes),
            "issued_at": _iso(self.issued_at),
            "expires_at": _iso(self.expires_at),
            "revoked": self.revoked,
        }


class OAuthError(SimError):
    """An OAuth protocol error: ``{"error": ...}`` with an HTTP status (§5.11).

    These are RFC 6749 bodies from Intuit's OAuth server, not QBO API faults, so they are not
    in :mod:`qbo_sim.faults`; :func:`oauth_error_body` is their only renderer.
    """

    def __init__(self, error: str, status: int = 400, description: str | None = None) -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.status = status
        self.description = description

    def body(self) -> dict[str, str]:
        return oauth_error_body(self.error, self.description)


def oauth_error_body(error: str, description: str | None = None) -> dict[str, str]:
    """§5.11: ``{"error":"invalid_grant"}`` or with an ``error_description``."""
    body = {"error": error}
    if description:
        body["error_description"] = description
    return body


def invalid_client() -> OAuthError:
    """§5.11 (observed): HTTP 401 ``{"error":"invalid_client"}`` for bad client credentials."""
    return OAuthError("invalid_client", 401)


def invalid_grant(description: str | None = None) -> OAuthError:
    """§5.11 (observed): HTTP 400 ``invalid_grant`` (stale, rotated, revoked, re-used code)."""
    return OAuthError("invalid_grant", 400, description)


#: §5.11 (observed, oauth-jsclient#77): the refresh-token flavour of invalid_grant.
BAD_REFRESH_TOKEN = "Incorrect or invalid refresh token"
