"""Webhooks (reference §5.10): QBO tells an app which entities changed.

``sim.webhooks`` (:class:`~qbo_sim.webhooks.hub.Webhooks`) queues an event for every committed
write of a supported entity and delivers signed notifications, legacy or CloudEvents, to
subscribed endpoints on the simulated clock, retrying on QBO's schedule. Integrators check the
``intuit-signature`` header with :func:`verify_signature`. See ``docs/webhooks.md``.
"""

from __future__ import annotations

from qbo_sim.interfaces import SimulatorLike
from qbo_sim.webhooks.events import SUPPORTED_ENTITIES, Event, webhook_time
from qbo_sim.webhooks.hub import ACK_SECONDS, RETRY_DELAYS, AutoDeliverHook, Webhooks
from qbo_sim.webhooks.payloads import sign, verify_signature
from qbo_sim.webhooks.records import Attempt, Delivery, Notification, Subscription

__all__ = [
    "ACK_SECONDS",
    "RETRY_DELAYS",
    "SUPPORTED_ENTITIES",
    "Attempt",
    "Delivery",
    "Event",
    "Notification",
    "Subscription",
    "Webhooks",
    "install",
    "sign",
    "verify_signature",
    "webhook_time",
]


def install(sim: SimulatorLike) -> Webhooks:
    """A new ``sim.webhooks``: a store commit listener, and an auto-delivery gateway hook
    (its stage: ``webhooks``)."""
    hub = Webhooks(sim)
    sim.store.commit_listeners.append(hub.on_commit)
    sim.hooks.add(AutoDeliverHook(hub))
    return hub
