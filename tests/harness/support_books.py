"""The customers' books behind the worked examples in ``scenarios/support/``.

Each is an ``empty``-preset company holding only the entities its ticket needs, entered as the
bookkeeper would (the QBO user), exported with ``sim.export_state``. The fixtures were made
with ``python3 tests/harness/support_books.py DIR`` (snapshots) and ``qbo-sim scenarios
capture --snapshot`` (skeletons), then the scenarios were written from the skeletons;
``test_given_snapshot.py`` checks the committed fixtures still hold these entities.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qbo_sim import Clock, Simulator
from qbo_sim.snapshot import dumps

#: the instant the books were exported (the scenarios' clocks start there).
EXPORTED_AT = datetime(2026, 3, 2, 16, 0, 0, tzinfo=UTC)


def _company(seed: int) -> tuple[Simulator, str, Any]:
    sim = Simulator(seed=seed, clock=Clock(frozen_at=EXPORTED_AT))
    realm = sim.create_company("empty", seed=seed)
    return sim, realm, sim.as_user(realm)


def _invoice(user: Any, customer: str, item: str, number: str, amount: float) -> dict[str, Any]:
    income = user.create("Account", {"Name": "Service Income", "AccountType": "Income"})
    cust = user.create("Customer", {"DisplayName": customer})
    product = user.create(
        "Item", {"Name": item, "Type": "Service", "IncomeAccountRef": {"value": income["Id"]}}
    )
    return user.create(
        "Invoice",
        {
            "DocNumber": number,
            "CustomerRef": {"value": cust["Id"]},
            "Line": [
                {
                    "DetailType": "SalesItemLineDetail",
                    "Amount": amount,
                    "SalesItemLineDetail": {"ItemRef": {"value": product["Id"]}},
                }
            ],
        },
    )


def invoice_1042_books() -> dict[str, Any]:
    """Ticket: invoice 1042 of Harbor View Condos, synced earlier, is about to be deleted."""
    sim, realm, user = _company(seed=42)
    _invoice(user, "Harbor View Condos", "Boiler Service", "1042", 240)
    return sim.export_state(realm)


def invoice_2051_paid_books() -> dict[str, Any]:
    """Ticket: the bookkeeper already received the payment of invoice 2051 in QuickBooks."""
    sim, realm, user = _company(seed=51)
    invoice = _invoice(user, "Lakeside Dental", "AC Repair", "2051", 250)
    user.record_payment(invoice["Id"], PaymentRefNum="QB-RCPT-77")
    return sim.export_state(realm)


BOOKS: dict[str, Callable[[], dict[str, Any]]] = {
    "ticket_invoice_1042_deleted": invoice_1042_books,
    "ticket_payment_invoice_already_paid": invoice_2051_paid_books,
}


def main(folder: str) -> None:
    for name, build in BOOKS.items():
        path = Path(folder) / f"{name}.json"
        path.write_text(dumps(build(), pretty=True) + "\n", encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
