"""Correct variant without the article's §6 defect: a record deleted and entered again in
the field-service system is checked against QBO on its next sync. If its old QBO object is
gone (610 on the read), the RefID is dropped and a new one is created (after the usual
look-up); if the old object still exists, it is updated as usual. No operator help needed."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync, mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord

REENTERED = "reentered"


class CheckingEngine(SyncEngine):
    def _push(self, record: SyncRecord) -> None:
        if record.extra.pop(REENTERED, False) and record.qbo_id and not record.deleted:
            try:
                current = self.client.read(mapping.ENTITY[record.kind], record.qbo_id)
            except QboFault as fault:
                if fault.code != "610":
                    raise
                record.qbo_id = record.sync_token = None  # the old object is gone
                record.extra.pop("customer_ref", None)
            else:
                record.sync_token = str(current["SyncToken"])
        super()._push(record)


class RecreateOnReentry(FieldServiceSync):
    name = "recreate-on-reentry"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = CheckingEngine(self.store, self.client)

    def apply(self, change: dict[str, Any]) -> None:
        before = self.store.get(change["kind"], str(change["key"]))
        reentry = before is not None and before.deleted
        super().apply(change)
        if reentry and change.get("action", "upsert") != "delete":
            self.store.require(change["kind"], str(change["key"])).extra[REENTERED] = True


def make_integration() -> RecreateOnReentry:
    return RecreateOnReentry()
