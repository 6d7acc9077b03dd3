"""TimeActivity, VendorCredit, RefundReceipt and Transfer through the HTTP API: CRUD, derived
fields, query, each fault's exact body and "a rejected write changes nothing"."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import fault_of
from tests.sim.rules_books import (
    INVALID_ACCOUNT_TYPE,
    Books,
    duplicate_docnumber,
    fault,
    invalid_reference,
    other_prefs,
    snapshot,
    string_length,
)

META = {"CreateTime": "2026-03-02T09:00:00-08:00", "LastUpdatedTime": "2026-03-02T09:00:00-08:00"}
REQUIRED = "Required param missing, need to supply the required value for the API"


pytestmark = pytest.mark.usefixtures("throttle_off")


@pytest.fixture
def books(sim, realm):
    books = Books(sim, realm)
    books.employee = books.user.create("Employee", {"GivenName": "Ana", "FamilyName": "Ruiz"})["Id"]
    books.site = books.customer("12 Main St")
    books.contractor = books.vendor("Rivera Electric")
    return books


def write(api, path: str, body: dict[str, Any]) -> dict[str, Any]:
    res = api.post(path, body)
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_json()


def query(api, statement: str) -> dict[str, Any]:
    res = api.get("query", query_string={"query": statement})
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_json()["QueryResponse"]


def rejected(api, sim, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """The fault of a write, after checking that it changed nothing."""
    before = snapshot(sim, api.realm)
    res = api.post(path, body)
    assert snapshot(sim, api.realm) == before
    return fault_of(res)


def required(name: str) -> dict[str, Any]:
    return fault("2020", REQUIRED, f"Required parameter {name} is missing in the request", name)


# --- TimeActivity ----------------------------------------------------------------------
def hours(books, **extra: Any) -> dict[str, Any]:
    return {"NameOf": "Employee", "EmployeeRef": {"value": books.employee}, **extra}


def test_time_activity_golden(api, books):
    created = api.create(
        "TimeActivity",
        hours(
            books,
            Hours=2,
            Minutes=30,
            CustomerRef={"value": books.site},
            ItemRef={"value": books.labor},
            BillableStatus="Billable",
            HourlyRate=85,
            Description="Replace water heater",
        ),
    )
    assert created == {
        "NameOf": "Employee",
        "EmployeeRef": {"value": books.employee, "name": "Ana Ruiz"},
        "Hours": 2,
        "Minutes": 30,
        "CustomerRef": {"value": books.site, "name": "12 Main St"},
        "ItemRef": {"value": books.labor, "name": "Labor"},
        "BillableStatus": "Billable",
        "HourlyRate": 85,
        "Description": "Replace water heater",
        "domain": "QBO",
        "sparse": False,
        "Id": created["Id"],
        "SyncToken": "0",
        "MetaData": META,
        "TxnDate": "2026-03-02",
    }


def test_time_activity_crud_and_query(api, books):
    by_vendor = api.create(
        "TimeActivity",
        {
            "NameOf": "Vendor",
            "VendorRef": {"value": books.contractor},
            "TxnDate": "2026-02-27",
            "StartTime": "2026-02-27T08:00:00-08:00",
            "EndTime": "2026-02-27T12:30:00-08:00",
            "BreakMinutes": 30,
        },
    )
    assert by_vendor["BillableStatus"] == "NotBillable"  # default (assumed)
    assert "TotalAmt" not in by_vendor and "DocNumber" not in by_vendor
    mine = api.create("TimeActivity", hours(books, Hours=8))
    assert api.get(f"timeactivity/{mine['Id']}").get_json()["TimeActivity"] == mine
    sparse = write(
        api,
        "timeactivity",
        {"Id": mine["Id"], "SyncToken": "0", "sparse": True, "Minutes": 15},
    )["TimeActivity"]
    assert (sparse["Hours"], sparse["Minutes"], sparse["SyncToken"]) == (8, 15, "1")
    full = write(
        api, "timeactivity", {**hours(books, Hours=6), "Id": mine["Id"], "SyncToken": "1"}
    )["TimeActivity"]
    assert "Minutes" not in full and full["Hours"] == 6  # full update nulls omitted fields
    found = query(api, f"select * from TimeActivity where EmployeeRef = '{books.employee}'")
    assert [t["Id"] for t in found["TimeActivity"]] == [mine["Id"]]
    found = query(api, "select * from TimeActivity where TxnDate < '2026-03-01'")
    assert [t["Id"] for t in found["TimeActivity"]] == [by_vendor["Id"]]
    deleted = write(api, "timeactivity?operation=delete", {"Id": mine["Id"], "SyncToken": "2"})
    assert deleted["TimeActivity"] == {"status": "Deleted", "domain": "QBO", "Id": mine["Id"]}
    assert query(api, "select count(*) from TimeActivity")["totalCount"] == 1


def test_has_been_billed_is_refused_on_create_only(api, books, sim):
    body = hours(books, Hours=1, CustomerRef={"value": books.site}, BillableStatus="HasBeenBilled")
    assert rejected(api, sim, "timeactivity", body) == fault(
        "2170", "Invalid Enumeration", "Invalid Enumeration: HAS_BEEN_BILLED", "BillableStatus"
    )
    created = api.create("TimeActivity", {**body, "BillableStatus": "Billable"})
    billed = write(
        api,
        "timeactivity",
        {"Id": created["Id"], "SyncToken": "0", "sparse": True, "BillableStatus": "HasBeenBilled"},
    )
    assert billed["TimeActivity"]["BillableStatus"] == "HasBeenBilled"


THEIR_ID = 'You must specify either an "employee" or "vendor." You can\'t enter both. Their ID is: '
TIME_FAULTS = [
    (
        "name_of_missing",
        {"NameOf": None, "Hours": 1},
        (
            "6300",
            "InvalidEmployeeOrVendorName",
            "The employee or vendor's name is either "
            "missing or invalid. It should be Employee or Vendor.",
        ),
    ),
    (
        "name_of_invalid",
        {"NameOf": "Customer", "Hours": 1},
        (
            "6300",
            "InvalidEmployeeOrVendorName",
            "The employee or vendor's name is either "
            "missing or invalid. It should be Employee or Vendor.",
        ),
    ),
    (
        "billable_without_customer",
        {"Hours": 1, "BillableStatus": "Billable"},
        ("6310", "MissingCustomer", "A customer is required if the transaction is billable."),
    ),
    (
        "negative_rate",
        {"Hours": 1, "HourlyRate": -5},
        ("6330", "MissingBillingRate", "Invalid hourly rate: -5."),
    ),
    (
        "no_time",
        {},
        ("6350", "MissingTime", "Time (hours:minutes) is missing: Hours."),
    ),
    (
        "both_durations",
        {"Hours": 1, "StartTime": "2026-03-02T08:00:00-08:00"},
        (
            "6390",
            "InvalidMultipleDurations",
            "Invalid multiple time durations. Specify a total "
            "elapsed time (hours:minutes) or the start and end time.",
        ),
    ),
    (
        "minutes_over_59",
        {"Hours": 1, "Minutes": 75},
        ("6340", "InvalidTime", "You must specify a time (hours:minutes): 1:75."),
    ),
    (
        "unreadable_start",
        {"StartTime": "8am", "EndTime": "2026-03-02T12:00:00-08:00"},
        ("6340", "InvalidTime", "You must specify a time (hours:minutes): 8am."),
    ),
    (
        "zero_duration",
        {"Hours": 0, "Minutes": 0},
        ("6380", "InvalidDuration", "The time duration isn't within the valid range: 0:00."),
    ),
    (
        "over_a_day",
        {"Hours": 25},
        ("6380", "InvalidDuration", "The time duration isn't within the valid range: 25:00."),
    ),
    (
        "start_only",
        {"StartTime": "2026-03-02T08:00:00-08:00"},
        (
            "6360",
            "InvalidStartOrEndTime",
            "Enter a valid start and end time. Make sure break "
            "times aren't longer than the elapsed time.",
        ),
    ),
    (
        "break_too_long",
        {
            "StartTime": "2026-03-02T08:00:00-08:00",
            "EndTime": "2026-03-02T09:00:00-08:00",
            "BreakHours": 2,
        },
        (
            "6360",
            "InvalidStartOrEndTime",
            "Enter a valid start and end time. Make sure break "
            "times aren't longer than the elapsed time.",
        ),
    ),
    (
        "start_after_end",
        {"StartTime": "2026-03-02T17:00:00-08:00", "EndTime": "2026-03-02T08:00:00-08:00"},
        (
            "6370",
            "StartTimeAfterEndTime",
            "The start time is after end time: 2026-03-02T17:00:00-08:00.",
        ),
    ),
]


@pytest.mark.parametrize(
    ("extra", "expected"), [c[1:] for c in TIME_FAULTS], ids=[c[0] for c in TIME_FAULTS]
)
def test_time_activity_faults(api, books, sim, extra, expected):
    body = {k: v for k, v in hours(books, **extra).items() if v is not None}
    assert rejected(api, sim, "timeactivity", body) == fault(*expected)


def test_time_activity_party_faults(api, books, sim):
    body = {"NameOf": "Vendor", "EmployeeRef": {"value": books.employee}, "Hours": 1}
    assert rejected(api, sim, "timeactivity", body) == required("VendorRef")
    body = hours(books, Hours=1, VendorRef={"value": books.contractor})
    assert rejected(api, sim, "timeactivity", body) == fault(
        "6290", "InvalidEmployeeOrVendor", f"{THEIR_ID}{books.contractor}."
    )
    body = hours(books, Hours=1, EmployeeRef={"value": "9999"})
    assert rejected(api, sim, "timeactivity", body) == invalid_reference("EmployeeRef")
    body = hours(books, Hours=1, DocNumber="T-1")
    assert rejected(api, sim, "timeactivity", body)["code"] == "2010"


# --- VendorCredit ----------------------------------------------------------------------
def vendor_credit(books, amount: float, doc: str | None = None, vendor: str | None = None):
    body: dict[str, Any] = {
        "VendorRef": {"value": vendor or books.contractor},
        "TxnDate": "2026-02-20",
        "Line": [
            {
                "Amount": amount,
                "DetailType": "AccountBasedExpenseLineDetail",
                "AccountBasedExpenseLineDetail": {"AccountRef": {"value": books.expense}},
            }
        ],
    }
    if doc:
        body["DocNumber"] = doc
    return body


def test_vendor_credit_golden_and_vendor_balance(api, books):
    created = api.create("VendorCredit", vendor_credit(books, 42.5, "VC-7"))
    assert created == {
        "VendorRef": {"value": books.contractor, "name": "Rivera Electric"},
        "CurrencyRef": {"value": "USD", "name": "United States Dollar"},  # home currency
        "TxnDate": "2026-02-20",
        "Line": [
            {
                "Id": "1",
                "LineNum": 1,
                "Amount": 42.5,
                "DetailType": "AccountBasedExpenseLineDetail",
                "AccountBasedExpenseLineDetail": {
                    "AccountRef": {"value": books.expense, "name": "Job Materials"}
                },
            }
        ],
        "DocNumber": "VC-7",
        "domain": "QBO",
        "sparse": False,
        "Id": created["Id"],
        "SyncToken": "0",
        "MetaData": META,
        "TotalAmt": 42.5,
        "Balance": 42.5,
        "LinkedTxn": [],
        "APAccountRef": {"value": books.payable, "name": "Accounts Payable (A/P)"},
    }
    assert books.balance("Vendor", books.contractor) == -42.5
    body = {**vendor_credit(books, 60, "VC-7"), "Id": created["Id"], "SyncToken": "0"}
    assert write(api, "vendorcredit", body)["VendorCredit"]["Balance"] == 60
    assert books.balance("Vendor", books.contractor) == -60
    found = query(api, f"select * from VendorCredit where VendorRef = '{books.contractor}'")
    assert [v["Id"] for v in found["VendorCredit"]] == [created["Id"]]
    write(api, "vendorcredit?operation=delete", {"Id": created["Id"], "SyncToken": "1"})
    assert books.balance("Vendor", books.contractor) == 0


def test_vendor_credit_docnumber_duplicates_follow_bills(api, sim):
    realm = sim.create_company("empty", preferences=other_prefs(bill=True))
    books = Books(sim, realm)
    books.contractor = books.vendor("Rivera Electric")
    other = books.vendor("Grainger")
    first = books.user.create("VendorCredit", vendor_credit(books, 10, "VC-1"))
    api.realm = realm
    assert rejected(api, sim, "vendorcredit", vendor_credit(books, 5, "VC-1")) == (
        duplicate_docnumber("VC-1", "Vendor Credit", first["Id"])
    )
    api.create("VendorCredit", vendor_credit(books, 5, "VC-1", vendor=other))
    res = api.post("vendorcredit?include=allowduplicatedocnum", vendor_credit(books, 5, "VC-1"))
    assert res.status_code == 200
    books.bill(books.contractor, 10, doc="VC-9")  # bills and vendor credits do not collide
    api.create("VendorCredit", vendor_credit(books, 5, "VC-9"))


def test_vendor_credit_without_duplicate_warning_allows_the_number(api, books):
    api.create("VendorCredit", vendor_credit(books, 10, "VC-1"))
    api.create("VendorCredit", vendor_credit(books, 10, "VC-1"))


def test_vendor_credit_faults(api, books, sim):
    body = vendor_credit(books, 10)
    body["Line"][0]["AccountBasedExpenseLineDetail"]["AccountRef"]["value"] = books.bank
    assert rejected(api, sim, "vendorcredit", body) == INVALID_ACCOUNT_TYPE
    body = vendor_credit(books, 10)
    del body["VendorRef"]
    assert rejected(api, sim, "vendorcredit", body) == required("VendorRef")
    body = vendor_credit(books, 10, "X" * 22)
    assert rejected(api, sim, "vendorcredit", body) == string_length("DocNumber", 21, 22)


# --- RefundReceipt ---------------------------------------------------------------------
def refund(books, amount: float, account: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "CustomerRef": {"value": books.site},
        "DepositToAccountRef": {"value": account or books.bank},
        "Line": [
            {
                "Amount": amount,
                "DetailType": "SalesItemLineDetail",
                "SalesItemLineDetail": {"ItemRef": {"value": books.labor}},
            }
        ],
        **extra,
    }


def test_refund_receipt_derived_fields_and_no_effect_on_balance(api, books):
    books.invoice(books.site, 100)
    created = api.create("RefundReceipt", refund(books, 40, PaymentRefNum="R" * 100))
    assert created["TotalAmt"] == 40 and created["Balance"] == 0
    assert created["DocNumber"] == "1001"  # numbered like the other sales forms, per type
    assert created["Line"][-1] == {
        "Amount": 40.0,
        "DetailType": "SubTotalLineDetail",
        "SubTotalLineDetail": {},
    }
    assert created["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"] == {"value": "NON"}
    assert created["DepositToAccountRef"] == {"value": books.bank, "name": "Checking"}
    assert (created["PrintStatus"], created["EmailStatus"]) == ("NotSet", "NotSet")
    assert books.balance("Customer", books.site) == 100  # cash out, not A/R
    found = query(api, f"select * from RefundReceipt where CustomerRef = '{books.site}'")
    assert [r["Id"] for r in found["RefundReceipt"]] == [created["Id"]]
    deleted = write(api, "refundreceipt?operation=delete", {"Id": created["Id"], "SyncToken": "0"})
    assert deleted["RefundReceipt"]["status"] == "Deleted"


def test_refund_receipt_faults(api, books, sim):
    body = refund(books, 10)
    del body["DepositToAccountRef"]
    assert rejected(api, sim, "refundreceipt", body) == required("DepositToAccountRef")
    body = refund(books, 10, books.expense)
    assert rejected(api, sim, "refundreceipt", body) == INVALID_ACCOUNT_TYPE
    body = refund(books, 10, PaymentRefNum="R" * 101)
    assert rejected(api, sim, "refundreceipt", body) == string_length("PaymentRefNum", 100, 101)
    first = api.create("RefundReceipt", refund(books, 10, DocNumber="RF-1"))
    body = refund(books, 10, DocNumber="RF-1")
    assert rejected(api, sim, "refundreceipt", body) == (
        duplicate_docnumber("RF-1", "Refund Receipt", first["Id"])
    )
    body = {"Id": first["Id"], "SyncToken": "0"}
    assert rejected(api, sim, "refundreceipt?operation=void", body) == fault(
        "500", "Unsupported Operation", "Operation void is not supported."
    )


# --- Transfer --------------------------------------------------------------------------
def transfer(source: str, target: str, amount: Any = 250) -> dict[str, Any]:
    return {
        "FromAccountRef": {"value": source},
        "ToAccountRef": {"value": target},
        "Amount": amount,
    }


def test_transfer_crud(api, books):
    created = api.create("Transfer", {**transfer(books.bank, books.undeposited), "Amount": "250"})
    assert created == {
        "FromAccountRef": {"value": books.bank, "name": "Checking"},
        "ToAccountRef": {"value": books.undeposited, "name": "Undeposited Funds"},
        "Amount": 250.0,
        "CurrencyRef": {"value": "USD", "name": "United States Dollar"},  # home currency
        "domain": "QBO",
        "sparse": False,
        "Id": created["Id"],
        "SyncToken": "0",
        "MetaData": META,
        "TxnDate": "2026-03-02",
    }
    body = {**transfer(books.card, books.bank, 99.999), "Id": created["Id"], "SyncToken": "0"}
    updated = write(api, "transfer", body)["Transfer"]
    assert (updated["Amount"], updated["FromAccountRef"]["name"]) == (100.0, "Visa")
    found = query(api, "select * from Transfer where TxnDate = '2026-03-02'")
    assert [t["Id"] for t in found["Transfer"]] == [created["Id"]]
    deleted = write(api, "transfer?operation=delete", {"Id": created["Id"], "SyncToken": "1"})
    assert deleted["Transfer"]["status"] == "Deleted"


def test_transfer_faults(api, books, sim):
    assert rejected(api, sim, "transfer", transfer(books.bank, books.bank)) == fault(
        "6000",
        "A business validation error has occurred while processing your request",
        "Business Validation Error: The From and To accounts of a transfer must be different.",
    )
    for source, target in ((books.expense, books.bank), (books.bank, books.receivable)):
        assert rejected(api, sim, "transfer", transfer(source, target)) == INVALID_ACCOUNT_TYPE
    body = transfer(books.bank, books.card)
    del body["Amount"]
    assert rejected(api, sim, "transfer", body) == required("Amount")
    assert rejected(api, sim, "transfer", transfer(books.bank, books.card, -5)) == fault(
        "2240", "Invalid Number Range", "Supplied value: -5", "Amount"
    )
    assert rejected(api, sim, "transfer", transfer(books.bank, "9999")) == invalid_reference(
        "ToAccountRef"
    )


def test_account_type_rules_follow_the_fidelity_setting(api, books, sim):
    sim.company(api.realm).fidelity["enforce_account_types"] = False
    assert api.post("transfer", transfer(books.expense, books.bank)).status_code == 200
    assert api.post("refundreceipt", refund(books, 5, books.expense)).status_code == 200


# --- sample preset ---------------------------------------------------------------------
def test_sample_has_technician_hours_and_a_vendor_credit(sim):
    realm = sim.create_company("sample", seed=3)
    company = sim.company(realm)
    times = list(company.all("TimeActivity"))
    assert len(times) == 2
    assert all(t["BillableStatus"] == "Billable" and t["CustomerRef"]["name"] for t in times)
    (credit,) = list(company.all("VendorCredit"))
    assert credit["Balance"] == credit["TotalAmt"] > 0
    vendor = company.get("Vendor", credit["VendorRef"]["value"])
    bills = [b for b in company.all("Bill") if b["VendorRef"]["value"] == vendor["Id"]]
    assert vendor["Balance"] == round(sum(b["Balance"] for b in bills) - credit["Balance"], 2)
    again = sim.create_company("sample", seed=3)
    assert list(sim.company(again).all("TimeActivity")) == times
