"""Mutant, bug class *an invoice linked by DocNumber alone*: the look-up before create takes
any QBO invoice with the same number as ours, even another customer's, so the record reports
that invoice as synced (and later updates overwrite it). Shipped in help-centre 6140 advice
("Invoice number is being used on another invoice", cashflow360 4405171188749) and
Procore→QBO duplicate-number handling (support.smoothx.com); census #5."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


class NumberEngine(SyncEngine):
    @staticmethod
    def _is_ours(kind: str, row: dict[str, Any], body: dict[str, Any]) -> bool:
        if kind == "invoice":
            return True  # the bug: the customer is not compared
        return SyncEngine._is_ours(kind, row, body)


class Mutant(FieldServiceSync):
    name = "mutant-invoice-linked-by-docnumber"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = NumberEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
