"""Mutant, bug class *off-by-one at the 1000-row page boundary*: the customer list is paged,
but the next ``STARTPOSITION`` is computed as ``start + MAXRESULTS + 1`` (mixing up QBO's
1-based STARTPOSITION with an exclusive end), so row 1001 of every second page is skipped
and that customer is created again. The classic of hand-written paging loops
(simonv3/quickbooks-python#4, python-quickbooks#216); census #13."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync, mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord

PAGE = 1000


class ListingEngine(SyncEngine):
    def customers(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        start = 1
        while True:
            text = f"SELECT * FROM Customer STARTPOSITION {start} MAXRESULTS {PAGE}"
            body = self.client.call("GET", "query", params={"query": text})
            page = body.get("QueryResponse", {}).get("Customer", [])
            rows.extend(page)
            if len(page) < PAGE:
                return rows
            start = start + PAGE + 1  # the bug: should be start + PAGE

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
    name = "mutant-page-boundary-skips-row"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = ListingEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
