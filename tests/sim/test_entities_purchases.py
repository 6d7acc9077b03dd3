"""Bill, BillPayment, Purchase, PurchaseOrder, JournalEntry and Deposit through the HTTP API:
CRUD, delete, void and derived fields (TotalAmt, Balance, DueDate, defaults)."""

from __future__ import annotations

import pytest

from tests.conftest import fault_of

pytestmark = pytest.mark.usefixtures("throttle_off")


@pytest.fixture
def books(api) -> dict:
    def account(name: str, kind: str) -> str:
        return api.create("Account", {"Name": name, "AccountType": kind})["Id"]

    term = api.create("Term", {"Name": "Net 15", "DueDays": 15})
    vendor = api.create("Vendor", {"DisplayName": "Supply Co", "TermRef": {"value": term["Id"]}})
    return {
        "vendor": vendor["Id"],
        "bank": account("Checking", "Bank"),
        "card": account("Mastercard", "Credit Card"),
        "ap": account("Accounts Payable (A/P)", "Accounts Payable"),
        "fuel": account("Fuel", "Expense"),
        "income": account("Services", "Income"),
    }


def expense_line(account: str, amount: float) -> dict:
    return {
        "DetailType": "AccountBasedExpenseLineDetail",
        "Amount": amount,
        "AccountBasedExpenseLineDetail": {"AccountRef": {"value": account}},
    }


def bill_body(books: dict, *amounts: float) -> dict:
    return {
        "VendorRef": {"value": books["vendor"]},
        "TxnDate": "2026-02-10",
        "Line": [expense_line(books["fuel"], a) for a in amounts],
    }


def test_bill_derived_fields_golden(api, books):
    created = api.create("Bill", bill_body(books, 40, 2.5))
    expected = {
        "VendorRef": {"value": books["vendor"], "name": "Supply Co"},
        "SalesTermRef": {"value": "1", "name": "Net 15"},
        "APAccountRef": {"value": books["ap"], "name": "Accounts Payable (A/P)"},
        "TxnDate": "2026-02-10",
        "DueDate": "2026-02-25",
        "TotalAmt": 42.5,
        "Balance": 42.5,
        "LinkedTxn": [],
    }
    assert {k: created[k] for k in expected} == expected
    assert [(line["Id"], line["LineNum"]) for line in created["Line"]] == [("1", 1), ("2", 2)]
    assert created["Line"][0]["AccountBasedExpenseLineDetail"]["AccountRef"]["name"] == "Fuel"
    assert "DocNumber" not in created  # bills are not numbered automatically


def test_bill_read_update_delete(api, books):
    body = bill_body(books, 10)
    body["PrivateNote"] = "fuel"
    created = api.create("Bill", body)
    assert api.get(f"bill/{created['Id']}").get_json()["Bill"] == created
    full = api.update("Bill", {"Id": created["Id"], "SyncToken": "0", **bill_body(books, 30)})
    assert "PrivateNote" not in full
    assert (full["TotalAmt"], full["Balance"]) == (30.0, 30.0)
    sparse = api.update(
        "Bill", {"Id": created["Id"], "SyncToken": "1", "sparse": True, "DocNumber": "A-7"}
    )
    assert sparse["DocNumber"] == "A-7" and sparse["TotalAmt"] == 30.0
    res = api.post("bill?operation=delete", {"Id": created["Id"], "SyncToken": "2"})
    assert res.get_json()["Bill"]["status"] == "Deleted"


def test_expense_line_without_amount_is_2020(api, books):
    body = bill_body(books, 10)
    del body["Line"][0]["Amount"]
    assert fault_of(api.post("bill", body))["Detail"] == (
        "Required parameter Amount is missing in the request"
    )


def test_purchase_crud_and_total(api, books):
    created = api.create(
        "Purchase",
        {
            "PaymentType": "CreditCard",
            "AccountRef": {"value": books["card"]},
            "EntityRef": {"value": books["vendor"], "type": "Vendor"},
            "Line": [expense_line(books["fuel"], 61.2)],
        },
    )
    assert created["TotalAmt"] == 61.2
    assert created["EntityRef"] == {"value": books["vendor"], "type": "Vendor", "name": "Supply Co"}
    assert "Balance" not in created
    sparse = api.update(
        "Purchase", {"Id": created["Id"], "SyncToken": "0", "sparse": True, "Credit": True}
    )
    assert sparse["Credit"] is True
    res = api.post("purchase?operation=delete", {"Id": created["Id"], "SyncToken": "1"})
    assert res.get_json()["Purchase"]["status"] == "Deleted"


def test_purchase_order_defaults_and_numbering(api, books):
    body = {
        "VendorRef": {"value": books["vendor"]},
        "APAccountRef": {"value": books["ap"]},
        "Line": [expense_line(books["fuel"], 5)],
    }
    first = api.create("PurchaseOrder", body)
    second = api.create("PurchaseOrder", body)
    assert (first["POStatus"], first["DocNumber"], second["DocNumber"]) == ("Open", "1001", "1002")
    full = api.update("PurchaseOrder", {"Id": first["Id"], "SyncToken": "0", **body})
    assert full["DocNumber"] == "1001"  # kept when an update omits it (assumed)
    res = api.post("purchaseorder?operation=delete", {"Id": first["Id"], "SyncToken": "1"})
    assert res.get_json()["PurchaseOrder"]["status"] == "Deleted"


def test_bill_payment_crud_and_void_clears_lines(api, books):
    bill = api.create("Bill", bill_body(books, 80))
    created = api.create(
        "BillPayment",
        {
            "VendorRef": {"value": books["vendor"]},
            "PayType": "Check",
            "CheckPayment": {"BankAccountRef": {"value": books["bank"]}},
            "TotalAmt": 80,
            "Line": [{"Amount": 80, "LinkedTxn": [{"TxnId": bill["Id"], "TxnType": "Bill"}]}],
        },
    )
    assert created["TotalAmt"] == 80.0
    assert created["CheckPayment"]["BankAccountRef"]["name"] == "Checking"
    assert "Id" not in created["Line"][0]  # payment lines are not numbered
    voided = api.post(
        "billpayment?operation=update&include=void",
        {"Id": created["Id"], "SyncToken": created["SyncToken"], "sparse": True},
    ).get_json()["BillPayment"]
    assert (voided["Line"], voided["TotalAmt"], voided["PrivateNote"]) == ([], 0.0, "Voided")


def test_bill_payment_check_requires_check_payment(api, books):
    res = api.post(
        "billpayment",
        {
            "VendorRef": {"value": books["vendor"]},
            "PayType": "Check",
            "TotalAmt": 1,
            "Line": [{"Amount": 1, "LinkedTxn": [{"TxnId": "1", "TxnType": "Bill"}]}],
        },
    )
    assert fault_of(res)["Detail"] == "Required parameter CheckPayment is missing in the request"


def test_journal_entry_total_is_zero_and_lines_numbered(api, books):
    def leg(posting: str, account: str) -> dict:
        return {
            "DetailType": "JournalEntryLineDetail",
            "Amount": 25,
            "JournalEntryLineDetail": {"PostingType": posting, "AccountRef": {"value": account}},
        }

    created = api.create(
        "JournalEntry", {"Line": [leg("Debit", books["fuel"]), leg("Credit", books["bank"])]}
    )
    assert created["TotalAmt"] == 0.0
    assert [line["Id"] for line in created["Line"]] == ["1", "2"]
    assert created["Line"][0]["JournalEntryLineDetail"]["AccountRef"]["name"] == "Fuel"
    assert "DocNumber" not in created
    res = api.post("journalentry?operation=delete", {"Id": created["Id"], "SyncToken": "0"})
    assert res.get_json()["JournalEntry"]["status"] == "Deleted"


def test_deposit_total_and_crud(api, books):
    created = api.create(
        "Deposit",
        {
            "DepositToAccountRef": {"value": books["bank"]},
            "Line": [
                {
                    "DetailType": "DepositLineDetail",
                    "Amount": 120,
                    "DepositLineDetail": {"AccountRef": {"value": books["income"]}},
                },
                {
                    "DetailType": "DepositLineDetail",
                    "Amount": 30.25,
                    "DepositLineDetail": {"AccountRef": {"value": books["income"]}},
                },
            ],
            "CashBack": {"AccountRef": {"value": books["bank"]}, "Amount": 20},
        },
    )
    assert created["TotalAmt"] == 130.25
    assert created["DepositToAccountRef"] == {"value": books["bank"], "name": "Checking"}
    sparse = api.update(
        "Deposit", {"Id": created["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "x"}
    )
    assert sparse["TotalAmt"] == 130.25
    res = api.post("deposit?operation=delete", {"Id": created["Id"], "SyncToken": "1"})
    assert res.get_json()["Deposit"]["status"] == "Deleted"
