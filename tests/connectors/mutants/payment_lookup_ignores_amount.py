"""Mutant, bug class *a payment look-up that ignores the amount*: before creating a payment
it looks among the invoice's payments for one with the same reference number (CASH, a
reused check number) and links to it whatever its amount, so a second partial payment is
never posted. The article's §3 pre-existing payments; holmbergledger (Jobber) deposits that
cannot reconcile; census #33."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class ReferenceOnlyEngine(SyncEngine):
    def _find_payment(self, record: SyncRecord, body: dict[str, Any]) -> dict[str, Any] | None:
        number = body.get("PaymentRefNum")
        if not number:
            return None
        invoice = self.client.read("Invoice", body["Line"][0]["LinkedTxn"][0]["TxnId"])
        for link in invoice.get("LinkedTxn") or []:
            if link.get("TxnType") == "Payment":
                payment = self.client.read("Payment", str(link["TxnId"]))
                if payment.get("PaymentRefNum") == number:  # the bug: any amount
                    return payment
        return None


class Mutant(FieldServiceSync):
    name = "mutant-payment-lookup-ignores-amount"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = ReferenceOnlyEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
