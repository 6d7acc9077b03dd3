"""What ``sim.webhooks`` keeps: subscriptions, notifications, their delivery attempts."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from qbo_sim.webhooks import payloads
from qbo_sim.webhooks.events import Event

Callback = Callable[[dict[str, str], bytes], Any]


@dataclass
class Subscription:
    """One app's webhook endpoint (what QBO's developer portal configures)."""

    id: str
    verifier_token: str
    url: str | None = None
    callback: Callback | None = field(default=None, repr=False)
    entities: frozenset[str] | None = None
    format: str = payloads.LEGACY
    realms: frozenset[str] | None = None
    app_id: str = "qbo-sim-app"
    queue: list[Event] = field(default_factory=list, repr=False)
    in_flight: Notification | None = field(default=None, repr=False)

    def wants(self, event: Event) -> bool:
        return (self.entities is None or event.name in self.entities) and (
            self.realms is None or event.realm_id in self.realms
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "callback": self.callback is not None,
            "entities": sorted(self.entities) if self.entities is not None else None,
            "format": self.format,
            "realms": sorted(self.realms) if self.realms is not None else None,
            "app_id": self.app_id,
            "queued_events": len(self.queue),
            "in_flight": self.in_flight.id if self.in_flight else None,
        }


@dataclass
class Attempt:
    """One POST of a notification and the endpoint's answer."""

    at: datetime
    status: int | None
    acknowledged: bool
    error: str | None = None
    answer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "status": self.status,
            "acknowledged": self.acknowledged,
            "error": self.error,
            "answer": self.answer,
        }


@dataclass
class Notification:
    """One POST body for one realm, with its signed headers and delivery record."""

    id: str
    subscription_id: str
    realm_id: str
    events: list[Event]
    body: bytes
    headers: dict[str, str]
    created_at: datetime
    #: ``pending`` (waiting for a retry), ``acknowledged`` or ``dropped`` (fault injection).
    state: str = "pending"
    attempts: list[Attempt] = field(default_factory=list)
    next_attempt_at: datetime | None = None

    def payload(self) -> Any:
        """The body, parsed."""
        return json.loads(self.body)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subscription": self.subscription_id,
            "realm": self.realm_id,
            "state": self.state,
            "events": [e.to_dict() for e in self.events],
            "body": self.body.decode("utf-8"),
            "headers": dict(self.headers),
            "created_at": self.created_at.isoformat(),
            "attempts": [a.to_dict() for a in self.attempts],
            "next_attempt_at": self.next_attempt_at.isoformat() if self.next_attempt_at else None,
        }


@dataclass
class Delivery:
    """What one ``deliver()`` sent: the notification and the attempt it made."""

    notification: Notification
    attempt: Attempt | None  # None: the notification was dropped (never reached the endpoint)

    @property
    def acknowledged(self) -> bool:
        return self.attempt is not None and self.attempt.acknowledged

    def to_dict(self) -> dict[str, Any]:
        return {
            "notification": self.notification.id,
            "subscription": self.notification.subscription_id,
            "realm": self.notification.realm_id,
            "state": self.notification.state,
            "attempt": self.attempt.to_dict() if self.attempt else None,
        }
