"""Mutant, bug class *an unposted payment synced*: a payment saved but not posted in the
field-service app (``posted: false``) is pushed to QBO at once, before anyone confirmed it.
The article's §7 ("Save & Post Payment"); census #33."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import DEPENDENCY, FAILED, PENDING, SyncRecord


class EagerEngine(SyncEngine):
    @staticmethod
    def _due(record: SyncRecord) -> bool:  # the bug: the posted flag is not looked at
        return record.state == PENDING or (
            record.state == FAILED and record.error_code == DEPENDENCY
        )


class Mutant(FieldServiceSync):
    name = "mutant-unposted-payment-synced"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = EagerEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
