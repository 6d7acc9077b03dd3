"""``requestid`` idempotency (reference §5.5, §8).

A request carrying ``?requestid=<id>`` that succeeded is remembered per company for
``requestid_retention_hours`` of simulated time (fidelity setting, 24 by default). A later
request of that company with the same id is not executed: it gets the original response byte
for byte (status, body, content type; only ``intuit_tid`` is new). Choices where QBO is
unconfirmed (§7.4, §8, assumed):

- faults are not remembered, so a retry after fixing the request executes;
- the same id with a different body (or path) still returns the original response;
- two requests with the same id in flight at the same time both execute (no locking);
- at most :data:`MAX_PER_COMPANY` ids are remembered per company, the oldest forgotten first.

The hook's stage is ``idempotency``, after ``throttle`` and ``injection``
(:data:`qbo_sim.interfaces.STAGES`). A replay is therefore throttled like any request and can
meet injected faults, but is answered before the view runs; and because ``after`` hooks run in
reverse, an ambiguous-failure injection replaces the response only after this hook stored the
real success under the requestid.

Python API (``sim.idempotency``): ``remembered(realm)``, ``forget(realm=None)``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Response

from qbo_sim import fidelity
from qbo_sim.interfaces import ApiCall, SimulatorLike, Stage

RETENTION_SETTING = "requestid_retention_hours"
#: Expired ids of a company are swept every this many stored ids.
PRUNE_EVERY = 256
#: At most this many ids are remembered per company, the oldest forgotten first (assumed: a
#: frozen clock never expires any, and each keeps a whole response).
MAX_PER_COMPANY = 10_000


@dataclass(frozen=True)
class Remembered:
    status: int
    content_type: str
    body: bytes
    stored_at: datetime
    method: str
    path: str


class RequestIdMemory:
    """``sim.idempotency``: the gateway hook of stage ``idempotency``."""

    stage: Stage = "idempotency"

    def __init__(self, sim: SimulatorLike) -> None:
        self.sim = sim
        self._lock = threading.Lock()
        self._by_realm: dict[str, dict[str, Remembered]] = {}

    def idle(self, call: ApiCall) -> bool:
        """The call carries no ``requestid`` (or names no company): nothing to replay or keep."""
        return _key(call) is None

    def before(self, call: ApiCall) -> Response | None:
        key = _key(call)
        if key is None:
            return None
        found = self._lookup(*key)
        if found is None:
            return None
        call.extras["requestid_replay"] = True
        return Response(found.body, status=found.status, content_type=found.content_type)

    def after(self, call: ApiCall, response: Response) -> Response:
        key = _key(call)
        if key is None or call.extras.get("requestid_replay"):
            return response
        realm, requestid = key
        if not 200 <= response.status_code < 300 or response.direct_passthrough:
            return response
        from qbo_sim.injection import DROP_HEADER

        if DROP_HEADER in response.headers:
            return response
        entry = Remembered(
            status=response.status_code,
            content_type=response.content_type or "",
            body=response.get_data(),
            stored_at=self.sim.clock.now(),
            method=call.method,
            path=call.path,
        )
        with self._lock:
            entries = self._by_realm.setdefault(realm, {})
            entries.pop(requestid, None)  # re-stored: now the newest
            entries[requestid] = entry
            if len(entries) % PRUNE_EVERY == 0:
                self._prune(realm, entries)
            while len(entries) > MAX_PER_COMPANY:
                del entries[next(iter(entries))]
        return response

    def remembered(self, realm: str) -> list[dict[str, Any]]:
        """The ids a company remembers now (serialisable, for the control plane)."""
        with self._lock:
            rows = dict(self._by_realm.get(realm, {}))
        now = self.sim.clock.now()
        retention = self._retention(realm)
        return [
            {
                "requestid": rid,
                "method": e.method,
                "path": e.path,
                "status": e.status,
                "stored_at": e.stored_at.isoformat(),
            }
            for rid, e in rows.items()
            if now < e.stored_at + retention
        ]

    def forget(self, realm: str | None = None) -> None:
        with self._lock:
            if realm is None:
                self._by_realm.clear()
            else:
                self._by_realm.pop(realm, None)

    def _lookup(self, realm: str, requestid: str) -> Remembered | None:
        with self._lock:
            entries = self._by_realm.get(realm, {})
            found = entries.get(requestid)
            if found is None:
                return None
            if self.sim.clock.now() >= found.stored_at + self._retention(realm):
                del entries[requestid]
                return None
            return found

    def _prune(self, realm: str, entries: dict[str, Remembered]) -> None:
        """Drop expired ids (memory stays bounded by the retention window)."""
        oldest = self.sim.clock.now() - self._retention(realm)
        for rid in [rid for rid, e in entries.items() if e.stored_at <= oldest]:
            del entries[rid]

    def _retention(self, realm: str) -> timedelta:
        company = self.sim.store.get(realm)
        hours = fidelity.get(company.fidelity if company else {}, RETENTION_SETTING)
        return timedelta(hours=float(hours))


def _key(call: ApiCall) -> tuple[str, str] | None:
    """(realm, requestid) of a call to an existing company that carries a requestid."""
    if not call.requestid or call.company is None or call.realm_id is None:
        return None
    return call.realm_id, call.requestid


def install(sim: SimulatorLike) -> RequestIdMemory:
    """A new ``sim.idempotency``, added to the gateway's hooks (its stage: ``idempotency``)."""
    memory = RequestIdMemory(sim)
    sim.hooks.add(memory)
    return memory
