"""Every ratio of issue 15 from one run, each against a baseline measured in the same run.

Rows (qbo-sim against its floor; lower ratios are better unless the row says "ahead"):

- in-process create + read + query through ``qbo_sim.mock()`` against a bare ``responses``
  callback answering canned JSON, and a minimal Flask app behind the same callback; and the
  same calls through ``requests.Session(trust_env=False)`` against the default session (what
  skipping the proxy settings of the environment saves, quoted in the README);
- the Flask test client → qbo-sim against the test client → a minimal Flask JSON app;
- ``qbo-sim serve``: server CPU per create + get against the minimal app on waitress (both
  subprocesses, CPU read from ``/proc``); throughput against ``moto_server`` DynamoDB Put + Get
  when moto is importable (not a dependency: otherwise a note is printed);
- growth, big company against 1k customers, each through the test client: LIKE, ORDERBY page,
  COUNT, ``Balance > 0`` page, CDC with few changes, STARTPOSITION paging without ORDERBY, and
  create / read / update (which must stay flat);
- snapshot write (``snapshot.dumps``) against ``json.dumps`` and orjson on the same dict, and
  import (parse + ``import_state``) against ``json.loads`` of the same text;
- the whole scenario library from the CLI against a process that only imports the modules that
  run imported.

Pairs are interleaved (A, B, B, A, ...) so the machine's load hits both alike; medians are
printed. ``--quick``: 10k instead of 100k customers, fewer repeats (about two minutes on a
loaded two-core machine). ``BENCH_QBO_SIM_ROOT=/other/checkout`` measures another copy of
qbo-sim with this script (before/after). Not a test: nothing here asserts a time.

Run: ``python3 bench/bench_all.py [--quick]``.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(os.environ.get("BENCH_QBO_SIM_ROOT") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import responses  # noqa: E402
from flask import Flask, jsonify, request  # noqa: E402

from qbo_sim import Clock, Simulator, snapshot  # noqa: E402
from qbo_sim.auth import DEV_TOKEN  # noqa: E402

HEADERS = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}
STAMP = "2026-03-01T09:00:00-08:00"
HOST = "https://sandbox-quickbooks.api.intuit.com"
REFERENCE = "qbo_sim.connectors.fieldservice_sync:make_integration"


@dataclass(frozen=True)
class Config:
    """Sizes and repeats of one run."""

    small: int = 1_000
    big: int = 100_000
    rounds: int = 300  # per-request rows
    repeats: int = 15  # growth rows
    snapshot_size: int = 100_000  # customers, and as many invoices
    snapshot_repeats: int = 3
    server_ops: int = 400
    library_runs: int = 3
    library_filter: str | None = None  # -k for the scenario library (tests: one scenario)

    @classmethod
    def quick(cls) -> Config:
        return cls(
            big=10_000,
            rounds=120,
            repeats=21,
            snapshot_size=10_000,
            snapshot_repeats=2,
            server_ops=150,
            library_runs=1,
        )


@dataclass(frozen=True)
class Row:
    what: str
    value: float  # qbo-sim, in ``unit``
    baseline: float
    unit: str
    against: str
    target: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline


def median_pair(a: Callable[[], Any], b: Callable[[], Any], rounds: int) -> tuple[float, float]:
    """Median seconds of ``a`` and of ``b``, interleaved, after a short warm-up."""
    for _ in range(min(5, rounds)):
        a(), b()
    times: tuple[list[float], list[float]] = ([], [])
    for n in range(rounds):
        order = ((0, a), (1, b)) if n % 2 else ((1, b), (0, a))
        for slot, call in order:
            started = time.perf_counter()
            call()
            times[slot].append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


# --- the minimal app and the canned answers ----------------------------------------------
CUSTOMER = {
    "Id": "1",
    "SyncToken": "0",
    "DisplayName": "Bench",
    "Active": True,
    "Balance": 0,
    "MetaData": {"CreateTime": STAMP, "LastUpdatedTime": STAMP},
}


def minimal_app() -> Flask:
    """The floor: a Flask JSON app that keeps customers in a dict."""
    app = Flask("minimal")
    rows: dict[str, dict[str, Any]] = {}

    @app.post("/v3/company/<realm>/customer")
    def create(realm: str) -> Any:
        body = request.get_json()
        entity = {**CUSTOMER, **body, "Id": str(len(rows) + 1)}
        rows[entity["Id"]] = entity
        return jsonify({"Customer": entity, "time": STAMP})

    @app.get("/v3/company/<realm>/customer/<entity_id>")
    def read(realm: str, entity_id: str) -> Any:
        return jsonify({"Customer": rows.get(entity_id, CUSTOMER), "time": STAMP})

    @app.get("/v3/company/<realm>/query")
    def query(realm: str) -> Any:
        return jsonify(
            {
                "QueryResponse": {"Customer": [CUSTOMER], "startPosition": 1, "maxResults": 1},
                "time": STAMP,
            }
        )

    return app


def canned(req: Any) -> tuple[int, dict[str, str], str]:
    if req.method == "POST":
        return 200, {"Content-Type": "application/json"}, json.dumps({"Customer": CUSTOMER})
    if "/query" in req.url:
        body = {"QueryResponse": {"Customer": [CUSTOMER], "startPosition": 1, "maxResults": 1}}
        return 200, {"Content-Type": "application/json"}, json.dumps(body)
    return 200, {"Content-Type": "application/json"}, json.dumps({"Customer": CUSTOMER})


def through_app(app: Flask) -> Callable[[Any], tuple[int, dict[str, str], str]]:
    client = app.test_client()

    def callback(req: Any) -> tuple[int, dict[str, str], str]:
        path = req.path_url
        res = client.open(path, method=req.method, data=req.body, headers=dict(req.headers))
        return res.status_code, {"Content-Type": res.content_type}, res.get_data(as_text=True)

    return callback


def crq(session: requests.Session, host: str, realm: str, n: int) -> None:
    """One create, one read and one query."""
    base = f"{host}/v3/company/{realm}"
    made = session.post(f"{base}/customer", json={"DisplayName": f"Bench {n}"}, headers=HEADERS)
    entity_id = made.json()["Customer"]["Id"]
    session.get(f"{base}/customer/{entity_id}", headers=HEADERS).json()
    query = "SELECT * FROM Customer WHERE DisplayName = 'Bench 1'"
    session.get(f"{base}/query", params={"query": query}, headers=HEADERS).json()


def median_blocks(
    a: tuple[Callable[[], Any], Callable[[], None]],
    b: tuple[Callable[[], Any], Callable[[], None]],
    rounds: int,
) -> tuple[float, float]:
    """Like :func:`median_pair` for calls that need a context (a patched ``requests``: only
    one ``responses`` mock can be active), alternating blocks of calls instead of calls."""
    times: tuple[list[float], list[float]] = ([], [])
    blocks = 6
    for n in range(blocks + 2):  # the first two blocks warm up
        for slot in (0, 1) if n % 2 else (1, 0):
            context, call = (a, b)[slot]
            with context():
                for _ in range(max(1, rounds // blocks)):
                    started = time.perf_counter()
                    call()
                    if n >= 2:
                        times[slot].append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def per_request_rows(cfg: Config) -> list[Row]:
    counter = iter(range(10**9))
    rows: list[Row] = []
    sim = Simulator(seed=0)
    realm = sim.create_company("sample")
    sim.throttle.set_enabled(False)
    session = requests.Session()
    pattern = re.compile(r"https://floor\.invalid/.*")

    def floor_mock(callback: Callable[[Any], Any]) -> Callable[[], Any]:
        def context() -> Any:
            mock = responses.RequestsMock(assert_all_requests_are_fired=False)
            for method in ("GET", "POST"):
                mock.add_callback(method, pattern, callback=callback)
            return mock

        return context

    simulated = (sim.mock, lambda: crq(session, HOST, realm, next(counter)))
    on_floor = lambda: crq(session, "https://floor.invalid", "1", next(counter))  # noqa: E731
    mock_s, floor_s = median_blocks(simulated, (floor_mock(canned), on_floor), cfg.rounds)
    flask = (floor_mock(through_app(minimal_app())), on_floor)
    mock2_s, flask_s = median_blocks(simulated, flask, cfg.rounds)
    sim.journal.clear()
    rows.append(
        Row(
            "in-process create+read+query (qbo_sim.mock)",
            mock_s / 3 * 1e3,
            floor_s / 3 * 1e3,
            "ms/op",
            "bare responses callback",
            "<= 1.5x",
        )
    )
    rows.append(
        Row(
            "  minimal Flask app behind responses",
            flask_s / 3 * 1e3,
            floor_s / 3 * 1e3,
            "ms/op",
            "bare responses callback",
        )
    )
    rows.append(
        Row(
            "  qbo_sim.mock vs minimal Flask behind responses",
            mock2_s / 3 * 1e3,
            flask_s / 3 * 1e3,
            "ms/op",
            "minimal Flask behind responses",
        )
    )

    # the same calls through a Session that reads no proxy settings from the environment
    lean = requests.Session()
    lean.trust_env = False
    untrusting = (sim.mock, lambda: crq(lean, HOST, realm, next(counter)))
    lean_s, trusting_s = median_blocks(untrusting, simulated, cfg.rounds)
    sim.journal.clear()
    rows.append(
        Row(
            "  qbo_sim.mock with requests.Session(trust_env=False)",
            lean_s / 3 * 1e3,
            trusting_s / 3 * 1e3,
            "ms/op",
            "the default Session (trust_env=True)",
        )
    )

    sim = Simulator(seed=1, clock=Clock())
    sim.throttle.set_enabled(False)
    realm = sim.create_company("sample")
    ours, theirs = sim.app.test_client(), minimal_app().test_client()

    def client_crq(client: Any, realm: str) -> Callable[[], None]:
        def call() -> None:
            base = f"/v3/company/{realm}"
            body = {"DisplayName": f"Bench {next(counter)}"}
            made = client.post(f"{base}/customer", json=body, headers=HEADERS).get_json()
            client.get(f"{base}/customer/{made['Customer']['Id']}", headers=HEADERS).get_json()
            query = "SELECT * FROM Customer WHERE DisplayName = 'Bench 1'"
            client.get(f"{base}/query", query_string={"query": query}, headers=HEADERS)

        return call

    sim_s, min_s = median_pair(client_crq(ours, realm), client_crq(theirs, "1"), cfg.rounds)
    sim.journal.clear()
    rows.append(
        Row(
            "Flask test client create+read+query",
            sim_s / 3 * 1e3,
            min_s / 3 * 1e3,
            "ms/op",
            "test client -> minimal Flask",
            "<= 1.6x",
        )
    )
    return rows


# --- servers -----------------------------------------------------------------------------
MINIMAL_SERVER = """
import sys
sys.path.insert(0, {bench!r})
from waitress import create_server
from bench_all import minimal_app
server = create_server(minimal_app(), host="127.0.0.1", port=0, threads=4)
print("http://127.0.0.1:" + str(server.effective_port), flush=True)
server.run()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


#: Where the qbo-sim subprocesses run: ``python -m`` and ``-c`` put their working directory
#: first on ``sys.path``, so from another checkout they would import that one, not ROOT.
CWD = str(ROOT)


#: the threads reading each started server's output (by pid).
DRAINS: dict[int, threading.Thread] = {}


def start(args: list[str], ready: Callable[[str], str | None]) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=_env(), cwd=CWD
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        url = ready(line)
        if url:  # keep reading what it prints, so that a full pipe never blocks it
            drain = threading.Thread(target=proc.stdout.read, daemon=True)
            drain.start()
            DRAINS[proc.pid] = drain
            return proc, url
    raise RuntimeError(f"{args[:3]} did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)
    drain = DRAINS.pop(proc.pid, None)
    if drain is not None:
        drain.join(timeout=10)
    if proc.stdout is not None:
        proc.stdout.close()


def wait_up(url: str) -> None:
    for _ in range(200):
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.05)


def qbo_server() -> tuple[subprocess.Popen, str, str]:
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "qbo_sim",
        "serve",
        "--port",
        str(port),
        "--no-throttle",
        "--preset",
        "empty",
    ]
    proc, base = start(args, lambda line: line.split()[-1] if "API base URL" in line else None)
    wait_up(f"http://127.0.0.1:{port}/_sim/health")
    realm = base.rstrip("/").rsplit("/", 1)[-1]
    return proc, f"http://127.0.0.1:{port}", realm


def server_ops(session: requests.Session, base: str, realm: str, ops: int) -> None:
    for n in range(ops):
        url = f"{base}/v3/company/{realm}/customer"
        made = session.post(
            url, json={"DisplayName": f"Serve {n} {time.time_ns()}"}, headers=HEADERS
        ).json()
        session.get(f"{url}/{made['Customer']['Id']}", headers=HEADERS).json()


def moto_ops(session: requests.Session, base: str, ops: int) -> None:
    auth = (
        "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=host, Signature=0"
    )

    def call(target: str, body: dict[str, Any]) -> None:
        headers = {
            "X-Amz-Target": f"DynamoDB_20120810.{target}",
            "Authorization": auth,
            "Content-Type": "application/x-amz-json-1.0",
        }
        res = session.post(base + "/", data=json.dumps(body), headers=headers, timeout=30)
        res.raise_for_status()

    for n in range(ops):
        item = {"pk": {"S": f"c{n}"}, "DisplayName": {"S": f"Serve {n}"}}
        call("PutItem", {"TableName": "bench", "Item": item})
        call("GetItem", {"TableName": "bench", "Key": {"pk": {"S": f"c{n}"}}})


def server_rows(cfg: Config) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    notes: list[str] = []
    ours, base, realm = qbo_server()
    theirs, floor = start(
        [sys.executable, "-c", MINIMAL_SERVER.format(bench=str(Path(__file__).resolve().parent))],
        lambda line: line.strip() if line.startswith("http://") else None,
    )
    try:
        sessions = requests.Session(), requests.Session()
        server_ops(sessions[0], base, realm, 10)
        server_ops(sessions[1], floor, "1", 10)
        cpu = {"ours": 0.0, "theirs": 0.0}
        wall_ours = 0.0
        for n in range(4):
            pair = [
                ("ours", ours.pid, base, realm, sessions[0]),
                ("theirs", theirs.pid, floor, "1", sessions[1]),
            ]
            for name, pid, url, r, session in pair if n % 2 else reversed(pair):
                before, started = cpu_seconds(pid), time.perf_counter()
                server_ops(session, url, r, cfg.server_ops // 4)
                if name == "ours":
                    wall_ours += time.perf_counter() - started
                after = cpu_seconds(pid)
                if before is None or after is None:
                    raise OSError("no /proc")
                cpu[name] += after - before
        ops = (cfg.server_ops // 4) * 4
        rows.append(
            Row(
                "qbo-sim serve: server CPU per create+get",
                max(cpu["ours"], 1e-3) / ops * 1e3,  # /proc counts CPU in clock ticks
                max(cpu["theirs"], 1e-3) / ops * 1e3,
                "ms/op",
                "minimal Flask on waitress",
                "<= 1.5x",
            )
        )
        try:
            import moto  # noqa: F401
        except ImportError:
            notes.append("moto is not importable: the moto_server throughput row is skipped")
        else:
            rows.append(moto_row(cfg, sessions[0], base, realm, ops / wall_ours))
    except OSError as error:
        notes.append(f"server rows skipped: {error}")
    finally:
        for proc in (ours, theirs):
            stop(proc)
    return rows, notes


def moto_row(cfg: Config, session: requests.Session, base: str, realm: str, ours: float) -> Row:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_up(url)
        moto = requests.Session()
        schema = {
            "TableName": "bench",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
        }
        auth = (
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=host, Signature=0"
        )
        moto.post(
            url + "/",
            data=json.dumps(schema),
            timeout=30,
            headers={
                "X-Amz-Target": "DynamoDB_20120810.CreateTable",
                "Authorization": auth,
                "Content-Type": "application/x-amz-json-1.0",
            },
        ).raise_for_status()
        ops = cfg.server_ops
        ours_s = theirs_s = 0.0
        for n in range(2):
            started = time.perf_counter()
            if n % 2:
                server_ops(session, base, realm, ops // 2)
                ours_s += time.perf_counter() - started
            else:
                moto_ops(moto, url, ops // 2)
                theirs_s += time.perf_counter() - started
            started = time.perf_counter()
            if n % 2:
                moto_ops(moto, url, ops // 2)
                theirs_s += time.perf_counter() - started
            else:
                server_ops(session, base, realm, ops // 2)
                ours_s += time.perf_counter() - started
        done = (ops // 2) * 2
        # a ratio of times: below 1 means qbo-sim serves more pairs per second
        return Row(
            "qbo-sim serve vs moto_server, time per pair (ahead < 1)",
            ours_s / done * 1e3,
            theirs_s / done * 1e3,
            "ms/op",
            "moto_server DynamoDB Put+Get",
            "<= 0.33x (3x throughput)",
        )
    finally:
        stop(proc)


# --- growth ------------------------------------------------------------------------------
def build(size: int) -> tuple[Simulator, str]:
    """A sample company plus ``size`` customers put straight into the store."""
    sim = Simulator(seed=1, clock=Clock())
    sim.clock.freeze()
    sim.throttle.set_enabled(False)
    realm = sim.create_company("sample")
    company = sim.company(realm)
    with company.unit_of_work():
        for i in range(1, size + 1):
            name = f"Customer {size - i:06d}"  # reverse-numbered: ORDERBY must really order
            company.put(
                "Customer",
                {
                    "Id": f"9{i:07d}",
                    "DisplayName": name,
                    "PrintOnCheckName": name,
                    "Active": i % 10 != 0,
                    "Balance": 10.0 if i % 10 == 3 else 0,
                    "domain": "QBO",
                    "sparse": False,
                    "SyncToken": "0",
                    "MetaData": {"CreateTime": STAMP, "LastUpdatedTime": STAMP},
                },
            )
    sim.clock.advance(hours=1)
    since = sim.clock.now().isoformat()
    sim.clock.advance(minutes=1)
    user = sim.as_user(realm)
    for i in {3, size // 2 + 1, size - 3}:  # the few changes CDC has to find (active ones)
        user.sparse_update("Customer", f"9{i:07d}", CompanyName=f"Changed {i}")
    company.extras["_bench_since"] = since
    return sim, realm


GROWTH = {
    "LIKE": "SELECT * FROM Customer WHERE DisplayName LIKE '%00077%'",
    "ORDERBY DisplayName page": "SELECT * FROM Customer ORDERBY DisplayName MAXRESULTS 100",
    "COUNT": "SELECT COUNT(*) FROM Customer",
    "Balance > 0 page": "SELECT * FROM Customer WHERE Balance > '0' MAXRESULTS 100",
    "STARTPOSITION paging": "SELECT * FROM Customer STARTPOSITION 501 MAXRESULTS 100",
}
TARGETS = {
    "COUNT": "<= 2x",
    "STARTPOSITION paging": "<= 2x",
    "CDC few changes": "<= 2x",
    "ORDERBY DisplayName page": "<= 3x",
    "create": "flat",
    "read": "flat",
    "update": "flat",
}


def growth_rows(cfg: Config) -> list[Row]:
    built = {size: build(size) for size in (cfg.small, cfg.big)}
    clients = {size: sim.app.test_client() for size, (sim, _) in built.items()}
    counter = iter(range(10**9))

    def op(size: int, what: str) -> Callable[[], None]:
        sim, realm = built[size]
        client, base = clients[size], f"/v3/company/{realm}"

        def call() -> None:
            if what in GROWTH:
                res = client.get(
                    f"{base}/query", query_string={"query": GROWTH[what]}, headers=HEADERS
                )
            elif what == "CDC few changes":
                since = sim.company(realm).extras["_bench_since"]
                res = client.get(
                    f"{base}/cdc",
                    headers=HEADERS,
                    query_string={"entities": "Customer", "changedSince": since},
                )
            elif what == "create":
                res = client.post(
                    f"{base}/customer",
                    headers=HEADERS,
                    json={"DisplayName": f"New {next(counter)}"},
                )
            elif what == "read":
                res = client.get(f"{base}/customer/9{7:07d}", headers=HEADERS)
            else:
                current = sim.company(realm).get("Customer", f"9{8:07d}")
                assert current is not None
                res = client.post(
                    f"{base}/customer",
                    headers=HEADERS,
                    json={
                        "Id": current["Id"],
                        "SyncToken": current["SyncToken"],
                        "sparse": True,
                        "Notes": f"n{next(counter)}",
                    },
                )
            assert res.status_code == 200, res.get_data(as_text=True)[:300]
            sim.journal.clear()

        return call

    rows = []
    for what in [*GROWTH, "CDC few changes", "create", "read", "update"]:
        big_s, small_s = median_pair(op(cfg.big, what), op(cfg.small, what), cfg.repeats)
        rows.append(
            Row(
                f"{what}, {cfg.big:,} vs {cfg.small:,} customers",
                big_s * 1e3,
                small_s * 1e3,
                "ms",
                f"same at {cfg.small:,}",
                TARGETS.get(what, ""),
            )
        )
    return rows


# --- snapshots ---------------------------------------------------------------------------
def snapshot_rows(cfg: Config) -> tuple[list[Row], list[str]]:
    notes: list[str] = []
    n = cfg.snapshot_size
    sim = Simulator(seed=1, clock=Clock())
    sim.clock.freeze()
    realm = sim.create_company("empty")
    company = sim.company(realm)
    meta = {"CreateTime": STAMP, "LastUpdatedTime": STAMP}
    with company.unit_of_work():
        for i in range(1, n + 1):
            company.put(
                "Customer",
                {
                    "Id": str(i),
                    "SyncToken": "0",
                    "DisplayName": f"Customer {i:06d}",
                    "Active": True,
                    "Balance": 100.0,
                    "domain": "QBO",
                    "sparse": False,
                    "PrimaryEmailAddr": {"Address": f"c{i}@example.com"},
                    "MetaData": dict(meta),
                },
            )
            company.put(
                "Invoice",
                {
                    "Id": str(n + i),
                    "SyncToken": "0",
                    "DocNumber": str(1000 + i),
                    "TxnDate": "2026-03-01",
                    "TotalAmt": 100.0,
                    "Balance": 100.0,
                    "CustomerRef": {"value": str(i), "name": f"Customer {i:06d}"},
                    "domain": "QBO",
                    "sparse": False,
                    "MetaData": dict(meta),
                    "Line": [
                        {
                            "Id": "1",
                            "LineNum": 1,
                            "Amount": 100.0,
                            "DetailType": "SalesItemLineDetail",
                            "SalesItemLineDetail": {
                                "ItemRef": {"value": "1", "name": "Services"},
                                "Qty": 1,
                                "UnitPrice": 100.0,
                            },
                        },
                        {
                            "Amount": 100.0,
                            "DetailType": "SubTotalLineDetail",
                            "SubTotalLineDetail": {},
                        },
                    ],
                },
            )
    doc = sim.export_state()
    text = snapshot.dumps(doc)
    loads = getattr(snapshot, "loads", json.loads)
    adopt = "adopt" in inspect.signature(snapshot.import_state).parameters

    def write() -> None:
        snapshot.dumps(doc)

    target = Simulator(clock=Clock())

    def load() -> None:
        if adopt:
            snapshot.import_state(target, loads(text), replace=True, adopt=True)
        else:
            target.import_state(loads(text), replace=True)

    def stdlib_write() -> None:
        json.dumps(doc, sort_keys=True, separators=(",", ":"))

    r = cfg.snapshot_repeats
    label = f"{n:,} customers + {n:,} invoices, {len(text) / 1e6:.1f} MB"
    ours, stdlib = median_pair(write, stdlib_write, r)
    rows = [Row(f"snapshot write ({label})", ours, stdlib, "s", "json.dumps (C, compact)")]
    try:
        import orjson
    except ImportError:
        notes.append("orjson is not importable: the orjson row is skipped")
    else:
        ours, fast = median_pair(write, lambda: orjson.dumps(doc, option=orjson.OPT_SORT_KEYS), r)
        rows.append(Row("snapshot write", ours, fast, "s", "orjson (sorted keys)", "<= 2x"))
    ours, parse = median_pair(load, lambda: json.loads(text), r)
    rows.append(
        Row("snapshot import (parse + import_state)", ours, parse, "s", "json.loads", "<= 1.5x")
    )
    return rows, notes


# --- the scenario library ----------------------------------------------------------------
RECORD_MODULES = """
import atexit, sys
atexit.register(lambda: open({out!r}, "w").write("\\n".join(sorted(sys.modules))))
sys.argv = ["qbo-sim", *{args!r}]
from qbo_sim.cli import main
main(prog_name="qbo-sim")
"""
IMPORT_ONLY = """
import importlib
for name in open({modules!r}).read().split():
    try:
        importlib.import_module(name)
    except Exception:
        pass
"""


def library_rows(cfg: Config) -> list[Row]:
    args = ["scenarios", "run", "--library", "--integration", REFERENCE]
    if cfg.library_filter:
        args += ["-k", cfg.library_filter]
    with tempfile.TemporaryDirectory() as tmp:
        modules = str(Path(tmp) / "modules.txt")
        run = [sys.executable, "-c", RECORD_MODULES.format(out=modules, args=args)]
        only = [sys.executable, "-c", IMPORT_ONLY.format(modules=modules)]

        def timed(command: list[str]) -> float:
            started = time.perf_counter()
            subprocess.run(
                command,
                env=_env(),
                cwd=CWD,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            return time.perf_counter() - started

        runs = [timed(run)]  # the first run also records the modules
        imports: list[float] = []
        for n in range(cfg.library_runs):
            if n == 0:
                imports.append(timed(only))
                continue
            for command, times in [(run, runs), (only, imports)][:: 1 if n % 2 else -1]:
                times.append(timed(command))
    what = "scenario library from the CLI" + (
        f" (-k {cfg.library_filter})" if cfg.library_filter else ""
    )
    return [
        Row(
            what,
            statistics.median(runs),
            statistics.median(imports),
            "s",
            "process importing the same modules",
            "<= 2x",
        )
    ]


# --- the table ---------------------------------------------------------------------------
SECTIONS: list[tuple[str, Callable[[Config], Any]]] = [
    ("per request", per_request_rows),
    ("servers", server_rows),
    ("growth", growth_rows),
    ("snapshots", snapshot_rows),
    ("scenario library", library_rows),
]


def collect(cfg: Config, report: Callable[[str], None] = print) -> list[Row]:
    """Every row of the table (notes for skipped rows go to ``report``)."""
    rows: list[Row] = []
    for name, section in SECTIONS:
        started = time.perf_counter()
        got = section(cfg)
        found, notes = got if isinstance(got, tuple) else (got, [])
        rows += found
        for note in notes:
            report(f"note: {note}")
        report(f"({name}: {time.perf_counter() - started:.0f} s)")
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| What | qbo-sim | Baseline in the same run | Ratio | Target |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.what} | {row.value:.3f} {row.unit} | {row.against}: "
            f"{row.baseline:.3f} {row.unit} | {row.ratio:.2f}x | {row.target} |"
        )
    return "\n".join(lines)


def main() -> None:
    quick = "--quick" in sys.argv
    cfg = Config.quick() if quick else Config()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"qbo-sim at {ROOT}; {'quick' if quick else 'full'} run; "
        f"{os.cpu_count()} cores, load average {load:.1f}",
        file=sys.stderr,
    )
    rows = collect(cfg, lambda line: print(line, file=sys.stderr, flush=True))
    print(table(rows))


if __name__ == "__main__":
    main()
