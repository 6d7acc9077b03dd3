"""Mutant, bug class *query values escaped SQL-style*: the look-up before create doubles
apostrophes (``O''Brien''s``) as in SQL, but QBO escapes with a backslash (``\\'``), so the
query is a QueryParserError (4000) and the record fails. Shipped in hand-rolled query
builders next to quickbooks-ruby#471 and node-quickbooks PR#74 (both fixed with a
backslash); qbo-reference §4.4; census #8."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync, mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"  # the bug: SQL, not QBO, quoting


class UnescapedEngine(SyncEngine):
    def _find_existing(self, record: SyncRecord, body: dict[str, Any]) -> dict[str, Any] | None:
        if record.kind == "payment":
            return self._find_payment(record, body)
        field, value = mapping.identity(record)
        rows = self.client.query(mapping.ENTITY[record.kind], f"{field} = {literal(value)}")
        return next((row for row in rows if self._is_ours(record.kind, row, body)), None)


class Mutant(FieldServiceSync):
    name = "mutant-sql-style-escaping"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = UnescapedEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
