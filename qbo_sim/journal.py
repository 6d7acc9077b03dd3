"""The request journal: every API request and response, for tests, scenarios and support.

Each entry records time, realm, method, path, query, body, status, fault code, requestid and
intuit_tid, and whether the change was made by the QBO user (control plane) rather than the API.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class JournalEntry:
    seq: int
    time: str
    realm: str | None
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int
    fault_code: str | None = None
    requestid: str | None = None
    intuit_tid: str | None = None
    user_edit: bool = False
    response: Any = None
    tags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: How many entries a journal keeps by default; older ones are dropped (a long-running
#: server must not grow without bound). Sequence numbers keep counting.
DEFAULT_CAPACITY = 10_000


class Journal:
    """An append-only, filterable, clearable record of :class:`JournalEntry`, keeping the
    newest ``capacity`` entries."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._lock = threading.Lock()
        self._entries: deque[JournalEntry] = deque(maxlen=capacity)
        self._seq = 0

    def record(self, **fields: Any) -> JournalEntry:
        with self._lock:
            self._seq += 1
            entry = JournalEntry(seq=self._seq, **fields)
            self._entries.append(entry)
            return entry

    def entries(
        self,
        *,
        realm: str | None = None,
        method: str | None = None,
        path_contains: str | None = None,
        status: int | None = None,
        fault_code: str | None = None,
        user_edit: bool | None = None,
        since: int = 0,
    ) -> list[JournalEntry]:
        """Entries matching every given filter (``since`` = sequence number exclusive)."""
        with self._lock:
            rows = list(self._entries)
        return [
            e
            for e in rows
            if e.seq > since
            and (realm is None or e.realm == realm)
            and (method is None or e.method == method.upper())
            and (path_contains is None or path_contains in e.path)
            and (status is None or e.status == status)
            and (fault_code is None or e.fault_code == fault_code)
            and (user_edit is None or e.user_edit == user_edit)
        ]

    def last_seq(self) -> int:
        return self._seq

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
