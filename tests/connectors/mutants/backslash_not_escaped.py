"""Mutant, bug class *backslash not escaped in queries*: the look-up escapes apostrophes
(``\\'``) but not the backslash itself, so a name containing a backslash is looked up as
another name, not found, created again and refused (6240). node-quickbooks PR#74 escaped
only the apostrophe; qbo-reference §4.4 (backslash and apostrophe); census #8, #14."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync, mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


def literal(value: str) -> str:
    return "'" + value.replace("'", "\\'") + "'"  # the bug: \\ left as is


class UnescapedEngine(SyncEngine):
    def _find_existing(self, record: SyncRecord, body: dict[str, Any]) -> dict[str, Any] | None:
        if record.kind == "payment":
            return self._find_payment(record, body)
        field, value = mapping.identity(record)
        rows = self.client.query(mapping.ENTITY[record.kind], f"{field} = {literal(value)}")
        return next((row for row in rows if self._is_ours(record.kind, row, body)), None)


class Mutant(FieldServiceSync):
    name = "mutant-backslash-not-escaped"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = UnescapedEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
