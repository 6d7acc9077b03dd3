"""Mutant, bug class *error code lost*: a QBO fault is surfaced as a generic "sync failed"
without QBO's code or Detail, so the operator cannot tell a duplicate name (6240) from an
inactive item (610). Shipped as python-quickbooks#208 (6210 printed as error_code 5010),
Teachworks and ServiceTitan "BadRequest" help pages; census #20, #27."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class VagueEngine(SyncEngine):
    def _push(self, record: SyncRecord) -> None:
        try:
            super()._push(record)
        except QboFault as fault:
            raise QboFault("ERROR", "QuickBooks rejected the record") from fault  # the bug


class Mutant(FieldServiceSync):
    name = "mutant-error-code-lost"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = VagueEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
