"""Mutant, bug class *an update silently reverts a QBO user's edit (moved invoice moved
back)*: an invoice update re-reads the SyncToken and always sends the customer from the
field-service record, so an invoice the bookkeeper moved to another customer in QBO is
moved back without anyone deciding. The article's §1 ("If the invoice was moved in
QuickBooks"), margince#5743 (the next sync "puts them back"); census #31."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class OverwritingEngine(SyncEngine):
    def _update(self, record: SyncRecord, entity: str, body: dict[str, Any]) -> None:
        if entity == "Invoice":
            record.sync_token = None  # read the current SyncToken: no 5010, no look at the move
            record.extra.pop("sent", None)  # the bug: every field, CustomerRef included
        super()._update(record, entity, body)


class Mutant(FieldServiceSync):
    name = "mutant-moved-invoice-moved-back"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = OverwritingEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
