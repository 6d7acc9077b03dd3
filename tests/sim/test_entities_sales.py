"""Invoice, SalesReceipt, CreditMemo, Estimate and Payment through the HTTP API: CRUD, void,
and the fields QBO computes (§5.12): amounts, SubTotal line, TotalAmt, Balance, DueDate,
DocNumber, TxnDate, defaults and reference names."""

from __future__ import annotations

import pytest

from tests.conftest import Api, fault_of

pytestmark = pytest.mark.usefixtures("throttle_off")


@pytest.fixture
def books(api) -> dict:
    """A customer on Net 30, an item on an income account and Undeposited Funds."""
    income = api.create("Account", {"Name": "Services", "AccountType": "Income"})
    undeposited = api.create(
        "Account",
        {
            "Name": "Undeposited Funds",
            "AccountType": "Other Current Asset",
            "AccountSubType": "UndepositedFunds",
        },
    )
    term = api.create("Term", {"Name": "Net 30", "DueDays": 30})
    customer = api.create(
        "Customer",
        {
            "DisplayName": "Acme",
            "SalesTermRef": {"value": term["Id"]},
            "PrimaryEmailAddr": {"Address": "ap@acme.example"},
            "BillAddr": {"Line1": "1 Main St", "City": "Springfield"},
        },
    )
    item = api.create(
        "Item", {"Name": "Repair", "Type": "Service", "IncomeAccountRef": {"value": income["Id"]}}
    )
    return {"customer": customer, "item": item, "term": term, "undeposited": undeposited}


def sales_line(item: dict, qty: float, price: float, amount: float | None = None) -> dict:
    line = {
        "DetailType": "SalesItemLineDetail",
        "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}, "Qty": qty, "UnitPrice": price},
    }
    if amount is not None:
        line["Amount"] = amount
    return line


def invoice_body(books: dict, *lines: dict) -> dict:
    return {"CustomerRef": {"value": books["customer"]["Id"]}, "Line": list(lines)}


def test_invoice_derived_fields_golden(api, books):
    created = api.create(
        "Invoice",
        invoice_body(books, sales_line(books["item"], 2, 75), sales_line(books["item"], 1, 20.5)),
    )
    item_ref = {"value": books["item"]["Id"], "name": "Repair"}
    assert created["Line"] == [
        {
            "DetailType": "SalesItemLineDetail",
            "SalesItemLineDetail": {
                "ItemRef": item_ref,
                "Qty": 2,
                "UnitPrice": 75,
                "TaxCodeRef": {"value": "NON"},
            },
            "Amount": 150.0,
            "Id": "1",
            "LineNum": 1,
        },
        {
            "DetailType": "SalesItemLineDetail",
            "SalesItemLineDetail": {
                "ItemRef": item_ref,
                "Qty": 1,
                "UnitPrice": 20.5,
                "TaxCodeRef": {"value": "NON"},
            },
            "Amount": 20.5,
            "Id": "2",
            "LineNum": 2,
        },
        {"Amount": 170.5, "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}},
    ]
    assert created["CustomerRef"] == {"value": books["customer"]["Id"], "name": "Acme"}
    assert created["SalesTermRef"] == {"value": books["term"]["Id"], "name": "Net 30"}
    expected = {
        "TxnDate": "2026-03-02",
        "DueDate": "2026-04-01",
        "DocNumber": "1001",
        "TotalAmt": 170.5,
        "Balance": 170.5,
        "Deposit": 0.0,
        "LinkedTxn": [],
        "EmailStatus": "NotSet",
        "PrintStatus": "NeedToPrint",
        "TxnTaxDetail": {"TotalTax": 0.0},
        "BillEmail": {"Address": "ap@acme.example"},
        "BillAddr": {"Line1": "1 Main St", "City": "Springfield"},
    }
    assert {k: created[k] for k in expected} == expected


def test_missing_amount_is_computed_and_disagreeing_amount_is_6070(api, books):
    res = api.post("invoice", invoice_body(books, sales_line(books["item"], 3, 10, amount=31)))
    assert fault_of(res) == {
        "Message": "Amount calculation incorrect in the request",
        "Detail": "Amount is not equal to Qty * UnitPrice. Supplied value:31",
        "code": "6070",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }
    ok = api.create("Invoice", invoice_body(books, sales_line(books["item"], 3, 10, amount=30)))
    assert ok["TotalAmt"] == 30.0


def test_doc_numbers_count_up_and_skip_numbers_in_use(api, books):
    first = api.create("Invoice", invoice_body(books, sales_line(books["item"], 1, 5)))
    manual = invoice_body(books, sales_line(books["item"], 1, 5))
    manual["DocNumber"] = "1002"
    api.create("Invoice", manual)
    third = api.create("Invoice", invoice_body(books, sales_line(books["item"], 1, 5)))
    assert (first["DocNumber"], third["DocNumber"]) == ("1001", "1003")
    receipt = api.create("SalesReceipt", invoice_body(books, sales_line(books["item"], 1, 5)))
    assert receipt["DocNumber"] == "1001"  # per transaction type


def test_custom_txn_numbers_leave_doc_number_empty(sim):
    realm = sim.create_company("empty", preferences={"SalesFormsPrefs": {"CustomTxnNumbers": True}})
    api = Api(sim.app.test_client(), realm)
    customer = api.create("Customer", {"DisplayName": "Acme"})
    created = api.create(
        "Invoice",
        {"CustomerRef": {"value": customer["Id"]}, "Line": [{"DetailType": "DescriptionOnly"}]},
    )
    assert "DocNumber" not in created


def test_txn_date_defaults_to_the_company_local_date(api, books, clock):
    clock.set("2026-03-03T05:00:00+00:00")  # still March 2 in the company (-08:00)
    created = api.create("Invoice", invoice_body(books, sales_line(books["item"], 1, 5)))
    assert created["TxnDate"] == "2026-03-02"
    assert created["DueDate"] == "2026-04-01"


def test_due_date_uses_the_invoice_term_over_the_customer_term(api, books):
    net15 = api.create("Term", {"Name": "Net 15", "DueDays": 15})
    body = invoice_body(books, sales_line(books["item"], 1, 5))
    body.update({"TxnDate": "2026-01-10", "SalesTermRef": {"value": net15["Id"]}})
    assert api.create("Invoice", body)["DueDate"] == "2026-01-25"


def test_update_replaces_the_subtotal_line_and_keeps_line_ids(api, books):
    created = api.create(
        "Invoice",
        invoice_body(books, sales_line(books["item"], 1, 10), sales_line(books["item"], 1, 20)),
    )
    lines = [dict(line) for line in created["Line"]]
    lines[1]["Amount"] = 40.0
    lines[1]["SalesItemLineDetail"] = dict(lines[1]["SalesItemLineDetail"], UnitPrice=40)
    lines.insert(0, sales_line(books["item"], 1, 5))
    body = dict(created, Line=lines)
    updated = api.update("Invoice", body)
    assert [line.get("Id") for line in updated["Line"]] == ["3", "1", "2", None]
    assert [line.get("LineNum") for line in updated["Line"][:3]] == [1, 2, 3]
    subtotals = [line for line in updated["Line"] if line["DetailType"] == "SubTotalLineDetail"]
    assert subtotals == [
        {"Amount": 55.0, "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}}
    ]
    assert (updated["TotalAmt"], updated["Balance"]) == (55.0, 55.0)
    assert updated["DocNumber"] == created["DocNumber"]


def test_balance_keeps_the_applied_amount_on_update(api, books):
    invoice = api.create("Invoice", invoice_body(books, sales_line(books["item"], 1, 100)))
    payment = {
        "CustomerRef": {"value": books["customer"]["Id"]},
        "TotalAmt": 40,
        "Line": [{"Amount": 40, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}],
    }
    api.create("Payment", payment)
    current = api.get(f"invoice/{invoice['Id']}").get_json()["Invoice"]
    assert current["Balance"] == 60.0
    sparse = api.update(
        "Invoice",
        {
            "Id": invoice["Id"],
            "SyncToken": current["SyncToken"],
            "sparse": True,
            "Line": [sales_line(books["item"], 1, 150)],
        },
    )
    assert (sparse["TotalAmt"], sparse["Balance"]) == (150.0, 110.0)


def test_discount_and_tax_and_description_lines_in_the_total(api, books):
    body = invoice_body(
        books,
        sales_line(books["item"], 4, 25),
        {"DetailType": "DescriptionOnly", "Description": "Thanks!"},
        {
            "DetailType": "DiscountLineDetail",
            "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 10},
        },
    )
    body["TxnTaxDetail"] = {"TotalTax": 7.25}
    created = api.create("Invoice", body)
    assert [line.get("Amount") for line in created["Line"]] == [100.0, None, 10.0, 100.0]
    assert created["TotalAmt"] == 97.25


def test_invoice_read_full_update_sparse_update_delete(api, books):
    created = api.create("Invoice", invoice_body(books, sales_line(books["item"], 1, 10)))
    assert api.get(f"invoice/{created['Id']}").get_json()["Invoice"] == created
    body = invoice_body(books, sales_line(books["item"], 1, 10))
    full = api.update("Invoice", {"Id": created["Id"], "SyncToken": "0", **body})
    assert "BillEmail" not in full and "BillAddr" not in full  # omitted → null
    sparse = api.update(
        "Invoice", {"Id": created["Id"], "SyncToken": "1", "sparse": True, "PrivateNote": "n"}
    )
    assert sparse["PrivateNote"] == "n" and sparse["TotalAmt"] == 10.0
    res = api.post("invoice?operation=delete", {"Id": created["Id"], "SyncToken": "2"})
    assert res.get_json()["Invoice"] == {"status": "Deleted", "domain": "QBO", "Id": created["Id"]}
    assert fault_of(api.get(f"invoice/{created['Id']}"))["code"] == "610"


def test_void_invoice_zeroes_amounts_and_notes_it(api, books):
    body = invoice_body(books, sales_line(books["item"], 2, 50))
    body["PrivateNote"] = "rush job"
    created = api.create("Invoice", body)
    res = api.post("invoice?operation=void", {"Id": created["Id"], "SyncToken": "0"})
    voided = res.get_json()["Invoice"]
    assert voided["PrivateNote"] == "Voided - rush job"
    assert (voided["TotalAmt"], voided["Balance"], voided["SyncToken"]) == (0.0, 0.0, "1")
    assert voided["Line"][0]["Amount"] == 0.0
    assert voided["Line"][0]["SalesItemLineDetail"]["Qty"] == 0
    assert voided["Line"][-1]["Amount"] == 0.0


@pytest.mark.parametrize("entity", ["SalesReceipt", "CreditMemo", "Estimate"])
def test_other_sales_forms_crud_and_subtotal(api, books, entity):
    created = api.create(entity, invoice_body(books, sales_line(books["item"], 2, 12.5)))
    assert created["Line"][-1] == {
        "Amount": 25.0,
        "DetailType": "SubTotalLineDetail",
        "SubTotalLineDetail": {},
    }
    assert created["TotalAmt"] == 25.0 and created["DocNumber"] == "1001"
    assert "DueDate" not in created
    full = api.update(
        entity,
        {
            "Id": created["Id"],
            "SyncToken": "0",
            **invoice_body(books, sales_line(books["item"], 1, 5)),
        },
    )
    assert full["TotalAmt"] == 5.0
    assert sum(1 for line in full["Line"] if line["DetailType"] == "SubTotalLineDetail") == 1
    sparse = api.update(
        entity, {"Id": created["Id"], "SyncToken": "1", "sparse": True, "PrivateNote": "p"}
    )
    assert sparse["PrivateNote"] == "p"
    res = api.post(f"{entity.lower()}?operation=delete", {"Id": created["Id"], "SyncToken": "2"})
    assert res.get_json()[entity]["status"] == "Deleted"


def test_sales_receipt_and_credit_memo_balances(api, books):
    receipt = api.create("SalesReceipt", invoice_body(books, sales_line(books["item"], 1, 9)))
    assert receipt["Balance"] == 0.0
    assert receipt["DepositToAccountRef"] == {
        "value": books["undeposited"]["Id"],
        "name": "Undeposited Funds",
    }
    memo = api.create("CreditMemo", invoice_body(books, sales_line(books["item"], 1, 9)))
    assert (memo["Balance"], memo["RemainingCredit"]) == (9.0, 9.0)


def test_payment_defaults_to_undeposited_funds_and_crud(api, books):
    created = api.create(
        "Payment", {"CustomerRef": {"value": books["customer"]["Id"]}, "TotalAmt": "25.00"}
    )
    assert created["TotalAmt"] == 25.0
    assert created["DepositToAccountRef"] == {
        "value": books["undeposited"]["Id"],
        "name": "Undeposited Funds",
    }
    assert "DocNumber" not in created and created["TxnDate"] == "2026-03-02"
    sparse = api.update(
        "Payment",
        {"Id": created["Id"], "SyncToken": "0", "sparse": True, "PaymentRefNum": "9"},
    )
    assert sparse["PaymentRefNum"] == "9"
    voided = api.post(
        "payment?operation=update&include=void",
        {"Id": created["Id"], "SyncToken": "1", "sparse": True},
    ).get_json()["Payment"]
    assert (voided["TotalAmt"], voided["PrivateNote"]) == (0.0, "Voided")
    res = api.post("payment?operation=delete", {"Id": created["Id"], "SyncToken": "2"})
    assert res.get_json()["Payment"]["status"] == "Deleted"
