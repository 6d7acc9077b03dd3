"""Mutant, bug class *vendor document number duplicates linked as ours*: a receipt is looked
up by the vendor's bill number alone, so an older bill of the same vendor with the same
number (a different purchase) is taken for it and the new expense never reaches QBO. The
article's §4 (vendor document number errors); support.smoothx.com duplicate-document-error;
census #5."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


class NumberEngine(SyncEngine):
    @staticmethod
    def _is_ours(kind: str, row: dict[str, Any], body: dict[str, Any]) -> bool:
        if kind == "receipt":  # the bug: the amount is not compared
            return (row.get("VendorRef") or {}).get("value") == body["VendorRef"]["value"]
        return SyncEngine._is_ours(kind, row, body)


class Mutant(FieldServiceSync):
    name = "mutant-receipt-linked-by-docnumber"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = NumberEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
