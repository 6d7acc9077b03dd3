"""Query benchmark: 1k / 10k / 100k customers, three queries end to end through the Flask test
client (gateway, auth, journal, serialization included). Prints the median time of each and its
ratio to the 1k figure, so growth is visible: the indexed equality must stay flat.

Run: ``python3 bench/bench_query.py`` (about a minute). Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qbo_sim import Clock, Simulator  # noqa: E402
from qbo_sim.auth import DEV_TOKEN  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
REPEATS = 7
STAMP = "2026-03-01T09:00:00-08:00"

QUERIES = {
    "indexed =": "SELECT * FROM Customer WHERE DisplayName = 'customer 000777'",
    "LIKE": "SELECT * FROM Customer WHERE DisplayName LIKE '%00077%'",
    "ORDERBY page": "SELECT * FROM Customer ORDERBY DisplayName STARTPOSITION 1 MAXRESULTS 100",
}


def build(size: int) -> tuple[Simulator, str]:
    """A company with ``size`` customers, put straight into the store in one unit of work."""
    sim = Simulator(seed=1, clock=Clock(frozen_at=None))
    sim.clock.freeze()
    realm = sim.create_company("empty")
    sim.throttle.set_enabled(False)
    company = sim.company(realm)
    with company.unit_of_work():
        for i in range(1, size + 1):
            # reverse-numbered names so that ORDERBY DisplayName really has to sort
            name = f"Customer {size - i:06d}"
            company.entities["Customer"][str(i)] = {
                "DisplayName": name,
                "PrintOnCheckName": name,
                "Active": i % 10 != 0,
                "Balance": i % 500,
                "domain": "QBO",
                "sparse": False,
                "Id": str(i),
                "SyncToken": "0",
                "MetaData": {"CreateTime": STAMP, "LastUpdatedTime": STAMP},
            }
    company.rebuild_indexes()
    return sim, realm


def time_query(sim: Simulator, realm: str, statement: str) -> tuple[float, int]:
    client = sim.app.test_client()
    headers = {"Authorization": f"Bearer {DEV_TOKEN}"}
    url = f"/v3/company/{realm}/query"
    samples = []
    rows = 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        res = client.get(url, query_string={"query": statement}, headers=headers)
        samples.append(time.perf_counter() - started)
        assert res.status_code == 200, res.get_data(as_text=True)
        rows = res.get_json()["QueryResponse"].get("maxResults", 0)
    sim.journal.clear()
    return statistics.median(samples), rows


def main() -> None:
    base: dict[str, float] = {}
    print(f"{'customers':>10} {'query':<14} {'median ms':>10} {'x 1k':>7} {'rows':>5}")
    for size in SIZES:
        built = time.perf_counter()
        sim, realm = build(size)
        build_s = time.perf_counter() - built
        for label, statement in QUERIES.items():
            seconds, rows = time_query(sim, realm, statement)
            base.setdefault(label, seconds)
            ratio = seconds / base[label]
            print(f"{size:>10} {label:<14} {seconds * 1000:>10.2f} {ratio:>7.1f} {rows:>5}")
        print(f"{'':>10} (built in {build_s:.1f} s)")


if __name__ == "__main__":
    main()
