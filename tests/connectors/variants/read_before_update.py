"""Correct variant: it reads the entity (GET, for its current SyncToken) before every
update instead of trusting the SyncToken of its last write. When the entity was deleted in
QBO, the 610 comes from the GET, and is surfaced just the same."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class ReadingEngine(SyncEngine):
    def _update(self, record: SyncRecord, entity: str, body: dict[str, Any]) -> None:
        record.sync_token = None  # the reference then reads the current one (GET)
        super()._update(record, entity, body)


class ReadBeforeUpdate(FieldServiceSync):
    name = "read-before-update"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = ReadingEngine(self.store, self.client)


def make_integration() -> ReadBeforeUpdate:
    return ReadBeforeUpdate()
