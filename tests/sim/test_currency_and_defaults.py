"""Fields QBO always sends (issue 14 items 1 and 5): the home currency's ``CurrencyRef``,
``PrintStatus``/``EmailStatus`` defaults, zero amounts written ``0`` in JSON, and multi-currency
off meaning off (a foreign ``CurrencyRef`` refused, nothing changed; multicurrency on:
tests/sim/test_multicurrency.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Api, fault_of
from tests.sim.rules_books import snapshot

USD = {"value": "USD", "name": "United States Dollar"}


@pytest.fixture(autouse=True)
def _throttle_off(throttle_off):
    """Many requests in one frozen second."""


@pytest.fixture
def books(api) -> dict[str, str]:
    income = api.create("Account", {"Name": "Services", "AccountType": "Income"})
    bank = api.create("Account", {"Name": "Checking", "AccountType": "Bank"})
    expense = api.create("Account", {"Name": "Materials", "AccountType": "Expense"})
    customer = api.create("Customer", {"DisplayName": "Acme"})
    vendor = api.create("Vendor", {"DisplayName": "Rivera Electric"})
    item = api.create(
        "Item", {"Name": "Repair", "Type": "Service", "IncomeAccountRef": {"value": income["Id"]}}
    )
    return {
        "income": income["Id"],
        "bank": bank["Id"],
        "expense": expense["Id"],
        "customer": customer["Id"],
        "vendor": vendor["Id"],
        "item": item["Id"],
    }


def sales(books: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "CustomerRef": {"value": books["customer"]},
        "Line": [
            {
                "Amount": 100,
                "DetailType": "SalesItemLineDetail",
                "SalesItemLineDetail": {"ItemRef": {"value": books["item"]}},
            }
        ],
        **extra,
    }


def check(books: dict[str, str], payment_type: str = "Check", **extra: Any) -> dict[str, Any]:
    return {
        "PaymentType": payment_type,
        "AccountRef": {"value": books["bank"]},
        "Line": [
            {
                "Amount": 40,
                "DetailType": "AccountBasedExpenseLineDetail",
                "AccountBasedExpenseLineDetail": {"AccountRef": {"value": books["expense"]}},
            }
        ],
        **extra,
    }


# --- CurrencyRef -------------------------------------------------------------------------
def test_lists_and_transactions_get_the_home_currency_with_its_name(api, books):
    for entity, entity_id in (
        ("Customer", books["customer"]),
        ("Vendor", books["vendor"]),
        ("Account", books["bank"]),
    ):
        assert api.get(f"{entity.lower()}/{entity_id}").get_json()[entity]["CurrencyRef"] == USD
    assert api.create("Invoice", sales(books))["CurrencyRef"] == USD
    assert api.create("Purchase", check(books))["CurrencyRef"] == USD
    assert "CurrencyRef" not in api.get(f"item/{books['item']}").get_json()["Item"]


def test_a_currency_ref_sent_is_echoed_without_a_name_and_kept_on_update(api, books):
    created = api.create("Invoice", sales(books, CurrencyRef={"value": "USD"}))
    assert created["CurrencyRef"] == {"value": "USD"}

    updated = api.update(
        "Invoice", {**sales(books), "Id": created["Id"], "SyncToken": created["SyncToken"]}
    )
    assert updated["CurrencyRef"] == {"value": "USD"}


def test_the_home_currency_is_the_companys(sim, api):
    api.realm = sim.create_company(
        "empty", preferences={"CurrencyPrefs": {"HomeCurrency": {"value": "CAD"}}}
    )
    created = api.create("Customer", {"DisplayName": "Maple Ltd"})
    assert created["CurrencyRef"] == {"value": "CAD", "name": "Canadian Dollar"}


def test_a_time_activity_has_no_currency(api, books):
    employee = api.create("Employee", {"GivenName": "Ana", "FamilyName": "Diaz"})
    created = api.create(
        "TimeActivity",
        {"NameOf": "Employee", "EmployeeRef": {"value": employee["Id"]}, "Hours": 2},
    )
    assert "CurrencyRef" not in created


# --- multi-currency off ------------------------------------------------------------------
@pytest.mark.parametrize(
    "entity, body",
    [
        ("Customer", lambda b: {"DisplayName": "Euro GmbH", "CurrencyRef": {"value": "EUR"}}),
        ("Invoice", lambda b: sales(b, CurrencyRef={"value": "EUR"})),
        ("Purchase", lambda b: check(b, CurrencyRef={"value": "CAD", "name": "Canadian Dollar"})),
    ],
)
def test_a_foreign_currency_without_multicurrency_is_refused_and_changes_nothing(
    sim, api: Api, books, entity, body
):
    before = snapshot(sim, api.realm)

    res = api.post(entity.lower(), body(books))

    # docs/research/currency-and-ledger.md A4.20: the captured wording (element not captured)
    assert fault_of(res) == {
        "Message": "A business validation error has occurred while processing your request",
        "Detail": "Business Validation Error: Multi Currency should be enabled to perform this "
        "operation",
        "code": "6000",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }
    assert snapshot(sim, api.realm) == before


def test_a_foreign_currency_on_update_is_refused(sim, api, books):
    before = snapshot(sim, api.realm)
    customer = api.get(f"customer/{books['customer']}").get_json()["Customer"]

    res = api.post(
        "customer",
        {"Id": customer["Id"], "SyncToken": "0", "sparse": True, "CurrencyRef": {"value": "GBP"}},
    )

    assert fault_of(res)["code"] == "6000"
    assert snapshot(sim, api.realm) == before


def test_the_home_currency_in_any_case_is_accepted(api, books):
    assert api.create("Invoice", sales(books, CurrencyRef={"value": "usd"}))["CurrencyRef"] == {
        "value": "usd"
    }


def test_with_multicurrency_on_a_foreign_currency_is_accepted(sim, api):
    api.realm = sim.create_company(
        "empty", preferences={"CurrencyPrefs": {"MultiCurrencyEnabled": True}}
    )
    created = api.create("Customer", {"DisplayName": "Euro GmbH", "CurrencyRef": {"value": "EUR"}})
    assert created["CurrencyRef"] == {"value": "EUR"}
    assert api.create("Vendor", {"DisplayName": "Home Co"})["CurrencyRef"] == USD


# --- PrintStatus / EmailStatus -----------------------------------------------------------
@pytest.mark.parametrize(
    "entity, print_status, email_status",
    [
        ("Invoice", "NeedToPrint", "NotSet"),
        ("SalesReceipt", "NeedToPrint", "NotSet"),
        ("CreditMemo", "NeedToPrint", "NotSet"),
        ("Estimate", "NeedToPrint", "NotSet"),
        ("RefundReceipt", "NotSet", "NotSet"),
    ],
)
def test_sales_forms_get_print_and_email_status(api, books, entity, print_status, email_status):
    extra = {"DepositToAccountRef": {"value": books["bank"]}} if entity == "RefundReceipt" else {}
    created = api.create(entity, sales(books, **extra))
    assert (created["PrintStatus"], created["EmailStatus"]) == (print_status, email_status)


def test_statuses_sent_are_kept(api, books):
    created = api.create("Invoice", sales(books, PrintStatus="PrintComplete"))
    assert (created["PrintStatus"], created["EmailStatus"]) == ("PrintComplete", "NotSet")


def test_checks_get_a_print_status_other_purchases_none(api, books):
    assert api.create("Purchase", check(books))["PrintStatus"] == "NotSet"
    cash = api.create("Purchase", check(books, "Cash"))
    assert "PrintStatus" not in cash and "EmailStatus" not in cash


def test_purchase_orders_get_print_and_email_status(api, books):
    payable = api.create("Account", {"Name": "A/P", "AccountType": "Accounts Payable"})
    created = api.create(
        "PurchaseOrder",
        {
            "VendorRef": {"value": books["vendor"]},
            "APAccountRef": {"value": payable["Id"]},
            "Line": check(books)["Line"],
        },
    )
    assert (created["PrintStatus"], created["EmailStatus"]) == ("NotSet", "NotSet")


# --- numbers -----------------------------------------------------------------------------
def test_zero_amounts_are_written_0_in_json_and_others_as_computed(api, books):
    customer = api.get(f"customer/{books['customer']}").get_data(as_text=True)
    query = api.get("query?query=select * from Customer").get_data(as_text=True)
    text = api.post("invoice", sales(books)).get_data(as_text=True)

    assert '"Balance":0,' in customer and '"BalanceWithJobs":0,' in customer
    assert json.loads(customer)["Customer"]["Balance"] == 0
    assert '"Balance":0' in query and '"Balance":0.0' not in query
    assert '"TotalTax":0}' in text and '"Deposit":0' in text and '"Deposit":0.0' not in text
    assert '"TotalAmt":100.0' in text  # computed, as Intuit's samples show (35.0, 100.0)
