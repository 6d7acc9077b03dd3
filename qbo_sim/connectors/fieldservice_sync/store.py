"""The connector's local record store: field-service records and their sync state.

One :class:`SyncRecord` per (kind, key). Dict-based and in memory: a real connector keeps the
same columns in its database (state, QBO id, SyncToken, last error, attempts, requestid).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

PENDING, SYNCED, FAILED, BYPASSED = "pending", "synced", "failed", "bypassed"

#: Sync order: a record is pushed only after the records it references.
#: (GL accounts are the bookkeeper's: looked up by name, never created.)
SYNC_ORDER = (
    "class",
    "vendor",
    "customer",
    "property",
    "item",
    "invoice",
    "receipt",
    "payment",
    "attachment",
)

#: Local error codes (QBO's own codes are numeric strings).
DEPENDENCY = "DEPENDENCY"
MAPPING = "MAPPING"
AUTH = "AUTH"


@dataclass
class SyncRecord:
    kind: str
    key: str
    data: dict[str, Any]
    deleted: bool = False
    state: str = PENDING
    qbo_id: str | None = None
    sync_token: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    attempts: int = 0
    #: The requestid of the write in flight. Kept after an ambiguous failure (5xx, 429, no
    #: answer) so the retry cannot duplicate; dropped after any definitive answer.
    requestid: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.kind} {self.key}"

    def new_requestid(self) -> str:
        """A requestid for the next write (QBO allows at most 50 characters, §5.5)."""
        if self.requestid is None:
            self.requestid = f"fs-{self.kind}-{uuid.uuid4().hex}"[:50]
        return self.requestid

    def mark_pending(self) -> None:
        self.state, self.error_code, self.error_message, self.requestid = PENDING, None, None, None

    def mark_synced(self) -> None:
        self.state, self.error_code, self.error_message, self.requestid = SYNCED, None, None, None

    def mark_failed(self, code: str, message: str) -> None:
        self.state, self.error_code, self.error_message, self.requestid = (
            FAILED,
            code,
            message,
            None,
        )

    def note_transient(self, code: str, message: str) -> None:
        """QBO did not answer usefully: stay pending (the next pass retries), keep the
        requestid, show the operator why."""
        self.state, self.error_code, self.error_message = PENDING, code, message

    def status(self) -> dict[str, Any]:
        error = None
        if self.error_code or self.error_message:
            error = {"code": self.error_code, "message": self.error_message}
        return {
            "state": self.state,
            "qbo_id": self.qbo_id,
            "error": error,
            "attempts": self.attempts,
        }


class RecordStore:
    def __init__(self) -> None:
        self._records: dict[tuple[str, str], SyncRecord] = {}

    def get(self, kind: str, key: str) -> SyncRecord | None:
        return self._records.get((kind, key))

    def require(self, kind: str, key: str) -> SyncRecord:
        record = self.get(kind, key)
        if record is None:
            raise KeyError(f"no {kind} record {key!r}")
        return record

    def upsert(self, kind: str, key: str, data: dict[str, Any]) -> SyncRecord:
        """A record was created or changed in the field-service system.

        A record deleted and then re-created under the same key keeps its QBO reference
        (the RefID): the connector cannot know whether QBO still holds that object. When QBO
        answers 610 the operator resets the reference (article §6).
        """
        record = self._records.get((kind, key))
        if record is None:
            record = self._records[(kind, key)] = SyncRecord(kind, key, dict(data))
        else:
            record.data, record.deleted = dict(data), False
        if record.state != BYPASSED:
            record.mark_pending()
        return record

    def delete(self, kind: str, key: str) -> SyncRecord | None:
        record = self._records.get((kind, key))
        if record is None:
            return None
        record.deleted = True
        if record.state != BYPASSED:
            record.mark_pending()
        return record

    def in_sync_order(self) -> Iterator[SyncRecord]:
        for kind in SYNC_ORDER:
            yield from [r for r in self._records.values() if r.kind == kind]
