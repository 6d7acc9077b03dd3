"""Mutant, bug class *requestid not kept across passes*: retries inside one call reuse the
requestid, but a write left unanswered at the end of a pass (5xx, no answer) forgets it, so
the next pass's retry is a new write: a duplicate whenever QBO had written the first.
The same defect as retrying without the requestid, one level up (DotNET-SDK#352,
python-quickbooks#292); qbo-reference §5.5; census #23."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import PENDING, SyncRecord


class ForgetfulEngine(SyncEngine):
    def sync_record(self, record: SyncRecord) -> None:
        super().sync_record(record)
        if record.state == PENDING:
            record.requestid = None  # the bug: the unanswered write's id is dropped


class Mutant(FieldServiceSync):
    name = "mutant-new-requestid-each-pass"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = ForgetfulEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
