"""Correct variant: every update is sparse (items, vendors, classes and bills too, not only
customers and invoices), sending only the fields that changed since its last write. QBO
documents sparse update for these entities as well (qbo-reference §5.3); the scenarios judge
what QBO holds afterwards, not the kind of update."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


class SparseEngine(SyncEngine):
    sparse_update = ("Customer", "Invoice", "Item", "Vendor", "Class", "Bill")


class SparseAlways(FieldServiceSync):
    name = "sparse-always"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = SparseEngine(self.store, self.client)


def make_integration() -> SparseAlways:
    return SparseAlways()
