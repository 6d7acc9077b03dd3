"""Job paperwork: files on invoices (``attachment`` records) and invoices e-mailed from QBO.

**Attachments.** After the invoice is in QBO, the file is uploaded (``POST /upload``, one
``file_metadata_01`` Attachable whose ``AttachableRef`` names the invoice, and the file). QBO
answers HTTP 200 even when it refuses the file: the item's ``Fault`` (6000 the invoice is
gone, 6041 a file type it does not take) fails the record with QBO's code and message.
QBO documents no ``requestid`` for uploads, so an upload is never retried blindly: every
upload is preceded by a look-up (the Attachables linked to the invoice, by ``FileName``), and
one found is adopted. A 5xx or a lost answer leaves the record pending; the next pass looks
first, so a file QBO stored although its answer was lost is not uploaded twice.

**E-mail.** The operator's ``send`` marks the invoice (``record.extra["send"]``); the pass
that has the invoice in QBO sends it (``POST /invoice/<id>/send``) and forgets the mark, so
it goes out once, not once per pass. Before sending, the invoice's ``EmailStatus`` and
``DeliveryInfo.DeliveryTime`` are read and kept; when a send gets no answer, the next try
reads them again and a change means QBO sent it: the mark is cleared instead of e-mailing
the customer twice.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault, Transient, quote
from qbo_sim.connectors.fieldservice_sync.mapping import checked
from qbo_sim.connectors.fieldservice_sync.store import RecordStore, SyncRecord

ENTITY = "Attachable"
#: ``record.extra`` of an invoice: the operator asked to e-mail it (``{"to": address}``).
SEND = "send"
#: ``record.extra`` of an invoice: a send is in flight or its answer was lost; what the
#: invoice's e-mail fields were before it (``{"status", "time"}``).
SEND_UNKNOWN = "send_unknown"
#: QBO's limits (docs/research/attachable.md §1).
FILE_NAME_MAX, NOTE_MAX = 1000, 2000


def file_bytes(data: dict[str, Any]) -> bytes:
    """The record's file: ``content`` (text, UTF-8) or ``content_base64``."""
    if data.get("content_base64") is not None:
        try:
            return base64.b64decode(str(data["content_base64"]), validate=True)
        except (binascii.Error, ValueError):
            raise QboFault("FILE", "content_base64 is not valid base64 (not sent)") from None
    return str(data.get("content") or "").encode("utf-8")


def email_state(invoice: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": invoice.get("EmailStatus"),
        "time": (invoice.get("DeliveryInfo") or {}).get("DeliveryTime"),
    }


class Paperwork:
    def __init__(self, store: RecordStore, client: QboClient) -> None:
        self.store = store
        self.client = client

    # --- attachments ----------------------------------------------------------------------
    def invoice_id(self, record: SyncRecord) -> str:
        invoice = self.store.require("invoice", record.data["invoice"])
        assert invoice.qbo_id is not None, f"invoice {invoice.key} has no QBO id"
        return invoice.qbo_id

    def push_attachment(self, record: SyncRecord) -> None:
        if record.deleted:
            self._delete(record)
            return
        if record.qbo_id:
            return  # uploaded already (a new file is a new attachment record)
        invoice_id = self.invoice_id(record)
        found = self.find_attachment(record, invoice_id)
        if found is None:
            found = self.upload(record, invoice_id)
        record.qbo_id, record.sync_token = str(found["Id"]), str(found.get("SyncToken", "0"))

    def file_name(self, record: SyncRecord) -> str:
        return checked("FileName", record.data.get("file_name"), FILE_NAME_MAX)

    def find_attachment(self, record: SyncRecord, invoice_id: str) -> dict[str, Any] | None:
        """The Attachable linked to the invoice with our file name, if QBO has one already."""
        rows = self.client.query(
            ENTITY,
            f"AttachableRef.EntityRef.Type = 'Invoice' AND AttachableRef.EntityRef.value = "
            f"{quote(invoice_id)}",
        )
        name = self.file_name(record)
        return next((row for row in rows if row.get("FileName") == name), None)

    def metadata(self, record: SyncRecord, invoice_id: str) -> dict[str, Any]:
        d = record.data
        body: dict[str, Any] = {
            "AttachableRef": [
                {
                    "EntityRef": {"type": "Invoice", "value": invoice_id},
                    "IncludeOnSend": bool(d.get("include_on_send", False)),
                }
            ],
            "FileName": self.file_name(record),
            "ContentType": d["content_type"],
        }
        if d.get("note"):
            body["Note"] = checked("Note", d["note"], NOTE_MAX)
        if d.get("category"):
            body["Category"] = d["category"]
        return body

    def upload(self, record: SyncRecord, invoice_id: str) -> dict[str, Any]:
        metadata = self.metadata(record, invoice_id)
        data = file_bytes(record.data)
        return self.client.upload(metadata, metadata["FileName"], metadata["ContentType"], data)

    def _delete(self, record: SyncRecord) -> None:
        if record.qbo_id is None:
            return
        try:
            self.client.write(ENTITY, {"Id": record.qbo_id}, record.new_requestid(), "delete")
        except QboFault as fault:
            if fault.code != "610":  # already gone
                raise
        record.qbo_id = record.sync_token = None

    # --- e-mail -----------------------------------------------------------------------------
    @staticmethod
    def asked(record: SyncRecord) -> bool:
        return record.kind == "invoice" and SEND in record.extra and not record.deleted

    def send_if_asked(self, record: SyncRecord) -> None:
        """E-mail the invoice if the operator asked, once (see the module docstring)."""
        if not self.asked(record):
            return
        assert record.qbo_id is not None
        current = self.already_sent(record)
        if current is not None:
            self.sent(record, current)
            return
        if SEND_UNKNOWN not in record.extra:
            before = self.client.read("Invoice", record.qbo_id)
            record.extra[SEND_UNKNOWN] = email_state(before)
        try:
            answer = self.client.send("Invoice", record.qbo_id, record.extra[SEND].get("to"))
        except Transient:
            raise  # no answer: it may be out; the next try checks before sending
        except QboFault:
            record.extra.pop(SEND_UNKNOWN, None)  # refused: nothing went out
            raise
        self.sent(record, answer)

    def already_sent(self, record: SyncRecord) -> dict[str, Any] | None:
        """After a send without an answer: the invoice, if QBO did send it (its e-mail
        status or delivery time changed since before that send); else None."""
        before = record.extra.get(SEND_UNKNOWN)
        if before is None:
            return None
        assert record.qbo_id is not None
        current = self.client.read("Invoice", record.qbo_id)
        now = email_state(current)
        if now["status"] == "EmailSent" and now != before:
            return current
        return None

    def sent(self, record: SyncRecord, invoice: dict[str, Any]) -> None:
        """The e-mail went out: forget the operator's request (and take the new SyncToken)."""
        record.extra.pop(SEND, None)
        record.extra.pop(SEND_UNKNOWN, None)
        if invoice.get("SyncToken") is not None:
            record.sync_token = str(invoice["SyncToken"])
