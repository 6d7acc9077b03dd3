"""Seed helpers shared by the query tests (no tests here): objects written straight into the
store, without business rules."""

from __future__ import annotations

from typing import Any

from qbo_sim.store import Company

STAMP = "2026-03-01T09:00:00-08:00"


def put(company: Company, entity: str, rows: list[dict[str, Any]]) -> None:
    """Store minimal objects with the server fields QBO adds (Id, SyncToken, MetaData)."""
    with company.unit_of_work():
        for row in rows:
            meta = {"CreateTime": STAMP, "LastUpdatedTime": row.pop("_updated", STAMP)}
            company.put(
                entity,
                {"domain": "QBO", "sparse": False, "SyncToken": "0", "MetaData": meta, **row},
            )


def seed_sample(company: Company) -> None:
    """Four customers (one inactive, one without ``Active``) and three invoices."""
    put(
        company,
        "Customer",
        [
            {
                "Id": "1",
                "DisplayName": "Alpha Plumbing",
                "CompanyName": "Alpha",
                "Balance": 10.5,
                "Active": True,
                "Job": False,
                "PrimaryEmailAddr": {"Address": "a@x.com"},
                "_updated": "2026-03-01T10:00:00-08:00",
            },
            {
                "Id": "2",
                "DisplayName": "beta builders",
                "Balance": 0,
                "Active": True,
                "Job": True,
                "ParentRef": {"value": "1"},
                "_updated": "2026-03-01T20:00:00-05:00",
            },
            {
                "Id": "3",
                "DisplayName": "Gamma",
                "Balance": 250,
                "Active": False,
                "_updated": "2026-03-02T01:00:00Z",
            },
            {
                "Id": "4",
                "DisplayName": "delta",
                "Balance": -5,
                "_updated": "2026-02-28T09:00:00-08:00",
            },
        ],
    )
    put(
        company,
        "Invoice",
        [
            {
                "Id": "10",
                "DocNumber": "1001",
                "TxnDate": "2026-02-27",
                "TotalAmt": 100,
                "CustomerRef": {"value": "1", "name": "Alpha Plumbing"},
            },
            {
                "Id": "11",
                "DocNumber": "1002",
                "TxnDate": "2026-03-01",
                "TotalAmt": 250.5,
                "CustomerRef": {"value": "2"},
            },
            {
                "Id": "12",
                "DocNumber": "A-7",
                "TxnDate": "2026-03-02",
                "TotalAmt": 0,
                "CustomerRef": {"value": "1"},
            },
        ],
    )
