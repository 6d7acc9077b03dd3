"""In-process mode: every ``requests`` call to Intuit's hosts is answered by the simulator.

Built on the ``responses`` library, as moto's ``custom_responses_mock`` is: the intercepted
``PreparedRequest`` becomes a WSGI environ (real Host header, ``https`` scheme, path, query,
headers and body) and goes to the same Flask app that ``qbo-sim serve`` runs. There is no second
routing table: the app decides what every path means, on every Intuit host.

- Intuit's API, OAuth and discovery hosts (:mod:`qbo_sim.hosts`) → the simulator.
- Loopback (``127.0.0.1``, ``localhost``, ``::1``) → the real network (a local ``sim.serve()``,
  a user's own test server).
- Any other host → ``requests.exceptions.ConnectionError`` saying qbo-sim does not route it.
- A response carrying ``X-QBO-Sim-Drop: 1`` (fault injection's dropped connection) →
  ``requests.exceptions.ConnectionError``, after the simulator has done the work.

>>> with sim.mock():
...     requests.get(f"https://sandbox-quickbooks.api.intuit.com/v3/company/{realm}/...")
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from contextlib import ContextDecorator
from io import BytesIO
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import unquote, urlsplit

import responses
from requests import PreparedRequest
from requests.exceptions import ConnectionError as RequestsConnectionError
from werkzeug.urls import iri_to_uri

from qbo_sim.hosts import ALL_HOSTS
from qbo_sim.injection import DROP_HEADER
from qbo_sim.interfaces import SimulatorLike

if TYPE_CHECKING:
    from flask import Flask

#: The simulator a mock routes to (``SimMock[Simulator]`` from ``Simulator.mock()``).
S = TypeVar("S", bound=SimulatorLike)

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

WsgiResult = tuple[int, list[tuple[str, str]], bytes]


def call_app(app: Flask, request: PreparedRequest) -> WsgiResult:
    """Run one ``requests`` request through the WSGI ``app``: (status, headers, body)."""
    started: list[Any] = []
    written: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started[:] = [status, headers]
        return written.append

    app_iter: Iterable[bytes] = app(wsgi_environ(request), start_response)
    try:
        body = b"".join(written) + b"".join(app_iter)
    finally:
        close = getattr(app_iter, "close", None)
        if close is not None:
            close()
    status, headers = started
    return int(status.split(" ", 1)[0]), list(headers), body


def wsgi_environ(request: PreparedRequest) -> dict[str, Any]:
    """The WSGI environ of ``request``, built by hand: the keys and values werkzeug's
    ``EnvironBuilder`` gives for the same URL, method, headers and body (Host and
    Content-Length come from the URL and the body), at a tenth of its cost."""
    url = urlsplit(str(request.url))
    raw_path = url.path or "/"
    host = url.netloc
    name, colon, port = host.partition(":")
    scheme = url.scheme
    body = _body_bytes(request.body)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": str(request.method),
        "SCRIPT_NAME": "",
        "PATH_INFO": _wsgi_str(unquote(_uri_path(raw_path))),
        "QUERY_STRING": _wsgi_str(url.query),
        "REQUEST_URI": _wsgi_str(raw_path),
        "RAW_URI": _wsgi_str(raw_path),
        "SERVER_NAME": name,
        "SERVER_PORT": port if colon and port.isdigit() else "443" if scheme == "https" else "80",
        "HTTP_HOST": host,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if body:
        environ["CONTENT_LENGTH"] = str(len(body))
    for header, raw in request.headers.items():
        value = raw.decode("latin1") if isinstance(raw, bytes) else str(raw)
        key = header.upper().replace("-", "_")
        if key in ("HOST", "CONTENT_LENGTH"):
            continue
        if key == "CONTENT_TYPE":
            environ[key] = value
        else:
            key = f"HTTP_{key}"
            environ[key] = f"{environ[key]}, {value}" if key in environ else value
    return environ


#: A path ``iri_to_uri`` leaves as it is: only the characters it never quotes.
_URI_PATH = re.compile(r"[A-Za-z0-9_.~%!$&'()*+,/:;=@-]*")


def _uri_path(path: str) -> str:
    """``iri_to_uri(path)``, skipped for a path it would not change (requests quotes URLs)."""
    if _URI_PATH.fullmatch(path) and not path.startswith("//"):
        return path
    return iri_to_uri(path)


def _wsgi_str(text: str) -> str:
    """A WSGI "bytes as latin-1" string (PEP 3333), as werkzeug encodes it."""
    return text if text.isascii() else text.encode().decode("latin1")


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    return b"".join(part.encode("utf-8") if isinstance(part, str) else part for part in body)


def _hostname(request: PreparedRequest) -> str:
    return (urlsplit(str(request.url)).hostname or "").lower()


class _HostRoute(responses.CallbackResponse):
    """A ``responses`` mock for every method on the hosts ``accepts`` approves."""

    def __init__(
        self,
        label: str,
        accepts: Callable[[str], bool],
        callback: Callable[[PreparedRequest], Any],
        *,
        passthrough: bool = False,
    ) -> None:
        super().__init__(
            "ANY", label, callback=callback, content_type=None, passthrough=passthrough
        )
        self._accepts = accepts

    def matches(self, request: PreparedRequest) -> tuple[bool, str]:
        if self._accepts(_hostname(request)):
            return True, ""
        return False, f"host {_hostname(request)!r} is not one of {self.url}"


class SimMock(ContextDecorator, Generic[S]):
    """``with sim.mock():`` / ``@sim.mock()``: route ``requests`` into ``sim`` for a while.

    Entering yields the simulator. Mocks nest (the innermost wins) and always stop on exit,
    exception or not.
    """

    def __init__(self, sim: S, hosts: tuple[str, ...] = ALL_HOSTS) -> None:
        self.sim = sim
        self.hosts = frozenset(h.lower() for h in hosts)
        self._active: list[responses.RequestsMock] = []

    def __enter__(self) -> S:
        mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        mock.add(_HostRoute("qbo-sim hosts", self.hosts.__contains__, self._answer))
        mock.add(_HostRoute("loopback", _is_loopback, _unused, passthrough=True))
        mock.add(_HostRoute("any other host", self._unrouted, self._refuse))
        mock.start()
        self._active.append(mock)
        return self.sim

    def __exit__(self, *exc_info: object) -> None:
        mock = self._active.pop()
        mock.stop(allow_assert=False)
        mock.reset()

    @property
    def active(self) -> bool:
        return bool(self._active)

    def _answer(self, request: PreparedRequest) -> Any:
        status, headers, body = call_app(self.sim.app, request)
        if any(name.lower() == DROP_HEADER.lower() and value == "1" for name, value in headers):
            error = RequestsConnectionError(
                f"qbo-sim dropped the connection ({request.method} {request.url}): "
                "the simulator answered with no response, as a network failure would"
            )
            error.request = request
            return error
        return status, headers, body

    def _unrouted(self, host: str) -> bool:
        return host not in self.hosts and not _is_loopback(host)

    def _refuse(self, request: PreparedRequest) -> Exception:
        error = RequestsConnectionError(
            f"qbo-sim does not route {request.method} {request.url}: inside sim.mock() only "
            f"Intuit's hosts ({', '.join(sorted(self.hosts))}) are answered by the simulator "
            f"and loopback hosts ({', '.join(LOOPBACK_HOSTS)}) pass through; "
            "every other host is blocked"
        )
        error.request = request
        return error


def _is_loopback(host: str) -> bool:
    return host.strip("[]") in LOOPBACK_HOSTS


def _unused(request: PreparedRequest) -> Any:  # pragma: no cover - passthrough never calls it
    raise AssertionError("a passthrough route is never answered by a callback")
