"""``GET /<txn>/<id>/pdf``: a valid one-page PDF of the transaction (qbo_sim/pdf.py)."""

from __future__ import annotations

import re

import pytest
import requests

from qbo_sim.auth import DEV_TOKEN
from qbo_sim.entities import ENTITIES
from qbo_sim.pdf import Sheet, escape, render
from tests.conftest import fault_of

SANDBOX = "https://sandbox-quickbooks.api.intuit.com"


# --- a small reader: the structure a PDF reader relies on, and the text shown -----------
def read_pdf(data: bytes) -> list[str]:
    """The strings of the text-show operators (``(...) Tj``), after checking the header, the
    ``%%EOF`` end, ``startxref`` pointing at the xref table, every xref offset pointing at its
    ``N 0 obj``, and each stream's ``/Length``."""
    assert data.startswith(b"%PDF-1.4\n")
    assert data.rstrip().endswith(b"%%EOF")
    start = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data).group(1))
    assert data[start:].startswith(b"xref\n")
    first, count = map(int, re.match(rb"xref\n(\d+) (\d+)\n", data[start:]).groups())
    assert first == 0
    table = data[start:].split(b"\n", 2)[2]
    entries = [table[i * 20 : (i + 1) * 20] for i in range(count)]
    assert entries[0] == b"0000000000 65535 f \n"
    for number, entry in enumerate(entries[1:], start=1):
        assert re.fullmatch(rb"\d{10} 00000 n \n", entry), entry
        offset = int(entry[:10])
        assert data[offset:].startswith(b"%d 0 obj" % number), (number, offset)
    trailer = data[start:].split(b"trailer", 1)[1]
    assert re.search(rb"/Size %d\b" % count, trailer)
    assert b"/Root 1 0 R" in trailer
    for length, body in re.findall(rb"/Length (\d+) >>\nstream\n(.*?)endstream", data, re.S):
        assert len(body) == int(length) + 1  # the stream, then the EOL before endstream
    return [_unescape(s) for s in re.findall(rb"\(((?:\\.|[^\\()])*)\) Tj", data, re.S)]


def _unescape(raw: bytes) -> str:
    return re.sub(rb"\\(.)", rb"\1", raw).decode("latin-1")


def test_the_writer_escapes_parentheses_and_backslashes_and_replaces_non_latin1():
    assert escape("a(b)c\\d") == b"a\\(b\\)c\\\\d"
    assert escape("Café €5 東") == b"Caf\xe9 ?5 ?"
    shown = read_pdf(render(Sheet("Invoice", "A (B) \\ C", "Bill to", "Zoë", "1", "2026-03-02")))
    assert "A (B) \\ C" in shown
    assert "Bill to: Zoë" in shown


def test_a_long_transaction_stays_one_page_and_says_how_many_lines_are_left_out():
    lines = [(f"Line {n}", "1", "1.00") for n in range(100)]
    data = render(Sheet("Invoice", "Co", "Bill to", "C", "1", "2026-03-02", lines, "100.00"))
    shown = read_pdf(data)
    assert data.count(b"/Type /Page ") == 1
    kept = [s for s in shown if s.startswith("Line ")]
    assert 30 < len(kept) < 100
    assert f"... and {100 - len(kept)} more lines" in shown
    assert "100.00" in shown


def test_the_six_transactions_qbo_has_a_pdf_for_have_the_spec_fact():
    assert {name for name, spec in ENTITIES.items() if spec.pdf} == {
        "Invoice",
        "Estimate",
        "SalesReceipt",
        "CreditMemo",
        "RefundReceipt",
        "PurchaseOrder",
    }


# --- through the API ---------------------------------------------------------------------
@pytest.fixture
def invoice(api):
    customer = api.create("Customer", {"DisplayName": "Acme (North) Ltd"})
    item = api.create(
        "Item",
        {"Name": "Hours", "Type": "Service", "IncomeAccountRef": {"value": _income(api)}},
    )
    return api.create(
        "Invoice",
        {
            "CustomerRef": {"value": customer["Id"]},
            "DocNumber": "INV-1042",
            "TxnDate": "2026-03-01",
            "Line": [
                {
                    "Amount": 150,
                    "Description": "Boiler service",
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}, "Qty": 2},
                },
                {
                    "Amount": 12.5,
                    "Description": "Parts",
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}, "Qty": 2.5},
                },
            ],
        },
    )


def _income(api) -> str:
    account = api.create("Account", {"Name": "Service income", "AccountType": "Income"})
    return account["Id"]


def _company_name(api) -> str:
    res = api.get(f"companyinfo/{api.realm}")
    return res.get_json()["CompanyInfo"]["CompanyName"]


def _assert_invoice_pdf(data: bytes, company_name: str) -> None:
    shown = read_pdf(data)
    assert shown[0] == "Invoice"
    assert company_name in shown
    assert "Bill to: Acme (North) Ltd" in shown
    assert "No.: INV-1042" in shown
    assert "Date: 2026-03-01" in shown
    assert ["Boiler service", "2", "150.00"] == shown[shown.index("Boiler service") :][:3]
    assert ["Parts", "2.5", "12.50"] == shown[shown.index("Parts") :][:3]
    assert shown[-2:] == ["Total", "162.50"]


def test_invoice_pdf_over_the_api(api, invoice):
    res = api.get(f"invoice/{invoice['Id']}/pdf")
    assert res.status_code == 200
    assert res.mimetype == "application/pdf"
    _assert_invoice_pdf(res.get_data(), _company_name(api))


def test_an_xml_accept_header_still_gets_the_pdf(api, invoice):
    res = api.client.get(
        api.url(f"invoice/{invoice['Id']}/pdf"),
        headers={**api.headers, "Accept": "application/xml"},
    )
    assert res.status_code == 200
    assert res.mimetype == "application/pdf"
    _assert_invoice_pdf(res.get_data(), _company_name(api))


def test_invoice_pdf_through_requests_in_process_and_in_server_mode(base_url, api, invoice):
    headers = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/pdf"}
    res = requests.get(
        f"{base_url}/v3/company/{api.realm}/invoice/{invoice['Id']}/pdf",
        headers=headers,
        timeout=10,
    )
    assert res.status_code == 200
    assert res.headers["Content-Type"] == "application/pdf"
    assert res.content.startswith(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3")  # binary bytes intact
    assert res.headers["Content-Length"] == str(len(res.content))
    _assert_invoice_pdf(res.content, _company_name(api))


def test_purchase_order_pdf_names_the_vendor(api):
    vendor = api.create("Vendor", {"DisplayName": "Pipes & Co"})
    expense = api.create("Account", {"Name": "Supplies", "AccountType": "Expense"})
    po = api.create(
        "PurchaseOrder",
        {
            "VendorRef": {"value": vendor["Id"]},
            "APAccountRef": {"value": _payable(api)},
            "Line": [
                {
                    "Amount": 40,
                    "Description": "Copper pipe",
                    "DetailType": "AccountBasedExpenseLineDetail",
                    "AccountBasedExpenseLineDetail": {"AccountRef": {"value": expense["Id"]}},
                }
            ],
        },
    )
    shown = read_pdf(api.get(f"purchaseorder/{po['Id']}/pdf").get_data())
    assert shown[0] == "Purchase Order"
    assert "Vendor: Pipes & Co" in shown
    assert "Copper pipe" in shown
    assert shown[-1] == "40.00"


def _payable(api) -> str:
    return api.create("Account", {"Name": "AP", "AccountType": "Accounts Payable"})["Id"]


def test_a_missing_or_deleted_transaction_is_object_not_found(api, invoice):
    missing = api.get("invoice/9999/pdf")
    assert fault_of(missing)["code"] == "610"
    assert fault_of(missing)["status"] == 400
    api.post("invoice?operation=delete", {"Id": invoice["Id"], "SyncToken": invoice["SyncToken"]})
    deleted = api.get(f"invoice/{invoice['Id']}/pdf")
    assert fault_of(deleted)["code"] == "610"


def test_an_entity_without_a_pdf_is_an_unknown_resource(api):
    customer = api.create("Customer", {"DisplayName": "No PDF"})
    for path in (f"customer/{customer['Id']}/pdf", "bill/1/pdf", "nosuchthing/1/pdf"):
        res = api.get(path)
        error = fault_of(res)
        assert error["code"] == "500", path
        assert "Could not find resource" in error["Detail"], path
        assert res.status_code == 400


