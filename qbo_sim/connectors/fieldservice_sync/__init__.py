"""A reference field-service → QuickBooks Online connector (see ``examples/README.md``).

``make_integration()`` returns an object implementing qbo-sim's integration protocol
(``connect``, ``apply``, ``sync``, ``status``, ``operate``, ``close``)::

    qbo-sim scenarios run --library -i qbo_sim.connectors.fieldservice_sync:make_integration
    qbo-sim scenarios run --library -i "cmd:python3 -m qbo_sim.connectors.fieldservice_sync"

Modules: :mod:`.store` (records and sync state), :mod:`.client` (HTTP, OAuth refresh, backoff,
faults), :mod:`.mapping` (bodies and QBO limits), :mod:`.engine` (one sync pass),
:mod:`.operator` (bypass, reset_ref, retry, post_payment, edit).
"""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.operator import operate
from qbo_sim.connectors.fieldservice_sync.store import RecordStore

__all__ = ["FieldServiceSync", "make_integration"]


class FieldServiceSync:
    """The integration object the harness drives."""

    name = "fieldservice-sync"

    def __init__(self) -> None:
        self.store = RecordStore()
        self.client: QboClient | None = None
        self.engine: SyncEngine | None = None

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = SyncEngine(self.store, self.client)

    def apply(self, change: dict[str, Any]) -> None:
        kind, key = change["kind"], str(change["key"])
        if change.get("action", "upsert") == "delete":
            self.store.delete(kind, key)
        else:
            self.store.upsert(kind, key, change.get("data") or {})

    def sync(self) -> None:
        if self.engine is None:
            raise RuntimeError("sync() before connect()")
        self.engine.run_pass()

    def status(self, kind: str, key: str) -> dict[str, Any]:
        return self.store.require(kind, str(key)).status()

    def operate(self, action: str, kind: str, key: str, **params: Any) -> None:
        operate(self.store.require(kind, str(key)), action, **params)

    def close(self) -> None:
        if self.client is not None and self.client.http is not None:
            self.client.http.close()


def make_integration() -> FieldServiceSync:
    return FieldServiceSync()
