"""Fields QBO leaves out where the simulator used to write them, each from the parity corpus
(tests/parity/corpus): ``SubItem``/``Level`` on top-level items and customers, ``LinkedTxn`` on
a sales receipt, ``startPosition`` on CompanyInfo and Preferences query answers."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.usefixtures("throttle_off")


def _income(api: Any) -> dict[str, str]:
    return {"value": api.create("Account", {"Name": "Services", "AccountType": "Income"})["Id"]}


def _query(api: Any, text: str) -> dict[str, Any]:
    res = api.get(f"query?query={text}")
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_json()["QueryResponse"]


def _item_and_sub_item(api: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A top-level service item and a sub-item under it."""
    income = _income(api)
    top = api.create("Item", {"Name": "Plumbing", "Type": "Service", "IncomeAccountRef": income})
    sub = api.create(
        "Item",
        {
            "Name": "Drains",
            "Type": "Service",
            "IncomeAccountRef": income,
            "ParentRef": {"value": top["Id"]},
        },
    )
    return top, sub


def test_top_level_item_has_no_sub_item_or_level_a_sub_item_has_both(api: Any) -> None:
    top, sub = _item_and_sub_item(api)
    assert "SubItem" not in top and "Level" not in top
    assert (sub["SubItem"], sub["Level"]) == (True, 1)
    read = api.get(f"item/{top['Id']}").get_json()["Item"]
    assert "SubItem" not in read and "Level" not in read


def test_sub_item_filter_still_tells_top_level_from_sub_items(api: Any) -> None:
    top, sub = _item_and_sub_item(api)
    tops = _query(api, "select * from Item where SubItem = false")["Item"]
    subs = _query(api, "select * from Item where SubItem = true")["Item"]
    assert [i["Id"] for i in tops] == [top["Id"]]
    assert [i["Id"] for i in subs] == [sub["Id"]]


def test_sub_entity_made_top_level_loses_its_sub_flag_and_level(api: Any) -> None:
    parent = api.create("Customer", {"DisplayName": "Acme"})
    job = api.create("Customer", {"DisplayName": "Site", "ParentRef": {"value": parent["Id"]}})
    assert job["Level"] == 1
    alone = api.update(
        "Customer", {"Id": job["Id"], "SyncToken": job["SyncToken"], "DisplayName": "Site"}
    )
    assert "Level" not in alone and alone["Job"] is False
    assert "Level" not in parent


def test_accounts_keep_sub_account_false_at_top_level(api: Any) -> None:
    # the captured accounts, classes and departments all carry their Sub* flag at top level
    account = api.create("Account", {"Name": "Fuel", "AccountType": "Expense"})
    klass = api.create("Class", {"Name": "East"})
    assert (account["SubAccount"], klass["SubClass"]) == (False, False)


def test_sales_receipt_has_no_linked_txn_an_invoice_keeps_its_empty_list(api: Any) -> None:
    income = _income(api)
    item = api.create("Item", {"Name": "Repair", "Type": "Service", "IncomeAccountRef": income})
    customer = api.create("Customer", {"DisplayName": "Acme"})
    line = {
        "Amount": 10,
        "DetailType": "SalesItemLineDetail",
        "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}},
    }
    body = {"CustomerRef": {"value": customer["Id"]}, "Line": [line]}
    receipt = api.create("SalesReceipt", body)
    invoice = api.create("Invoice", body)
    assert "LinkedTxn" not in receipt
    assert "LinkedTxn" not in api.get(f"salesreceipt/{receipt['Id']}").get_json()["SalesReceipt"]
    assert invoice["LinkedTxn"] == []


@pytest.mark.parametrize("entity", ["CompanyInfo", "Preferences"])
def test_one_per_company_query_has_max_results_without_start_position(
    api: Any, entity: str
) -> None:
    answer = _query(api, f"select * from {entity}")
    assert len(answer[entity]) == 1
    assert answer["maxResults"] == 1 and "startPosition" not in answer


def test_one_per_company_xml_query_has_no_start_position(api: Any) -> None:
    res = api.client.get(
        api.url("query?query=select * from CompanyInfo"),
        headers={**api.headers, "Accept": "application/xml"},
    )
    text = res.get_data(as_text=True)
    assert '<QueryResponse maxResults="1">' in text and "startPosition" not in text


def test_other_query_answers_keep_start_position(api: Any) -> None:
    api.create("Customer", {"DisplayName": "Acme"})
    answer = _query(api, "select * from Customer")
    assert (answer["startPosition"], answer["maxResults"]) == (1, 1)
