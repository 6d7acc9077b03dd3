"""Throttling on the simulated clock (reference §5.9, §2.3 3001, §8).

Limits (official, DOC-LIMITS), all configurable:

- ``per_realm_minute`` 500 requests per minute per realm (every app, batch included);
- ``per_app_second`` 10 requests per second per realm + app;
- ``concurrent`` 10 requests in flight per realm + app;
- ``batch_app_minute`` 40 and ``batch_realm_minute`` 120 batch requests
  (``/v3/company/<realm>/batch``) per minute per realm + app and per realm.

An app is the OAuth client id of the call's token; the development token is an app of its own.
Over a limit the answer is HTTP 429 with the XML ``ThrottleExceeded`` fault and no
``Retry-After`` header (observed / §8).

Choices (assumed, QBO does not document them): windows are *sliding* (a request counts for
exactly 1 s / 60 s of simulated time after it was accepted); a throttled request does not count
towards any window. A request is *in flight* while it is being served, and also, when requests
take simulated time (``Simulator.request_seconds``, 0.25 s in ``qbo-sim serve`` and scenarios),
for that long after it began on the simulated clock: a loopback server answers in milliseconds
with at most a few worker threads, so counting real concurrency alone would never reach QBO's 10
where the same load against QBO would (11 clients calling at once). Company overrides live in
``company.extras["throttle"]`` (a dict of the limit names above plus ``enabled``) so they travel
with the company.

Python API (``sim.throttle``): ``enabled``, ``limits``, ``configure(realm=None, **limits)``,
``set_enabled(flag, realm=None)``, ``settings()``, ``state(realm)``, ``reset()``.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any

from flask import Response

from qbo_sim.auth import app_id
from qbo_sim.faults import QBOFault
from qbo_sim.interfaces import ApiCall, SimulatorLike, Stage
from qbo_sim.web import fault_to_response

EXTRAS_KEY = "throttle"
_SECOND = timedelta(seconds=1)
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class ThrottleLimits:
    """The limits of §5.9; ``None`` switches one limit off."""

    per_realm_minute: int | None = 500
    per_app_second: int | None = 10
    concurrent: int | None = 10
    batch_app_minute: int | None = 40
    batch_realm_minute: int | None = 120

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


class SlidingWindow:
    """Timestamps of accepted requests within the last ``span``."""

    def __init__(self, span: timedelta) -> None:
        self.span = span
        self.times: deque[datetime] = deque()

    def count(self, now: datetime) -> int:
        while self.times and self.times[0] <= now - self.span:
            self.times.popleft()
        return len(self.times)

    def add(self, now: datetime) -> None:
        self.times.append(now)


class Throttle:
    """``sim.throttle``: the gateway hook of stage ``throttle`` (the order of the hooks is
    :data:`qbo_sim.interfaces.STAGES`)."""

    stage: Stage = "throttle"

    def __init__(self, sim: SimulatorLike) -> None:
        self.sim = sim
        self.enabled = True
        self.limits = ThrottleLimits()
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, ...], SlidingWindow] = {}
        self._in_flight: dict[tuple[str, str], int] = defaultdict(int)
        #: simulated end times of the requests of each (realm, app) that began lately.
        self._busy_until: dict[tuple[str, str], deque[datetime]] = defaultdict(deque)

    # --- configuration ----------------------------------------------------------------
    def configure(self, realm: str | None = None, **limits: int | None) -> ThrottleLimits:
        """Change limits for every company (``realm`` None) or one company."""
        unknown = set(limits) - set(ThrottleLimits.names())
        if unknown:
            raise KeyError(f"unknown throttle limit(s): {sorted(unknown)}")
        if realm is None:
            self.limits = replace(self.limits, **limits)
            return self.limits
        overrides = self._overrides(realm)
        overrides.update(limits)
        return self.limits_for(realm)

    def set_enabled(self, enabled: bool, realm: str | None = None) -> None:
        if realm is None:
            self.enabled = enabled
        else:
            self._overrides(realm)["enabled"] = enabled

    def limits_for(self, realm: str) -> ThrottleLimits:
        company = self.sim.store.get(realm)
        overrides = dict(company.extras.get(EXTRAS_KEY, {})) if company else {}
        overrides.pop("enabled", None)
        return replace(self.limits, **overrides)

    def enabled_for(self, realm: str) -> bool:
        company = self.sim.store.get(realm)
        override = company.extras.get(EXTRAS_KEY, {}).get("enabled") if company else None
        return self.enabled if override is None else bool(override)

    def settings(self) -> dict[str, Any]:
        """Global limits and per-company overrides (serialisable, for the control plane)."""
        companies = {}
        for realm in self.sim.store.realm_ids():
            company = self.sim.store.get(realm)
            if company is not None and company.extras.get(EXTRAS_KEY):
                companies[realm] = dict(company.extras[EXTRAS_KEY])
        return {"enabled": self.enabled, "limits": asdict(self.limits), "companies": companies}

    def reset(self) -> None:
        """Forget every window and in-flight count (not the configuration)."""
        with self._lock:
            self._windows.clear()
            self._in_flight.clear()
            self._busy_until.clear()

    def state(self, realm: str) -> dict[str, Any]:
        """Current counts for a realm (serialisable, for the control plane)."""
        now = self.sim.clock.now()
        with self._lock:
            windows = {
                "/".join(key[1:]): w.count(now)
                for key, w in self._windows.items()
                if key[0] == realm
            }
            in_flight = {app: n for (r, app), n in self._in_flight.items() if r == realm and n}
        return {
            "enabled": self.enabled_for(realm),
            "limits": asdict(self.limits_for(realm)),
            "windows": windows,
            "in_flight": in_flight,
        }

    # --- gateway hook -------------------------------------------------------------------
    def idle(self, call: ApiCall) -> bool:
        """Nothing to count: throttling is off for the call's company (or it names none)."""
        return call.realm_id is None or not self.enabled_for(call.realm_id)

    def before(self, call: ApiCall) -> Response | None:
        realm = call.realm_id
        if realm is None or not self.enabled_for(realm):
            return None
        limits = self.limits_for(realm)
        app = app_id(call.token)
        is_batch = call.path.rstrip("/") == f"/v3/company/{realm}/batch"
        now = self.sim.clock.now()
        checks: list[tuple[tuple[str, ...], timedelta, int | None]] = [
            ((realm, "app", app, "second"), _SECOND, limits.per_app_second),
            ((realm, "realm", "minute"), _MINUTE, limits.per_realm_minute),
        ]
        if is_batch:
            checks += [
                ((realm, "batch", "app", app, "minute"), _MINUTE, limits.batch_app_minute),
                ((realm, "batch", "realm", "minute"), _MINUTE, limits.batch_realm_minute),
            ]
        service = timedelta(seconds=self.sim.request_seconds or 0)
        with self._lock:
            in_flight = self._in_flight[(realm, app)]
            busy = self._busy_until[(realm, app)]
            while busy and busy[0] <= now:
                busy.popleft()
            if limits.concurrent is not None and max(in_flight, len(busy)) >= limits.concurrent:
                return throttled()
            # a limit switched off keeps no window (its timestamps would pile up forever)
            windows = [
                (self._window(key, span), limit) for key, span, limit in checks if limit is not None
            ]
            if any(w.count(now) >= limit for w, limit in windows):
                return throttled()
            for window, _ in windows:
                window.add(now)
            self._in_flight[(realm, app)] = in_flight + 1
            if service:
                _insert_sorted(busy, now + service)
        call.extras["throttle_in_flight"] = (realm, app)
        return None

    def after(self, call: ApiCall, response: Response) -> Response:
        key = call.extras.pop("throttle_in_flight", None)
        if key is not None:
            with self._lock:
                self._in_flight[key] = max(0, self._in_flight[key] - 1)
        return response

    # --- internals ------------------------------------------------------------------------
    def _window(self, key: tuple[str, ...], span: timedelta) -> SlidingWindow:
        window = self._windows.get(key)
        if window is None:
            window = self._windows[key] = SlidingWindow(span)
        return window

    def _overrides(self, realm: str) -> dict[str, Any]:
        company = self.sim.company(realm)
        overrides: dict[str, Any] = company.extras.setdefault(EXTRAS_KEY, {})
        return overrides


def _insert_sorted(times: deque[datetime], value: datetime) -> None:
    """Keep ``times`` ascending (a late request usually ends last: appended in O(1))."""
    if not times or times[-1] <= value:
        times.append(value)
        return
    index = len(times)
    while index and times[index - 1] > value:
        index -= 1
    times.insert(index, value)


def throttled() -> Response:
    """HTTP 429, XML ThrottleExceeded (§2.3 3001), no Retry-After."""
    return fault_to_response(QBOFault("throttled"))


def install(sim: SimulatorLike) -> Throttle:
    """A new ``sim.throttle``, added to the gateway's hooks (its stage: ``throttle``)."""
    throttle = Throttle(sim)
    sim.hooks.add(throttle)
    return throttle
