"""Mutant, bug class *lookup that never pages past 1000 rows*: the customer list is loaded
with ``MAXRESULTS 1000`` (QBO's maximum) in one query, on the belief that one big page is
all. Row 1001 and later are never seen, so those customers are created again (6240).
Shipped as quickbooks-ruby#263 (paging past 1000), node-quickbooks#89, DotNET-SDK#350;
census #13."""

from __future__ import annotations

from typing import Any

from tests.connectors.mutants._listing import ListingEngine, ListingMutant


class Engine(ListingEngine):
    def customers(self) -> list[dict[str, Any]]:
        text = "SELECT * FROM Customer STARTPOSITION 1 MAXRESULTS 1000"
        body = self.client.call("GET", "query", params={"query": text})
        return body.get("QueryResponse", {}).get("Customer", [])


class Mutant(ListingMutant):
    name = "mutant-list-one-page-of-1000"
    engine_class = Engine


def make_integration() -> Mutant:
    return Mutant()
