"""The server's access log: one line per request on a text stream (``qbo-sim serve``: stderr).

Text (``--log-format text``)::

    POST /v3/company/9130356/customer 400 fault=6240 4.2ms realm=9130356
    GET /_sim/health 200 0.3ms

JSON (``--log-format json``), one object per line, every key always present::

    {"method": "POST", "path": "/v3/company/9130356/customer", "status": 400,
     "fault": "6240", "ms": 4.2, "realm": "9130356"}

``fault`` is the code of the QBO fault the API answered (the gateway puts the code it journals
into the WSGI environ, so nothing is parsed twice); ``status`` is ``"dropped"`` for a
connection fault injection dropped. ``ms`` is the real time spent serving the request: a
measure of the server, not of the simulation, so it is the one place that reads a wall clock
rather than ``sim.clock``. The log lives in the server layer only; the in-process transport
(``sim.mock()``) logs nothing.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TextIO

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: WSGI environ keys the app fills in for the log (qbo_sim/api/gateway.py, qbo_sim/server.py).
FAULT_KEY = "qbo_sim.fault_code"
REALM_KEY = "qbo_sim.realm"
DROPPED_KEY = "qbo_sim.dropped"

FORMATS = ("text", "json")

_REALM_IN_PATH = re.compile(r"^/(?:v3/company|_sim/companies|_sim/throttle)/(\d+)(?:/|$)")


def access_logged(app: WsgiApp, stream: TextIO, log_format: str = "text") -> WsgiApp:
    """Wrap ``app`` so that each request writes one line to ``stream`` once answered."""
    if log_format not in FORMATS:
        raise ValueError(f"log format must be one of {FORMATS}, not {log_format!r}")
    lock = threading.Lock()

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        seen: dict[str, int] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        try:
            return app(environ, capture)
        finally:
            ms = (time.perf_counter() - started) * 1000
            line = format_line(environ, seen.get("status", 500), ms, log_format)
            with lock:
                try:
                    stream.write(line + "\n")
                    stream.flush()
                except (OSError, ValueError):  # a closed or broken stream never fails a request
                    pass

    return wsgi


def format_line(environ: dict[str, Any], status: int, ms: float, log_format: str) -> str:
    """One access-log line (no newline) for a request answered with ``status``."""
    path = environ.get("PATH_INFO") or "/"
    realm = environ.get(REALM_KEY)
    if realm is None:
        found = _REALM_IN_PATH.match(path)
        realm = found.group(1) if found else None
    fault = environ.get(FAULT_KEY)
    shown: int | str = "dropped" if environ.get(DROPPED_KEY) else status
    method = environ.get("REQUEST_METHOD", "-")
    if log_format == "json":
        record = {
            "method": method,
            "path": path,
            "status": shown,
            "fault": fault,
            "ms": round(ms, 1),
            "realm": realm,
        }
        return json.dumps(record)
    safe_path = json.dumps(path)[1:-1]  # control characters escaped: always one line
    parts = [method, safe_path, str(shown)]
    if fault:
        parts.append(f"fault={fault}")
    parts.append(f"{ms:.1f}ms")
    if realm:
        parts.append(f"realm={realm}")
    return " ".join(parts)
