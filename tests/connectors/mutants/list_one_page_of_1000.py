"""Mutant, bug class *lookup that never pages past 1000 rows*: the customer list is loaded
with ``MAXRESULTS 1000`` (QBO's maximum) in one query, on the belief that one big page is
all. Row 1001 and later are never seen, so those customers are created again (6240).
Shipped as quickbooks-ruby#263 (paging past 1000), node-quickbooks#89, DotNET-SDK#350;
census #13."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync, mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class ListingEngine(SyncEngine):
    def customers(self) -> list[dict[str, Any]]:
        text = "SELECT * FROM Customer STARTPOSITION 1 MAXRESULTS 1000"
        body = self.client.call("GET", "query", params={"query": text})
        return body.get("QueryResponse", {}).get("Customer", [])

    def _find_existing(self, record: SyncRecord, body: dict[str, Any]) -> dict[str, Any] | None:
        if record.kind not in ("customer", "property"):
            return super()._find_existing(record, body)
        wanted = mapping.identity(record)[1].lower()
        for row in self.customers():
            if str(row.get("DisplayName", "")).strip().lower() == wanted:
                if self._is_ours(record.kind, row, body):
                    return row
        return None


class Mutant(FieldServiceSync):
    name = "mutant-list-one-page-of-1000"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = ListingEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
