"""Mutant, bug class *a payment posted for the invoice total instead of its own amount*: the
payment's amount is taken from the invoice it pays, so a partial payment (an instalment,
a deposit) pays the invoice in full in QBO or is refused as an over-application. The
article's §7 payment issues; help.jobsiteon.com "Total mismatch"; qbo-reference §5.12;
census #33."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class TotalEngine(SyncEngine):
    def _push(self, record: SyncRecord) -> None:
        if record.kind != "payment" or record.deleted:
            super()._push(record)
            return
        invoice = self.store.require("invoice", record.data["invoice"]).data
        total = sum(float(line["amount"]) for line in invoice.get("lines") or [])
        own = record.data
        record.data = dict(own, amount=total)  # the bug: the invoice's total, not ours
        try:
            super()._push(record)
        finally:
            record.data = own


class Mutant(FieldServiceSync):
    name = "mutant-payment-for-invoice-total"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = TotalEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
