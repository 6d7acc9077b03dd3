"""Mutant, bug class *off-by-one at the 1000-row page boundary*: the customer list is paged,
but the next ``STARTPOSITION`` is computed as ``start + MAXRESULTS + 1`` (mixing up QBO's
1-based STARTPOSITION with an exclusive end), so row 1001 of every second page is skipped
and that customer is created again. The classic of hand-written paging loops
(simonv3/quickbooks-python#4, python-quickbooks#216); census #13."""

from __future__ import annotations

from typing import Any

from tests.connectors.mutants._listing import ListingEngine, ListingMutant

PAGE = 1000


class Engine(ListingEngine):
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


class Mutant(ListingMutant):
    name = "mutant-page-boundary-skips-row"
    engine_class = Engine


def make_integration() -> Mutant:
    return Mutant()
