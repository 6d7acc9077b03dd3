"""Write benchmark: API creates and updates as the store grows (1k / 10k / 100k customers).

Every write runs validation, derivation, the business rules (name uniqueness, references,
DocNumbers, linked payments and balances) and the store's unit of work. None of them may scan
a whole entity type, so the time of a write must stay flat as the company grows. Printed: the
median time per operation and its ratio to the 1k figure, measured in the same run.

Run: ``python3 bench/bench_writes.py`` (well under a minute). Not a test: nothing asserts a time.
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
REPEATS = 30
STAMP = "2026-03-01T09:00:00-08:00"


def build(size: int) -> tuple[Simulator, str]:
    """A sample company plus ``size`` customers put straight into the store."""
    sim = Simulator(seed=1, clock=Clock())
    sim.clock.freeze()
    realm = sim.create_company("sample")
    sim.throttle.set_enabled(False)
    company = sim.company(realm)
    with company.unit_of_work():
        for i in range(size):
            entity_id = str(company.next_value("list:Customer"))
            name = f"Bulk Customer {i:06d}"
            company.entities["Customer"][entity_id] = {
                "DisplayName": name,
                "PrintOnCheckName": name,
                "Active": True,
                "Job": False,
                "BillWithParent": False,
                "FullyQualifiedName": name,
                "Level": 0,
                "Balance": 0,
                "BalanceWithJobs": 0,
                "domain": "QBO",
                "sparse": False,
                "Id": entity_id,
                "SyncToken": "0",
                "MetaData": {"CreateTime": STAMP, "LastUpdatedTime": STAMP},
            }
    company.rebuild_indexes()
    return sim, realm


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run(size: int) -> dict[str, float]:
    sim, realm = build(size)
    client = sim.app.test_client()
    headers = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}
    base = f"/v3/company/{realm}"
    item = client.get(
        f"{base}/query", headers=headers, query_string={"query": "SELECT * FROM Item MAXRESULTS 1"}
    ).get_json()
    item_id = item["QueryResponse"]["Item"][0]["Id"]
    timings: dict[str, list[float]] = {
        "create customer": [],
        "sparse update": [],
        "create invoice": [],
        "create payment": [],
    }
    for n in range(REPEATS):
        start = time.perf_counter()
        res = client.post(
            f"{base}/customer", headers=headers, json={"DisplayName": f"Bench {size} {n}"}
        )
        timings["create customer"].append(time.perf_counter() - start)
        customer = res.get_json()["Customer"]
        start = time.perf_counter()
        client.post(
            f"{base}/customer",
            headers=headers,
            json={"Id": customer["Id"], "SyncToken": "0", "sparse": True, "Notes": "x"},
        )
        timings["sparse update"].append(time.perf_counter() - start)
        start = time.perf_counter()
        res = client.post(
            f"{base}/invoice",
            headers=headers,
            json={
                "CustomerRef": {"value": customer["Id"]},
                "Line": [
                    {
                        "DetailType": "SalesItemLineDetail",
                        "Amount": 100,
                        "SalesItemLineDetail": {
                            "ItemRef": {"value": item_id},
                            "Qty": 1,
                            "UnitPrice": 100,
                        },
                    }
                ],
            },
        )
        timings["create invoice"].append(time.perf_counter() - start)
        invoice = res.get_json()["Invoice"]
        start = time.perf_counter()
        res = client.post(
            f"{base}/payment",
            headers=headers,
            json={
                "CustomerRef": {"value": customer["Id"]},
                "TotalAmt": 100,
                "Line": [
                    {"Amount": 100, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}
                ],
            },
        )
        timings["create payment"].append(time.perf_counter() - start)
        assert res.status_code == 200, res.get_data(as_text=True)
    return {name: median_ms(values) for name, values in timings.items()}


def main() -> None:
    results = {size: run(size) for size in SIZES}
    baseline = results[SIZES[0]]
    print(f"{'operation':<18}" + "".join(f"{size:>22,}" for size in SIZES))
    for name in baseline:
        cells = "".join(
            f"{results[s][name]:>12.2f} ms ({results[s][name] / baseline[name]:4.1f}x)"
            for s in SIZES
        )
        print(f"{name:<18}{cells}")


if __name__ == "__main__":
    main()
