"""``Connection``: everything an integration needs to reach the simulated QBO company.

Its own module, below both :mod:`qbo_sim.harness.integration` (the in-process protocol, which
re-exports it) and :mod:`qbo_sim.harness.jsonlines` (the subprocess protocol).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Connection:
    """Everything an integration needs to reach the simulated QBO company."""

    #: QBO API host base, e.g. ``https://sandbox-quickbooks.api.intuit.com`` (no ``/v3``).
    api_base_url: str
    realm_id: str
    access_token: str
    refresh_token: str | None = None
    #: when ``access_token`` expires, on the simulated clock (timezone-aware; issue time +
    #: ``expires_in``, 3600 s). From then on QBO answers 401 (3200). An integration may
    #: refresh before it (Intuit recommends a few minutes ahead) or on the first 401.
    #: None when unknown (the dev token never expires).
    access_token_expires_at: datetime | None = None
    #: when ``refresh_token`` expires (``x_refresh_token_expires_in``, about 101 days).
    refresh_token_expires_at: datetime | None = None
    client_id: str | None = None
    client_secret: str | None = None
    oauth_token_url: str = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
    oauth_authorize_url: str = "https://appcenter.intuit.com/connect/oauth2"
    #: webhook verifier token: ``intuit-signature`` of each notification is signed with it
    #: (``qbo_sim.webhooks.verify_signature``); None when the simulator has no webhooks.
    webhook_verifier: str | None = None
    #: the simulated clock: ``now()`` is timezone-aware; ``sleep()`` advances a frozen clock.
    now: Callable[[], datetime] = field(default=lambda: datetime.now(), repr=False)
    sleep: Callable[[float], None] = field(default=lambda seconds: None, repr=False)
    #: a ``requests.Session`` routed to the simulator; integrations should send through it.
    http: Any = field(default=None, repr=False)
    #: the scenario's other QBO companies (``given.companies``), alias → their Connection: one
    #: integration connected to several realms; a record change's ``company`` names its own.
    #: Empty for a one-company scenario (and not sent to a subprocess integration).
    companies: dict[str, Connection] = field(default_factory=dict, repr=False)

    def company_url(self, path: str = "") -> str:
        """``{api_base_url}/v3/company/{realm_id}/{path}``."""
        return f"{self.api_base_url}/v3/company/{self.realm_id}/{path.lstrip('/')}"

    def to_json(self) -> dict[str, Any]:
        """The connection as sent to a subprocess integration (no callables, no session;
        times as ISO 8601 text, parsed back by ``serve_jsonl``)."""
        return {
            "api_base_url": self.api_base_url,
            "realm_id": self.realm_id,
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "access_token_expires_at": _iso(self.access_token_expires_at),
            "refresh_token_expires_at": _iso(self.refresh_token_expires_at),
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "oauth_token_url": self.oauth_token_url,
            "oauth_authorize_url": self.oauth_authorize_url,
            "webhook_verifier": self.webhook_verifier,
            "now": self.now().isoformat(),
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
