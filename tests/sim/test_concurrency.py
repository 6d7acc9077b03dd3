"""A threaded server serialises writes: concurrent clients never corrupt a company."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import requests

from qbo_sim import Clock, Simulator
from qbo_sim.auth import DEV_TOKEN

HEADERS = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}


def test_concurrent_writers_and_readers_over_http_leave_a_consistent_company():
    sim = Simulator(clock=Clock())
    realm = sim.create_company("empty")
    sim.throttle.set_enabled(False)
    since = (sim.clock.now() - timedelta(days=1)).isoformat()
    statuses: list[int] = []
    lock = threading.Lock()

    with sim.serve(port=0) as base, requests.Session() as http:
        api = f"{base}/v3/company/{realm}"

        def writer(worker: int) -> None:
            for n in range(20):
                res = http.post(
                    f"{api}/customer",
                    json={"DisplayName": f"W{worker} C{n}"},
                    headers=HEADERS,
                    timeout=30,
                )
                customer = res.json()["Customer"]
                upd = http.post(
                    f"{api}/customer",
                    headers=HEADERS,
                    timeout=30,
                    json={"Id": customer["Id"], "SyncToken": "0", "sparse": True, "Notes": "n"},
                )
                dup = http.post(
                    f"{api}/customer",
                    json={"DisplayName": f"W{worker} C{n}"},
                    headers=HEADERS,
                    timeout=30,
                )
                with lock:
                    statuses.extend([res.status_code, upd.status_code, dup.status_code])

        def reader() -> None:
            for _ in range(20):
                res = http.get(
                    f"{api}/query",
                    headers=HEADERS,
                    timeout=30,
                    params={"query": "SELECT * FROM Customer MAXRESULTS 1000"},
                )
                cdc = http.get(
                    f"{api}/cdc",
                    headers=HEADERS,
                    timeout=30,
                    params={"entities": "Customer", "changedSince": since},
                )
                with lock:
                    statuses.extend([res.status_code, cdc.status_code])

        with ThreadPoolExecutor(max_workers=6) as pool:
            jobs = [pool.submit(writer, w) for w in range(4)] + [
                pool.submit(reader) for _ in range(2)
            ]
            for job in jobs:
                job.result()

    assert sim.errors == []
    assert sorted(set(statuses)) == [200, 400]  # the duplicates are 6240s, nothing else
    assert statuses.count(400) == 80
    company = sim.company(realm)
    customers = list(company.all("Customer"))
    assert len(customers) == 80
    assert sorted(int(c["Id"]) for c in customers) == list(range(1, 81))
    assert all(c["SyncToken"] == "1" and c["Notes"] == "n" for c in customers)
    for customer in customers:
        assert company.find("Customer", "DisplayName", customer["DisplayName"]) == [customer]
