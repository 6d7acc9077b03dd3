"""Correct variant: instead of one look-up query per record, it loads the whole customer list
once per pass, page by page (``STARTPOSITION``/``MAXRESULTS 1000`` until a short page), and
matches names locally (case-insensitive, as QBO does). The paging scenarios judge that
nothing is missed, not how the customers are found."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync, mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class ListCachingEngine(SyncEngine):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._customers: dict[str, list[dict[str, Any]]] | None = None

    def run_pass(self) -> None:
        self._customers = None  # QBO users may have added customers since the last pass
        super().run_pass()

    def customers(self) -> dict[str, list[dict[str, Any]]]:
        if self._customers is None:
            by_name: dict[str, list[dict[str, Any]]] = {}
            for row in self.client.query("Customer"):  # the reference client pages
                by_name.setdefault(str(row.get("DisplayName", "")).strip().lower(), []).append(row)
            self._customers = by_name
        return self._customers

    def _find_existing(self, record: SyncRecord, body: dict[str, Any]) -> dict[str, Any] | None:
        if record.kind not in ("customer", "property"):
            return super()._find_existing(record, body)
        rows = self.customers().get(mapping.identity(record)[1].lower(), [])
        return next((row for row in rows if self._is_ours(record.kind, row, body)), None)

    def _remember(
        self, record: SyncRecord, written: dict[str, Any], sent: dict[str, Any] | None = None
    ) -> None:
        super()._remember(record, written, sent)
        if record.kind in ("customer", "property"):
            self._customers = None  # a customer was written: the list changed


class PagedListCache(FieldServiceSync):
    name = "paged-list-cache"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = ListCachingEngine(self.store, self.client)


def make_integration() -> PagedListCache:
    return PagedListCache()
