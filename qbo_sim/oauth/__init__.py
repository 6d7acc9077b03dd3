"""Intuit's OAuth 2.0 / OpenID Connect server (reference §5.11) and API authentication.

``install(sim)`` sets ``sim.oauth`` (:class:`OAuthServer`, with the default client
``qbo-sim-client`` / ``qbo-sim-secret`` registered) and ``sim.auth``
(:class:`qbo_sim.auth.OAuthAuthenticator`, which also accepts the development token while
``sim.oauth.allow_dev_token`` is True).
"""

from __future__ import annotations

from qbo_sim.interfaces import SimulatorLike
from qbo_sim.oauth.records import OAuthError
from qbo_sim.oauth.server import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_SCOPES,
    DEV_TOKEN_CLIENT_ID,
    OAuthServer,
)

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_SECRET",
    "DEFAULT_SCOPES",
    "DEV_TOKEN_CLIENT_ID",
    "OAuthError",
    "OAuthServer",
    "install",
]


def install(sim: SimulatorLike) -> OAuthServer:
    """A new ``sim.oauth``; ``sim.auth`` becomes its token authenticator."""
    from qbo_sim.auth import OAuthAuthenticator

    server = OAuthServer(sim)
    sim.auth = OAuthAuthenticator(server)
    return server
