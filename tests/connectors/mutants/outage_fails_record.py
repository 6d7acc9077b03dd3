"""Mutant, bug class *an outage (5xx, no answer) treated as a definitive failure*: once the
in-call retries are spent the record is failed for good instead of left pending for the
next pass, so everything synced during an outage needs an operator. Shipped as the
"Web Connector not running" tickets of the sync article (§10) and minimul/qbo_api#81;
census #16."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault, Transient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


class FailingClient(QboClient):
    def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return super().call(method, path, **kwargs)
        except Transient as exc:
            if exc.code != "429":
                raise QboFault(exc.code, exc.message) from exc  # the bug
            raise


class Mutant(FieldServiceSync):
    name = "mutant-outage-fails-record"

    def connect(self, connection: Any) -> None:
        self.client = FailingClient(connection)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
