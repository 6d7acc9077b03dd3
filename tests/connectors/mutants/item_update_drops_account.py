"""Mutant, bug class *GL account mismatch not fixed by the mapping*: an item update sends its
name and price but not its income/expense account, so after the operator maps the item to
the account QuickBooks uses, QBO's item still posts to the old (inactive) account and
every invoice fails with 610. The article's §5 expense GL account mismatches; census #19."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord

ACCOUNT_FIELDS = ("IncomeAccountRef", "ExpenseAccountRef")


class NameOnlyEngine(SyncEngine):
    def _update(self, record: SyncRecord, entity: str, body: dict[str, Any]) -> None:
        if entity == "Item":  # the bug: accounts are only set on create
            body = {k: v for k, v in body.items() if k not in ACCOUNT_FIELDS}
        super()._update(record, entity, body)


class Mutant(FieldServiceSync):
    name = "mutant-item-update-drops-account"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = NameOnlyEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
