"""A lean HTTP/1.1 server for one client on this machine: the harness's transport for a
subprocess integration (``qbo_sim.harness.transport.http_server``).

waitress (:mod:`qbo_sim.server`) is the server for ``qbo-sim serve``: many clients, slow
clients, pipelining, a worker pool. A subprocess integration is one client making one request
at a time over a loopback socket, and for it waitress's hand-offs (its event loop parses, a
worker runs the app, the loop sends) cost about twice the simulator's own work per request:
measured, ``bench/bench_languages.py``. Here each connection has one thread that reads a
request, calls the WSGI app and writes the answer, keep-alive until the client closes.

It speaks what HTTP clients send: request bodies by ``Content-Length`` or ``chunked``,
``Expect: 100-continue``, ``Connection: close`` and HTTP/1.0, ``HEAD``. A request it cannot
parse gets ``400`` and the connection is closed; an app that raises gets ``500``. The app sees
the same WSGI environ as under waitress, and :func:`qbo_sim.server.server_app` (fault
injection's dropped connections) works alike: the connection's socket is in the environ as
``qbo_sim.socket``.
"""

from __future__ import annotations

import io
import re
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple
from urllib.parse import unquote_to_bytes

from qbo_sim.access_log import DROPPED_KEY
from qbo_sim.errors import SimError

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: Limits on what a request may send before it is refused with 400 (waitress's defaults).
MAX_HEADER_BYTES = 262_144
MAX_BODY_BYTES = 1_073_741_824
_DIGITS = re.compile(r"[0-9]{1,19}")
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
#: The environ key of the connection's socket (:func:`qbo_sim.server._drop_connection`).
SOCKET_KEY = "qbo_sim.socket"


class Request(NamedTuple):
    """One request as read off the connection (its body whole)."""

    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    body: bytes


class UnreadableRequest(SimError, ValueError):
    """The bytes on the connection are not an HTTP/1.x request this server reads (answered
    400, the connection closed)."""


class LoopbackServer:
    """``with LoopbackServer(app) as base_url:`` serves ``app`` on 127.0.0.1 (a free port
    unless one is given) until the block ends; connections still open are closed then.
    ``on_thread``: called first in each connection's thread (the harness pins it to a CPU,
    qbo_sim.harness.affinity)."""

    def __init__(
        self,
        app: WsgiApp,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        on_thread: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        self.on_thread = on_thread
        self.host = host
        self.port = port
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopping = False
        self._port = port

    @property
    def url(self) -> str:
        if self._listener is None:
            raise RuntimeError("the server is not running")
        return f"http://{self.host}:{self._port}"

    def start(self) -> str:
        if self._listener is not None:
            raise RuntimeError("the server is already running")
        listener = socket.create_server((self.host, self.port), backlog=16)
        self._listener, self._stopping = listener, False
        self._port = int(listener.getsockname()[1])
        self._thread = threading.Thread(
            target=self._accept, name=f"qbo-sim-loopback-{self.url}", daemon=True
        )
        self._thread.start()
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        """Close the listener and every open connection, then join the accepting thread."""
        listener, thread = self._listener, self._thread
        if listener is None or thread is None:
            return
        self._stopping = True
        self._listener = self._thread = None
        try:
            listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        listener.close()
        with self._lock:
            open_now = list(self._connections)
        for conn in open_now:
            _shutdown(conn)
        thread.join(timeout)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- serving ---------------------------------------------------------------------------
    def _accept(self) -> None:
        listener = self._listener
        assert listener is not None
        while not self._stopping:
            try:
                conn, peer = listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._connections.add(conn)
            threading.Thread(
                target=self._serve, args=(conn, peer), name="qbo-sim-loopback-conn", daemon=True
            ).start()

    def _serve(self, conn: socket.socket, peer: Any) -> None:
        if self.on_thread is not None:
            self.on_thread()
        reader = conn.makefile("rb")
        try:
            keep_alive = True
            while keep_alive and not self._stopping:
                try:
                    request = _read_request(reader, conn)
                except UnreadableRequest as exc:
                    _send_plain(conn, "400 Bad Request", str(exc))
                    return
                if request is None:
                    return
                keep_alive = self._respond(conn, peer, request)
        except OSError:
            return
        finally:
            with self._lock:
                self._connections.discard(conn)
            reader.close()
            _shutdown(conn)
            conn.close()

    def _respond(self, conn: socket.socket, peer: Any, request: Request) -> bool:
        """Run the app for one request and send its answer; whether to keep the connection."""
        environ = self._environ(conn, peer, request)
        method, version = request.method, request.version
        connection = environ.get("HTTP_CONNECTION", "").lower()
        keep_alive = (
            "keep-alive" in connection if version == "HTTP/1.0" else "close" not in connection
        )
        started: list[Any] = []

        def start_response(
            status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            if exc_info is not None and started:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, list(response_headers)]
            return lambda data: chunks.append(data)

        chunks: list[bytes] = []
        try:
            result = self.app(environ, start_response)
            try:
                chunks.extend(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        except Exception as exc:  # the app's bug: an answer, not a dead connection
            print(f"qbo-sim loopback server: the app raised {exc!r}", file=sys.stderr)
            _send_plain(conn, "500 Internal Server Error", "the simulator raised")
            return False
        if environ.get(DROPPED_KEY):
            return False
        if not started:  # the app returned without an answer: its bug, answered as one
            print("qbo-sim loopback server: the app did not start a response", file=sys.stderr)
            _send_plain(conn, "500 Internal Server Error", "the simulator gave no answer")
            return False
        status, response_headers = started
        payload = b"".join(chunks)
        names = {name.lower() for name, _ in response_headers}
        if "content-length" not in names:
            response_headers.append(("Content-Length", str(len(payload))))
        if not keep_alive:
            response_headers.append(("Connection", "close"))
        elif version == "HTTP/1.0":  # 1.0 closes unless told it may keep the connection
            response_headers.append(("Connection", "keep-alive"))
        head = f"HTTP/1.1 {status}\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in response_headers
        )
        conn.sendall(head.encode("latin-1") + b"\r\n" + (b"" if method == "HEAD" else payload))
        return keep_alive

    def _environ(self, conn: socket.socket, peer: Any, request: Request) -> dict[str, Any]:
        method, target, version, headers, body = request
        path, _, query = target.partition("?")
        host, port = self.host, self._port
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query,
            "RAW_URI": target,
            "REQUEST_URI": target,
            "SERVER_NAME": str(host),
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": version,
            "SERVER_SOFTWARE": "qbo-sim-loopback",
            "REMOTE_ADDR": str(peer[0]) if peer else "",
            "REMOTE_PORT": str(peer[1]) if peer else "",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            SOCKET_KEY: conn,
        }
        for name, value in headers:
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ[key] = value
                continue
            if key == "TRANSFER_ENCODING":
                continue  # the body is read whole: the app sees its length
            key = "HTTP_" + key
            environ[key] = f"{environ[key]},{value}" if key in environ else value
        if "CONTENT_LENGTH" in environ or body:
            environ["CONTENT_LENGTH"] = str(len(body))
        return environ


def _read_request(reader: io.BufferedReader, conn: socket.socket) -> Request | None:
    """The next request; None when the client closed the connection between requests."""
    line = reader.readline(MAX_HEADER_BYTES)
    while line in (b"\r\n", b"\n"):  # a stray line end between requests is allowed
        line = reader.readline(MAX_HEADER_BYTES)
    if not line:
        return None
    parts = line.decode("latin-1").rstrip("\r\n").split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise UnreadableRequest(f"not an HTTP/1.x request line: {line[:80]!r}")
    method, target, version = parts
    headers: list[tuple[str, str]] = []
    size = len(line)
    while True:
        line = reader.readline(MAX_HEADER_BYTES)
        size += len(line)
        if size > MAX_HEADER_BYTES:
            raise UnreadableRequest("the request's headers are too large")
        if not line:
            raise UnreadableRequest("the connection closed inside the request's headers")
        if line in (b"\r\n", b"\n"):
            break
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep or not name or name != name.strip():
            raise UnreadableRequest(f"not a header line: {line[:80]!r}")
        headers.append((name, value.strip()))
    lowered = {name.lower(): value for name, value in headers}
    lengths = {value for name, value in headers if name.lower() == "content-length"}
    if len(lengths) > 1:
        raise UnreadableRequest(f"two different Content-Length headers: {sorted(lengths)}")
    chunked = "chunked" in lowered.get("transfer-encoding", "").lower()
    length_text = lowered.get("content-length", "0") or "0"
    if not chunked and not _DIGITS.fullmatch(length_text):
        raise UnreadableRequest(f"Content-Length {length_text!r} is not a number")
    length = 0 if chunked else int(length_text)
    if length > MAX_BODY_BYTES:
        raise UnreadableRequest("the request's body is too large")
    expects = lowered.get("expect", "").lower() == "100-continue"
    if expects and version == "HTTP/1.1" and (chunked or length):  # only for a body to come
        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
    if chunked:
        return Request(method, target, version, headers, _read_chunked(reader))
    body = reader.read(length) if length else b""
    if len(body) != length:
        raise UnreadableRequest("the connection closed inside the request's body")
    return Request(method, target, version, headers, body)


def _read_chunked(reader: io.BufferedReader) -> bytes:
    body = bytearray()
    while True:
        size_line = reader.readline(1024)
        size_text = size_line.split(b";", 1)[0].strip()
        if not _HEX.fullmatch(size_text):
            raise UnreadableRequest(f"not a chunk size: {size_line[:40]!r}")
        size = int(size_text, 16)
        if size == 0:
            while reader.readline(MAX_HEADER_BYTES) not in (b"\r\n", b"\n", b""):
                pass  # trailers: ignored
            return bytes(body)
        if len(body) + size > MAX_BODY_BYTES:
            raise UnreadableRequest("the request's body is too large")
        chunk = reader.read(size)
        if len(chunk) != size:
            raise UnreadableRequest("the connection closed inside a chunk")
        body += chunk
        reader.readline(16)  # the chunk's CRLF


def _send_plain(conn: socket.socket, status: str, text: str) -> None:
    body = text.encode("utf-8")
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    try:
        conn.sendall(head.encode("latin-1") + body)
    except OSError:
        pass


def _shutdown(conn: socket.socket) -> None:
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
