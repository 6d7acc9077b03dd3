"""Document numbers: 6140 duplicates (sales forms, bills, purchases) and the 21-character limit."""

from __future__ import annotations

import pytest

from qbo_sim.faults import QBOFault
from tests.conftest import fault_of
from tests.sim.rules_books import (
    Books,
    bill_body,
    duplicate_docnumber,
    invoice_body,
    other_prefs,
    purchase_body,
    snapshot,
    string_length,
)


@pytest.fixture
def books(sim, realm):
    return Books(sim, realm)


@pytest.fixture
def warn_realm(sim):
    """A company with WarnDuplicateBillNumber on (as in the ``sample`` preset)."""
    return sim.create_company("empty", preferences=other_prefs(bill=True))


@pytest.mark.parametrize(
    ("entity", "txn_type"),
    [
        ("Invoice", "Invoice"),
        ("SalesReceipt", "Sales Receipt"),
        ("CreditMemo", "Credit Memo"),
        ("Estimate", "Estimate"),
    ],
)
def test_sales_forms_are_unique_per_type_company_wide(api, books, sim, entity, txn_type):
    first_customer = books.customer("Acme Plumbing")
    other_customer = books.customer("Beta Heating")
    first = books.user.create(entity, invoice_body(first_customer, 50, books.labor, "1001"))
    before = snapshot(sim, api.realm)
    res = api.post(entity.lower(), invoice_body(other_customer, 50, books.labor, "1001"))
    assert fault_of(res) == duplicate_docnumber("1001", txn_type, first["Id"])
    assert snapshot(sim, api.realm) == before


def test_same_number_on_another_sales_type_is_fine(api, books):
    customer = books.customer("Acme Plumbing")
    books.invoice(customer, 50, doc="1001")
    receipt = api.create("SalesReceipt", invoice_body(customer, 50, books.labor, "1001"))
    assert receipt["DocNumber"] == "1001"


def test_allowduplicatedocnum_bypasses(api, books):
    customer = books.customer("Acme Plumbing")
    books.invoice(customer, 50, doc="1001")
    res = api.post(
        "invoice?include=allowduplicatedocnum", invoice_body(customer, 60, books.labor, "1001")
    )
    assert res.status_code == 200
    assert res.get_json()["Invoice"]["DocNumber"] == "1001"


def test_update_keeping_its_number_is_fine_and_taking_another_is_not(api, books):
    customer = books.customer("Acme Plumbing")
    taken = books.invoice(customer, 50, doc="1001")
    mine = api.create("Invoice", invoice_body(customer, 70, books.labor, "1002"))
    ok = api.post(
        "invoice",
        {"Id": mine["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "same number"},
    )
    assert ok.status_code == 200
    res = api.post(
        "invoice", {"Id": mine["Id"], "SyncToken": "1", "sparse": True, "DocNumber": "1001"}
    )
    assert fault_of(res) == duplicate_docnumber("1001", "Invoice", taken)


def test_deleted_invoice_frees_its_number(api, books):
    customer = books.customer("Acme Plumbing")
    old = books.invoice(customer, 50, doc="1001")
    books.user.delete("Invoice", old)
    assert api.create("Invoice", invoice_body(customer, 50, books.labor, "1001"))["Id"] != old


def test_bill_numbers_are_per_vendor_when_warn_duplicate_bill_number_is_on(api, sim, warn_realm):
    api.realm = warn_realm
    books = Books(sim, warn_realm)
    vendor = books.vendor("Ferguson Supply")
    other = books.vendor("Grainger")
    first = books.bill(vendor, 120, doc="R-100")
    res = api.post("bill", bill_body(vendor, 80, books.expense, "R-100"))
    assert fault_of(res) == duplicate_docnumber("R-100", "Bill", first)
    assert api.create("Bill", bill_body(other, 80, books.expense, "R-100"))["DocNumber"] == "R-100"


def test_bill_numbers_may_repeat_when_the_preference_is_off(api, books):
    vendor = books.vendor("Ferguson Supply")
    books.bill(vendor, 120, doc="R-100")
    assert api.create("Bill", bill_body(vendor, 80, books.expense, "R-100"))["DocNumber"] == "R-100"


def test_bill_scope_company_when_configured(sim):
    realm = sim.create_company(
        "empty",
        preferences=other_prefs(bill=True),
        fidelity_settings={"bill_docnumber_scope": "company"},
    )
    books = Books(sim, realm)
    first = books.bill(books.vendor("Ferguson Supply"), 120, doc="R-100")
    with pytest.raises(QBOFault) as raised:
        books.bill(books.vendor("Grainger"), 80, doc="R-100")
    assert raised.value.detail.endswith(
        f"DocNumber=R-100 is assigned to TxnType=Bill with TxnId={first}"
    )


@pytest.mark.parametrize(
    ("kind", "txn_type"), [("Cash", "Expense"), ("CreditCard", "Credit Card Expense")]
)
def test_purchases_are_per_vendor_with_the_bill_preference(api, sim, warn_realm, kind, txn_type):
    api.realm = warn_realm
    books = Books(sim, warn_realm)
    vendor = books.vendor("Ferguson Supply")
    account = books.card if kind == "CreditCard" else books.bank
    first = books.user.create(
        "Purchase", purchase_body(vendor, 40, account, books.expense, "R-7", kind)
    )
    res = api.post("purchase", purchase_body(vendor, 30, account, books.expense, "R-7", kind))
    assert fault_of(res) == duplicate_docnumber("R-7", txn_type, first["Id"])


def test_check_numbers_follow_warn_duplicate_check_number(api, books, sim):
    vendor = books.vendor("Ferguson Supply")
    first = books.user.create(
        "Purchase", purchase_body(vendor, 40, books.bank, books.expense, "5001", "Check")
    )
    res = api.post(
        "purchase", purchase_body(vendor, 30, books.bank, books.expense, "5001", "Check")
    )
    assert fault_of(res) == duplicate_docnumber("5001", "Check", first["Id"])
    off = sim.create_company("empty", preferences=other_prefs(check=False))
    off_books = Books(sim, off)
    payee = off_books.vendor("Ferguson Supply")
    for amount in (40, 30):
        off_books.user.create(
            "Purchase",
            purchase_body(payee, amount, off_books.bank, off_books.expense, "5001", "Check"),
        )


def test_journal_numbers_only_with_their_preference(sim):
    realm = sim.create_company("empty", preferences=other_prefs(journal=True))
    books = Books(sim, realm)

    def entry():
        return {
            "DocNumber": "JE-1",
            "Line": [
                {
                    "Amount": 10,
                    "DetailType": "JournalEntryLineDetail",
                    "JournalEntryLineDetail": {
                        "PostingType": posting,
                        "AccountRef": {"value": account},
                    },
                }
                for posting, account in (("Debit", books.expense), ("Credit", books.bank))
            ],
        }

    first = books.user.create("JournalEntry", entry())
    with pytest.raises(QBOFault) as raised:
        books.user.create("JournalEntry", entry())
    assert raised.value.detail.endswith(
        f"DocNumber=JE-1 is assigned to TxnType=Journal Entry with TxnId={first['Id']}"
    )


def test_docnumber_longer_than_21_characters(api, books, sim):
    customer = books.customer("Acme Plumbing")
    before = snapshot(sim, api.realm)
    res = api.post("invoice", invoice_body(customer, 50, books.labor, "INV-2026-0000000000001"))
    assert fault_of(res) == string_length("DocNumber", 21, 22)
    assert snapshot(sim, api.realm) == before
    ok = api.create("Invoice", invoice_body(customer, 50, books.labor, "INV-2026-000000000001"))
    assert len(ok["DocNumber"]) == 21
