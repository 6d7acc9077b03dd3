"""The subprocess adapter: an integration in any language, driven by JSON lines.

Harness → integration, one request per line on the integration's stdin::

    {"id": 1, "method": "connect", "params": {"connection": {...}}}
    {"id": 2, "method": "apply", "params": {"change": {"kind": "invoice", ...}}}
    {"id": 3, "method": "sync", "params": {}}
    {"id": 4, "method": "status", "params": {"kind": "invoice", "key": "1001"}}
    {"id": 5, "method": "operate", "params": {"action": "bypass", "kind": ..., "key": ..,
                                              "params": {}}}
    {"id": 6, "method": "close", "params": {}}

The integration answers each on stdout with ``{"id": <same>, "result": ...}`` or
``{"id": <same>, "error": {"type": "...", "message": "...", "traceback": "..."}}``.
While it handles a request it may itself ask the harness for the simulated clock, with ids of
its own: ``{"id": "c1", "method": "now"}`` → ``{"id": "c1", "result": "2026-03-02T17:00:00Z"}``
and ``{"id": "c2", "method": "sleep", "params": {"seconds": 30}}`` → ``{"id": "c2"}``
(a frozen clock advances instead of waiting). Lines that are not JSON objects are ignored
(print debugging goes to stderr, which the harness keeps for failure reports).
"""

from __future__ import annotations

import json
import queue
import shlex
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime
from typing import IO, Any

from qbo_sim.harness.connection import Connection
from qbo_sim.harness.errors import IntegrationError, IntegrationLoadError

#: Real seconds to wait for one answer before declaring the subprocess hung.
DEFAULT_TIMEOUT = 120.0


class SubprocessIntegration:
    """Implements :class:`qbo_sim.harness.integration.Integration` over a child process."""

    def __init__(self, command: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.command = command
        self.timeout = timeout
        self.name = "subprocess"
        self._next_id = 0
        self._connection: Connection | None = None
        self._final_stderr = ""
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        try:
            self._proc = subprocess.Popen(
                shlex.split(command),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                text=True,
                bufsize=1,
            )
        except OSError as exc:
            raise IntegrationLoadError(f"cannot start {command!r}: {exc}") from exc
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()

    def _pump(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def stderr_tail(self, lines: int = 20) -> str:
        if self._stderr.closed:
            return self._final_stderr
        self._stderr.seek(0)
        return "\n".join(self._stderr.read().splitlines()[-lines:])

    def _send(self, message: dict[str, Any]) -> None:
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(json.dumps(message) + "\n")
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise IntegrationError(
                str(message.get("method", "reply")), f"subprocess closed its stdin: {exc}"
            ) from exc

    def _callback(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params") or {}
        conn = self._connection
        try:
            if conn is None:
                raise ValueError("not connected")
            if method == "now":
                result: Any = conn.now().isoformat()
            elif method == "sleep":
                conn.sleep(float(params.get("seconds", 0)))
                result = None
            else:
                raise ValueError(f"unknown method {method!r}")
        except Exception as exc:
            self._send({"id": message.get("id"), "error": {"message": str(exc)}})
            return
        self._send({"id": message.get("id"), "result": result})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self._next_id += 1
        request_id = self._next_id
        self._send({"id": request_id, "method": method, "params": params})
        while True:
            try:
                line = self._lines.get(timeout=self.timeout)
            except queue.Empty:
                raise IntegrationError(method, f"no answer within {self.timeout:.0f}s") from None
            if line is None:
                code = self._proc.wait()
                raise IntegrationError(
                    method, f"subprocess exited with code {code}", self.stderr_tail()
                )
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if not isinstance(message, dict):
                continue
            if "method" in message:
                self._callback(message)
            elif message.get("id") == request_id:
                if message.get("error"):
                    error = message["error"]
                    text = f"{error.get('type', 'Error')}: {error.get('message', '')}"
                    raise IntegrationError(method, text, error.get("traceback", ""))
                return message.get("result")

    # --- the Integration protocol -------------------------------------------------------
    def connect(self, connection: Connection) -> None:
        self._connection = connection
        result = self.request("connect", {"connection": connection.to_json()})
        if isinstance(result, dict) and result.get("name"):
            self.name = str(result["name"])

    def apply(self, change: dict[str, Any]) -> None:
        self.request("apply", {"change": change})

    def sync(self) -> None:
        self.request("sync", {})

    def status(self, kind: str, key: str) -> dict[str, Any]:
        status: dict[str, Any] = self.request("status", {"kind": kind, "key": key})
        return status

    def operate(self, action: str, kind: str, key: str, **params: Any) -> None:
        self.request("operate", {"action": action, "kind": kind, "key": key, "params": params})

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self.request("close", {})
            except IntegrationError:
                pass
            if self._proc.stdin:
                self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._pump_thread.join(timeout=10)
        if self._proc.stdout:
            self._proc.stdout.close()
        self._final_stderr = self.stderr_tail()
        self._stderr.close()


def serve_jsonl(
    factory: Callable[[], Any], stdin: IO[str] | None = None, stdout: IO[str] | None = None
) -> None:
    """Run a Python integration as a JSON-lines subprocess (the other side of the adapter)."""
    import traceback

    import requests

    reader, writer = stdin or sys.stdin, stdout or sys.stdout
    integration = factory()
    counter = [0]

    def write(message: dict[str, Any]) -> None:
        writer.write(json.dumps(message) + "\n")
        writer.flush()

    def ask(method: str, params: dict[str, Any] | None = None) -> Any:
        counter[0] += 1
        ident = f"c{counter[0]}"
        write({"id": ident, "method": method, "params": params or {}})
        while True:
            reply = json.loads(reader.readline())
            if reply.get("id") == ident:
                if reply.get("error"):
                    raise RuntimeError(reply["error"].get("message"))
                return reply.get("result")

    for line in reader:
        if not line.strip():
            continue
        message = json.loads(line)
        method, params = message.get("method"), message.get("params") or {}
        try:
            result: Any = None
            if method == "connect":
                fields = dict(params["connection"])
                fields.pop("now", None)
                for name in ("access_token_expires_at", "refresh_token_expires_at"):
                    if isinstance(fields.get(name), str):
                        fields[name] = datetime.fromisoformat(fields[name])
                conn = Connection(
                    **fields,
                    now=lambda: datetime.fromisoformat(ask("now")),
                    sleep=lambda seconds: ask("sleep", {"seconds": seconds}),
                    http=requests.Session(),
                )
                integration.connect(conn)
                result = {"name": getattr(integration, "name", None)}
            elif method == "apply":
                integration.apply(params["change"])
            elif method == "sync":
                integration.sync()
            elif method == "status":
                status = integration.status(params["kind"], params["key"])
                result = status if isinstance(status, dict) else status.__dict__
                if not isinstance(status, dict):
                    result = {
                        "state": status.state,
                        "qbo_id": status.qbo_id,
                        "error": {"code": status.error_code, "message": status.error_message},
                        "attempts": status.attempts,
                    }
            elif method == "operate":
                integration.operate(
                    params["action"], params["kind"], params["key"], **params.get("params", {})
                )
            elif method == "close":
                write({"id": message.get("id"), "result": None})
                return
            else:
                raise ValueError(f"unknown method {method!r}")
            write({"id": message.get("id"), "result": result})
        except Exception as exc:
            write(
                {
                    "id": message.get("id"),
                    "error": {
                        "type": type(exc).__name__,
                        "message": str(exc),
                        "traceback": traceback.format_exc(),
                    },
                }
            )
