"""The ``sample_multicurrency`` preset: the ``sample`` company with multicurrency on (home
currency USD) and business in euros and Canadian dollars (docs/research/currency-and-ledger.md
part A).

On top of the ``sample`` data (same seed, same rows), written through
:mod:`qbo_sim.operations` as the QBO user, so every derived field is what the API gives:

- the currency list: EUR (Id 1), CAD (Id 2) (the home currency is not a row, A2.6);
- exchange rates for both on the company's first day and a week later;
- foreign A/R and A/P accounts named as QBO names them, ``Accounts Receivable (A/R) - EUR``
  and so on, each with its ``CurrencyRef`` (A4.22);
- two EUR and one CAD customer, one EUR and one CAD vendor (their currency fixed, A3.12);
- an open EUR invoice and an open CAD bill at the day's rate.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from qbo_sim import operations
from qbo_sim.clock import local_date
from qbo_sim.entities import ENTITIES
from qbo_sim.presets import sample

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

#: Preference overrides: multicurrency on, home currency USD.
PREFERENCES: dict[str, Any] = {
    "CurrencyPrefs": {"MultiCurrencyEnabled": True, "HomeCurrency": {"value": "USD"}}
}
#: (code, rate a week ago, rate today): home currency units per unit.
RATES = [("EUR", 1.0832, 1.0865), ("CAD", 0.7391, 0.7352)]
CUSTOMERS = [
    ("Müller Haustechnik GmbH", "EUR"),
    ("Brasserie du Port SARL", "EUR"),
    ("Maple Leaf Property Management", "CAD"),
]
VENDORS = [("Eurotherm Supplies BV", "EUR"), ("Northern Parts Ltd", "CAD")]


def build(ctx: OpContext, seed: int) -> None:
    """The ``sample`` data for ``seed``, then the foreign-currency business above."""
    sample.build(ctx, seed)
    today = local_date(ctx.clock.now(), ctx.company.utc_offset_minutes)
    week_ago = (today - timedelta(days=7)).isoformat()

    def create(entity: str, body: dict[str, Any]) -> dict[str, Any]:
        return operations.create(ctx, ENTITIES[entity], body)

    for code, _, _ in RATES:
        create("CompanyCurrency", {"Code": code})
    for code, before, now in RATES:
        for day, rate in ((week_ago, before), (today.isoformat(), now)):
            operations.set_exchange_rate(
                ctx, {"SourceCurrencyCode": code, "AsOfDate": day, "Rate": rate}
            )
    for code, _, _ in RATES:
        for name, account_type, sub_type in (
            ("Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"),
            ("Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable"),
        ):
            create(
                "Account",
                {
                    "Name": f"{name} - {code}",
                    "AccountType": account_type,
                    "AccountSubType": sub_type,
                    "CurrencyRef": {"value": code},
                },
            )
    customers = {
        name: create("Customer", {"DisplayName": name, "CurrencyRef": {"value": code}})
        for name, code in CUSTOMERS
    }
    vendors = {
        name: create("Vendor", {"DisplayName": name, "CurrencyRef": {"value": code}})
        for name, code in VENDORS
    }
    item = next(iter(ctx.company.find("Item", "Name", "Installation")))
    expense = next(iter(ctx.company.find("Account", "Name", "Job Materials")))
    rates = {code: now for code, _, now in RATES}
    create(
        "Invoice",
        {
            "CustomerRef": {"value": customers[CUSTOMERS[0][0]]["Id"]},
            "CurrencyRef": {"value": "EUR"},
            "ExchangeRate": rates["EUR"],
            "Line": [
                {
                    "DetailType": "SalesItemLineDetail",
                    "Amount": 480.0,
                    "SalesItemLineDetail": {
                        "ItemRef": {"value": item["Id"]},
                        "Qty": 4,
                        "UnitPrice": 120,
                    },
                }
            ],
        },
    )
    create(
        "Bill",
        {
            "VendorRef": {"value": vendors[VENDORS[1][0]]["Id"]},
            "CurrencyRef": {"value": "CAD"},
            "ExchangeRate": rates["CAD"],
            "DocNumber": "NP-2231",
            "Line": [
                {
                    "DetailType": "AccountBasedExpenseLineDetail",
                    "Amount": 312.5,
                    "AccountBasedExpenseLineDetail": {"AccountRef": {"value": expense["Id"]}},
                }
            ],
        },
    )
