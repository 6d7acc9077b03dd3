"""Mutant, bug class *query values not escaped*: the look-up before create puts the name into
the query as ``'...'`` without escaping, so a name with an apostrophe (O'Brien's) is a
QueryParserError (4000) and the record fails. Shipped as quickbooks-ruby#471 ("Aido's LLC"),
node-quickbooks#56 and PR#74, python-quickbooks#47; census #8 and #14."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync, mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


def literal(value: str) -> str:
    return f"'{value}'"  # the bug: no escaping at all


class UnescapedEngine(SyncEngine):
    def _find_existing(self, record: SyncRecord, body: dict[str, Any]) -> dict[str, Any] | None:
        if record.kind == "payment":
            return self._find_payment(record, body)
        field, value = mapping.identity(record)
        rows = self.client.query(mapping.ENTITY[record.kind], f"{field} = {literal(value)}")
        return next((row for row in rows if self._is_ours(record.kind, row, body)), None)


class Mutant(FieldServiceSync):
    name = "mutant-query-not-escaped"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = UnescapedEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
