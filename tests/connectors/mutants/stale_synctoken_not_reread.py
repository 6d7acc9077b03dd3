"""Mutant, bug class *stale SyncToken (5010) not re-read*: an update that meets 5010 (someone
saved the entity in QBO meanwhile) fails the record instead of re-reading the entity and
retrying once with the current SyncToken. Shipped as python-quickbooks#127 ("Stale Object
Error : You and API API were working on this at the same time"), consolibyte PR#151;
qbo-reference §5.3; census #28."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SENT, SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class OneShotEngine(SyncEngine):
    def _update(self, record: SyncRecord, entity: str, body: dict[str, Any]) -> None:
        assert record.qbo_id is not None
        if record.sync_token is None:
            record.sync_token = str(self.client.read(entity, record.qbo_id)["SyncToken"])
        update = dict(self._changes(record, entity, body), Id=record.qbo_id)
        update["SyncToken"] = record.sync_token
        if entity in self.sparse_update:
            update["sparse"] = True
        written = self.client.write(entity, update, record.new_requestid())  # the bug: 5010
        self._remember(record, written, dict(record.extra.get(SENT) or {}, **body))


class Mutant(FieldServiceSync):
    name = "mutant-stale-synctoken-not-reread"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = OneShotEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
