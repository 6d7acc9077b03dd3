"""Mutant, bug class *an over-long name truncated silently*: names and numbers longer than
QBO allows are cut to the limit before sending, so a different item name (or, worse, a
different invoice number) is synced without telling anyone. Shipped as consolibyte#79
(CompanyName Max:50, DocNumber Max:21), quickbooks-ruby PR#436; the article's §8; census
#30."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync, mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class CuttingEngine(SyncEngine):
    def _push(self, record: SyncRecord) -> None:
        own = record.data
        cut = dict(own)
        if record.kind in mapping.NAME_LIMIT and cut.get("name"):
            cut["name"] = str(cut["name"]).strip()[: mapping.NAME_LIMIT[record.kind][1]]
        for field in ("number", "vendor_document_number"):
            if cut.get(field):
                cut[field] = str(cut[field]).strip()[: mapping.DOC_NUMBER_MAX]
        record.data = cut  # the bug: cut to fit, nobody told
        try:
            super()._push(record)
        finally:
            record.data = own


class Mutant(FieldServiceSync):
    name = "mutant-name-truncated"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = CuttingEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
