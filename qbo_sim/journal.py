"""The request journal: every API request and response, for tests, scenarios and support.

Each entry records time, realm, method, path, query, body, status, fault code, requestid and
intuit_tid, and whether the change was made by the QBO user (control plane) rather than the API.

The journal is bounded three ways, so a long-running server does not grow without end: it keeps
the newest ``capacity`` entries; a body or response larger than ``max_body_bytes`` is kept as
its first ``max_body_bytes`` characters of text followed by :data:`TRUNCATED_MARKER`; and the
bytes kept in all entries stay under ``max_total_bytes`` (the oldest entries go first).
Sequence numbers keep counting.

A request or response body is kept as the bytes the gateway already has and parsed the first
time the entry's ``body`` or ``response`` is read (:class:`Deferred`): most entries are never
read, and none is parsed twice.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any


class Deferred:
    """A journal value worked out when the entry is first read (parsing a body the gateway
    has as bytes), then kept."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def resolved(value: Any) -> Any:
    """``value``, worked out if it is :class:`Deferred`."""
    return value.make() if isinstance(value, Deferred) else value


class _Resolving:
    """A dataclass field whose :class:`Deferred` value is worked out on first read."""

    _REQUIRED = object()

    def __init__(self, default: Any = _REQUIRED) -> None:
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = f"_{name}_value"

    def __get__(self, entry: Any, owner: type | None = None) -> Any:
        if entry is None:  # the class: the field's default (none: the field is required)
            if self.default is _Resolving._REQUIRED:
                raise AttributeError(self.key)
            return self.default
        value = entry.__dict__[self.key]
        if isinstance(value, Deferred):
            value = entry.__dict__[self.key] = value.make()
        return value

    def __set__(self, entry: Any, value: Any) -> None:
        entry.__dict__[self.key] = value


@dataclass
class JournalEntry:
    seq: int
    time: str
    realm: str | None
    method: str
    path: str
    query: dict[str, str]
    if TYPE_CHECKING:  # a plain field to type checkers; parsed on first read at run time
        body: Any
    else:
        body: Any = _Resolving()
    status: int
    fault_code: str | None = None
    requestid: str | None = None
    intuit_tid: str | None = None
    user_edit: bool = False
    if TYPE_CHECKING:
        response: Any = None
    else:
        response: Any = _Resolving(None)
    tags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: How many entries a journal keeps by default; older ones are dropped (a long-running
#: server must not grow without bound). Sequence numbers keep counting.
DEFAULT_CAPACITY = 10_000
#: A body or response bigger than this is kept truncated.
DEFAULT_MAX_BODY_BYTES = 64 * 1024
#: The bodies and responses of all entries together stay under this.
DEFAULT_MAX_TOTAL_BYTES = 64 * 1024 * 1024
#: Ends a truncated body: ``...[qbo-sim journal: truncated, 8388608 bytes]``.
TRUNCATED_MARKER = "...[qbo-sim journal: truncated, {size} bytes]"
#: What an entry costs besides its body and response (fields, bookkeeping), roughly.
_ENTRY_BYTES = 512


class Journal:
    """An append-only, filterable, clearable record of :class:`JournalEntry`, keeping the
    newest ``capacity`` entries within ``max_total_bytes``, bodies over ``max_body_bytes``
    truncated."""

    def __init__(
        self,
        capacity: int = DEFAULT_CAPACITY,
        *,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    ) -> None:
        self._lock = threading.Lock()
        self.capacity = capacity
        self.max_body_bytes = max_body_bytes
        self.max_total_bytes = max_total_bytes
        self._entries: deque[JournalEntry] = deque()
        self._sizes: deque[int] = deque()
        self._total = 0
        self._seq = 0

    def record(
        self, *, body_size: int | None = None, response_size: int | None = None, **fields: Any
    ) -> JournalEntry:
        """Append one entry; ``body_size``/``response_size`` are the raw lengths when the
        caller knows them (else they are measured)."""
        body, body_kept = self._clip(fields.pop("body", None), body_size)
        response, response_kept = self._clip(fields.pop("response", None), response_size)
        size = _ENTRY_BYTES + body_kept + response_kept
        with self._lock:
            self._seq += 1
            entry = JournalEntry(seq=self._seq, body=body, response=response, **fields)
            self._entries.append(entry)
            self._sizes.append(size)
            self._total += size
            while len(self._entries) > 1 and (
                len(self._entries) > self.capacity or self._total > self.max_total_bytes
            ):
                self._entries.popleft()
                self._total -= self._sizes.popleft()
            return entry

    def size_bytes(self) -> int:
        """Roughly how many bytes the kept entries hold."""
        return self._total

    def _clip(self, value: Any, size: int | None) -> tuple[Any, int]:
        """``value`` as kept (truncated text when too big) and the bytes it costs."""
        if value is None:
            return None, 0
        if size is None or size > self.max_body_bytes:
            value = resolved(value)
            if value is None:
                return None, 0
        if size is None:
            size = _measure(value)
        if size <= self.max_body_bytes:
            return value, size
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        kept = text[: self.max_body_bytes] + TRUNCATED_MARKER.format(size=size)
        return kept, len(kept)

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
        """Entries matching every given filter (``since`` = sequence number exclusive;
        ``path_contains`` ignores case: ``invoice`` finds ``/v3/company/1/invoice`` and the
        QBO user's ``update Invoice``)."""
        with self._lock:
            rows = list(self._entries)
        needle = path_contains.lower() if path_contains is not None else None
        return [
            e
            for e in rows
            if e.seq > since
            and (realm is None or e.realm == realm)
            and (method is None or e.method == method.upper())
            and (needle is None or needle in e.path.lower())
            and (status is None or e.status == status)
            and (fault_code is None or e.fault_code == fault_code)
            and (user_edit is None or e.user_edit == user_edit)
        ]

    def last_seq(self) -> int:
        return self._seq

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._sizes.clear()
            self._total = 0

    def __len__(self) -> int:
        return len(self._entries)


def _measure(value: Any) -> int:
    """The size of a value as text (JSON for structures)."""
    if isinstance(value, str | bytes):
        return len(value)
    try:
        return len(json.dumps(value, default=str))
    except (TypeError, ValueError, RecursionError):
        return len(str(value))
