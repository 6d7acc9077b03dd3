"""Mutant, bug class *a Fault inside the upload's HTTP 200 answer is read as success (the file
is lost silently)*: QBO answers ``POST /upload`` with 200 and puts a refusal (6000 the entity
to link does not exist, 6041 a file type it does not take) in the ``AttachableResponse``
item. A client that checks only the HTTP status reports the file attached. python-quickbooks
does not look at the item (its ``save()`` fails later with ``KeyError: 'Attachable'``,
docs/research/attachable.md §8); "Failed to load PDF" after an upload reported as success
(QuickBooks-V3-PHP-SDK#312, python-quickbooks#60); census #7."""

from __future__ import annotations

import json
from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.paperwork import Paperwork, file_bytes
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class StatusOnlyUploads(Paperwork):
    def upload(self, record: SyncRecord, invoice_id: str) -> dict[str, Any]:
        metadata = self.metadata(record, invoice_id)
        files = {
            "file_metadata_01": (None, json.dumps(metadata), "application/json"),
            "file_content_01": (
                metadata["FileName"],
                file_bytes(record.data),
                metadata["ContentType"],
            ),
        }
        body = self.client.call("POST", "upload", files=files, retry_unanswered=False)
        item = (body.get("AttachableResponse") or [{}])[0]
        found: dict[str, Any] = item.get("Attachable") or {"Id": "", "SyncToken": "0"}
        return found  # the bug: HTTP 200 means "uploaded", whatever the item says


class Mutant(FieldServiceSync):
    name = "mutant-upload-fault-item-ignored"

    def connect(self, connection: Any) -> None:
        super().connect(connection)
        assert self.engine is not None
        self.engine.paperwork = StatusOnlyUploads(self.store, self.engine.client)


def make_integration() -> Mutant:
    return Mutant()
