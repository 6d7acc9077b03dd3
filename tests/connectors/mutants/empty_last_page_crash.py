"""Mutant, bug class *off-by-one at exactly 1000 rows*: the customer list is paged while a
page is full, and every answer is read as ``body["QueryResponse"]["Customer"]``. With
exactly 1000 (or 2000...) customers the next page is an empty ``QueryResponse: {}`` with no
``Customer`` key, and the sync crashes (KeyError). Reported as simonv3/quickbooks-python#4
("QB just returns an empty QueryObject when there's no further results ... This breaks
queries that have exactly 500 results"); census #13."""

from __future__ import annotations

from typing import Any

from tests.connectors.mutants._listing import ListingEngine, ListingMutant

PAGE = 1000


class Engine(ListingEngine):
    def customers(self) -> list[dict[str, Any]]:
        text = f"SELECT * FROM Customer STARTPOSITION 1 MAXRESULTS {PAGE}"
        body = self.client.call("GET", "query", params={"query": text})
        page = body.get("QueryResponse", {}).get("Customer", [])
        rows = list(page)
        while len(page) == PAGE:  # a full page: there may be more
            text = f"SELECT * FROM Customer STARTPOSITION {len(rows) + 1} MAXRESULTS {PAGE}"
            body = self.client.call("GET", "query", params={"query": text})
            page = body["QueryResponse"]["Customer"]  # the bug: absent on an empty page
            rows.extend(page)
        return rows


class Mutant(ListingMutant):
    name = "mutant-empty-last-page-crash"
    engine_class = Engine


def make_integration() -> Mutant:
    return Mutant()
