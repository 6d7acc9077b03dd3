"""Mutant, bug class *a dependency failure not retried after the dependency syncs*: a record
that failed only because a record it references was not in QBO stays failed after that
record is fixed, until an operator re-saves it. The article's §2 ("Edit, make no changes,
Save") workaround for exactly this; docs/harness.md §1.1 Dependencies."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import PENDING, SyncRecord


class StuckEngine(SyncEngine):
    @staticmethod
    def _due(record: SyncRecord) -> bool:
        if record.kind == "payment" and record.data.get("posted") is False and not record.deleted:
            return False
        return record.state == PENDING  # the bug: a DEPENDENCY failure is never retried


class Mutant(FieldServiceSync):
    name = "mutant-dependency-not-retried"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = StuckEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
