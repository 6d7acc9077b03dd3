"""Account types (6430) and items posting to inactive accounts (610) (§2.3 6430, §8)."""

from __future__ import annotations

import pytest

from tests.conftest import fault_of
from tests.sim.rules_books import (
    INVALID_ACCOUNT_TYPE,
    MADE_INACTIVE_610,
    Books,
    bill_body,
    invoice_body,
    payment_body,
    purchase_body,
    snapshot,
)


@pytest.fixture
def books(sim, realm):
    return Books(sim, realm)


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        ("IncomeAccountRef", "income", "expense"),
        ("ExpenseAccountRef", "expense", "income"),
        ("ExpenseAccountRef", "cogs", "bank"),
        ("AssetAccountRef", "undeposited", "bank"),
    ],
)
def test_item_account_types(api, books, sim, field, good, bad):
    body = {
        "Name": "Copper pipe",
        "Type": "NonInventory",
        "IncomeAccountRef": {"value": books.income},
    }
    before = snapshot(sim, api.realm)
    res = api.post("item", {**body, field: {"value": getattr(books, bad)}})
    assert fault_of(res) == INVALID_ACCOUNT_TYPE
    assert snapshot(sim, api.realm) == before
    assert api.create("Item", {**body, field: {"value": getattr(books, good)}})[field]


def test_item_account_type_rule_can_be_switched_off(sim):
    realm = sim.create_company("empty", fidelity_settings={"enforce_account_types": False})
    books = Books(sim, realm)
    item = books.user.create(
        "Item", {"Name": "Pipe", "Type": "Service", "IncomeAccountRef": {"value": books.expense}}
    )
    assert item["IncomeAccountRef"]["value"] == books.expense


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [("Check", "bank", "card"), ("Cash", "bank", "expense"), ("CreditCard", "card", "bank")],
)
def test_purchase_payment_account(api, books, kind, good, bad):
    vendor = books.vendor("Ferguson Supply")
    res = api.post(
        "purchase", purchase_body(vendor, 20, getattr(books, bad), books.expense, None, kind)
    )
    assert fault_of(res) == INVALID_ACCOUNT_TYPE
    ok = api.create(
        "Purchase", purchase_body(vendor, 20, getattr(books, good), books.expense, None, kind)
    )
    assert ok["PaymentType"] == kind


@pytest.mark.parametrize("bad", ["receivable", "payable", "bank"])
def test_expense_lines_cannot_post_to_ar_ap_or_bank(api, books, bad):
    vendor = books.vendor("Ferguson Supply")
    assert fault_of(api.post("bill", bill_body(vendor, 20, getattr(books, bad)))) == (
        INVALID_ACCOUNT_TYPE
    )
    res = api.post("purchase", purchase_body(vendor, 20, books.bank, getattr(books, bad), None))
    assert fault_of(res) == INVALID_ACCOUNT_TYPE


def test_payment_deposit_account(api, books):
    customer = books.customer("Acme Plumbing")
    body = payment_body(customer, 10)
    body["DepositToAccountRef"] = {"value": books.expense}
    assert fault_of(api.post("payment", body)) == INVALID_ACCOUNT_TYPE
    for good in (books.bank, books.undeposited):
        body["DepositToAccountRef"] = {"value": good}
        assert api.create("Payment", body)["DepositToAccountRef"]["value"] == good


def test_item_with_inactive_income_account_poisons_invoices(api, books, sim):
    customer = books.customer("Acme Plumbing")
    books.user.deactivate("Account", books.income)
    before = snapshot(sim, api.realm)
    assert fault_of(api.post("invoice", invoice_body(customer, 50, books.labor))) == (
        MADE_INACTIVE_610
    )
    assert snapshot(sim, api.realm) == before


def test_item_with_inactive_expense_account_poisons_purchases_not_sales(api, books):
    customer = books.customer("Acme Plumbing")
    vendor = books.vendor("Ferguson Supply")
    pipe = books.item("Pipe", income=books.income, expense=books.expense)
    books.user.deactivate("Account", books.expense)
    assert api.create("Invoice", invoice_body(customer, 50, pipe))["Id"]
    bill = {
        "VendorRef": {"value": vendor},
        "Line": [
            {
                "Amount": 20,
                "DetailType": "ItemBasedExpenseLineDetail",
                "ItemBasedExpenseLineDetail": {
                    "ItemRef": {"value": pipe},
                    "Qty": 1,
                    "UnitPrice": 20,
                },
            }
        ],
    }
    assert fault_of(api.post("bill", bill)) == MADE_INACTIVE_610


def test_inventory_item_checks_its_cogs_account_on_sales(api, books):
    customer = books.customer("Acme Plumbing")
    stock = books.user.create(
        "Item",
        {
            "Name": "Water heater",
            "Type": "Inventory",
            "TrackQtyOnHand": True,
            "QtyOnHand": 5,
            "InvStartDate": "2026-01-01",
            "IncomeAccountRef": {"value": books.income},
            "ExpenseAccountRef": {"value": books.cogs},
            "AssetAccountRef": {"value": books.undeposited},
        },
    )["Id"]
    books.user.deactivate("Account", books.cogs)
    assert fault_of(api.post("invoice", invoice_body(customer, 900, stock))) == MADE_INACTIVE_610
