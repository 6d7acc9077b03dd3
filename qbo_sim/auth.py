"""API authentication: which bearer tokens the gateway accepts.

Until the OAuth 2.0 server lands, one fixed development token is valid for every company.
Failures use the gateway faults of reference §1.3 / §1.5 (401 3200, lower-case envelope).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qbo_sim.faults import QBOFault

if TYPE_CHECKING:
    from qbo_sim.api.gateway import ApiCall

DEV_TOKEN = "qbo-sim-dev-token"


class DevTokenAuth:
    """Accepts ``Authorization: Bearer <dev token>`` for every realm."""

    def __init__(self, token: str = DEV_TOKEN) -> None:
        self.token = token

    def authenticate(self, call: ApiCall, header: str | None) -> Any:
        bearer = bearer_token(header)
        if bearer != self.token:
            raise QBOFault("token_invalid", raw_detail="Token expired")
        return bearer


def bearer_token(header: str | None) -> str:
    """The token of an ``Authorization: Bearer`` header, or the 401 3200 fault (§1.3)."""
    if not header or not header.lower().startswith("bearer "):
        raise QBOFault("token_invalid")
    token = header[7:].strip()
    if len(token) < 8 or len(token) > 4096:
        raise QBOFault("token_invalid", raw_detail="Malformed bearer token: too short or too long")
    return token
