"""Mutant, bug class *an invoice total QBO computed differently is not compared*: the
connector sends the lines and the tax code and takes QBO's answer as synced whatever its
TotalAmt, so the field app's own tax (another rate, per-line rounding) goes unnoticed and the
customer's payment of the field app's total leaves a balance open in QBO. Issue 17 ("totals
differ and payments fail to apply or leave open balances"); docs/research/sales-tax.md §2.2,
§2.4 (integrators reporting QBO recomputing their tax)."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class TrustingEngine(SyncEngine):
    @staticmethod
    def _check_total(record: SyncRecord, written: dict[str, Any]) -> None:
        return None  # the bug: QBO's total is never compared with the field app's


class Mutant(FieldServiceSync):
    name = "mutant-total-mismatch-ignored"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = TrustingEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
