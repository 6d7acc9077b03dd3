"""The subprocess adapter: an integration in any language, driven by JSON lines (protocol 1).

Harness → integration, one request per line on the integration's stdin; the integration
answers each on stdout before the next is sent::

    {"id": 0, "method": "hello", "params": {"protocol": 1, "harness": "..."}}
    {"id": 1, "method": "connect", "params": {"connection": {...}}}
    {"id": 2, "method": "apply", "params": {"change": {"kind": "invoice", ...}}}
    {"id": 3, "method": "sync", "params": {}}
    {"id": 4, "method": "status", "params": {"kind": "invoice", "key": "1001"}}
    {"id": 5, "method": "operate", "params": {"action": "bypass", "kind": ..., "key": ..,
                                              "params": {}}}
    {"id": 6, "method": "webhook", "params": {"headers": {...}, "body": "..."}}
    {"id": 7, "method": "inbound", "params": {"kind": "invoice", "key": "1001"}}
    {"id": 8, "method": "reset", "params": {}}     (capability reuse: the next scenario follows)
    {"id": 9, "method": "close", "params": {}}

``hello`` is the handshake: the integration answers ``{"protocol": 1, "name": ...,
"capabilities": [...]}`` (``webhooks``: subscribe it and send ``webhook`` requests;
``inbound``: it answers ``inbound``; ``companies``: ``connect`` carries the other companies;
``reuse``: it forgets everything on ``reset``, so one process serves scenario after scenario).
The answer to each request is ``{"id": <same>, "result": ...}`` or ``{"id": <same>, "error":
{"type": "...", "message": "...", "traceback": "..."}}``. While it handles a request the
integration may ask the harness for the simulated clock, with ids of its own:
``{"id": "c1", "method": "now"}`` → ``{"id": "c1", "result": "2026-03-02T17:00:00+00:00"}``
and ``{"id": "c2", "method": "sleep", "params": {"seconds": 30}}`` → ``{"id": "c2",
"result": null}`` (a frozen clock advances instead of waiting). Every message is defined by
``protocol.schema.json`` (:mod:`qbo_sim.harness.protocol`); a stdout line that breaks it fails
the step with a protocol error naming the line. Lines that do not start with ``{`` are ignored
(print debugging; stderr is kept for failure reports).

Webhooks reach a subprocess as ``webhook`` requests (the harness's choice, docs/harness.md
"Testing an integration written in another language").

Processes (:func:`spawn`): an integration that declares ``reuse`` keeps its process from one
scenario to the next: after a scenario the harness sends ``reset``, then checks that the process
really forgot (``status`` of a record the scenario applied must be unknown or untouched), and
hands it to the next scenario; a process that crashed, hung, broke the protocol, failed its
reset or still knew a record is closed and never reused. Without ``reuse`` (or with
``spawn(reuse=False)``: ``--fresh-process``) each scenario gets a fresh process, and the next
one is started while the current scenario runs (:data:`PREFETCH`).
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import select
import shlex
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime
from typing import IO, Any

from qbo_sim.harness.connection import Connection
from qbo_sim.harness.errors import IntegrationError, IntegrationLoadError, ReuseLeakError
from qbo_sim.harness.protocol import PROTOCOL_VERSION, ProtocolError, check_line

#: Real seconds to wait for one answer before declaring the subprocess hung.
DEFAULT_TIMEOUT = 120.0
#: Real seconds a process gets to answer ``close`` and exit before it is killed.
GOODBYE_TIMEOUT = 5.0
#: Start the next scenario's process while the current one runs, for an integration that
#: cannot be reused (off in forked workers, which run one scenario each).
PREFETCH = True


def _harness_version() -> str:
    try:
        from importlib.metadata import version

        return f"qbo-sim {version('qbo-sim')}"
    except Exception:
        return "qbo-sim"


class _Lines:
    """The child's stdout, a line at a time, with a timeout. On POSIX it is read in the
    calling thread (``poll`` and ``os.read`` on the pipe: no thread hand-off per line);
    elsewhere a thread pumps it into a queue. Bytes that are not UTF-8 are replaced, so such
    a line is a protocol error, not a crash."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._buffer = b""
        self._eof = False
        self._queue: queue.Queue[bytes | None] | None = None
        self._thread: threading.Thread | None = None
        if os.name == "posix":  # poll, not select: no limit on the descriptor's number
            self._poll = select.poll()
            self._poll.register(stream.fileno(), select.POLLIN | select.POLLHUP | select.POLLERR)
        else:
            self._queue = queue.Queue()
            self._thread = threading.Thread(target=self._pump, daemon=True)
            self._thread.start()

    def _pump(self) -> None:
        assert self._queue is not None
        for line in self._stream:
            self._queue.put(line)
        self._queue.put(None)

    def readline(self, timeout: float) -> str | None:
        """The next line (with its newline), None at end of file; raises TimeoutError."""
        if self._queue is not None:
            try:
                got = self._queue.get(timeout=timeout)
            except queue.Empty:
                raise TimeoutError from None
            return None if got is None else got.decode("utf-8", "replace")
        fd = self._stream.fileno()
        while b"\n" not in self._buffer:
            if self._eof:
                if not self._buffer:
                    return None
                rest, self._buffer = self._buffer, b""
                return rest.decode("utf-8", "replace")
            if not self._poll.poll(timeout * 1000):
                raise TimeoutError
            chunk = os.read(fd, 65536)
            if chunk:
                self._buffer += chunk
            else:
                self._eof = True
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode("utf-8", "replace") + "\n"

    def close(self) -> None:
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._stream.close()


class SubprocessIntegration:
    """Implements :class:`qbo_sim.harness.integration.Integration` over a child process."""

    #: set by the handshake when the integration declares the capability (the harness looks
    #: for callables: an in-process integration has these methods or not).
    receive_webhook: Callable[[dict[str, str], bytes], None] | None = None
    inbound: Callable[[str, str], Any] | None = None
    #: capability ``statuses``: several records' statuses in one request (:class:`Driver`
    #: ``.statuses`` uses it; each item ``{kind, key, status}`` or ``{kind, key, error}``).
    status_batch: Callable[[list[tuple[str, str]]], list[dict[str, Any]]] | None = None

    def __init__(
        self,
        command: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        handshake: bool = True,
        transcript: list[tuple[str, str]] | None = None,
    ) -> None:
        self.command = command
        #: when given, every line both ways: ("harness", line) and ("integration", line).
        self.transcript = transcript
        self.timeout = timeout
        self.name = "subprocess"
        self.capabilities: tuple[str, ...] = ()
        self.protocol: int | None = None
        #: scenarios this process has served (1 for its first).
        self.scenarios = 1
        #: False: never kept for another scenario, whatever it declares (--fresh-process).
        self.reuse_allowed = True
        self._hello_name = self.name
        self._next_id = 0
        self._line_number = 0
        self._last_line = ""
        self._in_flight: str | None = None
        self._broken: str | None = None
        #: why the process must not serve another scenario (it crashed, hung, ...), or None.
        self._unfit: str | None = None
        #: it hung, exited or closed its stdin: no ``close`` for it, and no grace to exit.
        self._unresponsive = False
        self._connection: Connection | None = None
        self._probe: tuple[str, str] | None = None
        self._final_stderr = ""
        self._stderr_from = 0
        self._closed = False
        self._exited = False
        # what the process writes there is kept for reports; bytes that are not UTF-8 are
        # replaced (a report, never a crash)
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
        try:
            self._proc = subprocess.Popen(
                shlex.split(command),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                bufsize=0,
            )
        except OSError as exc:
            raise IntegrationLoadError(f"cannot start {command!r}: {exc}") from exc
        assert self._proc.stdout is not None
        self._lines = _Lines(self._proc.stdout)
        # the handshake is sent at once (a prefetched process answers while the run goes on)
        self._send(
            {
                "id": 0,
                "method": "hello",
                "params": {"protocol": PROTOCOL_VERSION, "harness": _harness_version()},
            }
        )
        self._hello_done = False
        if handshake:
            self.handshake()

    def handshake(self) -> None:
        """Read the answer to ``hello``: the protocol version (refused unless 1), the name
        and the capabilities."""
        if self._hello_done:
            return
        self._hello_done = True
        self._in_flight = "hello"
        try:
            result = self._await(0, "hello")
        except IntegrationError as exc:
            self._unfit = "its handshake failed"
            self.close()
            raise IntegrationLoadError(
                f"{self.command!r} did not complete the protocol {PROTOCOL_VERSION} handshake "
                f"(hello): {exc.message}" + (f"\n{exc.traceback}" if exc.traceback else "")
            ) from exc
        finally:
            self._in_flight = None
        self.protocol = int(result["protocol"])
        self.name = self._hello_name = str(result.get("name") or self.name)
        self.capabilities = tuple(result.get("capabilities") or ())
        if "webhooks" in self.capabilities:
            self.receive_webhook = self._receive_webhook
        if "inbound" in self.capabilities:
            self.inbound = self._inbound
        if "statuses" in self.capabilities:
            self.status_batch = self._statuses

    @property
    def pid(self) -> int:
        """The process id of the integration's process."""
        return int(self._proc.pid)

    @property
    def reusable(self) -> bool:
        """Whether, once this scenario ends, the process may serve the next one."""
        return (
            self.reuse_allowed
            and "reuse" in self.capabilities
            and self._unfit is None
            and self._broken is None
            and self._proc.poll() is None
        )

    def stderr_tail(self, lines: int = 20) -> str:
        """The last lines the process wrote on stderr during this scenario."""
        if self._closed or self._stderr.closed:
            return self._final_stderr
        self._stderr.seek(self._stderr_from)
        return "\n".join(self._stderr.read().splitlines()[-lines:])

    def _send(self, message: dict[str, Any]) -> None:
        assert self._proc.stdin is not None
        line = json.dumps(message)
        if self.transcript is not None:
            self.transcript.append(("harness", line))
        try:
            self._proc.stdin.write(line.encode("utf-8") + b"\n")
        except (BrokenPipeError, OSError, ValueError) as exc:
            self._unfit, self._unresponsive = "its stdin is closed", True
            raise IntegrationError(
                str(message.get("method", "reply")), f"subprocess closed its stdin: {exc}"
            ) from exc

    def _callback(self, message: dict[str, Any]) -> None:
        method, params = message["method"], message.get("params") or {}
        conn = self._connection
        try:
            if conn is None:
                raise ValueError("not connected: the clock is available from connect on")
            if method == "now":
                result: Any = conn.now().isoformat()
            else:  # sleep (the schema allows nothing else)
                conn.sleep(float(params["seconds"]))
                result = None
        except Exception as exc:
            self._send({"id": message["id"], "error": {"message": str(exc)}})
            return
        self._send({"id": message["id"], "result": result})

    def _await(self, request_id: int, method: str) -> Any:
        while True:
            try:
                line = self._lines.readline(self.timeout)
            except TimeoutError:
                self._unfit = f"it did not answer {method} within {self.timeout:.0f}s"
                self._unresponsive = True
                raise IntegrationError(method, f"no answer within {self.timeout:.0f}s") from None
            if line is None:
                self._unfit, self._unresponsive = "it exited", True
                code = self._proc.wait()
                raise IntegrationError(
                    method, f"subprocess exited with code {code}", self.stderr_tail()
                )
            self._line_number += 1
            self._last_line = line.strip()
            if self.transcript is not None:
                self.transcript.append(("integration", line.rstrip("\n")))
            try:
                message = check_line(self._line_number, line, method)
                if message is None:
                    continue
                if "method" in message:
                    self._callback(message)
                    continue
                if message["id"] != request_id:
                    raise ProtocolError(
                        method,
                        self._line_number,
                        line.strip(),
                        f"answers request {message['id']!r}; the harness waits for the "
                        f"answer to request {request_id} ({method})",
                    )
            except ProtocolError as exc:
                raise self._broke(exc) from None
            if "error" in message:
                raise IntegrationError.from_answer(method, message["error"])
            return message["result"]

    def _broke(self, error: ProtocolError) -> ProtocolError:
        """Mark the protocol broken by ``error`` (nothing more is sent) and give it the
        stderr tail for the report."""
        self._broken = error.message
        error.traceback = self.stderr_tail()
        return error

    def request(self, method: str, params: dict[str, Any]) -> Any:
        if self._broken is not None:
            raise IntegrationError(method, "not sent: the integration broke the protocol earlier")
        if self._in_flight is not None:
            raise IntegrationError(
                method, f"not sent: the integration is still handling {self._in_flight}"
            )
        self.handshake()
        self._next_id += 1
        request_id = self._next_id
        self._in_flight = method
        try:
            self._send({"id": request_id, "method": method, "params": params})
            return self._await(request_id, method)
        finally:
            self._in_flight = None

    # --- the Integration protocol -------------------------------------------------------
    def connect(self, connection: Connection) -> None:
        self._connection = connection
        fields = connection.to_json()
        if "companies" in self.capabilities and connection.companies:
            fields["companies"] = {a: c.to_json() for a, c in connection.companies.items()}
        result = self.request("connect", {"connection": fields})
        if isinstance(result, dict) and result.get("name"):
            self.name = str(result["name"])

    def apply(self, change: dict[str, Any]) -> None:
        if self._probe is None and "company" not in change and "kind" in change:
            self._probe = (str(change["kind"]), str(change.get("key")))
        self.request("apply", {"change": change})

    def sync(self) -> None:
        self.request("sync", {})

    def status(self, kind: str, key: str) -> dict[str, Any]:
        status: dict[str, Any] = self.request("status", {"kind": kind, "key": key})
        return status

    def _statuses(self, records: list[tuple[str, str]]) -> list[dict[str, Any]]:
        """One item per record, in order, each naming its record (``kind``, ``key``): an
        answer for other records, or in another order, breaks the protocol."""
        asked = [{"kind": kind, "key": key} for kind, key in records]
        items: list[dict[str, Any]] = self.request("statuses", {"records": asked})
        answered = [{"kind": item["kind"], "key": item["key"]} for item in items]
        if answered != asked:
            if len(answered) != len(asked):
                problem = f"answers {len(answered)} records, {len(asked)} were asked"
            else:
                at = next(i for i, (a, b) in enumerate(zip(asked, answered, strict=True)) if a != b)
                problem = (
                    f"item {at} is {answered[at]['kind']} {answered[at]['key']!r}; "
                    f"{asked[at]['kind']} {asked[at]['key']!r} was asked there (one item "
                    "per record, in the order asked)"
                )
            raise self._broke(
                ProtocolError(
                    "statuses",
                    self._line_number,
                    self._last_line,
                    f"the result of statuses: {problem}",
                )
            )
        return items

    def operate(self, action: str, kind: str, key: str, **params: Any) -> None:
        self.request("operate", {"action": action, "kind": kind, "key": key, "params": params})

    def _receive_webhook(self, headers: dict[str, str], body: bytes) -> None:
        """A notification for the integration's endpoint (capability ``webhooks``); an error
        answer is a failed delivery (QBO retries it)."""
        self.request("webhook", {"headers": dict(headers), "body": body.decode("utf-8")})

    def _inbound(self, kind: str, key: str) -> Any:
        return self.request("inbound", {"kind": kind, "key": key})

    # --- between scenarios ---------------------------------------------------------------
    def _recycle(self) -> bool:
        """``reset``, then the leak check; True when the process is fit for another scenario.
        A failed reset or a record still known raises :class:`IntegrationError` (a failure of
        the scenario that just ran) after the process is marked unfit."""
        try:
            self.request("reset", {})
        except IntegrationError:
            self._unfit = "its reset failed"
            raise
        if self._probe is not None:
            kind, key = self._probe
            try:
                left = self.request("status", {"kind": kind, "key": key})
            except ProtocolError:
                self._unfit = "it broke the protocol after reset"
                raise
            except IntegrationError:
                left = None  # an unknown record: forgotten, as it should be
            if isinstance(left, dict) and (
                left.get("state") != "pending" or left.get("qbo_id") or left.get("attempts")
            ):
                self._unfit = "its reset kept records"
                raise ReuseLeakError(kind, key, json.dumps(left))
        return self.reusable

    def _begin(self) -> None:
        """Ready a kept process for its next scenario."""
        self.scenarios += 1
        self.name = self._hello_name
        self._connection = None
        self._probe = None
        self._final_stderr = ""
        self._closed = False
        self._stderr.seek(0, os.SEEK_END)
        self._stderr_from = self._stderr.tell()

    def close(self) -> None:
        """End this scenario. A reusable process is reset and kept for the next (see
        :func:`spawn`); any other is shut (:meth:`_shut`), and its exit awaited in the
        background, so a run does not wait for interpreters to tear down. Its stderr so far
        is kept for the report."""
        if self._closed:
            return
        if self.reusable and self._in_flight is None:
            try:
                kept = self._recycle()
            finally:
                self._final_stderr = self.stderr_tail()
                self._closed = True
                if not self.reusable:
                    self._shut()
            if kept:
                _keep(self)
            return
        self._final_stderr = self.stderr_tail()
        self._closed = True
        self._shut()

    def _shut(self, *, wait: bool = False) -> None:
        """``close`` (within :data:`GOODBYE_TIMEOUT`), then stdin closed; a process that
        hung or exited gets no ``close``. Its exit is awaited in a reaper thread (``wait``:
        here, as at interpreter exit), which kills it after :data:`GOODBYE_TIMEOUT`."""
        if self._exited:
            return
        self._exited = True
        if (
            self._proc.poll() is None
            and self._broken is None
            and not self._unresponsive
            and self._in_flight is None
        ):
            self.timeout = min(self.timeout, GOODBYE_TIMEOUT)
            try:
                self.request("close", {})
            except IntegrationError:
                pass
        try:
            if self._proc.stdin:
                self._proc.stdin.close()
        except OSError:
            pass
        if wait:
            self._reap()
        else:
            threading.Thread(target=self._reap, daemon=True).start()

    def _reap(self) -> None:
        if self._unresponsive and self._proc.poll() is None:
            self._proc.kill()  # it hung: no grace
        try:
            self._proc.wait(timeout=GOODBYE_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._lines.close()
        self._stderr.close()


#: command → (the pid that started it, a started process whose hello is on its way).
_SPARES: dict[str, tuple[int, SubprocessIntegration]] = {}
#: command → (the pid that kept it, a reset process waiting for its next scenario).
_KEPT: dict[str, tuple[int, SubprocessIntegration]] = {}
_POOL_LOCK = threading.Lock()


def _keep(integration: SubprocessIntegration) -> None:
    with _POOL_LOCK:
        previous = _KEPT.pop(integration.command, None)
        _KEPT[integration.command] = (os.getpid(), integration)
    if previous is not None and previous[1] is not integration:  # one kept per command
        previous[1]._shut()


def spawn(command: str, *, reuse: bool = True) -> SubprocessIntegration:
    """A process for one scenario: the one kept from the last scenario when the integration
    declared ``reuse`` (and ``reuse`` is true here), else a fresh one. With :data:`PREFETCH`,
    a fresh one was started (and sent ``hello``) while the previous scenario ran, and the next
    one is started now, so a run of N scenarios waits for one start-up instead of N."""
    with _POOL_LOCK:
        kept = _KEPT.pop(command, None) if reuse else None
        spare = _SPARES.pop(command, None)
    if kept is not None and kept[0] == os.getpid():
        if kept[1].reusable:
            if spare is not None and spare[0] == os.getpid():
                with _POOL_LOCK:
                    _SPARES[command] = spare
            kept[1]._begin()
            return kept[1]
        kept[1]._shut()  # it exited while it waited: reap it
    if spare is not None and spare[0] != os.getpid():  # inherited by a fork: not ours
        spare = None
    integration = spare[1] if spare is not None else SubprocessIntegration(command, handshake=False)
    integration.reuse_allowed = reuse
    integration.handshake()
    if PREFETCH and not integration.reusable:
        try:
            following = SubprocessIntegration(command, handshake=False)
        except IntegrationLoadError:
            pass
        else:
            with _POOL_LOCK:
                _SPARES[command] = (os.getpid(), following)
    return integration


def retire(command: str) -> None:
    """Close the process kept for ``command`` (and its prefetched spare), if any: the next
    scenario starts a fresh one."""
    _retire([command])


def _retire(commands: list[str], *, wait: bool = False) -> None:
    """Shut the kept process and the spare of each command (only this process's own: a
    fork inherits the tables, not the children)."""
    with _POOL_LOCK:
        pairs = [(_KEPT.pop(c, None), _SPARES.pop(c, None)) for c in commands]
    for kept, spare in pairs:
        if kept is not None and kept[0] == os.getpid():
            kept[1]._shut(wait=wait)
        if spare is not None and spare[0] == os.getpid():
            spare[1]._hello_done = True  # never handed out: no handshake to wait for
            spare[1]._broken = "unused"
            spare[1]._shut(wait=wait)


@atexit.register
def _close_spares() -> None:
    with _POOL_LOCK:
        commands = list({*_KEPT, *_SPARES})
    _retire(commands, wait=True)  # at exit a daemon reaper would die first: reap here


def serve_jsonl(
    factory: Callable[[], Any],
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    *,
    reuse: bool = True,
) -> None:
    """Run a Python integration as a JSON-lines subprocess (the other side of the adapter):
    protocol 1, capabilities from the object (``receive_webhook``: webhooks, ``inbound``:
    inbound; companies always, as in-process) and ``reuse``: on ``reset`` the object is
    closed and a new one made by ``factory``, with a new HTTP session (what the process keeps
    elsewhere, in module globals, is the integration's own to forget; ``reuse=False`` when it
    cannot: a fresh process for every scenario)."""
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

    def new_session() -> requests.Session:
        made = requests.Session()
        made.trust_env = False  # it reaches the simulator only: no proxy or .netrc lookups
        return made

    session = new_session()

    def connection(fields: dict[str, Any]) -> Connection:
        fields = dict(fields)
        fields.pop("now", None)
        others = fields.pop("companies", None) or {}
        for name in ("access_token_expires_at", "refresh_token_expires_at"):
            if isinstance(fields.get(name), str):
                fields[name] = datetime.fromisoformat(fields[name])
        made = Connection(
            **fields,
            now=lambda: datetime.fromisoformat(ask("now")),
            sleep=lambda seconds: ask("sleep", {"seconds": seconds}),
            http=session,
        )
        made.companies = {alias: connection(other) for alias, other in others.items()}
        return made

    def capabilities() -> list[str]:
        found = ["companies", "statuses"] + (["reuse"] if reuse else [])
        if callable(getattr(integration, "receive_webhook", None)):
            found.append("webhooks")
        if callable(getattr(integration, "inbound", None)):
            found.append("inbound")
        return found

    def status_of(kind: str, key: str) -> Any:
        status = integration.status(kind, key)
        if isinstance(status, dict):
            return status
        return {
            "state": status.state,
            "qbo_id": status.qbo_id,
            "error": {"code": status.error_code, "message": status.error_message},
            "attempts": status.attempts,
        }

    def error_of(exc: BaseException) -> dict[str, str]:
        return {
            "type": type(exc).__name__,
            "message": str(exc),
            "traceback": "".join(traceback.format_exception(exc)),
        }

    for line in reader:
        if not line.strip():
            continue
        message = json.loads(line)
        method, params = message.get("method"), message.get("params") or {}
        try:
            result: Any = None
            if method == "hello":
                result = {
                    "protocol": PROTOCOL_VERSION,
                    "name": getattr(integration, "name", None),
                    "capabilities": capabilities(),
                }
            elif method == "connect":
                integration.connect(connection(params["connection"]))
                result = {"name": getattr(integration, "name", None)}
            elif method == "apply":
                integration.apply(params["change"])
            elif method == "sync":
                integration.sync()
            elif method == "status":
                result = status_of(params["kind"], params["key"])
            elif method == "statuses":
                result = []
                for record in params["records"]:
                    named = {"kind": record["kind"], "key": record["key"]}
                    try:
                        result.append({**named, "status": status_of(named["kind"], named["key"])})
                    except Exception as exc:
                        result.append({**named, "error": error_of(exc)})
            elif method == "operate":
                integration.operate(
                    params["action"], params["kind"], params["key"], **params.get("params", {})
                )
            elif method == "inbound":
                result = integration.inbound(params["kind"], params["key"])
            elif method == "webhook":
                integration.receive_webhook(params["headers"], params["body"].encode("utf-8"))
            elif method == "reset":
                closer = getattr(integration, "close", None)
                if callable(closer):
                    closer()
                session.close()
                session = new_session()
                integration = factory()
            elif method == "close":
                closer = getattr(integration, "close", None)
                if callable(closer):
                    closer()
                write({"id": message.get("id"), "result": None})
                return
            else:
                raise ValueError(f"unknown method {method!r}")
            write({"id": message.get("id"), "result": result})
        except Exception as exc:
            write({"id": message.get("id"), "error": error_of(exc)})
