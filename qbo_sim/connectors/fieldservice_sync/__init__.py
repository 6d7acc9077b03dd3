"""A reference field-service → QuickBooks Online connector (see ``examples/README.md``).

``make_integration()`` returns an object implementing qbo-sim's integration protocol
(``connect``, ``apply``, ``sync``, ``status``, ``operate``, ``close``)::

    qbo-sim scenarios run --library -i qbo_sim.connectors.fieldservice_sync:make_integration
    qbo-sim scenarios run --library -i "cmd:python3 -m qbo_sim.connectors.fieldservice_sync"

Modules: :mod:`.store` (records and sync state), :mod:`.client` (HTTP, OAuth refresh, backoff,
faults), :mod:`.mapping` (bodies and QBO limits), :mod:`.engine` (one sync pass),
:mod:`.operator` (bypass, reset_ref, retry, post_payment, edit, send), :mod:`.paperwork`
(attachments on invoices, invoices e-mailed once), :mod:`.inbound` (QBO → field service:
webhooks, CDC reconciliation).
"""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.inbound import Inbound
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
        self.inbound_sync: Inbound | None = None
        self.companies: dict[str, FieldServiceSync] | None = None

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = SyncEngine(self.store, self.client)
        self.inbound_sync = Inbound(self.store, self.client, connection)

    # --- several QBO companies (docs/harness.md §1.5): one instance per other company ----
    def _companies(self) -> dict[str, FieldServiceSync]:
        """alias → an instance of this class connected to that company (made once connected:
        the harness may ask for a status before connect, after a reset)."""
        if self.client is None:
            return {}
        if self.companies is None:
            self.companies = {}
            conn = self.client.conn if self.client is not None else None
            for alias, other in (getattr(conn, "companies", None) or {}).items():
                instance = type(self)()
                instance.connect(other)
                self.companies[alias] = instance
        return self.companies

    def _owner(self, kind: str, key: str) -> FieldServiceSync:
        if self.store.get(kind, str(key)) is None:
            for other in self._companies().values():
                if other.store.get(kind, str(key)) is not None:
                    return other
        return self

    def apply(self, change: dict[str, Any]) -> None:
        alias = change.get("company")
        if alias is not None:
            if alias not in self._companies():
                raise KeyError(f"record for unknown company {alias!r}")
            self._companies()[alias].apply({k: v for k, v in change.items() if k != "company"})
            return
        kind, key = change["kind"], str(change["key"])
        if change.get("action", "upsert") == "delete":
            self.store.delete(kind, key)
        else:
            self.store.upsert(kind, key, change.get("data") or {})

    def _inbound(self) -> Inbound | None:
        if self.inbound_sync is None and self.client is not None:  # a subclass's connect()
            self.inbound_sync = Inbound(self.store, self.client, self.client.conn)
        return self.inbound_sync

    def sync(self) -> None:
        inbound = self._inbound()
        if self.engine is None or inbound is None:
            raise RuntimeError("sync() before connect()")
        inbound.run()  # QBO-side changes first (a merge relinks before we push)
        self.engine.run_pass()
        for other in self._companies().values():
            other.sync()

    def receive_webhook(self, headers: dict[str, str], body: bytes) -> None:
        """A QBO webhook notification: checked, de-duplicated, queued (see :mod:`.inbound`)."""
        inbound = self._inbound()
        if inbound is not None:
            inbound.receive(headers, body)
        for other in self._companies().values():  # each keeps its own company's events
            other.receive_webhook(headers, body)

    def inbound(self, kind: str, key: str) -> dict[str, Any]:
        """What QBO-side changes brought back to this record (docs/harness.md §1.4)."""
        return Inbound.view(self._owner(kind, key).store.require(kind, str(key)))

    def status(self, kind: str, key: str) -> dict[str, Any]:
        return self._owner(kind, key).store.require(kind, str(key)).status()

    def operate(self, action: str, kind: str, key: str, **params: Any) -> None:
        owner = self._owner(kind, key)
        if owner is not self:
            owner.operate(action, kind, key, **params)
            return
        operate(self.store.require(kind, str(key)), action, **params)

    def close(self) -> None:
        for other in (self.companies or {}).values():
            other.close()
        if self.client is not None and self.client.http is not None:
            self.client.http.close()


def make_integration() -> FieldServiceSync:
    return FieldServiceSync()
