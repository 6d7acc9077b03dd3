"""Server mode: the simulator's WSGI app over real HTTP, served by waitress (threaded).

``with sim.serve(port=0) as base_url:`` runs the server in a background thread on a free port
and shuts it down on exit; ``qbo-sim serve`` runs the same app in the foreground. Both wrap the
app in :func:`server_app`, which turns fault injection's ``X-QBO-Sim-Drop: 1`` responses into a
connection closed without any response.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ThreadedTaskDispatcher

from qbo_sim.access_log import DROPPED_KEY, access_logged
from qbo_sim.injection import DROP_HEADER
from qbo_sim.loopback_server import SOCKET_KEY

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def server_app(app: WsgiApp) -> WsgiApp:
    """Wrap ``app`` for waitress: a response marked ``X-QBO-Sim-Drop: 1`` is not sent; the
    client's socket is shut down instead, so the client sees the connection drop."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["drop"] = any(
                name.lower() == DROP_HEADER.lower() and value == "1" for name, value in headers
            )
            if captured["drop"]:
                return lambda data: None
            return start_response(status, headers, exc_info)

        result = app(environ, capture)
        if not captured.get("drop"):
            return result
        close = getattr(result, "close", None)
        if close is not None:
            close()
        _drop_connection(environ)
        environ[DROPPED_KEY] = True
        start_response("500 Internal Server Error", [("Content-Length", "0")])
        return [b""]

    return wsgi


def _drop_connection(environ: dict[str, Any]) -> None:
    """Shut down the client's socket. waitress exposes its channel only through the bound
    method ``waitress.client_disconnected``; without it the client gets an empty 500 (assumed
    acceptable for other servers)."""
    sock = environ.get(SOCKET_KEY)  # qbo_sim.loopback_server's
    if sock is None:
        probe = environ.get("waitress.client_disconnected")
        channel = getattr(probe, "__self__", None)
        sock = getattr(channel, "socket", None)
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _JoinableDispatcher(ThreadedTaskDispatcher):  # type: ignore[misc]  # waitress: untyped
    """waitress's worker pool, keeping its threads so :meth:`SimServer.stop` can join them
    (waitress starts them as anonymous daemon threads), and able to wait until every worker is
    idle, so a request sent right after start is not reported as a queued task."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.started: list[threading.Thread] = []
        self.queue_cv = _NotifyingCondition(self.lock, self.thread_exit_cv)

    def start_new_thread(self, target: Callable[..., Any], thread_no: int) -> None:
        thread = threading.Thread(
            target=target, args=(thread_no,), name=f"{self.name}-worker-{thread_no}", daemon=True
        )
        self.started.append(thread)
        thread.start()

    def wait_idle(self, timeout: float) -> None:
        """Until every worker waits for a task (each says so on ``thread_exit_cv``)."""
        with self.lock:
            self.thread_exit_cv.wait_for(lambda: self.active_count <= 0, timeout)


class _NotifyingCondition(threading.Condition):
    """waitress's ``queue_cv``: a worker about to wait for a task (idle) notifies ``idle``."""

    def __init__(self, lock: Any, idle: threading.Condition) -> None:
        super().__init__(lock)
        self.idle = idle

    def wait(self, timeout: float | None = None) -> bool:
        self.idle.notify_all()
        return super().wait(timeout)


class SimServer:
    """A waitress server for one WSGI app in a daemon thread.

    >>> with SimServer(sim.app) as base_url:
    ...     requests.get(f"{base_url}/v3/company/{realm}/companyinfo/{realm}", ...)

    ``access_log`` (a writable text stream, e.g. ``sys.stderr``) gets one line per request in
    ``log_format`` ``"text"`` or ``"json"`` (qbo_sim/access_log.py); None logs nothing.
    Binding errors (a busy port, an unknown host) raise ``OSError`` from :meth:`start`.
    """

    def __init__(
        self,
        app: WsgiApp,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = 16,
        access_log: TextIO | None = None,
        log_format: str = "text",
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.threads = threads
        self.access_log = access_log
        self.log_format = log_format
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._dispatcher: _JoinableDispatcher | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the server is not running")
        return f"http://{_url_host(self.host)}:{self._port(self._server)}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> str:
        """Bind, listen and serve in the background; returns the base URL."""
        if self._server is not None:
            raise RuntimeError("the server is already running")
        app = server_app(self.app)
        if self.access_log is not None:
            app = access_logged(app, self.access_log, self.log_format)
        dispatcher = _JoinableDispatcher("qbo-sim-server")
        dispatcher.set_thread_count(self.threads)
        dispatcher.wait_idle(timeout=10)
        socket_map: dict[int, Any] = {}
        try:
            server = create_server(
                app,
                map=socket_map,
                host=self.host,
                port=self.port,
                threads=self.threads,
                _dispatcher=dispatcher,
            )
        except BaseException:  # e.g. a busy port: free what waitress opened before bind()
            for opened in list(socket_map.values()):
                opened.close()
            dispatcher.shutdown(timeout=5)
            _join(dispatcher.started, 5)
            raise
        self._server, self._dispatcher = server, dispatcher
        self._thread = threading.Thread(
            target=server.run, name=f"qbo-sim-server-{self.url}", daemon=True
        )
        self._thread.start()
        return self.url

    def wait(self, timeout: float | None = None) -> None:
        """Block until the server stops (``qbo-sim serve`` waits here in the foreground)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop deterministically, never raising: (1) the loop thread closes the listening
        sockets, (2) the worker threads finish their requests and are joined, while the loop
        still flushes their answers and its trigger is open for them, (3) the loop thread
        closes every remaining channel and the trigger, so its loop ends, (4) it is joined.
        Closing sockets only from the loop thread, and only after the workers are gone, is what
        keeps waitress from polling or pulling a closed descriptor (EBADF)."""
        server, thread, dispatcher = self._server, self._thread, self._dispatcher
        if server is None or thread is None or dispatcher is None:
            return
        self._server = self._thread = self._dispatcher = None
        socket_map: dict[int, Any] = _socket_map(server)
        listeners = [d for d in socket_map.values() if isinstance(d, BaseWSGIServer)]
        triggers = [listener.trigger for listener in listeners]

        def close_listeners() -> None:
            for listener in listeners:
                wasyncore.dispatcher.close(listener)  # the socket only, not the trigger

        def close_everything() -> None:
            for dispatcher_ in list(socket_map.values()):
                if dispatcher_ not in triggers:
                    dispatcher_.close()
            for trigger in triggers:
                trigger.close()

        _in_loop(thread, triggers, close_listeners, timeout)
        dispatcher.shutdown(cancel_pending=True, timeout=timeout)
        _join(dispatcher.started, timeout)
        if not _in_loop(thread, triggers, close_everything, timeout):
            close_everything()  # the loop is gone already: nothing polls these any more
        thread.join(timeout)

    @staticmethod
    def _port(server: Any) -> int:
        port = getattr(server, "effective_port", None)
        if port is None:  # several listening sockets (e.g. "localhost": IPv4 and IPv6)
            port = server.effective_listen[0][1]
        return int(port)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _socket_map(server: Any) -> dict[int, Any]:
    mapping: dict[int, Any] | None = getattr(server, "_map", None)
    if mapping is None:
        mapping = server.map
    return mapping


def _in_loop(
    thread: threading.Thread, triggers: list[Any], thunk: Callable[[], None], timeout: float
) -> bool:
    """Run ``thunk`` in the server's loop thread and wait for it; False if the loop is not
    running (nothing to wait for)."""
    if not triggers or not thread.is_alive():
        return False
    done = threading.Event()

    def run() -> None:
        try:
            thunk()
        finally:
            done.set()

    try:
        triggers[0].pull_trigger(run)
    except OSError:  # the trigger is closed: the loop has ended
        return False
    while not done.wait(0.05):
        if not thread.is_alive():
            return False
        timeout -= 0.05
        if timeout <= 0:  # pragma: no cover - a loop stuck in a request
            return False
    return True


def _join(threads: list[threading.Thread], timeout: float) -> None:
    for thread in threads:
        if thread is not threading.current_thread():
            thread.join(timeout)


def _url_host(host: str) -> str:
    """The host part of a URL: IPv6 literals in brackets; a wildcard bind as loopback."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host
