"""Mutant, bug class *closed-period refusal worked around silently*: when QBO refuses an
invoice dated in a closed period (6210), the connector re-dates it to today and sends it
again, so the books show a different date than the job and nobody decided it. Reported
around python-quickbooks#208 and docs.workato.com ("Account period closed, cannot update
through API"), quickbooks-ruby PR#630; census #27."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class RedatingEngine(SyncEngine):
    def _push(self, record: SyncRecord) -> None:
        try:
            super()._push(record)
        except QboFault as fault:
            if fault.code != "6210":
                raise
            record.requestid = None
            record.data = dict(record.data, date=self.client.conn.now().date().isoformat())
            super()._push(record)  # the bug: re-dated without asking


class Mutant(FieldServiceSync):
    name = "mutant-closed-period-redated"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = RedatingEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
