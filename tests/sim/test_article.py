"""Every sync failure of the help article (``shared/seeds/sync-troubleshooting-article.txt``),
reproduced the way a sync hits it through the HTTP API, then the article's fix and a sync that
succeeds. Edits "in QuickBooks" are made as the QBO user (``sim.as_user``).

Not reproduced here:

- §7 "Unposted payments" (saved but not posted in the field-service app): the payment never
  reaches QBO, so there is nothing for QBO to reject; it is an integration concern.
- §10 "Web connector not running" is an outage, not a business rule: it is reproduced here with
  the fault-injection feature (an outage window on the simulated clock).
"""

from __future__ import annotations

import pytest

from tests.conftest import fault_of
from tests.sim.rules_books import (
    DELETED_TRANSACTION,
    INVALID_ACCOUNT_TYPE,
    MADE_INACTIVE_610,
    Books,
    bill_body,
    cannot_link,
    duplicate_docnumber,
    duplicate_name,
    invalid_reference,
    invoice_body,
    other_prefs,
    overapplied,
    payment_body,
    purchase_body,
    snapshot,
    stale,
    string_length,
)


@pytest.fixture
def books(sim, realm):
    return Books(sim, realm)


def sparse(entity, **fields):
    return {"Id": entity["Id"], "SyncToken": entity["SyncToken"], "sparse": True, **fields}


# --- 1. Invoice syncing issues ----------------------------------------------------------
def test_1_invoice_deleted_in_qbo_then_refid_reset(api, books, sim):
    customer = books.customer("Harbor Property Group")
    synced = api.create("Invoice", invoice_body(customer, 250, books.labor, "1001"))
    books.user.delete("Invoice", synced["Id"])
    # the sync re-sends its changes to the Id it stored (its RefID)
    before = snapshot(sim, api.realm)
    res = api.post("invoice", sparse(synced, PrivateNote="technician notes added"))
    assert fault_of(res) == DELETED_TRANSACTION
    assert snapshot(sim, api.realm) == before
    # fix: reset the RefID, i.e. forget the old Id and create the invoice again
    recreated = api.create("Invoice", invoice_body(customer, 250, books.labor, "1001"))
    assert recreated["Id"] != synced["Id"]
    res = api.post("invoice", sparse(recreated, PrivateNote="technician notes added"))
    assert res.status_code == 200
    assert books.balance("Customer", customer) == 250


def test_1_invoice_moved_in_qbo_then_moved_back(api, books, sim):
    owner = books.customer("Harbor Property Group")
    site = books.customer("12 Main St", parent=owner)
    other = books.customer("Lakeside HOA")
    synced = api.create("Invoice", invoice_body(site, 250, books.labor, "1001"))
    books.user.move_invoice(synced["Id"], other)
    assert books.balance("Customer", other) == 250
    assert books.get("Customer", owner)["BalanceWithJobs"] == 0
    # the payment the app records for the property no longer matches the invoice's customer
    before = snapshot(sim, api.realm)
    res = api.post("payment", payment_body(site, 250, (synced["Id"], 250)))
    assert fault_of(res) == cannot_link(synced["Id"])
    # and the app's own copy of the invoice is stale: QBO's user edited it
    res = api.post("invoice", sparse(synced, PrivateNote="re-sync"))
    assert fault_of(res) == stale("Craig Carlson")
    assert snapshot(sim, api.realm) == before
    # fix: move it back to the original property in QBO, then retry the sync
    back = books.user.move_invoice(synced["Id"], site)
    assert back["Id"] == synced["Id"]
    assert books.get("Customer", owner)["BalanceWithJobs"] == 250
    payment = api.create("Payment", payment_body(site, 250, (synced["Id"], 250)))
    assert payment["UnappliedAmt"] == 0
    assert books.balance("Invoice", synced["Id"]) == 0
    assert [books.balance("Customer", c) for c in (site, owner, other)] == [0, 0, 0]


# --- 2. Property syncing issues ----------------------------------------------------------
def test_2_duplicate_property_name_then_renamed(api, books, sim):
    harbor = books.customer("Harbor Property Group")
    lakeside = books.customer("Lakeside HOA")
    existing = api.create(
        "Customer", {"DisplayName": "12 Main St", "Job": True, "ParentRef": {"value": harbor}}
    )
    before = snapshot(sim, api.realm)
    export = {"DisplayName": "12 Main St", "Job": True, "ParentRef": {"value": lakeside}}
    res = api.post("customer", export)
    assert fault_of(res) == duplicate_name(existing["Id"])
    assert snapshot(sim, api.realm) == before
    # fix: rename the duplicate in the app, then Edit/Save re-triggers the export
    created = api.create("Customer", {**export, "DisplayName": "12 Main St (Lakeside)"})
    assert created["ParentRef"]["value"] == lakeside


# --- 3. Pre-existing payments in QuickBooks ----------------------------------------------
def test_3_payment_already_in_qbo_then_bypassed(api, books, sim):
    customer = books.customer("Harbor Property Group")
    invoice = api.create("Invoice", invoice_body(customer, 250, books.labor, "1001"))
    in_qbo = books.user.record_payment(invoice["Id"])
    before = snapshot(sim, api.realm)
    res = api.post("payment", payment_body(customer, 250, (invoice["Id"], 250)))
    assert fault_of(res) == overapplied("Invoice", "1001", "0.00")
    assert snapshot(sim, api.realm) == before
    # fix: Bypass: the app stops sending it; QBO already has the one payment it needs
    paid = books.get("Invoice", invoice["Id"])
    assert paid["Balance"] == 0
    assert paid["LinkedTxn"] == [{"TxnId": in_qbo["Id"], "TxnType": "Payment"}]
    assert books.balance("Customer", customer) == 0


# --- 4. Vendor document number errors -----------------------------------------------------
def test_4_vendor_document_number_then_made_unique(api, sim):
    api.realm = sim.create_company("empty", preferences=other_prefs(bill=True))
    books = Books(sim, api.realm)
    vendor = books.vendor("Ferguson Supply")
    existing = books.bill(vendor, 180, doc="R-100")
    before = snapshot(sim, api.realm)
    res = api.post("bill", bill_body(vendor, 95, books.expense, "R-100"))
    assert fault_of(res) == duplicate_docnumber("R-100", "Bill", existing)
    assert snapshot(sim, api.realm) == before
    # fix: a unique number for that vendor (date suffix)
    created = api.create("Bill", bill_body(vendor, 95, books.expense, "R-100-20260302"))
    assert created["DocNumber"] == "R-100-20260302"
    assert books.balance("Vendor", vendor) == 275


# --- 5. Expense GL account mismatches -----------------------------------------------------
def test_5_item_expense_account_of_the_wrong_type_blocks_the_invoice(api, books, sim):
    customer = books.customer("Harbor Property Group")
    item = {
        "Name": "Copper pipe",
        "Type": "NonInventory",
        "IncomeAccountRef": {"value": books.income},
        # the app maps the item's expense GL to what is an income account in QBO
        "ExpenseAccountRef": {"value": books.income},
    }
    before = snapshot(sim, api.realm)
    assert fault_of(api.post("item", item)) == INVALID_ACCOUNT_TYPE
    assert snapshot(sim, api.realm) == before
    # so the invoice that uses the item cannot sync either (the item has no QBO Id)
    res = api.post("invoice", invoice_body(customer, 40, "0"))
    assert fault_of(res) == invalid_reference("Line.SalesItemLineDetail.ItemRef")
    # fix: align the item with QBO's expense account, then retry
    created = api.create("Item", {**item, "ExpenseAccountRef": {"value": books.expense}})
    assert api.create("Invoice", invoice_body(customer, 40, created["Id"]))["Id"]


def test_5_item_posting_to_an_inactive_gl_account_blocks_the_invoice(api, books, sim):
    customer = books.customer("Harbor Property Group")
    heater = api.create(
        "Item",
        {
            "Name": "Water heater",
            "Type": "Inventory",
            "TrackQtyOnHand": True,
            "QtyOnHand": 10,
            "InvStartDate": "2026-01-01",
            "IncomeAccountRef": {"value": books.income},
            "ExpenseAccountRef": {"value": books.cogs},
            "AssetAccountRef": {"value": books.undeposited},
        },
    )
    # in QBO the item's expense (COGS) account is retired
    books.user.deactivate("Account", books.cogs)
    before = snapshot(sim, api.realm)
    res = api.post("invoice", invoice_body(customer, 900, heater["Id"]))
    assert fault_of(res) == MADE_INACTIVE_610
    assert snapshot(sim, api.realm) == before
    # fix: in QBO (single-user mode) point the item at the account in use, then retry
    new_cogs = books.account("Cost of Goods Sold - Equipment", "Cost of Goods Sold")
    books.user.sparse_update("Item", heater["Id"], ExpenseAccountRef={"value": new_cogs})
    assert api.create("Invoice", invoice_body(customer, 900, heater["Id"]))["Id"]


# --- 6. Deleted receipts that won't re-sync -----------------------------------------------
def test_6_deleted_receipt_keeps_its_refid_then_reset(api, sim):
    api.realm = sim.create_company("empty", preferences=other_prefs(bill=True))
    books = Books(sim, api.realm)
    vendor = books.vendor("Ferguson Supply")
    receipt = purchase_body(vendor, 64.5, books.bank, books.expense, "R-200")
    synced = api.create("Purchase", receipt)
    # deleted in the app, so the sync deleted it in QBO
    res = api.post("purchase?operation=delete", {"Id": synced["Id"], "SyncToken": "0"})
    assert res.status_code == 200
    # re-created in the app, but the old RefID was retained: the sync updates the old Id
    before = snapshot(sim, api.realm)
    res = api.post("purchase", {**receipt, "Id": synced["Id"], "SyncToken": "0"})
    assert fault_of(res) == DELETED_TRANSACTION
    assert snapshot(sim, api.realm) == before
    # fix: RefID reset, so the sync creates it (same vendor number: the deleted one is gone)
    recreated = api.create("Purchase", receipt)
    assert recreated["Id"] != synced["Id"]
    assert recreated["DocNumber"] == "R-200"


# --- 7. Payment syncing issues ------------------------------------------------------------
def test_7_invoice_already_paid_in_qbo_then_qbo_payment_deleted(api, books, sim):
    customer = books.customer("Harbor Property Group")
    invoice = api.create("Invoice", invoice_body(customer, 300, books.labor, "1002"))
    in_qbo = books.user.record_payment(invoice["Id"])
    body = payment_body(customer, 300, (invoice["Id"], 300))
    before = snapshot(sim, api.realm)
    assert fault_of(api.post("payment", body)) == overapplied("Invoice", "1002", "0.00")
    assert snapshot(sim, api.realm) == before
    # fix (second option): delete the payment in QBO and re-sync it
    books.user.delete("Payment", in_qbo["Id"])
    assert books.balance("Invoice", invoice["Id"]) == 300
    synced = api.create("Payment", body)
    paid = books.get("Invoice", invoice["Id"])
    assert paid["Balance"] == 0
    assert paid["LinkedTxn"] == [{"TxnId": synced["Id"], "TxnType": "Payment"}]
    assert books.balance("Customer", customer) == 0


def test_7_mismatched_customer_then_same_customer(api, books, sim):
    in_qbo = books.customer("Harbor Property Group LLC")
    in_app = books.customer("Harbor Property Group")
    invoice = api.create("Invoice", invoice_body(in_qbo, 300, books.labor, "1003"))
    before = snapshot(sim, api.realm)
    res = api.post("payment", payment_body(in_app, 300, (invoice["Id"], 300)))
    assert fault_of(res) == cannot_link(invoice["Id"])
    assert snapshot(sim, api.realm) == before
    # fix: associate the payment with the invoice's customer
    payment = api.create("Payment", payment_body(in_qbo, 300, (invoice["Id"], 300)))
    assert payment["UnappliedAmt"] == 0
    assert books.balance("Customer", in_qbo) == 0
    assert books.balance("Customer", in_app) == 0


# --- 8. Character limit violations --------------------------------------------------------
@pytest.mark.parametrize(
    ("entity", "field", "limit"),
    [
        ("Payment", "PaymentRefNum", 21),
        ("Customer", "DisplayName", 500),
        ("Invoice", "DocNumber", 21),
    ],
)
def test_8_character_limits_then_shortened(api, books, sim, entity, field, limit):
    customer = books.customer("Harbor Property Group")
    bodies = {
        "Payment": payment_body(customer, 10),
        "Customer": {"Job": True, "ParentRef": {"value": customer}},
        "Invoice": invoice_body(customer, 10, books.labor),
    }
    body = bodies[entity]
    before = snapshot(sim, api.realm)
    res = api.post(entity.lower(), {**body, field: "7" * (limit + 1)})
    assert fault_of(res) == string_length(field, limit, limit + 1)
    assert snapshot(sim, api.realm) == before
    # fix: shorten the field to the limit
    assert api.create(entity, {**body, field: "7" * limit})[field] == "7" * limit


# --- 9. Inactive classes or items in QuickBooks -------------------------------------------
@pytest.mark.parametrize("entity", ["Class", "Item"])
def test_9_inactive_class_or_item_then_reactivated(api, sim, entity):
    api.realm = sim.create_company(
        "empty", preferences={"AccountingInfoPrefs": {"ClassTrackingPerTxnLine": True}}
    )
    books = Books(sim, api.realm)
    customer = books.customer("Harbor Property Group")
    residential = books.user.create("Class", {"Name": "Residential"})["Id"]
    body = invoice_body(customer, 120, books.labor, "1004")
    body["Line"][0]["SalesItemLineDetail"]["ClassRef"] = {"value": residential}
    target = residential if entity == "Class" else books.labor
    books.user.deactivate(entity, target)
    before = snapshot(sim, api.realm)
    assert fault_of(api.post("invoice", body)) == MADE_INACTIVE_610
    assert snapshot(sim, api.realm) == before
    # fix: reactivate it in QBO
    books.user.reactivate(entity, target)
    created = api.create("Invoice", body)
    assert created["Line"][0]["SalesItemLineDetail"]["ClassRef"]["value"] == residential


# --- 10. Web connector / QBO not reachable ----------------------------------------------
def test_10_outage_then_the_next_sync_succeeds_once(api, books, sim, clock):
    customer = books.customer("Harbor Property Group")
    sim.injector.outage(minutes=10, status=503)
    before = snapshot(sim, api.realm)
    res = api.post("invoice", invoice_body(customer, 250, books.labor, "1001"))
    assert res.status_code == 503
    assert res.mimetype == "text/html"
    assert "<title>503 Service Temporarily Unavailable</title>" in res.get_data(as_text=True)
    assert res.headers["intuit_tid"]
    assert snapshot(sim, api.realm) == before
    # fix: restart the connector once QBO is reachable again, then retry the sync
    clock.advance(minutes=10, seconds=1)
    created = api.create("Invoice", invoice_body(customer, 250, books.labor, "1001"))
    query = api.get("query", query_string={"query": "SELECT COUNT(*) FROM Invoice"})
    assert query.get_json()["QueryResponse"]["totalCount"] == 1
    assert created["DocNumber"] == "1001"
