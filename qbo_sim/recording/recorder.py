"""In-process recording: every ``requests`` call to Intuit's hosts goes out as usual and is
written to a recording, as the ``responses`` library's recorder does.

>>> with qbo_sim.recording.record("ticket-4711.jsonl"):
...     my_integration.sync()          # its requests reach the real hosts, and are recorded

The recorder wraps the transport adapter every ``requests.Session`` picks for a request
(``Session.get_adapter``) while the block runs, so every session and every library built on
``requests`` (python-quickbooks, intuit-oauth) is recorded without a change. It records what
the adapter answers, whoever answers: the network, or ``sim.mock()`` (which patches
``HTTPAdapter.send``), so ``with record(p), sim.mock():`` and ``with sim.mock(), record(p):``
both record the simulator's answers. Only the chosen hosts are recorded (default: Intuit's
sandbox API, OAuth and discovery hosts); others pass untouched. Calls to the production API host
(``quickbooks.api.intuit.com``) are refused unless ``allow_production=True``, as
``qbo-sim record`` refuses a production upstream without ``--allow-production``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter

from qbo_sim.clock import Clock
from qbo_sim.hosts import ALL_HOSTS, PRODUCTION_API
from qbo_sim.recording.format import Headers, RecordingError
from qbo_sim.recording.redact import Redactor
from qbo_sim.recording.writer import RecordingWriter

#: Hosts recorded by default: Intuit's, the production API only with ``allow_production``.
DEFAULT_HOSTS = tuple(h for h in ALL_HOSTS if h != PRODUCTION_API)


def production_refused(host: str) -> RecordingError:
    return RecordingError(
        f"refusing to record {host}: that is the production QuickBooks API (a customer's real "
        "books); record against the sandbox, or pass --allow-production / "
        "allow_production=True if that is what you mean"
    )


@contextlib.contextmanager
def record(
    path: str | Path,
    *,
    hosts: Iterable[str] | None = None,
    allow_production: bool = False,
    clock: Clock | None = None,
    secrets: list[str] | None = None,
) -> Iterator[RecordingWriter]:
    """Record ``requests`` calls to ``hosts`` into the new file ``path`` while the block runs.

    ``hosts``: host names (``"127.0.0.1"``, ``"localhost:8080"`` with a port), or ``"*"`` for
    every host; default :data:`DEFAULT_HOSTS`. ``secrets``: values to redact besides the ones
    found by their place (a password typed in a form, say). ``clock``: when exchanges started
    (default real time). Yields the writer (``.path``, ``.count``)."""
    chosen = {h.lower() for h in (DEFAULT_HOSTS if hosts is None else hosts)}
    if allow_production:
        chosen.add(PRODUCTION_API)
    writer = RecordingWriter(
        path,
        recorder="in-process",
        upstream=None,
        clock=clock,
        redactor=Redactor(secrets),
    )
    original_get_adapter = requests.Session.get_adapter

    def get_adapter(session: requests.Session, url: str) -> Any:
        return _RecordingAdapter(original_get_adapter(session, url), send)

    def send(adapter: BaseAdapter, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        """``adapter.send``, recorded: resolved when called, so a mock patched in after the
        recorder started (``sim.mock()`` inside or outside the block) answers."""
        original = adapter.send
        parts = urlsplit(str(request.url))
        host, netloc = (parts.hostname or "").lower(), parts.netloc.lower()
        if host == PRODUCTION_API and not allow_production:
            raise production_refused(host)
        if "*" not in chosen and host not in chosen and netloc not in chosen:
            return original(request, **kwargs)
        body = _materialise(request)
        headers: Headers = [(str(k), _text(v)) for k, v in request.headers.items()]
        started = writer.now()
        begun = time.perf_counter()
        try:
            response = original(request, **kwargs)
            content = response.content  # read it all (it stays readable for the caller)
        except requests.RequestException as error:
            writer.add(
                str(request.method),
                str(request.url),
                headers,
                body,
                None,
                started=started,
                duration_ms=(time.perf_counter() - begun) * 1000,
                error=f"{type(error).__name__}: {error}",
            )
            raise
        writer.add(
            str(request.method),
            str(request.url),
            headers,
            body,
            (response.status_code, response_headers(response), content),
            started=started,
            duration_ms=(time.perf_counter() - begun) * 1000,
        )
        return response

    try:
        with mock.patch.object(requests.Session, "get_adapter", get_adapter):
            yield writer
    finally:
        writer.close()


class _RecordingAdapter:
    """A session's adapter whose ``send`` is recorded; everything else is the adapter's."""

    def __init__(self, adapter: BaseAdapter, send: Callable[..., Any]) -> None:
        self._adapter = adapter
        self._send = send

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        return self._send(self._adapter, request, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._adapter, name)


def response_headers(response: requests.Response) -> Headers:
    """The answer's headers as sent, repeated names kept apart (``Set-Cookie``), without the
    transfer framing ``requests`` has undone (the body is kept decoded)."""
    raw = getattr(response.raw, "headers", None)
    items = list(raw.items()) if raw is not None else list(response.headers.items())
    framing = ("content-encoding", "transfer-encoding", "content-length")
    return [(str(k), str(v)) for k, v in items if str(k).lower() not in framing]


def _text(value: str | bytes) -> str:
    return value.decode("latin1") if isinstance(value, bytes) else str(value)


def _materialise(request: requests.PreparedRequest) -> bytes:
    """The request's body as bytes; a file or generator body is read and put back as bytes,
    so it is both sent and recorded."""
    body = request.body
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if hasattr(body, "read"):
        data = body.read()
    else:
        data = b"".join(p.encode("utf-8") if isinstance(p, str) else p for p in body)
    data = data.encode("utf-8") if isinstance(data, str) else data
    request.body = data
    if "Transfer-Encoding" in request.headers:
        del request.headers["Transfer-Encoding"]
    request.headers["Content-Length"] = str(len(data))
    return bytes(data)
