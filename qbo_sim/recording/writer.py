"""Writing a recording: each exchange redacted, then appended as one line and flushed.

Both recorders (the proxy of ``qbo-sim record`` and the in-process :func:`qbo_sim.recording.
record`) hand their exchanges to one :class:`RecordingWriter`, so they write the same format
with the same redaction. Nothing reaches the file before :class:`~qbo_sim.recording.redact.
Redactor` has replaced its secrets; the header line names the upstream without credentials.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

from qbo_sim.clock import Clock
from qbo_sim.recording.format import Exchange, Headers, Message, header_line, realm_of
from qbo_sim.recording.redact import Redactor


def _version() -> str:
    try:
        return metadata.version("qbo-sim")
    except metadata.PackageNotFoundError:  # a checkout run without installing
        return "unknown"


def public_url(url: str | None) -> str | None:
    """``url`` without ``user:password@``."""
    if url is None:
        return None
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class RecordingWriter:
    """One recording file, open for appending exchanges (thread-safe)."""

    def __init__(
        self,
        path: str | Path,
        *,
        recorder: str,
        upstream: str | None = None,
        clock: Clock | None = None,
        redactor: Redactor | None = None,
    ) -> None:
        self.path = Path(path)
        self.clock = clock or Clock()
        self.redactor = redactor or Redactor()
        self.count = 0
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] | None = open(self.path, "x", encoding="utf-8")  # noqa: SIM115
        self._write(
            header_line(
                recorder=recorder,
                upstream=public_url(upstream),
                qbo_sim_version=_version(),
                started=self.now(),
            )
        )

    def now(self) -> str:
        """The current instant as the file writes it (ISO 8601, UTC, milliseconds)."""
        instant = self.clock.now().astimezone(UTC)
        return instant.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def add(
        self,
        method: str,
        url: str,
        request_headers: Headers,
        request_body: bytes,
        response: tuple[int, Headers, bytes] | None,
        *,
        started: str,
        duration_ms: float,
        error: str | None = None,
    ) -> Exchange:
        """Redact one exchange and append it; returns the exchange as written."""
        answer = None if response is None else Message(response[1], response[2], response[0])
        location = None if answer is None else answer.header("Location")
        tid = None if answer is None else answer.header("intuit_tid")
        with self._lock:
            self.count += 1
            raw = Exchange(
                seq=self.count,
                method=method.upper(),
                url=url,
                request=Message(list(request_headers), request_body),
                response=answer,
                started=started,
                duration_ms=max(0.0, duration_ms),
                realm=realm_of(url, location),
                intuit_tid=tid,
                error=error,
            )
            written = self.redactor.exchange(raw)
            self._write(written.to_line())
        return written

    def _write(self, line: dict[str, Any]) -> None:
        if self._file is None:
            raise ValueError(f"the recording {self.path} is closed")
        self._file.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._file.flush()

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def __enter__(self) -> RecordingWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
