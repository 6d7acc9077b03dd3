"""Mutant, bug class *an inactive tax code worked around by dropping the tax*: QBO refuses
the invoice because its tax code was made inactive (2500), and the connector sends it again
without the code, so QBO holds an untaxed invoice nobody asked for and the bookkeeper never
learns the code is needed. Issue 17 ("a tax code made inactive in QBO");
docs/research/sales-tax.md §4 (inactive codes "may not be used on financial transactions")."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class UntaxedEngine(SyncEngine):
    def _push(self, record: SyncRecord) -> None:
        try:
            super()._push(record)
        except QboFault as fault:
            if fault.code != "2500" or record.kind != "invoice" or "tax_code" not in record.data:
                raise
            own = record.data
            record.data = {k: v for k, v in own.items() if k not in ("tax_code", "total")}
            try:
                super()._push(record)  # the bug: the invoice goes through without its tax
            finally:
                record.data = own


class Mutant(FieldServiceSync):
    name = "mutant-inactive-tax-code-dropped"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = UntaxedEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
