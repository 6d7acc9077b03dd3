"""``sim.webhooks``: subscriptions, the per-endpoint queue and delivery on the simulated clock.

Events queue per subscription. :meth:`Webhooks.deliver` sends what is due, never sleeping:

- a subscription with nothing in flight sends one notification per realm holding every pending
  event of that realm (QBO batches, §5.10), oldest realm first;
- a notification is acknowledged by HTTP 200 within 3 s (a callback: 200 or truthy, and the
  simulated clock moved at most 3 s while it ran); otherwise it is retried 10 s, 20 s, 30 s,
  5 min, 20 min, 2 h, 4 h, 6 h, then every 6 h after the previous attempt (the schedule is
  official; counting each delay from the previous attempt is assumed). ``deliver()`` only
  sends a retry whose time has come: move ``sim.clock`` to make it due;
- while a notification waits for its retry, later events for that endpoint are held (§5.10
  "later events may be held until the first is acknowledged").
"""

from __future__ import annotations

import itertools
import random
import threading
from collections import deque
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from qbo_sim.interfaces import ApiCall, SimulatorLike, Stage
from qbo_sim.store import Change, Company
from qbo_sim.webhooks import payloads
from qbo_sim.webhooks.events import SUPPORTED_ENTITIES, Event, events_from_changes
from qbo_sim.webhooks.records import Attempt, Callback, Delivery, Notification, Subscription

if TYPE_CHECKING:
    from flask import Response

#: Seconds between attempts after a failure: the §5.10 schedule; the last repeats forever.
RETRY_DELAYS: tuple[int, ...] = (10, 20, 30, 300, 1200, 7200, 14400, 21600)
#: An endpoint must answer 200 within this many seconds (§5.10).
ACK_SECONDS = 3.0
#: Events and notifications kept for ``events()`` / ``history()`` (bounded, like the journal).
KEEP = 10_000


class Webhooks:
    """``sim.webhooks``: subscribe endpoints, queue events, deliver them on the clock."""

    def __init__(self, sim: SimulatorLike) -> None:
        self.sim = sim
        #: deliver right after each committed request (API) or QBO-user edit; off by default.
        self.auto_deliver = False
        self._lock = threading.RLock()
        self._send_lock = threading.Lock()
        self._subscriptions: dict[str, Subscription] = {}
        self._sub_ids = itertools.count(1)
        self._note_ids = itertools.count(1)
        self._rng = random.Random(f"webhooks:{getattr(sim, 'seed', 0)}")
        self._events: deque[Event] = deque(maxlen=KEEP)
        self._history: deque[Notification] = deque(maxlen=KEEP)
        self._drop = 0
        self._reverse = 0
        self._duplicate = 0

    # --- subscriptions -----------------------------------------------------------------
    def subscribe(
        self,
        url: str | None = None,
        callback: Callback | None = None,
        *,
        verifier_token: str,
        entities: Iterable[str] | None = None,
        format: str = payloads.LEGACY,
        realms: Iterable[str] | None = None,
        app_id: str = "qbo-sim-app",
    ) -> Subscription:
        """Add an endpoint: a ``url`` (POSTed with ``requests``) or a ``callback(headers,
        body)``; ``entities``/``realms`` None = all; ``format`` legacy or cloudevents."""
        if (url is None) == (callback is None):
            raise ValueError("give exactly one of url= and callback=")
        if not isinstance(verifier_token, str) or not verifier_token:
            raise ValueError("verifier_token must be a non-empty string")
        if format not in payloads.FORMATS:
            raise ValueError(f"format must be one of {', '.join(payloads.FORMATS)}")
        names = None if entities is None else frozenset(entities)
        unknown = sorted((names or frozenset()) - set(SUPPORTED_ENTITIES))
        if unknown:
            raise ValueError(
                f"no webhook events for {', '.join(unknown)}; "
                f"supported: {', '.join(SUPPORTED_ENTITIES)}"
            )
        with self._lock:
            sub = Subscription(
                id=f"s{next(self._sub_ids)}",
                verifier_token=verifier_token,
                url=url,
                callback=callback,
                entities=names,
                format=format,
                realms=None if realms is None else frozenset(str(r) for r in realms),
                app_id=app_id,
            )
            self._subscriptions[sub.id] = sub
            return sub

    def unsubscribe(self, subscription: Subscription | str) -> None:
        sub_id = subscription.id if isinstance(subscription, Subscription) else subscription
        with self._lock:
            if sub_id not in self._subscriptions:
                raise KeyError(f"no webhook subscription {sub_id!r}")
            del self._subscriptions[sub_id]

    def subscriptions(self) -> list[Subscription]:
        with self._lock:
            return list(self._subscriptions.values())

    # --- events ------------------------------------------------------------------------
    def on_commit(self, company: Company, changes: list[Change]) -> None:
        """Store commit listener: queue the events of a committed unit of work."""
        events = events_from_changes(company, changes, self.sim.clock.now())
        if not events:
            return
        with self._lock:
            self._events.extend(events)
            for sub in self._subscriptions.values():
                sub.queue.extend(e for e in events if sub.wants(e))
        if self.auto_deliver and not _in_api_request():
            self.deliver()  # QBO-user edits; API requests deliver from the gateway hook

    def events(self, realm: str | None = None) -> list[Event]:
        """Every event produced (newest 10,000), optionally of one realm."""
        with self._lock:
            return [e for e in self._events if realm is None or e.realm_id == realm]

    # --- fault injection ---------------------------------------------------------------
    def drop_next(self, n: int = 1) -> None:
        """Lose the next ``n`` notifications: never sent, never retried (why integrations
        reconcile with CDC)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        with self._lock:
            self._drop += n

    def reverse_next(self, n: int = 1) -> None:
        """List the events of the next ``n`` notifications newest first (events can arrive
        out of order, §5.10)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        with self._lock:
            self._reverse += n

    def duplicate_next(self, n: int = 1) -> None:
        """Send each of the next ``n`` acknowledged notifications once more, right after, with
        the same body and signature (a re-delivery of an event already acknowledged:
        endpoints must be idempotent)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        with self._lock:
            self._duplicate += n

    # --- delivery ----------------------------------------------------------------------
    def deliver(self) -> list[Delivery]:
        """Send every due notification now; returns what was sent and the answers."""
        if not self._send_lock.acquire(blocking=False):
            return []  # a delivery is running (a callback wrote): its loop picks events up
        try:
            sent: list[Delivery] = []
            for sub in self.subscriptions():
                sent.extend(self._deliver_to(sub))
            return sent
        finally:
            self._send_lock.release()

    def next_due(self) -> datetime | None:
        """When the earliest waiting retry becomes due (None: nothing waits)."""
        with self._lock:
            times = [
                s.in_flight.next_attempt_at
                for s in self._subscriptions.values()
                if s.in_flight and s.in_flight.next_attempt_at
            ]
        return min(times) if times else None

    def outbox(self) -> list[dict[str, Any]]:
        """What is waiting: notifications awaiting a retry and queued events (per realm)."""
        rows: list[dict[str, Any]] = []
        with self._lock:
            for sub in self._subscriptions.values():
                if sub.in_flight is not None:
                    rows.append({**sub.in_flight.to_dict(), "state": "retrying"})
                for realm, events in _by_realm(sub.queue):
                    rows.append(
                        {
                            "state": "held" if sub.in_flight else "queued",
                            "subscription": sub.id,
                            "realm": realm,
                            "events": [e.to_dict() for e in events],
                        }
                    )
        return rows

    def history(self) -> list[Notification]:
        """Every notification made (newest 10,000), in order, whatever became of it."""
        with self._lock:
            return list(self._history)

    def clear(self) -> None:
        """Forget queued events, waiting retries, history and fault injection."""
        with self._lock:
            for sub in self._subscriptions.values():
                sub.queue.clear()
                sub.in_flight = None
            self._events.clear()
            self._history.clear()
            self._drop = self._reverse = self._duplicate = 0

    def _deliver_to(self, sub: Subscription) -> list[Delivery]:
        sent: list[Delivery] = []
        while True:
            with self._lock:
                if sub.id not in self._subscriptions:
                    return sent
                note = sub.in_flight
                if note is not None:
                    due = note.next_attempt_at
                    if due is not None and self.sim.clock.now() < due:
                        return sent  # the retry is not due; later events stay held
                elif sub.queue:
                    note = self._next_notification(sub)
                    if note.state == "dropped":
                        sent.append(Delivery(note, None))
                        continue
                else:
                    return sent
            attempt = self._post(sub, note)
            with self._lock:
                note.attempts.append(attempt)
                if attempt.acknowledged:
                    note.state = "acknowledged"
                    note.next_attempt_at = None
                    sub.in_flight = None
                else:
                    delay = RETRY_DELAYS[min(len(note.attempts), len(RETRY_DELAYS)) - 1]
                    note.next_attempt_at = attempt.at + timedelta(seconds=delay)
                    sub.in_flight = note
            sent.append(Delivery(note, attempt))
            if not attempt.acknowledged:
                return sent
            with self._lock:
                again = self._duplicate > 0
                if again:
                    self._duplicate -= 1
            if again:  # the same notification once more; its answer changes nothing
                repeat = self._post(sub, note)
                with self._lock:
                    note.attempts.append(repeat)
                sent.append(Delivery(note, repeat))

    def _next_notification(self, sub: Subscription) -> Notification:
        """Take every queued event of the oldest queued realm into one notification."""
        realm = sub.queue[0].realm_id
        events = [e for e in sub.queue if e.realm_id == realm]
        sub.queue[:] = [e for e in sub.queue if e.realm_id != realm]
        if self._reverse:
            self._reverse -= 1
            events.reverse()
        if sub.format == payloads.CLOUDEVENTS:
            doc: Any = payloads.cloudevents_body(events, payloads.source_of(sub.app_id), self._rng)
        else:
            doc = payloads.legacy_body(realm, events)
        body = payloads.dumps(doc)
        now = self.sim.clock.now()
        tid = str(_uuid(self._rng))
        note = Notification(
            id=f"n{next(self._note_ids)}",
            subscription_id=sub.id,
            realm_id=realm,
            events=events,
            body=body,
            headers=payloads.headers(body, sub.verifier_token, now, tid),
            created_at=now,
        )
        if self._drop:
            self._drop -= 1
            note.state = "dropped"
        self._history.append(note)
        return note

    def _post(self, sub: Subscription, note: Notification) -> Attempt:
        clock = self.sim.clock
        started = clock.now()
        if sub.callback is not None:
            try:
                answer = sub.callback(dict(note.headers), note.body)
            except Exception as failure:  # the endpoint failed: retried like a 500
                return Attempt(started, None, False, f"{type(failure).__name__}: {failure}")
            status = _status_of(answer)
            slow = (clock.now() - started).total_seconds() > ACK_SECONDS
            late = f"no answer within {ACK_SECONDS:g} s (simulated)" if slow else None
            return Attempt(started, status, status == 200 and not slow, late, _text_of(answer))
        return _post_url(sub.url or "", note, started)


def _post_url(url: str, note: Notification, started: datetime) -> Attempt:
    import requests

    try:
        response = requests.post(url, data=note.body, headers=note.headers, timeout=ACK_SECONDS)
    except requests.RequestException as error:
        return Attempt(started, None, False, f"{type(error).__name__}: {error}")
    return Attempt(
        started, response.status_code, response.status_code == 200, None, response.text[:2000]
    )


def _status_of(answer: Any) -> int:
    """A callback's answer as an HTTP status: an int is one; an object with ``status_code``
    (a response) gives it; otherwise truthy → 200, falsy → 500."""
    if isinstance(answer, bool):
        return 200 if answer else 500
    if isinstance(answer, int):
        return answer
    status = getattr(answer, "status_code", None)
    if isinstance(status, int):
        return status
    return 200 if answer else 500


def _text_of(answer: Any) -> str | None:
    return None if answer is None or isinstance(answer, bool | int) else str(answer)[:2000]


def _by_realm(events: list[Event]) -> list[tuple[str, list[Event]]]:
    groups: dict[str, list[Event]] = {}
    for event in events:
        groups.setdefault(event.realm_id, []).append(event)
    return list(groups.items())


def _uuid(rng: random.Random) -> Any:
    import uuid

    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _in_api_request() -> bool:
    """True inside a ``/v3/`` request (its gateway hook delivers once the request is done)."""
    from flask import g, has_request_context

    return has_request_context() and g.get("api_call") is not None


class AutoDeliverHook:
    """The gateway hook of stage ``webhooks``: with ``auto_deliver`` on, deliver after each API
    request."""

    stage: Stage = "webhooks"

    def __init__(self, webhooks: Webhooks) -> None:
        self.webhooks = webhooks

    def idle(self, call: ApiCall) -> bool:
        """``auto_deliver`` is off: nothing to deliver after the call."""
        return not self.webhooks.auto_deliver

    def before(self, call: ApiCall) -> None:
        return None

    def after(self, call: ApiCall, response: Response) -> Response:
        if self.webhooks.auto_deliver:
            self.webhooks.deliver()
        return response
