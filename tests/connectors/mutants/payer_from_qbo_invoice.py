"""Mutant, bug class *a payment credited to whoever QBO's invoice now belongs to*: the payer
is read from the invoice in QBO instead of the field-service customer, so after a
bookkeeper moved the invoice the customer's payment silently credits someone else. The
article's §1 (invoice moved in QuickBooks) and §7 (mismatched customer, 620); census #33."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class FollowingEngine(SyncEngine):
    def _find_existing(self, record: SyncRecord, body: dict[str, Any]) -> dict[str, Any] | None:
        if record.kind == "payment":
            invoice = self.client.read("Invoice", body["Line"][0]["LinkedTxn"][0]["TxnId"])
            body["CustomerRef"] = {"value": invoice["CustomerRef"]["value"]}  # the bug
        return super()._find_existing(record, body)


class Mutant(FieldServiceSync):
    name = "mutant-payer-from-qbo-invoice"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = FollowingEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
