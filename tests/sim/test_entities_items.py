"""Item, Account, Class, Department, Term, PaymentMethod through the HTTP API: CRUD,
deactivation and the derived fields (hierarchy, Classification, Term Type)."""

from __future__ import annotations

import pytest

from tests.conftest import fault_of

pytestmark = pytest.mark.usefixtures("throttle_off")


def income_account(api) -> dict:
    return api.create("Account", {"Name": "Services", "AccountType": "Income"})


def test_account_classification_and_balances_golden(api):
    created = api.create("Account", {"Name": "Checking", "AccountType": "Bank"})
    assert {k: v for k, v in created.items() if k != "MetaData"} == {
        "Name": "Checking",
        "AccountType": "Bank",
        "CurrencyRef": {"value": "USD", "name": "United States Dollar"},  # home currency
        "domain": "QBO",
        "sparse": False,
        "Id": "1",
        "SyncToken": "0",
        "Active": True,
        "FullyQualifiedName": "Checking",
        "SubAccount": False,
        "CurrentBalance": 0.0,
        "CurrentBalanceWithSubAccounts": 0.0,
        "AccountSubType": "Checking",
        "Classification": "Asset",
    }


@pytest.mark.parametrize(
    "account_type,classification",
    [
        ("Income", "Revenue"),
        ("Cost of Goods Sold", "Expense"),
        ("Credit Card", "Liability"),
        ("Equity", "Equity"),
        ("Other Current Asset", "Asset"),
    ],
)
def test_account_classification_follows_type(api, account_type, classification):
    created = api.create("Account", {"Name": "A", "AccountType": account_type})
    assert created["Classification"] == classification


def test_account_type_from_subtype_alone(api):
    created = api.create("Account", {"Name": "Undeposited", "AccountSubType": "UndepositedFunds"})
    assert (created["AccountType"], created["Classification"]) == ("Other Current Asset", "Asset")


def test_sub_account_fully_qualified_name(api):
    parent = api.create("Account", {"Name": "Job Expenses", "AccountType": "Expense"})
    child = api.create(
        "Account",
        {"Name": "Job Materials", "AccountType": "Expense", "ParentRef": {"value": parent["Id"]}},
    )
    assert child["SubAccount"] is True
    assert child["FullyQualifiedName"] == "Job Expenses:Job Materials"
    assert child["ParentRef"] == {"value": parent["Id"], "name": "Job Expenses"}
    assert "Level" not in child


def test_account_full_update_sparse_update_and_deactivate(api):
    created = api.create(
        "Account", {"Name": "Fuel", "AccountType": "Expense", "Description": "Trucks"}
    )
    full = api.update(
        "Account",
        {"Id": created["Id"], "SyncToken": "0", "Name": "Fuel", "AccountType": "Expense"},
    )
    assert "Description" not in full
    # QBO wants an Account's Name even in a sparse update (minimul/qbo_api#47: 2020)
    bare = {"Id": created["Id"], "SyncToken": "1", "sparse": True, "Active": False}
    assert fault_of(api.post("account", bare))["Detail"] == (
        "Required parameter Name is missing in the request"
    )
    sparse = api.update("Account", {**bare, "Name": "Fuel"})
    assert sparse["Active"] is False and sparse["Name"] == "Fuel"
    res = api.post("account?operation=delete", {"Id": created["Id"], "SyncToken": "2"})
    assert fault_of(res)["code"] == "500"


def test_item_derived_fields_golden(api):
    income = income_account(api)
    created = api.create(
        "Item",
        {"Name": "Repair", "Type": "Service", "IncomeAccountRef": {"value": income["Id"]}},
    )
    assert {k: v for k, v in created.items() if k != "MetaData"} == {
        "Name": "Repair",
        "Type": "Service",
        "IncomeAccountRef": {"value": income["Id"], "name": "Services"},
        "domain": "QBO",
        "sparse": False,
        "Id": "1",
        "SyncToken": "0",
        "Active": True,
        "FullyQualifiedName": "Repair",
        "TrackQtyOnHand": False,
    }


def test_sub_item_and_item_crud(api):
    income = {"value": income_account(api)["Id"]}
    parent = api.create("Item", {"Name": "Plumbing", "Type": "Service", "IncomeAccountRef": income})
    child = api.create(
        "Item",
        {
            "Name": "Drain Cleaning",
            "Type": "Service",
            "IncomeAccountRef": income,
            "ParentRef": {"value": parent["Id"]},
            "UnitPrice": 80,
        },
    )
    assert (child["SubItem"], child["Level"], child["FullyQualifiedName"]) == (
        True,
        1,
        "Plumbing:Drain Cleaning",
    )
    read = api.get(f"item/{child['Id']}").get_json()["Item"]
    assert read == child
    full = api.update(
        "Item",
        {
            "Id": child["Id"],
            "SyncToken": "0",
            "Name": "Drain Cleaning",
            "Type": "Service",
            "IncomeAccountRef": income,
        },
    )
    assert "UnitPrice" not in full and "ParentRef" not in full
    # back at top level: no SubItem and no Level, as QBO writes a top-level item
    assert "SubItem" not in full and "Level" not in full
    assert full["FullyQualifiedName"] == "Drain Cleaning"
    inactive = api.update(
        "Item", {"Id": child["Id"], "SyncToken": "1", "sparse": True, "Active": False}
    )
    assert inactive["Active"] is False


@pytest.mark.parametrize("entity,flag", [("Class", "SubClass"), ("Department", "SubDepartment")])
def test_class_and_department_hierarchy_and_crud(api, entity, flag):
    parent = api.create(entity, {"Name": "Commercial"})
    assert parent[flag] is False and parent["FullyQualifiedName"] == "Commercial"
    child = api.create(entity, {"Name": "Maintenance", "ParentRef": {"value": parent["Id"]}})
    assert child[flag] is True
    assert child["FullyQualifiedName"] == "Commercial:Maintenance"
    sparse = api.update(
        entity, {"Id": child["Id"], "SyncToken": "0", "sparse": True, "Name": "Repairs"}
    )
    assert sparse["FullyQualifiedName"] == "Commercial:Repairs"
    full = api.update(entity, {"Id": child["Id"], "SyncToken": "1", "Name": "Repairs"})
    assert full[flag] is False and "ParentRef" not in full
    inactive = api.update(
        entity, {"Id": child["Id"], "SyncToken": "2", "sparse": True, "Active": False}
    )
    assert inactive["Active"] is False


def test_term_type_and_crud(api):
    standard = api.create("Term", {"Name": "Net 15", "DueDays": 15})
    assert (standard["Type"], standard["Active"]) == ("STANDARD", True)
    date_driven = api.create("Term", {"Name": "15th", "DayOfMonthDue": 15})
    assert date_driven["Type"] == "DATE_DRIVEN"
    full = api.update("Term", {"Id": standard["Id"], "SyncToken": "0", "Name": "Net 20"})
    assert "DueDays" not in full and full["Name"] == "Net 20"
    sparse = api.update(
        "Term", {"Id": standard["Id"], "SyncToken": "1", "sparse": True, "DueDays": 20}
    )
    assert sparse["DueDays"] == 20


def test_term_name_limit_is_31(api):
    res = api.post("term", {"Name": "N" * 32, "DueDays": 1})
    assert fault_of(res)["Detail"] == (
        "String length specified does not match the supported length. Min:0 Max:31 supported. "
        "Supplied length: 32"
    )


def test_payment_method_defaults_and_crud(api):
    created = api.create("PaymentMethod", {"Name": "Check"})
    assert (created["Type"], created["Active"]) == ("NON_CREDIT_CARD", True)
    card = api.create("PaymentMethod", {"Name": "Visa", "Type": "CREDIT_CARD"})
    assert card["Type"] == "CREDIT_CARD"
    inactive = api.update(
        "PaymentMethod",
        {"Id": created["Id"], "SyncToken": "0", "sparse": True, "Active": False},
    )
    assert inactive["Active"] is False
    res = api.post("paymentmethod", {"Name": "Gold", "Type": "GOLD"})
    assert fault_of(res)["Detail"] == "Invalid Enumeration: GOLD"
