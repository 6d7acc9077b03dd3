"""Persistence benchmark: API writes with the state kept in SQLite (``sim.persist``) against the
same writes in memory only, measured in the same run, interleaved.

Each round creates a customer, updates it (sparse) and creates an invoice for it through the
Flask test client, once on an in-memory simulator and once on a persisted one; the order of the
two alternates every round so drift in the machine's load hits both alike. Printed: the median
time per round of each and their ratio (the target is within 1.10x).

``--server`` makes the same rounds over real HTTP (``sim.serve()`` on loopback, one
``requests.Session`` each), as ``qbo-sim serve --persist`` is used.

Run: ``python3 bench/bench_persistence.py [--server]`` (about half a minute). Not a test.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qbo_sim import Clock, Simulator  # noqa: E402
from qbo_sim.auth import DEV_TOKEN  # noqa: E402

ROUNDS = 600
HEADERS = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}


def make(persist_to: Path | None) -> tuple[Simulator, str]:
    sim = Simulator(seed=1, clock=Clock())
    sim.clock.freeze()
    sim.throttle.set_enabled(False)
    realm = sim.create_company("sample")
    if persist_to is not None:
        sim.persist(str(persist_to))
    return sim, realm


class HttpClient:
    """The test client's ``post(path, json=, headers=)`` over real HTTP, with ``get_json``."""

    def __init__(self, base: str) -> None:
        import requests

        self.base = base
        self.session = requests.Session()

    def post(self, path: str, *, json: dict, headers: dict):
        response = self.session.post(self.base + path, json=json, headers=headers, timeout=30)
        response.get_json = response.json  # the test client's spelling
        return response


def one_round(client, realm: str, n: int) -> float:
    base = f"/v3/company/{realm}"
    started = time.perf_counter()
    res = client.post(f"{base}/customer", json={"DisplayName": f"Bench {n}"}, headers=HEADERS)
    customer = res.get_json()["Customer"]
    client.post(
        f"{base}/customer",
        json={"Id": customer["Id"], "SyncToken": "0", "sparse": True, "CompanyName": f"B{n}"},
        headers=HEADERS,
    )
    client.post(
        f"{base}/invoice",
        json={
            "CustomerRef": {"value": customer["Id"]},
            "Line": [{"Amount": 100, "DetailType": "SalesItemLineDetail",
                      "SalesItemLineDetail": {"ItemRef": {"value": "1"}}}],
        },  # fmt: skip
        headers=HEADERS,
    )
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        memory_sim, memory_realm = make(None)
        disk_sim, disk_realm = make(Path(tmp) / "state.sqlite")
        servers = []
        if "--server" in sys.argv:
            servers = [memory_sim.serve(), disk_sim.serve()]
            memory, disk = (HttpClient(server.start()) for server in servers)
        else:
            memory, disk = memory_sim.app.test_client(), disk_sim.app.test_client()
        for n in range(20):  # warm both
            one_round(memory, memory_realm, -n - 1)
            one_round(disk, disk_realm, -n - 1)
        mem_times: list[float] = []
        disk_times: list[float] = []
        for n in range(ROUNDS):
            pair = [(memory, memory_realm, mem_times), (disk, disk_realm, disk_times)]
            for client, realm, times in pair if n % 2 else reversed(pair):
                times.append(one_round(client, realm, n))
        for server in servers:
            server.stop()
        mem_ms = statistics.median(mem_times) * 1000
        disk_ms = statistics.median(disk_times) * 1000
        how = "over HTTP (sim.serve)" if servers else "through the Flask test client"
        print(f"{ROUNDS} rounds of create customer + sparse update + create invoice, {how}")
        print(f"in memory:        {mem_ms:.3f} ms per round (baseline)")
        print(f"persisted (WAL):  {disk_ms:.3f} ms per round ({disk_ms / mem_ms:.2f}x)")


if __name__ == "__main__":
    main()
