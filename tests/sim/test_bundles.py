"""Bundles (issue 18 item 3): Item ``Type: Group`` made by the QBO user, sales lines with
``GroupLineDetail`` expanded as QBO expands them, through the HTTP API and the control plane
(docs/research/projects-and-bundles.md part B).

The shape of an expanded group line is the captured invoice of quickbooks-ruby's fixtures
(``invoice_with_bundle_line_item.xml``): the group line keeps Id 1 / LineNum 1 with Amount 0,
its parts take Ids 2, 3 and LineNums 2, 3, and the SubTotal line is the parts' sum.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from tests.conftest import Api, fault_of
from tests.sim.rules_books import fault, invalid_reference, snapshot

NS = {"q": "http://schema.intuit.com/finance/v3"}


@pytest.fixture
def control(sim):
    return sim.app.test_client()


def user_action(control, realm: str, action: str, body: dict[str, Any]) -> Any:
    return control.post(f"/_sim/companies/{realm}/user/{action}", json=body)


@pytest.fixture
def shop(api: Api, control, realm: str, throttle_off) -> dict[str, str]:
    """Two income accounts, a pump (12.50, described) and a fountain (100.00), a customer and
    the bundle Deluxe Fountain = 2 pumps + 1 fountain, made by the QBO user."""
    pumps = api.create("Account", {"Name": "Pump sales", "AccountType": "Income"})
    fountains = api.create("Account", {"Name": "Fountain sales", "AccountType": "Income"})
    pump = api.create(
        "Item",
        {
            "Name": "Pump",
            "Type": "Service",
            "Description": "Submersible pump",
            "UnitPrice": 12.5,
            "IncomeAccountRef": {"value": pumps["Id"]},
        },
    )
    fountain = api.create(
        "Item",
        {
            "Name": "Rock Fountain",
            "Type": "Service",
            "UnitPrice": 100,
            "IncomeAccountRef": {"value": fountains["Id"]},
        },
    )
    customer = api.create("Customer", {"DisplayName": "Amy's Bird Sanctuary"})
    res = user_action(
        control,
        realm,
        "create-bundle",
        {
            "name": "Deluxe Fountain",
            "components": [
                {"item_id": pump["Id"], "qty": 2},
                {"item_id": fountain["Id"], "qty": 1},
            ],
            "fields": {"Sku": "234", "Description": "Fountain with pumps"},
        },
    )
    assert res.status_code == 200, res.get_data(as_text=True)
    return {
        "bundle": res.get_json()["Item"]["Id"],
        "pump": pump["Id"],
        "fountain": fountain["Id"],
        "customer": customer["Id"],
        "pump_sales": pumps["Id"],
        "fountain_sales": fountains["Id"],
    }


def group_line(bundle: str, quantity: float | None = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"GroupItemRef": {"value": bundle}}
    if quantity is not None:
        detail["Quantity"] = quantity
    return {"DetailType": "GroupLineDetail", "GroupLineDetail": detail}


def form(shop: dict[str, str], *lines: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"CustomerRef": {"value": shop["customer"]}, "Line": list(lines), **fields}


# --- the bundle itself -------------------------------------------------------------------
def test_the_qbo_users_bundle_is_read_and_queried_through_the_api(api, shop):
    res = api.get(f"item/{shop['bundle']}")
    item = res.get_json()["Item"]
    assert item["Type"] == "Group"
    assert item["ItemGroupDetail"] == {
        "ItemGroupLine": [
            {"ItemRef": {"value": shop["pump"], "name": "Pump", "type": "Service"}, "Qty": 2},
            {
                "ItemRef": {"value": shop["fountain"], "name": "Rock Fountain", "type": "Service"},
                "Qty": 1,
            },
        ]
    }
    assert (item["UnitPrice"], item["TrackQtyOnHand"], item["PrintGroupedItems"]) == (
        0,
        False,
        False,
    )
    assert item["Sku"] == "234"
    rows = api.get("query", query_string={"query": "select * from Item where Type = 'Group'"})
    assert [i["Id"] for i in rows.get_json()["QueryResponse"]["Item"]] == [shop["bundle"]]


def test_the_api_cannot_create_a_bundle(api, sim, realm, shop):
    before = snapshot(sim, realm)
    res = api.post(
        "item",
        {
            "Name": "Gift Basket",
            "Type": "Group",
            "ItemGroupDetail": {"ItemGroupLine": [{"ItemRef": {"value": shop["pump"]}, "Qty": 1}]},
        },
    )
    assert fault_of(res) == fault(
        "500", "Unsupported Operation", "Operation CREATE GROUP is not supported."
    )
    assert snapshot(sim, realm) == before


@pytest.mark.parametrize(
    "change", [{"Name": "Deluxe Fountain II"}, {"Active": False}, {"Type": "Service"}]
)
def test_the_api_cannot_change_or_deactivate_a_bundle(api, sim, realm, shop, change):
    item = api.get(f"item/{shop['bundle']}").get_json()["Item"]
    before = snapshot(sim, realm)
    body = {"Id": item["Id"], "SyncToken": item["SyncToken"], "sparse": True, **change}
    res = api.post("item", body)
    assert fault_of(res) == fault(
        "500", "Unsupported Operation", "Operation UPDATE GROUP is not supported."
    )
    assert snapshot(sim, realm) == before


def test_the_qbo_user_edits_a_bundle_but_not_into_a_bundle_of_bundles(sim, realm, shop):
    user = sim.as_user(realm)
    renamed = user.sparse_update("Item", shop["bundle"], Name="Deluxe Fountain Kit")
    assert (renamed["Name"], renamed["SyncToken"]) == ("Deluxe Fountain Kit", "1")
    with pytest.raises(Exception) as refused:
        user.create_bundle("Two fountains", [(shop["bundle"], 2)])
    assert getattr(refused.value, "code", None) == "2500"
    with pytest.raises(Exception) as empty:
        user.create_bundle("Nothing", [])
    assert getattr(empty.value, "code", None) == "2020"


def test_create_bundle_refuses_a_malformed_component(control, realm, shop):
    res = user_action(control, realm, "create-bundle", {"name": "X", "components": ["1"]})
    assert res.status_code == 400
    assert res.get_json()["error"] == "components[0] must be an object"


# --- group lines -------------------------------------------------------------------------
def test_an_invoice_bundle_line_is_expanded_as_qbo_expands_it(api, shop):
    invoice = api.create("Invoice", form(shop, group_line(shop["bundle"], 2)))
    group, subtotal = invoice["Line"]
    assert group == {
        "Id": "1",
        "LineNum": 1,
        "Description": "Fountain with pumps",
        "Amount": 0,
        "DetailType": "GroupLineDetail",
        "GroupLineDetail": {
            "GroupItemRef": {"value": shop["bundle"], "name": "Deluxe Fountain"},
            "Quantity": 2,
            "Line": [
                {
                    "Id": "2",
                    "LineNum": 2,
                    "Description": "Submersible pump",
                    "Amount": 50.0,
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {
                        "ItemRef": {"value": shop["pump"], "name": "Pump"},
                        "UnitPrice": 12.5,
                        "Qty": 4,
                        "TaxCodeRef": {"value": "NON"},
                    },
                },
                {
                    "Id": "3",
                    "LineNum": 3,
                    "Amount": 200.0,
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {
                        "ItemRef": {"value": shop["fountain"], "name": "Rock Fountain"},
                        "UnitPrice": 100,
                        "Qty": 2,
                        "TaxCodeRef": {"value": "NON"},
                    },
                },
            ],
        },
    }
    assert subtotal == {
        "Amount": 250.0,
        "DetailType": "SubTotalLineDetail",
        "SubTotalLineDetail": {},
    }
    assert (invoice["TotalAmt"], invoice["Balance"]) == (250.0, 250.0)
    customer = api.get(f"customer/{shop['customer']}").get_json()["Customer"]
    assert customer["Balance"] == 250.0


def test_the_xml_answer_nests_the_parts_in_xsd_order(api, shop):
    invoice = api.create("Invoice", form(shop, group_line(shop["bundle"])))
    res = api.client.get(
        api.url(f"invoice/{invoice['Id']}"),
        headers={**api.headers, "Accept": "application/xml"},
    )
    root = ET.fromstring(res.get_data(as_text=True))  # the autouse fixture checks the order
    group = root.find("q:Invoice/q:Line/q:GroupLineDetail", NS)
    assert group is not None
    assert group.findtext("q:Quantity", namespaces=NS) == "1"
    assert [p.findtext("q:Amount", namespaces=NS) for p in group.findall("q:Line", NS)] == [
        "25.00",
        "100.00",
    ]


@pytest.mark.parametrize("entity", ["SalesReceipt", "Estimate", "CreditMemo"])
def test_every_sales_form_expands_a_bundle_line(api, shop, entity):
    created = api.create(entity, form(shop, group_line(shop["bundle"], 1)))
    parts = created["Line"][0]["GroupLineDetail"]["Line"]
    assert [p["SalesItemLineDetail"]["Qty"] for p in parts] == [2, 1]
    assert created["TotalAmt"] == 125.0


def test_a_bundle_line_beside_item_lines_and_a_discount(api, shop):
    item_line = {
        "Amount": 12.5,
        "DetailType": "SalesItemLineDetail",
        "SalesItemLineDetail": {"ItemRef": {"value": shop["pump"]}, "Qty": 1, "UnitPrice": 12.5},
    }
    discount = {
        "DetailType": "DiscountLineDetail",
        "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 10},
    }
    invoice = api.create("Invoice", form(shop, group_line(shop["bundle"]), item_line, discount))
    ids = [(line.get("Id"), line.get("LineNum"), line["DetailType"]) for line in invoice["Line"]]
    assert ids == [
        ("1", 1, "GroupLineDetail"),
        ("4", 2, "SalesItemLineDetail"),
        ("5", 3, "DiscountLineDetail"),
        (None, None, "SubTotalLineDetail"),
    ]
    parts = invoice["Line"][0]["GroupLineDetail"]["Line"]
    assert [p["Id"] for p in parts] == ["2", "3"]
    assert invoice["Line"][2]["Amount"] == 13.75  # 10 % of 125 + 12.50
    assert invoice["Line"][-1]["Amount"] == 137.5
    assert invoice["TotalAmt"] == 123.75


def test_the_parts_post_to_their_items_income_accounts(api, shop):
    api.create("Account", {"Name": "A/R", "AccountType": "Accounts Receivable"})
    api.create("Invoice", form(shop, group_line(shop["bundle"], 3)))
    body = api.get("reports/ProfitAndLoss").get_json()
    figures = {}

    def walk(rows: dict[str, Any]) -> None:
        for row in rows.get("Row", []):
            cells = row.get("ColData")
            if cells and cells[0].get("id"):
                figures[cells[0]["id"]] = cells[1]["value"]
            walk(row.get("Rows") or {})

    walk(body["Rows"])
    assert figures[shop["pump_sales"]] == "75.00"
    assert figures[shop["fountain_sales"]] == "300.00"
    receivable = api.get(
        "query",
        query_string={"query": "select * from Account where AccountType = 'Accounts Receivable'"},
    ).get_json()["QueryResponse"]["Account"][0]
    assert receivable["CurrentBalance"] == 375.0


def test_parts_sent_are_kept_and_checked(api, shop):
    parts = [
        {
            "Amount": 30.0,
            "DetailType": "SalesItemLineDetail",
            "SalesItemLineDetail": {"ItemRef": {"value": shop["pump"]}, "Qty": 2, "UnitPrice": 15},
        }
    ]
    line = group_line(shop["bundle"], 1)
    line["GroupLineDetail"]["Line"] = parts
    invoice = api.create("Invoice", form(shop, line))
    kept = invoice["Line"][0]["GroupLineDetail"]["Line"]
    assert [(p["Id"], p["Amount"]) for p in kept] == [("2", 30.0)]
    assert invoice["TotalAmt"] == 30.0
    wrong = copy.deepcopy(line)
    wrong["GroupLineDetail"]["Line"][0]["Amount"] = 31.0
    res = api.post("invoice", form(shop, wrong))
    assert fault_of(res)["code"] == "6070"


def test_resaving_the_invoice_as_read_keeps_the_part_ids(api, shop):
    invoice = api.create("Invoice", form(shop, group_line(shop["bundle"], 1)))
    invoice["PrivateNote"] = "re-saved"
    again = api.update("Invoice", invoice)
    assert (
        again["Line"][0]["GroupLineDetail"]["Line"] == invoice["Line"][0]["GroupLineDetail"]["Line"]
    )
    assert (again["SyncToken"], again["TotalAmt"]) == ("1", 125.0)


def test_a_sparse_update_with_a_new_quantity_and_no_parts_expands_again(api, shop):
    invoice = api.create("Invoice", form(shop, group_line(shop["bundle"], 1)))
    line = {"Id": "1", **group_line(shop["bundle"], 4)}
    body = {"Id": invoice["Id"], "SyncToken": invoice["SyncToken"], "sparse": True}
    updated = api.update("Invoice", {**body, "Line": [line]})
    parts = updated["Line"][0]["GroupLineDetail"]["Line"]
    # the parts are expanded anew: new lines with the next Ids (the old parts are gone)
    assert [(p["Id"], p["SalesItemLineDetail"]["Qty"]) for p in parts] == [("4", 8), ("5", 4)]
    assert updated["TotalAmt"] == 500.0


def test_voiding_an_invoice_zeroes_the_parts(api, shop):
    invoice = api.create("Invoice", form(shop, group_line(shop["bundle"], 1)))
    res = api.post(
        "invoice",
        {"Id": invoice["Id"], "SyncToken": invoice["SyncToken"]},
        query_string={"operation": "void"},
    )
    voided = res.get_json()["Invoice"]
    parts = voided["Line"][0]["GroupLineDetail"]["Line"]
    assert [p["Amount"] for p in parts] == [0, 0]
    assert voided["TotalAmt"] == 0


def test_group_line_amount_sum_shows_the_parts_sum(sim, shop, api):
    sim.set_fidelity(api.realm, {"group_line_amount": "sum"})
    invoice = api.create("Invoice", form(shop, group_line(shop["bundle"], 1)))
    assert invoice["Line"][0]["Amount"] == 125.0
    assert invoice["TotalAmt"] == 125.0  # not counted twice


def test_group_line_faults(api, sim, realm, shop):
    before = snapshot(sim, realm)
    unknown = api.post("invoice", form(shop, group_line("999")))
    assert fault_of(unknown) == invalid_reference("Line.GroupLineDetail.GroupItemRef")
    not_a_bundle = api.post("invoice", form(shop, group_line(shop["pump"])))
    assert fault_of(not_a_bundle) == invalid_reference("Line.GroupLineDetail.GroupItemRef")
    missing = api.post(
        "invoice", form(shop, {"DetailType": "GroupLineDetail", "GroupLineDetail": {"Quantity": 1}})
    )
    assert fault_of(missing) == fault(
        "2020",
        "Required param missing, need to supply the required value for the API",
        "Required parameter GroupItemRef is missing in the request",
        "Line.GroupLineDetail.GroupItemRef",
    )
    assert snapshot(sim, realm) == before


def test_an_inactive_bundle_cannot_be_sold(api, sim, realm, shop):
    sim.as_user(realm).deactivate("Item", shop["bundle"])
    res = api.post("invoice", form(shop, group_line(shop["bundle"])))
    assert fault_of(res)["code"] == "610"
