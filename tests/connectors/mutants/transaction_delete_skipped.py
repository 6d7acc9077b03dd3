"""Mutant, bug class *voids and deletes of transactions never reach QBO*: deleted names are
made inactive, but a deleted (or voided) invoice or payment is only marked done locally,
so QBO keeps billing the invoice and counting the payment. The article's §6 deleted
receipts; help.jobsiteon.com "Record not found ... deleted in the target system";
qbo-reference §5.4; census #11."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync, mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class ListsOnlyEngine(SyncEngine):
    def _push_delete(self, record: SyncRecord, entity: str) -> None:
        if record.kind in mapping.TRANSACTIONS:
            return  # the bug: "synced", and QBO still holds it
        super()._push_delete(record, entity)


class Mutant(FieldServiceSync):
    name = "mutant-transaction-delete-skipped"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = ListsOnlyEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
