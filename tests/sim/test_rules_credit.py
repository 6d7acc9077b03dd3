"""Credit memos applied through payments and vendor credits through bill payments: remaining
credit, LinkedTxn on both sides, party balances after every linking operation (void and delete
included) and the faults, through the HTTP API (§5.12, §8)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import fault_of
from tests.sim.rules_books import (
    DELETE_LINKED,
    LINKED_TXN_DELETED,
    Books,
    bill_payment_body,
    cannot_link,
    has_balance,
    invoice_body,
    overapplied,
    snapshot,
)


@pytest.fixture(autouse=True)
def _throttle_off(sim):
    """Many requests in one frozen second; throttling is tested elsewhere."""
    sim.throttle.set_enabled(False)


@pytest.fixture
def books(sim, realm):
    return Books(sim, realm)


@pytest.fixture
def acme(books):
    """Acme with a property (job): a 100.00 invoice (1001) and a 30.00 credit memo (CM-1)."""
    parent = books.customer("Acme Property Group")
    site = books.customer("12 Main St", parent=parent)
    invoice = books.invoice(site, 100, doc="1001")
    memo = credit_memo(books, site, 30, "CM-1")
    return parent, site, invoice, memo


def credit_memo(books: Books, customer: str, amount: float, doc: str) -> str:
    return books.user.create("CreditMemo", invoice_body(customer, amount, books.labor, doc))["Id"]


def payment(customer: str, total: float, *applied: tuple[str, str, float]) -> dict[str, Any]:
    """A Payment of ``total`` applying ``(TxnType, id, amount)`` lines."""
    return {
        "CustomerRef": {"value": customer},
        "TotalAmt": total,
        "Line": [
            {"Amount": amount, "LinkedTxn": [{"TxnId": txn_id, "TxnType": kind}]}
            for kind, txn_id, amount in applied
        ],
    }


def balances(books, *customers):
    return [
        (books.get("Customer", c)["Balance"], books.get("Customer", c)["BalanceWithJobs"])
        for c in customers
    ]


def credit(books, memo):
    found = books.get("CreditMemo", memo)
    return found["Balance"], found["RemainingCredit"]


def write(api, path: str, body: dict[str, Any]) -> dict[str, Any]:
    res = api.post(path, body)
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_json()


# --- credit memos ----------------------------------------------------------------------
def test_a_credit_memo_lowers_the_customer_balance(books, acme):
    parent, site, invoice, memo = acme
    assert credit(books, memo) == (30, 30)
    assert books.get("CreditMemo", memo)["LinkedTxn"] == []
    # 100 open on the invoice − 30 of remaining credit
    assert balances(books, site, parent) == [(70, 70), (0, 70)]


def test_payment_of_zero_applies_the_credit_memo_to_the_invoice(api, books, acme):
    parent, site, invoice, memo = acme
    token = books.get("CreditMemo", memo)["SyncToken"]
    paid = api.create(
        "Payment", payment(site, 0, ("Invoice", invoice, 30), ("CreditMemo", memo, 30))
    )
    assert paid["TotalAmt"] == 0 and paid["UnappliedAmt"] == 0
    assert [line["LinkedTxn"] for line in paid["Line"]] == [
        [{"TxnId": invoice, "TxnType": "Invoice"}],
        [{"TxnId": memo, "TxnType": "CreditMemo"}],
    ]
    used = books.get("CreditMemo", memo)
    assert (used["Balance"], used["RemainingCredit"]) == (0, 0)
    assert used["LinkedTxn"] == [{"TxnId": paid["Id"], "TxnType": "Payment"}]
    assert used["SyncToken"] == str(int(token) + 1)
    invoice_now = books.get("Invoice", invoice)
    assert invoice_now["Balance"] == 70
    assert invoice_now["LinkedTxn"] == [{"TxnId": paid["Id"], "TxnType": "Payment"}]
    # the credit moved from the memo to the invoice: the customer still owes 70
    assert balances(books, site, parent) == [(70, 70), (0, 70)]


def test_payment_with_money_and_credit(api, books, acme):
    parent, site, invoice, memo = acme
    paid = api.create(
        "Payment", payment(site, 80, ("Invoice", invoice, 100), ("CreditMemo", memo, 20))
    )
    assert paid["UnappliedAmt"] == 0
    assert books.balance("Invoice", invoice) == 0
    assert credit(books, memo) == (10, 10)
    assert balances(books, site, parent) == [(-10, -10), (0, -10)]


def test_overapplying_a_credit_memo_is_6000_and_changes_nothing(api, books, sim, acme):
    parent, site, invoice, memo = acme
    before = snapshot(sim, api.realm)
    res = api.post("payment", payment(site, 0, ("Invoice", invoice, 40), ("CreditMemo", memo, 40)))
    assert fault_of(res) == overapplied("CreditMemo", "CM-1", "30.00")
    assert snapshot(sim, api.realm) == before


def test_using_a_credit_already_used_is_6000(api, books, sim, acme):
    parent, site, invoice, memo = acme
    api.create("Payment", payment(site, 0, ("Invoice", invoice, 30), ("CreditMemo", memo, 30)))
    before = snapshot(sim, api.realm)
    res = api.post("payment", payment(site, 0, ("Invoice", invoice, 10), ("CreditMemo", memo, 10)))
    assert fault_of(res) == overapplied("CreditMemo", "CM-1", "0.00")
    assert snapshot(sim, api.realm) == before


def test_credit_memo_of_another_customer_is_620_and_missing_is_610(api, books, sim, acme):
    parent, site, invoice, memo = acme
    before = snapshot(sim, api.realm)
    res = api.post("payment", payment(parent, 0, ("CreditMemo", memo, 10)))
    assert fault_of(res) == cannot_link(memo)
    res = api.post(
        "payment", payment(site, 0, ("Invoice", invoice, 10), ("CreditMemo", "9999", 10))
    )
    assert fault_of(res) == LINKED_TXN_DELETED
    assert snapshot(sim, api.realm) == before


def test_deleting_a_linked_credit_memo_is_6000_until_the_payment_goes(api, books, sim, acme):
    parent, site, invoice, memo = acme
    paid = api.create(
        "Payment", payment(site, 0, ("Invoice", invoice, 30), ("CreditMemo", memo, 30))
    )
    current = books.get("CreditMemo", memo)
    before = snapshot(sim, api.realm)
    res = api.post("creditmemo?operation=delete", {"Id": memo, "SyncToken": current["SyncToken"]})
    assert fault_of(res) == DELETE_LINKED
    assert snapshot(sim, api.realm) == before
    write(api, "payment?operation=delete", {"Id": paid["Id"], "SyncToken": paid["SyncToken"]})
    restored = books.get("CreditMemo", memo)
    assert (restored["Balance"], restored["RemainingCredit"]) == (30, 30)
    assert restored["LinkedTxn"] == []
    assert books.balance("Invoice", invoice) == 100
    assert balances(books, site, parent) == [(70, 70), (0, 70)]
    deleted = write(
        api, "creditmemo?operation=delete", {"Id": memo, "SyncToken": restored["SyncToken"]}
    )
    assert deleted["CreditMemo"]["status"] == "Deleted"
    assert balances(books, site, parent) == [(100, 100), (0, 100)]


def test_voiding_the_payment_restores_the_credit(api, books, acme):
    parent, site, invoice, memo = acme
    paid = api.create(
        "Payment", payment(site, 0, ("Invoice", invoice, 30), ("CreditMemo", memo, 30))
    )
    voided = write(
        api,
        "payment?operation=update&include=void",
        {"Id": paid["Id"], "SyncToken": paid["SyncToken"], "sparse": True},
    )["Payment"]
    assert voided["Line"] == [] and voided["UnappliedAmt"] == 0
    assert credit(books, memo) == (30, 30)
    assert books.get("CreditMemo", memo)["LinkedTxn"] == []
    assert books.balance("Invoice", invoice) == 100
    assert balances(books, site, parent) == [(70, 70), (0, 70)]


def test_voiding_the_invoice_leaves_the_credit_on_the_payment(api, books, acme):
    parent, site, invoice, memo = acme
    paid = api.create(
        "Payment", payment(site, 0, ("Invoice", invoice, 30), ("CreditMemo", memo, 30))
    )
    current = books.get("Invoice", invoice)
    write(api, "invoice?operation=void", {"Id": invoice, "SyncToken": current["SyncToken"]})
    unapplied = books.get("Payment", paid["Id"])
    assert [line["LinkedTxn"] for line in unapplied["Line"]] == [
        [{"TxnId": memo, "TxnType": "CreditMemo"}]
    ]
    # the memo's 30 stays used; it now sits on the payment as unapplied credit
    assert unapplied["UnappliedAmt"] == 30
    assert credit(books, memo) == (0, 0)
    assert balances(books, site, parent) == [(-30, -30), (0, -30)]


def test_updating_the_payment_releases_the_credit(api, books, acme):
    parent, site, invoice, memo = acme
    paid = api.create(
        "Payment", payment(site, 0, ("Invoice", invoice, 30), ("CreditMemo", memo, 30))
    )
    body = {**payment(site, 30, ("Invoice", invoice, 30)), "Id": paid["Id"], "SyncToken": "0"}
    updated = write(api, "payment", body)["Payment"]
    assert updated["UnappliedAmt"] == 0
    assert credit(books, memo) == (30, 30)
    assert books.get("CreditMemo", memo)["LinkedTxn"] == []
    assert books.balance("Invoice", invoice) == 70
    # 70 open − 30 of credit
    assert balances(books, site, parent) == [(40, 40), (0, 40)]


def test_credit_memo_update_keeps_its_application(api, books, acme):
    parent, site, invoice, memo = acme
    paid = api.create(
        "Payment", payment(site, 0, ("Invoice", invoice, 20), ("CreditMemo", memo, 20))
    )
    current = books.get("CreditMemo", memo)
    body = invoice_body(site, 50, books.labor, "CM-1")
    updated = write(api, "creditmemo", {**body, "Id": memo, "SyncToken": current["SyncToken"]})[
        "CreditMemo"
    ]
    assert (updated["Balance"], updated["RemainingCredit"]) == (30, 30)
    assert updated["LinkedTxn"] == [{"TxnId": paid["Id"], "TxnType": "Payment"}]
    # 80 open on the invoice − 30 remaining credit
    assert balances(books, site, parent) == [(50, 50), (0, 50)]


def test_moving_a_linked_credit_memo_to_another_customer_is_620(api, books, sim, acme):
    parent, site, invoice, memo = acme
    api.create("Payment", payment(site, 0, ("Invoice", invoice, 10), ("CreditMemo", memo, 10)))
    current = books.get("CreditMemo", memo)
    before = snapshot(sim, api.realm)
    res = api.post(
        "creditmemo",
        {
            "Id": memo,
            "SyncToken": current["SyncToken"],
            "sparse": True,
            "CustomerRef": {"value": parent},
        },
    )
    assert fault_of(res) == cannot_link(memo)
    assert snapshot(sim, api.realm) == before


def test_deactivating_a_customer_with_only_credit_is_6220(api, books, sim):
    customer = books.customer("Lakeside HOA")
    credit_memo(books, customer, 25, "CM-9")
    assert books.balance("Customer", customer) == -25
    res = api.post("customer", {"Id": customer, "SyncToken": "0", "sparse": True, "Active": False})
    assert fault_of(res) == has_balance("customer")


# --- vendor credits --------------------------------------------------------------------
@pytest.fixture
def ferguson(books):
    vendor = books.vendor("Ferguson Supply")
    bill = books.bill(vendor, 200, doc="R-100")
    vendor_credit = books.user.create(
        "VendorCredit",
        {
            "VendorRef": {"value": vendor},
            "DocNumber": "VC-1",
            "Line": [
                {
                    "Amount": 50,
                    "DetailType": "AccountBasedExpenseLineDetail",
                    "AccountBasedExpenseLineDetail": {"AccountRef": {"value": books.expense}},
                }
            ],
        },
    )["Id"]
    return vendor, bill, vendor_credit


def bill_payment(books, vendor, total, *applied: tuple[str, str, float]) -> dict[str, Any]:
    body = bill_payment_body(vendor, books.bank, total)
    body["Line"] = [
        {"Amount": amount, "LinkedTxn": [{"TxnId": txn_id, "TxnType": kind}]}
        for kind, txn_id, amount in applied
    ]
    return body


def test_a_vendor_credit_lowers_the_vendor_balance(books, ferguson):
    vendor, bill, vendor_credit = ferguson
    assert books.balance("VendorCredit", vendor_credit) == 50
    assert books.balance("Vendor", vendor) == 150


def test_bill_payment_applies_a_vendor_credit(api, books, sim, ferguson):
    vendor, bill, vendor_credit = ferguson
    paid = api.create(
        "BillPayment",
        bill_payment(books, vendor, 150, ("Bill", bill, 200), ("VendorCredit", vendor_credit, 50)),
    )
    assert paid["TotalAmt"] == 150
    used = books.get("VendorCredit", vendor_credit)
    assert used["Balance"] == 0
    assert used["LinkedTxn"] == [{"TxnId": paid["Id"], "TxnType": "BillPayment"}]
    assert books.balance("Bill", bill) == 0
    assert books.balance("Vendor", vendor) == 0
    # deleting the linked vendor credit is refused; voiding the payment releases it
    before = snapshot(sim, api.realm)
    res = api.post(
        "vendorcredit?operation=delete", {"Id": vendor_credit, "SyncToken": used["SyncToken"]}
    )
    assert fault_of(res) == DELETE_LINKED
    assert snapshot(sim, api.realm) == before
    write(
        api,
        "billpayment?operation=update&include=void",
        {"Id": paid["Id"], "SyncToken": paid["SyncToken"], "sparse": True},
    )
    restored = books.get("VendorCredit", vendor_credit)
    assert restored["Balance"] == 50 and restored["LinkedTxn"] == []
    assert books.balance("Bill", bill) == 200
    assert books.balance("Vendor", vendor) == 150


def test_overapplying_a_vendor_credit_is_6000_and_changes_nothing(api, books, sim, ferguson):
    vendor, bill, vendor_credit = ferguson
    other = books.vendor("Grainger")
    before = snapshot(sim, api.realm)
    res = api.post(
        "billpayment",
        bill_payment(books, vendor, 100, ("Bill", bill, 160), ("VendorCredit", vendor_credit, 60)),
    )
    assert fault_of(res) == overapplied("VendorCredit", "VC-1", "50.00")
    res = api.post(
        "billpayment", bill_payment(books, other, 0, ("VendorCredit", vendor_credit, 10))
    )
    assert fault_of(res) == cannot_link(vendor_credit, "BillPayment.Line.LinkedTxn.TxnId")
    assert snapshot(sim, api.realm) == before


def test_deleting_a_vendor_credit_restores_the_vendor_balance(api, books, ferguson):
    vendor, bill, vendor_credit = ferguson
    write(api, "vendorcredit?operation=delete", {"Id": vendor_credit, "SyncToken": "0"})
    assert books.balance("Vendor", vendor) == 200
