"""Correct variant: an attachment is uploaded *without* metadata and then linked to its
invoice with a full update of the Attachable, as node-quickbooks does (``upload()`` sends only
``file_content_01``, then ``updateAttachable``). Attachable updates are full updates since
QBO's 2025 change (node-quickbooks#245: an update without ``FileName``/``ContentType``
blanks them), so the link sends every writable field. The look-up is by ``FileName``: the
Attachable linked to the invoice, or an unlinked one a lost answer left (adopted and linked),
so a retry never uploads twice; a link QBO refuses (6000, the invoice is gone) deletes the
unlinked upload and surfaces the fault."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboFault, quote
from qbo_sim.connectors.fieldservice_sync.paperwork import ENTITY, Paperwork, file_bytes
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


def links(row: dict[str, Any]) -> list[dict[str, Any]]:
    return [ref for ref in row.get("AttachableRef") or [] if ref.get("EntityRef")]


class UploadThenLink(Paperwork):
    def find_attachment(self, record: SyncRecord, invoice_id: str) -> dict[str, Any] | None:
        rows = self.client.query(ENTITY, f"FileName = {quote(self.file_name(record))}")
        for row in rows:
            if any(
                str(ref["EntityRef"].get("value")) == invoice_id
                and str(ref["EntityRef"].get("type", "")).lower() == "invoice"
                for ref in links(row)
            ):
                return row
        unlinked = next((row for row in rows if not links(row)), None)
        return None if unlinked is None else self.link(record, unlinked, invoice_id)

    def upload(self, record: SyncRecord, invoice_id: str) -> dict[str, Any]:
        name = self.file_name(record)
        stored = self.client.upload(
            None, name, record.data["content_type"], file_bytes(record.data)
        )
        return self.link(record, stored, invoice_id)

    def link(self, record: SyncRecord, stored: dict[str, Any], invoice_id: str) -> dict[str, Any]:
        body = dict(self.metadata(record, invoice_id), Id=stored["Id"])
        body["SyncToken"] = stored.get("SyncToken", "0")
        try:
            return self.client.write(ENTITY, body, record.new_requestid())
        except QboFault:
            record.requestid = None  # a definitive answer: the delete is another write
            self.client.write(ENTITY, {"Id": stored["Id"]}, record.new_requestid(), "delete")
            raise


class UploadThenLinkSync(FieldServiceSync):
    name = "upload-then-link"

    def connect(self, connection: Any) -> None:
        super().connect(connection)
        assert self.engine is not None
        self.engine.paperwork = UploadThenLink(self.store, self.engine.client)


def make_integration() -> UploadThenLinkSync:
    return UploadThenLinkSync()
