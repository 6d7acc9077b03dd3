"""Mutant, bug class *a batch whose partial failure is read as all-success*: creates go
through ``POST /batch``, which answers HTTP 200 even when one item failed; the item's
``Fault`` in its BatchItemResponse is not looked at, so the refused record is marked synced
(with no QBO id). qbo-reference §5.7 (per-item Fault); python-quickbooks batch_create
results read without ``.faults``; census #4."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class BatchClient(QboClient):
    def write(
        self, entity: str, body: dict[str, Any], requestid: str, operation: str | None = None
    ) -> dict[str, Any]:
        if operation or "Id" in body:
            return super().write(entity, body, requestid, operation)
        batch = {"BatchItemRequest": [{"bId": "1", "operation": "create", entity: body}]}
        answer = self.call("POST", "batch", params={"requestid": requestid}, body=batch)
        item = (answer.get("BatchItemResponse") or [{}])[0]
        return item.get(entity) or {}  # the bug: item["Fault"] is never looked at


class BatchEngine(SyncEngine):
    def _remember(
        self, record: SyncRecord, written: dict[str, Any], sent: dict[str, Any] | None = None
    ) -> None:
        if "Id" not in written:  # "the batch succeeded"
            record.requestid = None
            return
        super()._remember(record, written, sent)


class Mutant(FieldServiceSync):
    name = "mutant-batch-partial-as-success"

    def connect(self, connection: Any) -> None:
        self.client = BatchClient(connection)
        self.engine = BatchEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
