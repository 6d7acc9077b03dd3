"""Correct variant: creates go through ``POST /batch`` (one BatchItemRequest per create,
with the record's requestid on the batch), and each BatchItemResponse is read on its own:
an item's ``Fault`` fails that record with QBO's code, exactly as the entity endpoint's
fault would (qbo-reference §5.7)."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


class BatchClient(QboClient):
    def write(
        self, entity: str, body: dict[str, Any], requestid: str, operation: str | None = None
    ) -> dict[str, Any]:
        if operation or "Id" in body:
            return super().write(entity, body, requestid, operation)
        batch = {"BatchItemRequest": [{"bId": "1", "operation": "create", entity: body}]}
        answer = self.call("POST", "batch", params={"requestid": requestid}, body=batch)
        item = (answer.get("BatchItemResponse") or [{}])[0]
        fault = item.get("Fault")
        if fault:
            error = (fault.get("Error") or [{}])[0]
            raise QboFault(
                str(error.get("code") or "BATCH"),
                str(error.get("Message") or "the batch item failed"),
                str(error.get("Detail") or ""),
                str(error.get("element") or ""),
            )
        if entity not in item:
            raise QboFault("BATCH", f"the batch answered no {entity} and no Fault")
        return dict(item[entity])


class BatchCreates(FieldServiceSync):
    name = "batch-creates"

    def connect(self, connection: Any) -> None:
        self.client = BatchClient(connection)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> BatchCreates:
    return BatchCreates()
