"""Mutant, bug class *a realm mix-up (ids cached across companies)*: customer ids found by
name are cached in a module-level dict keyed by name only, to save look-ups. A second
company (or the next scenario in the same process) gets the first company's ids. Shipped by
multi-tenant connectors that key caches without the realm id (node-quickbooks#48 realm
missing; census #20, and the harness's isolation notes in docs/harness.md)."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync, mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord

#: the bug: shared by every instance, every company, keyed by name only.
CUSTOMER_IDS: dict[str, dict[str, Any]] = {}


class CachingEngine(SyncEngine):
    def _find_existing(self, record: SyncRecord, body: dict[str, Any]) -> dict[str, Any] | None:
        if record.kind != "customer":
            return super()._find_existing(record, body)
        name = mapping.identity(record)[1].lower()
        if name not in CUSTOMER_IDS:
            found = super()._find_existing(record, body)
            if found is None:
                return None
            CUSTOMER_IDS[name] = found
        return CUSTOMER_IDS[name]

    def _remember(
        self, record: SyncRecord, written: dict[str, Any], sent: dict[str, Any] | None = None
    ) -> None:
        super()._remember(record, written, sent)
        if record.kind == "customer" and not record.deleted:
            CUSTOMER_IDS[mapping.identity(record)[1].lower()] = written


class Mutant(FieldServiceSync):
    name = "mutant-realm-cache-module-level"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = CachingEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
