"""The recording file: one JSON object per line, a header line then one line per exchange.

Version 1 (``qbo_sim_recording: 1`` on every line), the JSON Schema ``recording.schema.json``
next to this module::

    {"qbo_sim_recording": 1, "type": "header", "recorder": "proxy", "upstream": "https://..."}
    {"qbo_sim_recording": 1, "type": "exchange", "seq": 1, "started": "2026-03-02T17:00:00Z",
     "duration_ms": 41.7, "realm": "9341452", "intuit_tid": "1-65e...",
     "request": {"method": "POST", "url": "https://.../v3/company/9341452/customer",
                 "headers": [["Authorization", "Bearer <redacted:access_token:1>"], ...],
                 "body": {"text": "{\\"DisplayName\\": \\"Acme\\"}"}},
     "response": {"status": 400, "headers": [...], "body": {"text": "{\\"Fault\\": ...}"}}}

Headers are ``[name, value]`` pairs in the order sent (a name may repeat). A body is ``null``
(none), ``{"text": ...}`` (UTF-8 text: JSON, XML, forms, HTML) or ``{"base64": ...}`` (bytes:
PDFs, uploads). An exchange without an answer (the connection failed) has ``"response": null``
and an ``error``. Every value was redacted (:mod:`qbo_sim.recording.redact`) before the line
was written.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jsonschema

from qbo_sim.errors import SimError

#: The format version on every line; other versions are refused.
RECORDING_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("recording.schema.json")
#: What a recording file is called: ``recording-<n>.jsonl`` in the ``--out`` folder.
SUFFIX = ".jsonl"

_REALM_PATH = re.compile(r"/v3/company/([^/?#]+)")
#: Content types kept as text (anything else decodable as UTF-8 with no NUL is text too).
_BINARY_TYPES = ("application/pdf", "application/octet-stream", "multipart/", "image/", "audio/")

Headers = list[tuple[str, str]]


class RecordingError(SimError, ValueError):
    """A file that is not a recording this version reads, or a recording that cannot be made."""


@dataclass
class Message:
    """One side of an exchange: headers and body bytes (the response also has a status)."""

    headers: Headers = field(default_factory=list)
    body: bytes = b""
    status: int | None = None

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON; None when it is not JSON."""
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None


@dataclass
class Exchange:
    """One request and its answer, as recorded."""

    seq: int
    method: str
    url: str
    request: Message
    response: Message | None
    started: str
    duration_ms: float
    realm: str | None = None
    intuit_tid: str | None = None
    error: str | None = None

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.url).query, keep_blank_values=True)

    @property
    def status(self) -> int | None:
        return None if self.response is None else self.response.status

    def to_line(self) -> dict[str, Any]:
        line: dict[str, Any] = {
            "qbo_sim_recording": RECORDING_VERSION,
            "type": "exchange",
            "seq": self.seq,
            "started": self.started,
            "duration_ms": round(self.duration_ms, 3),
            "realm": self.realm,
            "intuit_tid": self.intuit_tid,
            "request": {
                "method": self.method,
                "url": self.url,
                "headers": [list(h) for h in self.request.headers],
                "body": encode_body(self.request.body, self.request.content_type),
            },
            "response": None,
        }
        if self.response is not None:
            line["response"] = {
                "status": self.response.status,
                "headers": [list(h) for h in self.response.headers],
                "body": encode_body(self.response.body, self.response.content_type),
            }
        if self.error is not None:
            line["error"] = self.error
        return line

    @classmethod
    def from_line(cls, line: dict[str, Any]) -> Exchange:
        req = line["request"]
        res = line.get("response")
        response = None
        if res is not None:
            response = Message(_headers(res["headers"]), decode_body(res["body"]), res["status"])
        return cls(
            seq=line["seq"],
            method=req["method"],
            url=req["url"],
            request=Message(_headers(req["headers"]), decode_body(req["body"])),
            response=response,
            started=line["started"],
            duration_ms=float(line["duration_ms"]),
            realm=line.get("realm"),
            intuit_tid=line.get("intuit_tid"),
            error=line.get("error"),
        )


@dataclass
class Recording:
    """A recording file read back: its header and its exchanges in order."""

    header: dict[str, Any]
    exchanges: list[Exchange]
    path: Path | None = None

    @property
    def realms(self) -> list[str]:
        """The realms the exchanges name, in order of first appearance."""
        found: list[str] = []
        for exchange in self.exchanges:
            if exchange.realm and exchange.realm not in found:
                found.append(exchange.realm)
        return found


def _headers(pairs: Iterable[list[str]]) -> Headers:
    return [(str(name), str(value)) for name, value in pairs]


def is_text(body: bytes, content_type: str) -> bool:
    """Whether a body is kept as text: not a binary type, UTF-8, no NUL byte."""
    if any(content_type.startswith(kind) for kind in _BINARY_TYPES) or b"\x00" in body:
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def encode_body(body: bytes, content_type: str) -> dict[str, str] | None:
    if not body:
        return None
    if is_text(body, content_type):
        return {"text": body.decode("utf-8")}
    return {"base64": base64.b64encode(body).decode("ascii")}


def decode_body(body: dict[str, str] | None) -> bytes:
    if not body:
        return b""
    if "text" in body:
        return body["text"].encode("utf-8")
    return base64.b64decode(body["base64"])


def realm_of(url: str, location: str | None = None) -> str | None:
    """The realm an exchange is about: the ``/v3/company/<realm>`` of its URL, or the
    ``realmId`` of an OAuth redirect (``Location``)."""
    match = _REALM_PATH.search(urlsplit(url).path)
    if match:
        return match.group(1)
    for candidate in (url, location or ""):
        for key, value in parse_qsl(urlsplit(candidate).query):
            if key == "realmId" and value:
                return value
    return None


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of one line of a recording."""
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def check_line(line: Any, where: str = "line") -> None:
    """Raise :class:`RecordingError` when ``line`` is not a valid recording line."""
    if isinstance(line, dict) and line.get("qbo_sim_recording") not in (None, RECORDING_VERSION):
        raise RecordingError(
            f"{where}: recording version {line.get('qbo_sim_recording')!r}; "
            f"this qbo-sim reads {RECORDING_VERSION}"
        )
    error = jsonschema.exceptions.best_match(_validator().iter_errors(line))
    if error is not None:
        at = "/".join(str(p) for p in error.absolute_path) or "the line"
        raise RecordingError(f"{where}: {at}: {error.message}")


def header_line(**fields: Any) -> dict[str, Any]:
    return {"qbo_sim_recording": RECORDING_VERSION, "type": "header", **fields}


def iter_lines(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, parsed line)`` of a recording file; :class:`RecordingError` (file:line)
    for a line that is not UTF-8 JSON."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise RecordingError(
                    f"{path}:{number}: not UTF-8 (byte {error.start + 1} of the line): "
                    "a recording is UTF-8 JSON lines"
                ) from None
            if not text.strip():
                continue
            try:
                yield number, json.loads(text)
            except ValueError as error:
                raise RecordingError(f"{path}:{number}: not JSON: {error}") from None


def read_recording(path: str | Path) -> Recording:
    """Read and check a recording file (every line against the schema)."""
    header: dict[str, Any] | None = None
    exchanges: list[Exchange] = []
    try:
        for number, line in iter_lines(path):
            check_line(line, f"{path}:{number}")
            if line["type"] == "header":
                if header is not None or exchanges:
                    raise RecordingError(f"{path}:{number}: a header line after the first line")
                header = line
            else:
                exchanges.append(Exchange.from_line(line))
    except OSError as error:
        raise RecordingError(f"cannot read {path}: {error}") from None
    if header is None:
        raise RecordingError(f"{path} is not a qbo-sim recording: no header line")
    return Recording(header, exchanges, Path(path))


def next_path(folder: str | Path) -> Path:
    """``recording-<n>.jsonl`` in ``folder``, the first ``n`` not taken."""
    folder = Path(folder)
    n = 1
    while (folder / f"recording-{n}{SUFFIX}").exists():
        n += 1
    return folder / f"recording-{n}{SUFFIX}"
