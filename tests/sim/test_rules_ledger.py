"""Payments on invoices and bill payments on bills: LinkedTxn on both sides, Balance,
UnappliedAmt, party balances after every linking operation, and the faults (§2.4, §5.12, §8)."""

from __future__ import annotations

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
    payment_body,
    snapshot,
)


@pytest.fixture
def books(sim, realm):
    return Books(sim, realm)


@pytest.fixture
def acme(books):
    """Acme (parent) with a property (job); a 100.00 invoice on the property."""
    parent = books.customer("Acme Property Group")
    site = books.customer("12 Main St", parent=parent)
    invoice = books.invoice(site, 100, doc="1001")
    return parent, site, invoice


def balances(books, *customers):
    return [
        (books.get("Customer", c)["Balance"], books.get("Customer", c)["BalanceWithJobs"])
        for c in customers
    ]


def pay(api, customer, total, *applied):
    return api.create("Payment", payment_body(customer, total, *applied))


def void_payment(api, payment):
    res = api.post(
        "payment?operation=update&include=void",
        {"Id": payment["Id"], "SyncToken": payment["SyncToken"], "sparse": True},
    )
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_json()["Payment"]


def test_invoice_starts_with_balance_and_customer_balances(books, acme):
    parent, site, invoice = acme
    assert books.balance("Invoice", invoice) == 100
    assert books.get("Invoice", invoice)["LinkedTxn"] == []
    assert balances(books, site, parent) == [(100, 100), (0, 100)]


def test_payment_applies_to_an_invoice(api, books, acme):
    parent, site, invoice = acme
    token = books.get("Invoice", invoice)["SyncToken"]
    payment = pay(api, site, 60, (invoice, 40))
    assert payment["UnappliedAmt"] == 20
    assert payment["Line"][0]["LinkedTxn"] == [{"TxnId": invoice, "TxnType": "Invoice"}]
    paid = books.get("Invoice", invoice)
    assert paid["Balance"] == 60
    assert paid["LinkedTxn"] == [{"TxnId": payment["Id"], "TxnType": "Payment"}]
    assert paid["SyncToken"] == str(int(token) + 1)
    # 60 still open on the invoice, 20 of unapplied credit
    assert balances(books, site, parent) == [(40, 40), (0, 40)]


def test_payment_without_lines_is_unapplied_credit(api, books, acme):
    parent, site, invoice = acme
    payment = pay(api, parent, 25)
    assert payment["UnappliedAmt"] == 25
    assert balances(books, site, parent) == [(100, 100), (-25, 75)]


def test_two_payments_and_a_full_payment(api, books, acme):
    parent, site, invoice = acme
    first = pay(api, site, 30, (invoice, 30))
    second = pay(api, site, 70, (invoice, 70))
    paid = books.get("Invoice", invoice)
    assert paid["Balance"] == 0
    assert [link["TxnId"] for link in paid["LinkedTxn"]] == [first["Id"], second["Id"]]
    assert balances(books, site, parent) == [(0, 0), (0, 0)]


def test_overapplying_is_6000_and_changes_nothing(api, books, sim, acme):
    parent, site, invoice = acme
    before = snapshot(sim, api.realm)
    res = api.post("payment", payment_body(site, 150, (invoice, 150)))
    assert fault_of(res) == overapplied("Invoice", "1001", "100.00")
    assert snapshot(sim, api.realm) == before


def test_paying_an_invoice_already_paid_in_qbo(api, books, sim, acme):
    parent, site, invoice = acme
    books.user.record_payment(invoice)
    before = snapshot(sim, api.realm)
    res = api.post("payment", payment_body(site, 100, (invoice, 100)))
    assert fault_of(res) == overapplied("Invoice", "1001", "0.00")
    assert snapshot(sim, api.realm) == before


def test_linking_an_invoice_of_another_customer_is_620(api, books, sim, acme):
    parent, site, invoice = acme
    before = snapshot(sim, api.realm)
    res = api.post("payment", payment_body(parent, 100, (invoice, 100)))
    assert fault_of(res) == cannot_link(invoice)
    assert snapshot(sim, api.realm) == before


@pytest.mark.parametrize("missing", ["never", "deleted"])
def test_linked_txn_to_a_missing_invoice_is_610(api, books, sim, acme, missing):
    parent, site, invoice = acme
    target = "9999"
    if missing == "deleted":
        target = books.invoice(site, 10)
        books.user.delete("Invoice", target)
    before = snapshot(sim, api.realm)
    res = api.post("payment", payment_body(site, 10, (target, 10)))
    assert fault_of(res) == LINKED_TXN_DELETED
    assert snapshot(sim, api.realm) == before


def test_changing_the_customer_of_a_paid_invoice_is_620(api, books, sim, acme):
    parent, site, invoice = acme
    pay(api, site, 40, (invoice, 40))
    current = books.get("Invoice", invoice)
    before = snapshot(sim, api.realm)
    res = api.post(
        "invoice",
        {
            "Id": invoice,
            "SyncToken": current["SyncToken"],
            "sparse": True,
            "CustomerRef": {"value": parent},
        },
    )
    assert fault_of(res) == cannot_link(invoice)
    assert snapshot(sim, api.realm) == before


def test_moving_an_unpaid_invoice_moves_the_balance(api, books, acme):
    parent, site, invoice = acme
    other = books.customer("Lakeside HOA")
    moved = books.user.move_invoice(invoice, other)
    assert moved["Id"] == invoice and moved["SyncToken"] == "1"
    assert balances(books, site, parent, other) == [(0, 0), (0, 0), (100, 100)]
    books.user.move_invoice(invoice, site)
    assert balances(books, site, parent, other) == [(100, 100), (0, 100), (0, 0)]


def test_deleting_an_invoice_with_payments_is_6000(api, books, sim, acme):
    parent, site, invoice = acme
    payment = pay(api, site, 40, (invoice, 40))
    current = books.get("Invoice", invoice)
    before = snapshot(sim, api.realm)
    res = api.post("invoice?operation=delete", {"Id": invoice, "SyncToken": current["SyncToken"]})
    assert fault_of(res) == DELETE_LINKED
    assert snapshot(sim, api.realm) == before
    # unlink first (delete the payment), then the delete goes through
    api.post("payment?operation=delete", {"Id": payment["Id"], "SyncToken": "0"})
    current = books.get("Invoice", invoice)
    res = api.post("invoice?operation=delete", {"Id": invoice, "SyncToken": current["SyncToken"]})
    assert res.get_json()["Invoice"]["status"] == "Deleted"
    assert balances(books, site, parent) == [(0, 0), (0, 0)]


def test_deleting_a_payment_restores_the_invoice(api, books, acme):
    parent, site, invoice = acme
    payment = pay(api, site, 40, (invoice, 40))
    res = api.post("payment?operation=delete", {"Id": payment["Id"], "SyncToken": "0"})
    assert res.status_code == 200
    restored = books.get("Invoice", invoice)
    assert restored["Balance"] == 100 and restored["LinkedTxn"] == []
    assert balances(books, site, parent) == [(100, 100), (0, 100)]


def test_voiding_a_payment_restores_the_invoice(api, books, acme):
    parent, site, invoice = acme
    payment = pay(api, site, 60, (invoice, 40))
    voided = void_payment(api, payment)
    assert voided["Line"] == [] and voided["UnappliedAmt"] == 0
    restored = books.get("Invoice", invoice)
    assert restored["Balance"] == 100 and restored["LinkedTxn"] == []
    assert balances(books, site, parent) == [(100, 100), (0, 100)]


def test_voiding_an_invoice_unapplies_its_payments(api, books, acme):
    parent, site, invoice = acme
    other = books.invoice(site, 50, doc="1002")
    payment = pay(api, site, 70, (invoice, 40), (other, 30))
    token = books.get("Payment", payment["Id"])["SyncToken"]
    current = books.get("Invoice", invoice)
    res = api.post("invoice?operation=void", {"Id": invoice, "SyncToken": current["SyncToken"]})
    assert res.status_code == 200
    voided = res.get_json()["Invoice"]
    assert voided["Balance"] == 0 and voided["LinkedTxn"] == []
    unapplied = books.get("Payment", payment["Id"])
    assert unapplied["UnappliedAmt"] == 40
    assert unapplied["SyncToken"] == str(int(token) + 1)
    assert [line["LinkedTxn"] for line in unapplied["Line"]] == [
        [{"TxnId": other, "TxnType": "Invoice"}]
    ]
    # 20 open on invoice 1002, 40 of unapplied credit
    assert balances(books, site, parent) == [(-20, -20), (0, -20)]


def test_updating_a_payment_reapplies_it(api, books, acme):
    parent, site, invoice = acme
    other = books.invoice(site, 50, doc="1002")
    payment = pay(api, site, 100, (invoice, 100))
    # the full amount again on the same invoice: the old application is undone first
    same = api.post(
        "payment",
        {**payment_body(site, 100, (invoice, 100)), "Id": payment["Id"], "SyncToken": "0"},
    )
    assert same.status_code == 200, same.get_data(as_text=True)
    moved = api.post(
        "payment",
        {
            **payment_body(site, 100, (invoice, 60), (other, 40)),
            "Id": payment["Id"],
            "SyncToken": "1",
        },
    )
    assert moved.status_code == 200, moved.get_data(as_text=True)
    assert books.balance("Invoice", invoice) == 40
    assert books.balance("Invoice", other) == 10
    assert books.get("Invoice", other)["LinkedTxn"] == [
        {"TxnId": payment["Id"], "TxnType": "Payment"}
    ]
    assert balances(books, site, parent) == [(50, 50), (0, 50)]
    dropped = api.post(
        "payment", {**payment_body(site, 100, (other, 50)), "Id": payment["Id"], "SyncToken": "2"}
    )
    assert dropped.get_json()["Payment"]["UnappliedAmt"] == 50
    assert books.get("Invoice", invoice)["LinkedTxn"] == []
    assert books.balance("Invoice", invoice) == 100
    assert balances(books, site, parent) == [(50, 50), (0, 50)]


def test_invoice_full_update_keeps_its_payments(api, books, acme):
    parent, site, invoice = acme
    payment = pay(api, site, 40, (invoice, 40))
    current = books.get("Invoice", invoice)
    body = invoice_body(site, 120, books.labor, "1001")
    res = api.post("invoice", {**body, "Id": invoice, "SyncToken": current["SyncToken"]})
    assert res.status_code == 200, res.get_data(as_text=True)
    updated = res.get_json()["Invoice"]
    assert updated["LinkedTxn"] == [{"TxnId": payment["Id"], "TxnType": "Payment"}]
    assert updated["Balance"] == 80
    assert balances(books, site, parent) == [(80, 80), (0, 80)]


def test_deactivating_a_customer_with_a_balance_is_6220(api, books, sim, acme):
    parent, site, invoice = acme
    before = snapshot(sim, api.realm)
    res = api.post("customer", {"Id": site, "SyncToken": "0", "sparse": True, "Active": False})
    assert fault_of(res) == has_balance("customer")
    assert snapshot(sim, api.realm) == before
    books.user.record_payment(invoice)
    res = api.post("customer", {"Id": site, "SyncToken": "0", "sparse": True, "Active": False})
    assert res.get_json()["Customer"]["Active"] is False


# --- vendor side -----------------------------------------------------------------------
@pytest.fixture
def ferguson(books):
    vendor = books.vendor("Ferguson Supply")
    bill = books.bill(vendor, 200, doc="R-100")
    return vendor, bill


def test_bill_payment_applies_to_a_bill(api, books, ferguson):
    vendor, bill = ferguson
    assert books.balance("Vendor", vendor) == 200
    payment = api.create("BillPayment", bill_payment_body(vendor, books.bank, 150, (bill, 150)))
    paid = books.get("Bill", bill)
    assert paid["Balance"] == 50
    assert paid["LinkedTxn"] == [{"TxnId": payment["Id"], "TxnType": "BillPayment"}]
    assert payment["Line"][0]["LinkedTxn"] == [{"TxnId": bill, "TxnType": "Bill"}]
    assert books.balance("Vendor", vendor) == 50


def test_bill_payment_faults(api, books, sim, ferguson):
    vendor, bill = ferguson
    other = books.vendor("Grainger")
    before = snapshot(sim, api.realm)
    res = api.post("billpayment", bill_payment_body(vendor, books.bank, 250, (bill, 250)))
    assert fault_of(res) == overapplied("Bill", "R-100", "200.00")
    res = api.post("billpayment", bill_payment_body(other, books.bank, 10, (bill, 10)))
    assert fault_of(res) == cannot_link(bill, "BillPayment.Line.LinkedTxn.TxnId")
    assert snapshot(sim, api.realm) == before


def test_bill_with_payments_cannot_be_deleted_and_void_restores(api, books, sim, ferguson):
    vendor, bill = ferguson
    payment = api.create("BillPayment", bill_payment_body(vendor, books.bank, 200, (bill, 200)))
    assert books.balance("Vendor", vendor) == 0
    current = books.get("Bill", bill)
    res = api.post("bill?operation=delete", {"Id": bill, "SyncToken": current["SyncToken"]})
    assert fault_of(res) == DELETE_LINKED
    res = api.post(
        "billpayment?operation=update&include=void",
        {"Id": payment["Id"], "SyncToken": payment["SyncToken"], "sparse": True},
    )
    assert res.status_code == 200, res.get_data(as_text=True)
    restored = books.get("Bill", bill)
    assert restored["Balance"] == 200 and restored["LinkedTxn"] == []
    assert books.balance("Vendor", vendor) == 200


def test_deactivating_a_vendor_with_a_balance_is_6220(api, books, ferguson):
    vendor, bill = ferguson
    res = api.post("vendor", {"Id": vendor, "SyncToken": "0", "sparse": True, "Active": False})
    assert fault_of(res) == has_balance("vendor")


# --- customer hierarchy ----------------------------------------------------------------
def test_balance_with_jobs_rolls_up_every_level_and_follows_a_moved_job(api, books):
    top = books.customer("Harbor Property Group")
    region = books.customer("Harbor North", parent=top)
    site = books.customer("12 Main St", parent=region)
    other = books.customer("Lakeside HOA")
    invoice = books.invoice(site, 100, doc="1001")
    books.invoice(region, 30, doc="1002")
    assert balances(books, site, region, top) == [(100, 100), (30, 130), (0, 130)]
    pay(api, site, 25, (invoice, 25))
    assert balances(books, site, region, top) == [(75, 75), (30, 105), (0, 105)]
    # the property moves to another customer in QBO: both trees follow
    books.user.sparse_update("Customer", site, ParentRef={"value": other})
    assert balances(books, site, region, top, other) == [
        (75, 75),
        (30, 30),
        (0, 30),
        (0, 75),
    ]


def test_client_values_for_balances_are_ignored(api, books, acme):
    parent, site, invoice = acme
    current = books.get("Customer", parent)
    res = api.post(
        "customer",
        {**current, "Balance": 999, "BalanceWithJobs": 999, "CompanyName": "Acme Group"},
    )
    assert res.status_code == 200, res.get_data(as_text=True)
    assert balances(books, site, parent) == [(100, 100), (0, 100)]
    pay(api, site, 100, (invoice, 100))
    assert balances(books, site, parent) == [(0, 0), (0, 0)]
