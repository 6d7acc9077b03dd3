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
from typing import Any

from waitress.server import create_server

from qbo_sim.injection import DROP_HEADER

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
        start_response("500 Internal Server Error", [("Content-Length", "0")])
        return [b""]

    return wsgi


def _drop_connection(environ: dict[str, Any]) -> None:
    """Shut down the client's socket. waitress exposes its channel only through the bound
    method ``waitress.client_disconnected``; without it the client gets an empty 500 (assumed
    acceptable for other servers)."""
    probe = environ.get("waitress.client_disconnected")
    channel = getattr(probe, "__self__", None)
    sock = getattr(channel, "socket", None)
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class SimServer:
    """A waitress server for one WSGI app in a daemon thread.

    >>> with SimServer(sim.app) as base_url:
    ...     requests.get(f"{base_url}/v3/company/{realm}/companyinfo/{realm}", ...)
    """

    def __init__(
        self, app: WsgiApp, *, host: str = "127.0.0.1", port: int = 0, threads: int = 4
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.threads = threads
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the server is not running")
        return f"http://{self.host}:{self._server.effective_port}"

    def start(self) -> str:
        """Bind, listen and serve in the background; returns the base URL."""
        if self._server is not None:
            raise RuntimeError("the server is already running")
        self._server = create_server(
            server_app(self.app), host=self.host, port=self.port, threads=self.threads
        )
        self._thread = threading.Thread(
            target=self._server.run, name=f"qbo-sim-server-{self.url}", daemon=True
        )
        self._thread.start()
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        """Close every socket from the server's own loop thread, then wait for it to end."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._server = self._thread = None

        def close_all() -> None:
            for dispatcher in list(server._map.values()):
                dispatcher.close()

        server.trigger.pull_trigger(close_all)
        thread.join(timeout)
        server.task_dispatcher.shutdown(timeout=timeout)
        if thread.is_alive():  # pragma: no cover - only if waitress ignores the trigger
            raise RuntimeError("the qbo-sim server thread did not stop")

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
