"""Mutant, bug class *an update silently reverts a QBO user's edit (renamed customer renamed
back)*: every update sends all of the record's fields (its last known data), not what
changed, so a phone change in the field-service app writes the old name over the one the
bookkeeper gave the customer in QBO in between. Shipped as node-quickbooks#245 (full update
"now expects all fields"), margince#5743 (sync puts relinked invoices back); qbo-reference
§5.3 sparse update; census #21, #31."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class ResendingEngine(SyncEngine):
    def _changes(self, record: SyncRecord, entity: str, body: dict[str, Any]) -> dict[str, Any]:
        return dict(body)  # the bug: stale fields are sent with the changed ones


class Mutant(FieldServiceSync):
    name = "mutant-resend-all-fields"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = ResendingEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
