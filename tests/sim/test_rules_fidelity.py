"""The ledger's fidelity settings switch behaviour per company; rules never scan a whole type;
vendor-side deletes keep balances right."""

from __future__ import annotations

import sys

import pytest

from qbo_sim import fidelity
from qbo_sim.faults import QBOFault
from qbo_sim.store import Company
from tests.conftest import fault_of
from tests.sim.rules_books import (
    Books,
    bill_payment_body,
    fault,
    payment_body,
)


def company_with(sim, **settings):
    realm = sim.create_company("empty", fidelity_settings=settings)
    books = Books(sim, realm)
    customer = books.customer("Acme Plumbing")
    invoice = books.invoice(customer, 100, doc="1001")
    return books, customer, invoice


def test_defaults_are_listed_for_every_ledger_setting():
    for name in (
        "payment_overapply_detail",
        "delete_linked_detail",
        "change_party_with_payments",
        "deactivate_with_balance",
        "linked_write_bumps_synctoken",
    ):
        assert fidelity.get({}, name) == fidelity.SETTINGS[name].default


def test_overapply_wording_is_a_setting(sim, api):
    books, customer, invoice = company_with(
        sim, payment_overapply_detail="Invoice {doc_number} has {balance} left ({txn_type})."
    )
    api.realm = books.realm
    res = api.post("payment", payment_body(customer, 500, (invoice, 500)))
    assert fault_of(res) == fault(
        "6000",
        "A business validation error has occurred while processing your request",
        "Business Validation Error: Invoice 1001 has 100.00 left (Invoice).",
    )


def test_delete_wording_is_a_setting(sim):
    books, customer, invoice = company_with(sim, delete_linked_detail="Unlink first.")
    books.user.record_payment(invoice, 10)
    with pytest.raises(QBOFault) as raised:
        books.user.delete("Invoice", invoice)
    assert raised.value.detail == "Business Validation Error: Unlink first."


def test_moving_a_paid_invoice_allowed_when_configured(sim):
    books, customer, invoice = company_with(sim, change_party_with_payments="allow")
    other = books.customer("Beta Heating")
    books.user.record_payment(invoice, 40)
    books.user.move_invoice(invoice, other)
    # the payment stays with Acme (unapplied credit is not recomputed for a foreign invoice)
    assert books.balance("Customer", other) == 60
    assert books.balance("Customer", customer) == 0


def test_deactivating_with_balance_allowed_when_configured(sim):
    books, customer, invoice = company_with(sim, deactivate_with_balance="allow")
    assert books.user.deactivate("Customer", customer)["Active"] is False


def test_linked_writes_keep_synctoken_when_configured(sim):
    books, customer, invoice = company_with(sim, linked_write_bumps_synctoken=False)
    books.user.record_payment(invoice, 40)
    paid = books.get("Invoice", invoice)
    assert paid["SyncToken"] == "0" and paid["Balance"] == 60


def test_unknown_setting_is_refused(sim):
    with pytest.raises(KeyError):
        sim.create_company("empty", fidelity_settings={"no_such_setting": 1})


def test_writes_never_scan_a_whole_type_of_entity(api, sim, realm, monkeypatch):
    books = Books(sim, realm)
    parent = books.customer("Acme Property Group")
    site = books.customer("12 Main St", parent=parent)
    vendor = books.vendor("Ferguson Supply")

    scan = Company.all

    def refuse(self, type_name):
        caller = sys._getframe(1).f_globals.get("__name__", "")
        write_path = ("qbo_sim.rules", "qbo_sim.derive", "qbo_sim.operations", "qbo_sim.validation")
        assert not caller.startswith(write_path), f"{caller} scanned every {type_name}"
        return scan(self, type_name)

    monkeypatch.setattr(Company, "all", refuse)
    invoice = books.invoice(site, 100, doc="1001")
    payment = api.create("Payment", payment_body(site, 100, (invoice, 60)))
    api.post("payment?operation=delete", {"Id": payment["Id"], "SyncToken": "0"})
    books.user.void("Invoice", invoice)
    bill = books.bill(vendor, 50, doc="R-1")
    api.create("BillPayment", bill_payment_body(vendor, books.bank, 50, (bill, 50)))
    assert books.get("Customer", parent)["BalanceWithJobs"] == 0


def test_deleting_a_bill_payment_then_a_bill(api, sim, realm):
    books = Books(sim, realm)
    vendor = books.vendor("Ferguson Supply")
    first = books.bill(vendor, 200, doc="R-1")
    second = books.bill(vendor, 50, doc="R-2")
    payment = api.create(
        "BillPayment", bill_payment_body(vendor, books.bank, 230, (first, 200), (second, 30))
    )
    assert books.balance("Vendor", vendor) == 20
    res = api.post(
        "billpayment?operation=delete", {"Id": payment["Id"], "SyncToken": payment["SyncToken"]}
    )
    assert res.status_code == 200, res.get_data(as_text=True)
    assert [books.balance("Bill", b) for b in (first, second)] == [200, 50]
    assert books.get("Bill", first)["LinkedTxn"] == []
    assert books.balance("Vendor", vendor) == 250
    current = books.get("Bill", second)
    res = api.post("bill?operation=delete", {"Id": second, "SyncToken": current["SyncToken"]})
    assert res.status_code == 200
    assert books.balance("Vendor", vendor) == 200
