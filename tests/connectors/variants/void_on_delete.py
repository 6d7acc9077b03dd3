"""Correct variant: an invoice or payment deleted in the field-service system is *voided* in
QBO (kept for the audit trail, amount zero) instead of deleted; receipts (bills, which QBO
cannot void) are still deleted. Both are accepted ways to take a transaction out of the
books (qbo-reference §5.4)."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class VoidingEngine(SyncEngine):
    def _push_delete(self, record: SyncRecord, entity: str) -> None:
        if record.kind not in ("invoice", "payment") or record.qbo_id is None:
            super()._push_delete(record, entity)
            return
        try:
            current = self.client.read(entity, record.qbo_id)
        except QboFault as fault:
            if fault.code == "610":  # already deleted in QBO
                record.qbo_id = record.sync_token = None
                return
            raise
        body = {"Id": record.qbo_id, "SyncToken": current["SyncToken"], "sparse": True}
        params = {"requestid": record.new_requestid()}
        if entity == "Invoice":
            params["operation"] = "void"
        else:  # a payment is voided by an update with include=void
            params.update(operation="update", include="void")
        self.client.call("POST", entity.lower(), params=params, body=body)
        record.qbo_id = record.sync_token = None


class VoidOnDelete(FieldServiceSync):
    name = "void-on-delete"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = VoidingEngine(self.store, self.client)


def make_integration() -> VoidOnDelete:
    return VoidOnDelete()
