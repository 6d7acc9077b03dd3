"""What the paging mutants share (not a mutant itself): a connector that finds existing
customers by listing them (``customers()``) and matching names locally, as many integrations
do. Each paging mutant supplies only its own, subtly wrong, ``customers()``."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync, mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class ListingEngine(SyncEngine):
    def customers(self) -> list[dict[str, Any]]:
        raise NotImplementedError  # each mutant lists the customers its own (wrong) way

    def _find_existing(self, record: SyncRecord, body: dict[str, Any]) -> dict[str, Any] | None:
        if record.kind not in ("customer", "property"):
            return super()._find_existing(record, body)
        wanted = mapping.identity(record)[1].lower()
        for row in self.customers():
            if str(row.get("DisplayName", "")).strip().lower() == wanted:
                if self._is_ours(record.kind, row, body):
                    return row
        return None


class ListingMutant(FieldServiceSync):
    """The reference connector with a :class:`ListingEngine` subclass as its engine."""

    engine_class: type[ListingEngine] = ListingEngine

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = self.engine_class(self.store, self.client)
