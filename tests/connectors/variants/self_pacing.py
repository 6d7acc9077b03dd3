"""Correct variant: it paces its own requests under QBO's 10 per second, so it is never
throttled (and still finishes, creating nothing twice)."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine

#: seconds between two requests: a little over 1/10 s (QBO allows 10 requests per second).
PACE_SECONDS = 0.11


class PacedClient(QboClient):
    def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        self.conn.sleep(PACE_SECONDS)  # the simulated clock
        return super().call(method, path, **kwargs)


class SelfPacing(FieldServiceSync):
    name = "self-pacing"

    def connect(self, connection: Any) -> None:
        self.client = PacedClient(connection)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> SelfPacing:
    return SelfPacing()
