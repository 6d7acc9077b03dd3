"""Mutant, bug class *lookup that never pages (first 100 rows)*: existing customers are found
by loading the customer list (``SELECT * FROM Customer``) and matching names locally, but
the query is sent once, and QBO answers 100 rows unless asked for more. A customer past row
100 is not found, created again, and refused (6240). Shipped as python-quickbooks#1
(".all() only returns 100 rows"), DotNET-SDK#215; census #13."""

from __future__ import annotations

from typing import Any

from tests.connectors.mutants._listing import ListingEngine, ListingMutant

LIST_QUERY = "SELECT * FROM Customer"


class Engine(ListingEngine):
    def customers(self) -> list[dict[str, Any]]:
        body = self.client.call("GET", "query", params={"query": LIST_QUERY})
        return body.get("QueryResponse", {}).get("Customer", [])


class Mutant(ListingMutant):
    name = "mutant-list-first-page"
    engine_class = Engine


def make_integration() -> Mutant:
    return Mutant()
