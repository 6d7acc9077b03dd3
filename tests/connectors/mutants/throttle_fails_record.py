"""Mutant, bug class *a transient 429 treated as a definitive failure*: the first
ThrottleExceeded fails the record for good (an operator must retry it), although waiting is
all it needs. Shipped by integrations that map every 4xx to "failed" (help.jobsiteon.com
throttling errors, pipedream#13721 after Intuit's 2024 limits); qbo-reference §5.9;
census #3."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault, Transient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


class FailingClient(QboClient):
    throttle_retries = 0

    def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return super().call(method, path, **kwargs)
        except Transient as exc:
            if exc.code == "429":
                raise QboFault("3001", "ThrottleExceeded") from exc  # the bug
            raise


class Mutant(FieldServiceSync):
    name = "mutant-throttle-fails-record"

    def connect(self, connection: Any) -> None:
        self.client = FailingClient(connection)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
