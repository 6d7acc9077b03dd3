"""Mutant, bug class *error swallowed (record marked synced on a fault)*: any QBO fault is
logged and the record marked synced, so the operator never learns that QBO refused it.
Shipped as zao-web/zao-woocommerce-quickbooks-online-integration#12, mcohen01/node-quickbooks
#171 (an error "accepted as a successful response"); the naive connector of this repo."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class SwallowingEngine(SyncEngine):
    def _push(self, record: SyncRecord) -> None:
        try:
            super()._push(record)
        except QboFault:
            pass  # the bug: sync_record then marks it synced


class Mutant(FieldServiceSync):
    name = "mutant-error-swallowed"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = SwallowingEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
