"""API authentication: which bearer tokens the gateway accepts, and the faults for the rest.

:class:`OAuthAuthenticator` (installed by :mod:`qbo_sim.oauth` as ``sim.auth``) checks access
tokens issued by ``sim.oauth`` (reference §1.3, §1.5, §5.11):

- no ``Bearer`` header, or a token shorter than 8 / longer than 4096 characters → 401 3200 with
  Detail ``Malformed bearer token: too short or too long`` (observed; the bounds are assumed);
- expired → 401 3200, Detail ``Token expired: <first 20 characters>...`` (the reference has
  "Token expired"-style text; the exact suffix is assumed);
- revoked, or never issued → 401 3200 with ``detail`` null (observed null detail; assumed here);
- a token of another realm → 401 code 100 ``General Authentication Error`` (standard envelope);
- no ``com.intuit.quickbooks.accounting`` scope → 403 3100 insufficient scope.

:data:`DEV_TOKEN` is a development convenience of qbo-sim (not of QBO): valid for every realm,
never expiring, while ``sim.oauth.allow_dev_token`` is True. :class:`DevTokenAuth` is the
stand-alone authenticator that accepts only it.
"""

from __future__ import annotations

from typing import Any, Protocol

from qbo_sim.faults import QBOFault
from qbo_sim.interfaces import ApiCall

DEV_TOKEN = "qbo-sim-dev-token"
#: The scope every Accounting API call needs (§5.11); without it → 403 3100 insufficient scope.
ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"
MALFORMED = "Malformed bearer token: too short or too long"
#: How many characters of an expired token the 3200 Detail quotes (assumed).
EXPIRED_PREFIX_CHARS = 20


class DevTokenAuth:
    """Accepts ``Authorization: Bearer <dev token>`` for every realm."""

    def __init__(self, token: str = DEV_TOKEN) -> None:
        self.token = token

    def authenticate(self, call: ApiCall, header: str | None) -> Any:
        bearer = bearer_token(header)
        if bearer != self.token:
            raise QBOFault("token_invalid", raw_detail="Token expired")
        return bearer


class TokenRecord(Protocol):
    """What the authenticator reads of an access token (``qbo_sim.oauth.records.AccessToken``)."""

    @property
    def revoked(self) -> bool: ...

    @property
    def realm_id(self) -> str | None: ...

    @property
    def scopes(self) -> tuple[str, ...]: ...


class TokenServer(Protocol):
    """What the authenticator asks of the token issuer (``qbo_sim.oauth.OAuthServer``)."""

    def access_token(self, token: str) -> Any: ...

    def is_expired(self, record: Any) -> bool: ...


class OAuthAuthenticator:
    """``sim.auth``: validates access tokens of ``sim.oauth`` for the gateway."""

    def __init__(self, server: TokenServer) -> None:
        self.server = server

    def authenticate(self, call: ApiCall, header: str | None) -> Any:
        token = bearer_token(header)
        record: TokenRecord | None = self.server.access_token(token)
        if record is None or record.revoked:
            raise QBOFault("token_invalid")
        if self.server.is_expired(record):
            raise QBOFault("token_invalid", raw_detail=expired_detail(token))
        if record.realm_id is not None and record.realm_id != call.realm_id:
            raise QBOFault("auth_general")
        if ACCOUNTING_SCOPE not in record.scopes:
            raise QBOFault("insufficient_scope")
        return record


def expired_detail(token: str) -> str:
    return f"Token expired: {token[:EXPIRED_PREFIX_CHARS]}..."


def app_id(token: Any) -> str:
    """The app (OAuth client id) behind a call's token; the dev token is its own app."""
    client_id = getattr(token, "client_id", None)
    return str(client_id) if client_id else "qbo-sim-dev-token"


def bearer_token(header: str | None) -> str:
    """The token of an ``Authorization: Bearer`` header, or the 401 3200 fault (§1.3)."""
    if not header or not header.lower().startswith("bearer "):
        raise QBOFault("token_invalid")
    token = header[7:].strip()
    if len(token) < 8 or len(token) > 4096:
        raise QBOFault("token_invalid", raw_detail=MALFORMED)
    return token
