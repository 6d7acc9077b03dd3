"""Edits in QBO racing the sync: 5010 naming the QBO user, stale ids of deleted transactions,
moved invoices (§2.3 5010/610, §5.3)."""

from __future__ import annotations

import pytest

from tests.conftest import fault_of
from tests.sim.rules_books import DELETED_TRANSACTION, Books, invoice_body, snapshot, stale


@pytest.fixture
def books(sim, realm):
    return Books(sim, realm)


def test_api_update_after_a_qbo_user_edit_is_5010_naming_the_user(api, books, sim, clock):
    customer = books.customer("Acme Plumbing")
    synced = api.create("Invoice", invoice_body(customer, 100, books.labor, "1001"))
    clock.advance(60)
    books.user.sparse_update("Invoice", synced["Id"], PrivateNote="called the customer")
    before = snapshot(sim, api.realm)
    res = api.post(
        "invoice",
        {"Id": synced["Id"], "SyncToken": synced["SyncToken"], "sparse": True, "DocNumber": "7"},
    )
    assert fault_of(res) == stale("Craig Carlson")
    assert snapshot(sim, api.realm) == before
    fresh = books.get("Invoice", synced["Id"])
    res = api.post(
        "invoice",
        {"Id": synced["Id"], "SyncToken": fresh["SyncToken"], "sparse": True, "DocNumber": "7"},
    )
    assert res.get_json()["Invoice"]["SyncToken"] == "2"


def test_payment_in_qbo_makes_the_synced_invoice_token_stale(api, books):
    customer = books.customer("Acme Plumbing")
    synced = api.create("Invoice", invoice_body(customer, 100, books.labor, "1001"))
    books.user.record_payment(synced["Id"], 30)
    res = api.post(
        "invoice",
        {"Id": synced["Id"], "SyncToken": synced["SyncToken"], "sparse": True, "DocNumber": "7"},
    )
    assert fault_of(res) == stale("Craig Carlson")


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_write_to_a_transaction_deleted_in_qbo_is_610(api, books, sim, operation):
    customer = books.customer("Acme Plumbing")
    synced = api.create("Invoice", invoice_body(customer, 100, books.labor, "1001"))
    books.user.delete("Invoice", synced["Id"])
    before = snapshot(sim, api.realm)
    body = {"Id": synced["Id"], "SyncToken": synced["SyncToken"]}
    if operation == "update":
        res = api.post("invoice", {**body, "sparse": True, "PrivateNote": "x"})
    else:
        res = api.post("invoice?operation=delete", body)
    assert fault_of(res) == DELETED_TRANSACTION
    assert snapshot(sim, api.realm) == before
    replacement = api.create("Invoice", invoice_body(customer, 100, books.labor, "1001"))
    assert replacement["Id"] != synced["Id"]
    assert books.balance("Customer", customer) == 100


def test_moved_invoice_keeps_its_id_and_bumps_its_synctoken(api, books):
    first = books.customer("Acme Plumbing")
    second = books.customer("Beta Heating")
    synced = api.create("Invoice", invoice_body(first, 100, books.labor, "1001"))
    moved = books.user.move_invoice(synced["Id"], second)
    assert moved["Id"] == synced["Id"]
    assert moved["SyncToken"] == str(int(synced["SyncToken"]) + 1)
    assert moved["CustomerRef"]["value"] == second
    assert books.balance("Customer", first) == 0
    assert books.balance("Customer", second) == 100
