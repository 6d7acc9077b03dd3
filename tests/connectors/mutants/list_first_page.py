"""Mutant, bug class *lookup that never pages (first 100 rows)*: existing customers are found
by loading the customer list (``SELECT * FROM Customer``) and matching names locally, but
the query is sent once, and QBO answers 100 rows unless asked for more. A customer past row
100 is not found, created again, and refused (6240). Shipped as python-quickbooks#1
(".all() only returns 100 rows"), DotNET-SDK#215; census #13."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync, mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord

LIST_QUERY = "SELECT * FROM Customer"


class ListingEngine(SyncEngine):
    def customers(self) -> list[dict[str, Any]]:
        body = self.client.call("GET", "query", params={"query": LIST_QUERY})
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
    name = "mutant-list-first-page"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = ListingEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
