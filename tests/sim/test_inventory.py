"""Inventory (issue 18 item 4) through the HTTP API: QtyOnHand moved by sales, returns,
purchases and InventoryAdjustment; FIFO cost of goods sold and the inventory asset; the
faults (6270, 6520, 6000); reports picking the postings up (qbo_sim/rules/inventory.py,
docs/research/inventory.md). The reconciliation after random writes is in test_ledger.py and
test_reports.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, fault_of
from tests.sim.rules_books import (
    BUSINESS,
    Books,
    Stock,
    adjustment_body,
    fault,
    sale_body,
    stock_bill_body,
)


@pytest.fixture
def books(sim, realm, throttle_off) -> Books:
    return Books(sim, realm)


@pytest.fixture
def stock(books) -> Stock:
    return Stock(books)


def qty(api: Api, item: str) -> float:
    return api.get(f"item/{item}").get_json()["Item"]["QtyOnHand"]


def balance(api: Api, account: str) -> float:
    return api.get(f"account/{account}").get_json()["Account"]["CurrentBalance"]


def cogs_of(api: Api, books: Books, **window: str) -> str:
    res = api.get("reports/ProfitAndLoss", query_string=window)
    rows = res.get_json()["Rows"]["Row"]
    section = next(r for r in rows if r.get("group") == "COGS")
    return section["Summary"]["ColData"][1]["value"]


UNTRACKED = fault(
    "6000",
    BUSINESS,
    "Business Validation Error: When you create an item, if Track quantity on hand is turned "
    "off, the item cannot be of type Inventory.",
)
QTY_MISSING = fault(
    "6520",
    "Missing Tracked Inventory Item Quantity",
    "The tracked inventory item must have a quantity.",
)
BEFORE_START = fault(
    "6270",
    "InventoryTxnDatedBeforeItemStartDate",
    "Transactions with inventory items that have a quantity on hand can't be dated earlier "
    "than the specified InventoryStartDate.",
)


# --- quantities and FIFO cost -------------------------------------------------------------------
def test_intuits_fifo_example(api, books, stock):
    """DOC-FIFO: 20 widgets at $6, 30 more at $7; selling 15 costs 90, then 20 cost 135."""
    widget = stock.item("Widget", 20, 6.0)
    assert (qty(api, widget), balance(api, stock.asset), balance(api, stock.equity)) == (
        20,
        120.0,
        -120.0,  # the starting value: debit the asset, credit Opening Balance Equity
    )
    vendor, customer = books.vendor("Widget Co"), books.customer("Ann Field")
    api.create("Bill", stock_bill_body(vendor, widget, 30, 7.0, "2024-02-01"))
    assert (qty(api, widget), balance(api, stock.asset)) == (50, 330.0)  # a bill: the asset
    api.create("Invoice", sale_body(customer, widget, 15, 20.0, "2024-03-01"))
    assert (qty(api, widget), balance(api, stock.asset)) == (35, 240.0)
    assert cogs_of(api, books, start_date="2024-03-01", end_date="2024-03-01") == "90.00"
    api.create("SalesReceipt", sale_body(customer, widget, 20, 20.0, "2024-03-02"))
    assert (qty(api, widget), balance(api, stock.asset)) == (15, 105.0)  # 5 × 6 + 15 × 7
    assert cogs_of(api, books, start_date="2024-03-02", end_date="2024-03-02") == "135.00"
    read = api.get(f"item/{widget}").get_json()["Item"]
    assert read["SyncToken"] == "0" and read["QtyOnHand"] == 15  # an integer, as captured


def test_selling_more_than_on_hand_goes_negative(api, books, stock):
    part = stock.item("Thermostat", 1, 40.0)
    customer = books.customer("Bo Lane")
    res = api.post("invoice", sale_body(customer, part, 3, 140.0, "2024-05-01"))
    assert res.status_code == 200  # QBO warns in its UI only; the API books it
    assert qty(api, part) == -2
    assert balance(api, stock.asset) == -80.0  # the two missing units at the last cost


def test_void_delete_and_update_take_the_quantity_and_cost_back(api, books, stock):
    part = stock.item("Valve", 10, 5.0)
    customer = books.customer("Cy Park")
    invoice = api.create("Invoice", sale_body(customer, part, 4, 9.0, "2024-05-01"))
    lines = sale_body(customer, part, 6, 9.0, "2024-05-01")["Line"]
    updated = api.update(
        "Invoice",
        {"Id": invoice["Id"], "SyncToken": invoice["SyncToken"], "sparse": True, "Line": lines},
    )
    assert (qty(api, part), balance(api, stock.asset)) == (4, 20.0)
    api.post(
        "invoice",
        {"Id": invoice["Id"], "SyncToken": updated["SyncToken"]},
        query_string={"operation": "void"},
    )
    assert (qty(api, part), balance(api, stock.asset)) == (10, 50.0)
    receipt = api.create("SalesReceipt", sale_body(customer, part, 3, 9.0, "2024-05-02"))
    assert qty(api, part) == 7
    api.post(
        "salesreceipt",
        {"Id": receipt["Id"], "SyncToken": "0"},
        query_string={"operation": "delete"},
    )
    assert (qty(api, part), balance(api, stock.asset), balance(api, books.cogs)) == (10, 50.0, 0)


def test_a_backdated_bill_recosts_the_sales_after_it(api, books, stock):
    part = stock.item("Filter", 0, 2.0)
    customer, vendor = books.customer("Di Moss"), books.vendor("Filters Inc")
    api.create("Bill", stock_bill_body(vendor, part, 5, 2.0, "2024-04-01"))
    api.create("Invoice", sale_body(customer, part, 5, 9.0, "2024-05-01"))
    assert cogs_of(api, books, start_date="2024-05-01", end_date="2024-05-01") == "10.00"
    api.create("Bill", stock_bill_body(vendor, part, 5, 1.0, "2024-03-01"))  # entered later
    assert cogs_of(api, books, start_date="2024-05-01", end_date="2024-05-01") == "5.00"
    assert (qty(api, part), balance(api, stock.asset)) == (5, 10.0)  # the $2 units are left


def test_a_credit_memo_returns_stock_at_the_current_cost_and_a_vendor_credit_sends_it_back(
    api, books, stock
):
    part = stock.item("Pump", 10, 30.0)
    customer, vendor = books.customer("Ed Roe"), books.vendor("Pumps Ltd")
    api.create("Invoice", sale_body(customer, part, 2, 80.0, "2024-05-01"))
    api.create("CreditMemo", sale_body(customer, part, 1, 80.0, "2024-05-02"))
    assert (qty(api, part), balance(api, stock.asset), balance(api, books.cogs)) == (9, 270.0, 0)
    api.create("VendorCredit", stock_bill_body(vendor, part, 4, 30.0, "2024-05-03"))
    assert (qty(api, part), balance(api, stock.asset)) == (5, 150.0)
    assert balance(api, books.payable) == 120.0  # what the vendor owes back


def test_an_item_update_moves_the_starting_quantity(api, books, stock):
    part = stock.item("Hose", 10, 2.0)
    api.create("Invoice", sale_body(books.customer("Fay"), part, 3, 5.0, "2024-05-01"))
    item = api.get(f"item/{part}").get_json()["Item"]
    updated = api.update("Item", {**item, "QtyOnHand": 12})  # "adjust the stock starting value"
    assert updated["QtyOnHand"] == 12 and qty(api, part) == 12
    assert balance(api, stock.asset) == 24.0  # 15 starting units at 2, 3 sold
    turned_off = api.update("Item", {**updated, "TrackQtyOnHand": False})
    assert turned_off["TrackQtyOnHand"] is True  # cannot be turned off once on (DOC-ENT)


# --- InventoryAdjustment ----------------------------------------------------------------------
def test_inventory_adjustment_crud(api, books, stock):
    part = stock.item("Gasket", 10, 1.5)
    shrink = adjustment_body(stock.shrinkage, part, "2024-06-01", QtyDiff=-4)
    created = api.create("InventoryAdjustment", shrink)
    assert created["Line"] == [
        {
            "Id": "1",
            "LineNum": 1,
            "DetailType": "ItemAdjustmentLineDetail",
            "ItemAdjustmentLineDetail": {
                "ItemRef": {"value": part, "name": "Gasket"},
                "QtyDiff": -4,
            },
        }
    ]
    assert created["AdjustAccountRef"] == {"value": stock.shrinkage, "name": "Inventory Shrinkage"}
    assert "TotalAmt" not in created
    assert (qty(api, part), balance(api, stock.asset)) == (6, 9.0)
    counted = api.create(
        "InventoryAdjustment", adjustment_body(stock.shrinkage, part, "2024-06-02", NewQty=8)
    )
    detail = counted["Line"][0]["ItemAdjustmentLineDetail"]
    assert detail["QtyDiff"] == 2 and "NewQty" not in detail  # the difference is stored
    assert qty(api, part) == 8
    again = api.get(f"inventoryadjustment/{created['Id']}").get_json()["InventoryAdjustment"]
    assert again["Line"] == created["Line"]
    changed = api.update(
        "InventoryAdjustment",
        {
            "Id": created["Id"],
            "SyncToken": created["SyncToken"],
            "sparse": True,
            "TxnDate": "2024-07-01",
            "Line": adjustment_body(stock.shrinkage, part, "", QtyDiff=-1)["Line"],
        },
    )
    assert changed["TxnDate"] == "2024-06-01"  # the transaction date cannot be edited
    assert qty(api, part) == 11
    rows = api.get("query", query_string={"query": "select * from InventoryAdjustment"})
    assert len(rows.get_json()["QueryResponse"]["InventoryAdjustment"]) == 2
    api.post(
        "inventoryadjustment",
        {"Id": created["Id"], "SyncToken": changed["SyncToken"]},
        query_string={"operation": "delete"},
    )
    assert (qty(api, part), balance(api, stock.asset)) == (12, 18.0)
    res = api.post(
        "inventoryadjustment",
        {"Id": counted["Id"], "SyncToken": counted["SyncToken"]},
        query_string={"operation": "void"},
    )
    assert fault_of(res)["code"] == "6000" or res.status_code == 400  # not voidable


def test_an_adjustment_posts_between_the_asset_and_its_adjust_account(api, books, stock):
    part = stock.item("Nozzle", 5, 4.0)
    api.create(
        "InventoryAdjustment", adjustment_body(stock.shrinkage, part, "2024-06-01", QtyDiff=-2)
    )
    api.create(
        "InventoryAdjustment", adjustment_body(stock.shrinkage, part, "2024-06-02", QtyDiff=3)
    )
    assert (qty(api, part), balance(api, stock.asset)) == (6, 24.0)
    assert cogs_of(api, books, start_date="2024-06-01", end_date="2024-06-30") == "-4.00"


# --- faults -------------------------------------------------------------------------------------
def test_inventory_items_need_tracking_and_a_quantity(api, books, stock, sim):
    body = stock.body("Spare", 3, 1.0)
    assert fault_of(api.post("item", {**body, "TrackQtyOnHand": False})) == UNTRACKED
    assert fault_of(api.post("item", {k: v for k, v in body.items() if k != "QtyOnHand"})) == {
        **QTY_MISSING,
        "element": "QtyOnHand",
    }
    realm = sim.create_company(
        "empty", preferences={"ProductAndServicesPrefs": {"QuantityOnHand": False}}
    )
    other = Api(sim.app.test_client(), realm)
    other_books = Books(sim, realm)
    assert fault_of(other.post("item", Stock(other_books).body("Spare", 3, 1.0))) == UNTRACKED


def test_lines_before_the_start_date_or_without_a_quantity_are_refused(api, books, stock):
    part = stock.item("Coil", 5, 10.0, "2024-06-01")
    customer = books.customer("Gus")
    before = {
        name: balance(api, a) for name, a in (("asset", stock.asset), ("ar", books.receivable))
    }
    early = sale_body(customer, part, 1, 20.0, "2024-05-31")
    assert fault_of(api.post("invoice", early)) == BEFORE_START
    no_qty = sale_body(customer, part, 1, 20.0, "2024-06-02")
    del no_qty["Line"][0]["SalesItemLineDetail"]["Qty"]
    del no_qty["Line"][0]["SalesItemLineDetail"]["UnitPrice"]
    assert fault_of(api.post("invoice", no_qty)) == {**QTY_MISSING, "element": "Qty"}
    adjust = adjustment_body(stock.shrinkage, part, "2024-05-01", QtyDiff=1)
    assert fault_of(api.post("inventoryadjustment", adjust)) == BEFORE_START
    assert qty(api, part) == 5  # nothing half-written
    assert {"asset": balance(api, stock.asset), "ar": balance(api, books.receivable)} == before


def test_adjusting_an_item_that_tracks_no_quantity_is_refused(api, books, stock):
    res = api.post(
        "inventoryadjustment",
        adjustment_body(stock.shrinkage, books.labor, "2024-06-01", QtyDiff=1),
    )
    assert fault_of(res) == fault(
        "6000",
        BUSINESS,
        "Business Validation Error: Inventory adjustments can only be made to inventory items "
        "that track quantity on hand.",
    )


# --- reports --------------------------------------------------------------------------------------
def test_reports_show_the_starting_value_cogs_and_the_adjustment(api, books, stock):
    part = stock.item("Fan", 4, 25.0, "2024-01-01")
    api.create("Invoice", sale_body(books.customer("Hal"), part, 1, 60.0, "2024-02-01"))
    api.create(
        "InventoryAdjustment", adjustment_body(stock.shrinkage, part, "2024-02-02", QtyDiff=-1)
    )
    window = {"start_date": "2024-01-01", "end_date": "2024-12-31"}
    sheet = api.get("reports/BalanceSheet", query_string=window).get_json()
    figures = _account_figures(sheet["Rows"])
    assert figures[stock.asset] == "50.00" and figures[stock.equity] == "100.00"
    listing = api.get("reports/TransactionList", query_string=window).get_json()
    types = [row["ColData"][1]["value"] for row in _data_rows(listing["Rows"])]
    assert types == ["Inventory Starting Value", "Invoice", "Inventory Qty Adjust"]
    assert cogs_of(api, books, **window) == "50.00"  # 25 sold + 25 written off


def _data_rows(rows: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for row in rows.get("Row", []):
        if row.get("type") == "Data":
            out.append(row)
        out += _data_rows(row.get("Rows") or {})
    return out


def _account_figures(rows: dict[str, Any]) -> dict[str, str]:
    return {
        r["ColData"][0]["id"]: r["ColData"][1]["value"]
        for r in _data_rows(rows)
        if r["ColData"][0].get("id")
    }


def test_a_snapshot_keeps_the_books_and_a_restored_company_goes_on_costing(api, books, stock, sim):
    from qbo_sim import snapshot

    part = stock.item("Belt", 3, 10.0)
    vendor, customer = books.vendor("Belts Co"), books.customer("Ivy")
    api.create("Bill", stock_bill_body(vendor, part, 2, 12.0, "2024-02-01"))
    doc = snapshot.loads(snapshot.dumps(snapshot.export_state(sim, api.realm)))
    snapshot.import_state(sim, doc)
    api.create("Invoice", sale_body(customer, part, 4, 30.0, "2024-03-01"))
    assert (qty(api, part), balance(api, stock.asset)) == (1, 12.0)  # 3 × 10 + 1 × 12 sold
    assert cogs_of(api, books, start_date="2024-03-01", end_date="2024-03-01") == "42.00"


def test_cdc_serves_adjustments_and_a_moved_quantity_is_no_item_change(api, books, stock, clock):
    part = stock.item("Seal", 5, 1.0)
    clock.advance(hours=2)
    made = api.create(
        "InventoryAdjustment", adjustment_body(stock.shrinkage, part, "2024-06-01", QtyDiff=-1)
    )
    res = api.get(
        "cdc",
        query_string={
            "entities": "InventoryAdjustment,Item",
            "changedSince": "2026-03-02T10:00:00-08:00",
        },
    )
    groups = res.get_json()["CDCResponse"][0]["QueryResponse"]
    assert [a["Id"] for a in groups[0]["InventoryAdjustment"]] == [made["Id"]]
    assert "Item" not in groups[1]  # QtyOnHand moved, its SyncToken and MetaData did not
    assert qty(api, part) == 4


def test_a_bundles_inventory_parts_leave_stock(api, books, stock, sim):
    pump = stock.item("Pump", 10, 5.0)
    made = sim.app.test_client().post(
        f"/_sim/companies/{api.realm}/user/create-bundle",
        json={"name": "Kit", "components": [{"item_id": pump, "qty": 2}]},
    )
    assert made.status_code == 200, made.get_data(as_text=True)
    line = {
        "DetailType": "GroupLineDetail",
        "GroupLineDetail": {
            "GroupItemRef": {"value": made.get_json()["Item"]["Id"]},
            "Quantity": 3,
        },
    }
    body = {"CustomerRef": {"value": books.customer("Jo")}, "TxnDate": "2024-05-01", "Line": [line]}
    api.create("Invoice", body)
    assert (qty(api, pump), balance(api, stock.asset)) == (4, 20.0)  # 3 kits × 2 pumps at 5
