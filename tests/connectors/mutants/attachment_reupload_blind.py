"""Mutant, bug class *an attachment is uploaded again on retry without looking (duplicate
file)*: every try of an attachment is a new ``POST /upload``, as python-quickbooks'
``Attachable.save()`` and node-quickbooks' ``upload()`` do; when QBO stored the file but the
answer was lost (a 500 after the write), the retry attaches a second copy. Reported as
"DataService Upload results in invalid attachments uploaded" (QuickBooks-V3-PHP-SDK#334) and
the duplicate-write class of census #23; census #7 (Attachments)."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.paperwork import Paperwork
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class BlindUploads(Paperwork):
    def find_attachment(self, record: SyncRecord, invoice_id: str) -> dict[str, Any] | None:
        return None  # the bug: never looks for the file QBO may already hold


class Mutant(FieldServiceSync):
    name = "mutant-attachment-reupload-blind"

    def connect(self, connection: Any) -> None:
        super().connect(connection)
        assert self.engine is not None
        self.engine.paperwork = BlindUploads(self.store, self.engine.client)


def make_integration() -> Mutant:
    return Mutant()
