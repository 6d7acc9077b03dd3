"""Mutant, bug class *currency mismatch hidden (currency dropped and resent)*: QBO's 6000 "You
can only use one foreign currency per transaction." on a payment is "fixed" by resending it
without its CurrencyRef, so QBO books the dollars collected as euros of the customer's currency
(QBO uses the customer's currency when none is sent: quickbooks-online-mcp-server#75) and the
operator never learns the payment was in the wrong currency. Integrators strip the currency
this way to make the error go away (Expensify/App#53932, the failures of docs/research/
currency-and-ledger.md A4.21)."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync, mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class CurrencyBlindEngine(SyncEngine):
    def _push(self, record: SyncRecord) -> None:
        try:
            super()._push(record)
        except QboFault as fault:
            if record.kind != "payment" or "one foreign currency" not in fault.describe():
                raise
            body = mapping.build_body(record, self._ref, self._account, self._invoice_data)
            body.pop("CurrencyRef", None)  # the bug: the mismatch hidden, not surfaced
            created = self.client.write("Payment", body, record.new_requestid())
            self._remember(record, created, body)


class Mutant(FieldServiceSync):
    name = "mutant-payment-currency-dropped"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = CurrencyBlindEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
