"""Reports (issue 18 item 1): ``GET /reports/<Name>`` in QBO's report shape, computed from the
books (qbo_sim/reports/; sources in docs/research/reports.md).

Golden bodies in the shape of Intuit's samples (the API reference's AgedReceivables and
CustomerBalance samples, the captured BalanceSheet of quickbooks-ruby's fixtures), the faults
for bad parameters, the date macros, then a property test: after random invoices, payments,
bills and bill payments, the BalanceSheet's accounts equal ``Account.CurrentBalance``, assets
equal liabilities and equity, the P&L's net income is the postings' and the BalanceSheet's,
and AgedReceivables / CustomerBalance equal ``Customer.Balance``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbo_sim.entities import ENTITIES
from qbo_sim.opcontext import OpContext
from qbo_sim.reports.params import macro_range
from qbo_sim.rules.postings import BALANCE_SHEET, postings
from tests.conftest import Api, fault_of
from tests.sim.rules_books import (
    Books,
    Stock,
    adjustment_body,
    bill_body,
    bill_payment_body,
    fault,
    invoice_body,
    payment_body,
    sale_body,
    stock_bill_body,
)

TIME = "2026-03-02T09:00:00-08:00"  # the frozen clock (tests/conftest.py START), company time


@pytest.fixture
def books(sim, realm, throttle_off) -> Books:
    return Books(sim, realm)


def report(api: Api, name: str, **query: str) -> dict[str, Any]:
    res = api.get(f"reports/{name}", query_string=query)
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_json()


def walk(rows: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for row in rows.get("Row", []):
        yield row
        yield from walk(row.get("Rows") or {})


def by_group(body: dict[str, Any], group: str) -> dict[str, Any]:
    return next(r for r in walk(body["Rows"]) if r.get("group") == group)


def account_rows(body: dict[str, Any]) -> dict[str, str]:
    """Account id → its figure (Data rows naming an account)."""
    return {
        r["ColData"][0]["id"]: r["ColData"][1]["value"]
        for r in walk(body["Rows"])
        if "ColData" in r and r["ColData"][0].get("id")
    }


def summary(row: dict[str, Any]) -> str:
    return row["Summary"]["ColData"][1]["value"]


def c(value: str, ref: str | None = None) -> dict[str, str]:
    return {"value": value} if ref is None else {"value": value, "id": ref}


# --- golden bodies -----------------------------------------------------------------------
def test_profit_and_loss_has_intuits_sections_and_reads_the_postings(api, books):
    customer = books.customer("Ann Field")
    api.create("Invoice", invoice_body(customer, 250.0, books.labor, TxnDate="2026-01-10"))
    api.create("Bill", bill_body(books.vendor("Parts Co"), 80.0, books.expense))
    body = report(api, "ProfitAndLoss")
    money = [
        {
            "ColTitle": "",
            "ColType": "Account",
            "MetaData": [{"Name": "ColKey", "Value": "account"}],
        },
        {
            "ColTitle": "Total",
            "ColType": "Money",
            "MetaData": [{"Name": "ColKey", "Value": "total"}],
        },
    ]
    assert body == {
        "Header": {
            "Time": TIME,
            "ReportName": "ProfitAndLoss",
            "DateMacro": "this fiscal year-to-date",
            "ReportBasis": "Accrual",
            "StartPeriod": "2026-01-01",
            "EndPeriod": "2026-03-02",
            "SummarizeColumnsBy": "Total",
            "Currency": "USD",
            "Option": [
                {"Name": "AccountingStandard", "Value": "GAAP"},
                {"Name": "NoReportData", "Value": "false"},
            ],
        },
        "Columns": {"Column": money},
        "Rows": {
            "Row": [
                {
                    "Header": {"ColData": [c("Income"), c("")]},
                    "Rows": {
                        "Row": [
                            {"ColData": [c("Services", books.income), c("250.00")], "type": "Data"}
                        ]
                    },
                    "Summary": {"ColData": [c("Total Income"), c("250.00")]},
                    "type": "Section",
                    "group": "Income",
                },
                {
                    "Summary": {"ColData": [c("Gross Profit"), c("250.00")]},
                    "type": "Section",
                    "group": "GrossProfit",
                },
                {
                    "Header": {"ColData": [c("Expenses"), c("")]},
                    "Rows": {
                        "Row": [
                            {
                                "ColData": [c("Job Materials", books.expense), c("80.00")],
                                "type": "Data",
                            }
                        ]
                    },
                    "Summary": {"ColData": [c("Total Expenses"), c("80.00")]},
                    "type": "Section",
                    "group": "Expenses",
                },
                {
                    "Summary": {"ColData": [c("Net Operating Income"), c("170.00")]},
                    "type": "Section",
                    "group": "NetOperatingIncome",
                },
                {
                    "Summary": {"ColData": [c("Net Income"), c("170.00")]},
                    "type": "Section",
                    "group": "NetIncome",
                },
            ]
        },
    }


def test_an_empty_profit_and_loss_keeps_income_and_expenses_and_says_no_data(api, books):
    body = report(api, "ProfitAndLoss", start_date="2026-01-01", end_date="2026-01-31")
    assert "DateMacro" not in body["Header"]
    assert body["Header"]["Option"][-1] == {"Name": "NoReportData", "Value": "true"}
    assert [r["group"] for r in body["Rows"]["Row"]] == [
        "Income",
        "GrossProfit",
        "Expenses",
        "NetOperatingIncome",
        "NetIncome",
    ]
    # an empty section: Header and an empty Summary, no Rows (Intuit's sample)
    assert body["Rows"]["Row"][2] == {
        "Header": {"ColData": [c("Expenses"), c("")]},
        "Summary": {"ColData": [c("Total Expenses"), c("")]},
        "type": "Section",
        "group": "Expenses",
    }


def test_aged_receivables_and_customer_balance_as_intuits_samples(api, books):
    ann = books.customer("Ann Field")
    bob = books.customer("Bob Stone")
    old = api.create(
        "Invoice", invoice_body(ann, 300.0, books.labor, TxnDate="2025-11-01", DueDate="2025-11-15")
    )
    api.create(
        "Invoice", invoice_body(ann, 37.5, books.labor, TxnDate="2026-02-20", DueDate="2026-03-20")
    )
    api.create(
        "Invoice", invoice_body(bob, 50.0, books.labor, TxnDate="2026-01-15", DueDate="2026-02-14")
    )
    api.create("Payment", payment_body(ann, 100.0, (old["Id"], 100.0)))
    aged = report(api, "AgedReceivables")
    assert aged["Header"] == {
        "Time": TIME,
        "ReportName": "AgedReceivables",
        "DateMacro": "today",
        "StartPeriod": "2026-03-02",
        "EndPeriod": "2026-03-02",
        "Currency": "USD",
        "Option": [
            {"Name": "report_date", "Value": "2026-03-02"},
            {"Name": "NoReportData", "Value": "false"},
        ],
    }
    titles = ["", "Current", "1 - 30", "31 - 60", "61 - 90", "91 and over", "Total"]
    assert [(col["ColTitle"], col["ColType"]) for col in aged["Columns"]["Column"]] == [
        (t, "Customer" if not t else "Money") for t in titles
    ]
    assert aged["Rows"]["Row"] == [
        {
            "ColData": [
                c("Ann Field", ann),
                c("37.50"),
                c(""),
                c(""),
                c(""),
                c("200.00"),
                c("237.50"),
            ]
        },
        {"ColData": [c("Bob Stone", bob), c(""), c("50.00"), c(""), c(""), c(""), c("50.00")]},
        {
            "Summary": {
                "ColData": [
                    c("TOTAL"),
                    c("37.50"),
                    c("50.00"),
                    c("0.00"),
                    c("0.00"),
                    c("200.00"),
                    c("287.50"),
                ]
            },
            "type": "Section",
            "group": "GrandTotal",
        },
    ]
    balance = report(api, "CustomerBalance", customer=ann)
    assert balance["Header"] == {
        "Time": TIME,
        "ReportName": "CustomerBalance",
        "DateMacro": "all",
        "Currency": "USD",
        "Customer": ann,
        "Option": [
            {"Name": "report_date", "Value": "2026-03-02"},
            {"Name": "NoReportData", "Value": "false"},
        ],
    }
    assert balance["Rows"]["Row"] == [
        {"ColData": [c("Ann Field", ann), c("237.50")]},
        {
            "Summary": {"ColData": [c("TOTAL"), c("237.50")]},
            "type": "Section",
            "group": "GrandTotal",
        },
    ]
    # as of a date before the payment, the old invoice is open in full again (300 + 37.50)
    earlier = report(api, "AgedReceivables", report_date="2026-02-28", customer=ann)
    assert "DateMacro" not in earlier["Header"] and "StartPeriod" not in earlier["Header"]
    assert earlier["Rows"]["Row"][0]["ColData"][-1] == c("337.50")


def test_a_synced_payment_closes_the_invoice_in_the_aging(api, books):
    """Issue 18 item 5: a payment synced, the A/R aging shows the invoice closed."""
    customer = books.customer("Ann Field")
    invoice = api.create("Invoice", invoice_body(customer, 120.0, books.labor, DocNumber="1040"))
    detail = report(api, "AgedReceivableDetail")
    assert [r["ColData"][2] for r in walk(detail["Rows"]) if r.get("type") == "Data"] == [c("1040")]
    api.create("Payment", payment_body(customer, 120.0, (invoice["Id"], 120.0)))
    detail = report(api, "AgedReceivableDetail")
    assert [r for r in walk(detail["Rows"]) if r.get("type") == "Data"] == []
    assert detail["Header"]["Option"][-1] == {"Name": "NoReportData", "Value": "true"}
    assert report(api, "AgedReceivables")["Rows"]["Row"][-1]["Summary"]["ColData"][-1] == c("0.00")


def test_aged_receivable_detail_columns_follow_the_captured_aged_payable_detail(api, books):
    body = report(api, "AgedReceivableDetail")
    assert [
        (col["ColTitle"], col["ColType"], col["MetaData"][0]["Value"])
        for col in body["Columns"]["Column"]
    ] == [
        ("Date", "Date", "tx_date"),
        ("Transaction Type", "String", "txn_type"),
        ("Num", "String", "doc_num"),
        ("Customer", "String", "cust_name"),
        ("Due Date", "Date", "due_date"),
        ("Past Due", "String", "past_due"),
        ("Amount", "Money", "subt_amount"),
        ("Open Balance", "Money", "subt_open_bal"),
    ]


def test_balance_sheet_groups_and_xml_follow_the_captured_balance_sheet(api, books):
    customer = books.customer("Ann Field")
    invoice = api.create("Invoice", invoice_body(customer, 250.0, books.labor))
    api.create("Payment", payment_body(customer, 100.0, (invoice["Id"], 100.0)))
    api.create("Bill", bill_body(books.vendor("Parts Co"), 80.0, books.expense))
    body = report(api, "BalanceSheet")
    groups = [r.get("group") for r in walk(body["Rows"]) if r.get("type") == "Section"]
    assert groups == [
        "TotalAssets",
        "CurrentAssets",
        "AR",
        "OtherCurrentAssets",
        "TotalLiabilitiesAndEquity",
        "Liabilities",
        "CurrentLiabilities",
        "AP",
        "Equity",
    ]
    assert summary(by_group(body, "TotalAssets")) == "250.00"
    assert by_group(body, "TotalAssets")["Summary"]["ColData"][0] == c("TOTAL ASSETS")
    assert by_group(body, "NetIncome") == {
        "ColData": [c("Net Income"), c("170.00")],
        "type": "Data",
        "group": "NetIncome",
    }
    api.headers["Accept"] = "application/xml"
    res = api.get("reports/BalanceSheet")
    assert res.content_type == "application/xml;charset=UTF-8"
    root = ET.fromstring(res.get_data())
    ns = "{http://schema.intuit.com/finance/v3}"
    assert root.tag == f"{ns}Report"
    assert [child.tag.removeprefix(ns) for child in root] == ["Header", "Columns", "Rows"]
    assert [child.tag.removeprefix(ns) for child in root.find(f"{ns}Header")] == [
        "Time", "ReportName", "DateMacro", "ReportBasis", "StartPeriod", "EndPeriod",
        "SummarizeColumnsBy", "Currency", "Option", "Option",
    ]  # fmt: skip
    first = root.find(f"{ns}Rows/{ns}Row")
    assert first is not None and first.attrib == {"type": "Section", "group": "TotalAssets"}
    cells = first.findall(f"{ns}Header/{ns}ColData")
    assert [cell.attrib for cell in cells] == [{"value": "ASSETS"}, {"value": ""}]


def test_transaction_list_and_general_ledger_rows(api, books):
    customer = books.customer("Ann Field")
    api.create(
        "Invoice",
        invoice_body(customer, 47.6, books.labor, DocNumber="1040", PrivateNote="A note."),
    )
    listed = report(api, "TransactionList")
    assert listed["Rows"]["Row"] == [
        {
            "ColData": [
                c("2026-03-02"), c("Invoice", "1"), c("1040"), c("Yes"), c("Ann Field", customer),
                c("A note."), c("Accounts Receivable (A/R)", books.receivable),
                c("Services", books.income), c("47.60"),
            ],
            "type": "Data",
        }
    ]  # fmt: skip
    ledger = report(api, "GeneralLedger")
    sections = {r["Header"]["ColData"][0]["value"]: r for r in ledger["Rows"]["Row"]}
    assert set(sections) == {"Accounts Receivable (A/R)", "Services"}
    income = sections["Services"]
    assert income["Rows"]["Row"][-1]["ColData"][-2:] == [c("47.60"), c("47.60")]
    assert income["Summary"]["ColData"][0] == c("Total for Services")


def test_summarize_by_month_and_cash_basis(api, books):
    customer = books.customer("Ann Field")
    invoice = api.create(
        "Invoice", invoice_body(customer, 200.0, books.labor, TxnDate="2026-01-10")
    )
    api.create("Payment", payment_body(customer, 50.0, (invoice["Id"], 50.0)))  # on 2026-03-02
    accrual = report(api, "ProfitAndLoss", summarize_column_by="Month")
    assert [col["ColTitle"] for col in accrual["Columns"]["Column"]] == [
        "", "Jan 2026", "Feb 2026", "Mar 2026", "Total",
    ]  # fmt: skip
    net = by_group(accrual, "NetIncome")["Summary"]["ColData"]
    assert [cell["value"] for cell in net[1:]] == ["200.00", "0.00", "0.00", "200.00"]
    cash = report(api, "ProfitAndLoss", summarize_column_by="Month", accounting_method="Cash")
    assert cash["Header"]["ReportBasis"] == "Cash"
    net = by_group(cash, "NetIncome")["Summary"]["ColData"]
    assert [cell["value"] for cell in net[1:]] == ["0.00", "0.00", "50.00", "50.00"]


def test_class_filter_and_summarize_by_classes(sim, throttle_off):
    prefs = {"AccountingInfoPrefs": {"ClassTrackingPerTxnLine": True}}
    realm = sim.create_company("empty", preferences=prefs)
    books, api = Books(sim, realm), Api(sim.app.test_client(), realm)
    west = sim.as_user(realm).create("Class", {"Name": "West"})["Id"]
    customer = books.customer("Ann Field")
    classed = invoice_body(customer, 100.0, books.labor)
    classed["Line"][0]["SalesItemLineDetail"]["ClassRef"] = {"value": west}  # per line
    api.create("Invoice", classed)
    api.create("Invoice", invoice_body(customer, 40.0, books.labor))
    filtered = report(api, "ProfitAndLoss", **{"class": west})
    assert summary(by_group(filtered, "NetIncome")) == "100.00"
    split = report(api, "ProfitAndLoss", summarize_column_by="Classes")
    assert [col["ColTitle"] for col in split["Columns"]["Column"]] == [
        "", "West", "Not Specified", "Total",
    ]  # fmt: skip
    net = by_group(split, "NetIncome")["Summary"]["ColData"]
    assert [cell["value"] for cell in net[1:]] == ["100.00", "40.00", "140.00"]


# --- faults --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "ProfitAndLoss?start_date=2026-13-01",
            fault("2070", "Invalid Date", "Supplied value: 2026-13-01", "start_date"),
        ),
        (
            "ProfitAndLoss?start_date=2026-03-01&end_date=2026-02-01",
            fault("2070", "Invalid Date", "Supplied value: 2026-03-01", "start_date"),
        ),
        (
            "BalanceSheet?accounting_method=Modified",
            fault(
                "2170", "Invalid Enumeration", "Invalid Enumeration: Modified", "accounting_method"
            ),
        ),
        (
            "ProfitAndLoss?summarize_column_by=Fortnight",
            fault(
                "2170",
                "Invalid Enumeration",
                "Invalid Enumeration: Fortnight",
                "summarize_column_by",
            ),
        ),
        (
            "AgedReceivables?date_macro=Someday",
            fault("2170", "Invalid Enumeration", "Invalid Enumeration: Someday", "date_macro"),
        ),
        (
            "AgedReceivables?aging_period=0",
            fault("2090", "Invalid Number", "Supplied value: 0", "aging_period"),
        ),
    ],
)
def test_bad_parameters_answer_validation_faults(api, books, query, expected):
    res = api.get(f"reports/{query}")
    assert fault_of(res) == expected


def test_an_unknown_report_is_an_unknown_resource(api, books):
    res = api.get("reports/ProfitAndLossByMood")
    assert fault_of(res)["code"] == "500"
    assert "reports/ProfitAndLossByMood" in fault_of(res)["Detail"]


@pytest.mark.parametrize(
    ("macro", "expected"),
    [
        ("Today", ("2016-03-09", "2016-03-09")),
        ("This Week", ("2016-03-06", "2016-03-12")),
        ("Last Month", ("2016-02-01", "2016-02-29")),
        ("This Month-to-date", ("2016-03-01", "2016-03-09")),
        ("last calendar year-to-date", ("2015-01-01", "2015-03-09")),  # Intuit's CashFlow sample
        ("Last Calendar Year", ("2015-01-01", "2015-12-31")),
        ("This Fiscal Quarter", ("2016-01-01", "2016-03-31")),
        ("Next Fiscal Year", ("2017-01-01", "2017-12-31")),
        ("Last Fiscal Year-to-date", ("2015-01-01", "2015-03-09")),
    ],
)
def test_date_macros(macro, expected):
    start, end = macro_range(macro, date(2016, 3, 9), 1, "date_macro")
    assert (start.isoformat(), end.isoformat()) == expected


def test_a_fiscal_year_starting_in_april():
    assert macro_range("This Fiscal Year", date(2016, 3, 9), 4, "") == (
        date(2015, 4, 1),
        date(2016, 3, 31),
    )


# --- reconciliation --------------------------------------------------------------------------
STEP = st.tuples(
    st.sampled_from(["invoice", "pay", "bill", "billpay", "void", "sell", "buy", "count"]),
    st.integers(0, 2),
    st.integers(1, 500),
    st.integers(0, 120),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(STEP, min_size=1, max_size=14))
def test_reports_reconcile_with_balances_and_postings(sim, realm, throttle_off, steps):
    company_realm = sim.create_company("empty")
    books = Books(sim, company_realm)
    api = Api(sim.app.test_client(), company_realm)
    customers = [books.customer(f"Customer {i}") for i in range(3)]
    vendors = [books.vendor(f"Vendor {i}") for i in range(3)]
    invoices: list[dict[str, Any]] = []
    bills: list[dict[str, Any]] = []
    stock = Stock(books)  # inventory: COGS on the P&L, the asset and its starting value
    part = stock.item("Filter", 10, 3.5, "2025-06-01")
    for kind, who, amount, days_ago in steps:
        day = date.fromordinal(date(2026, 3, 2).toordinal() - days_ago).isoformat()
        qty = amount % 9 + 1
        if kind == "sell":
            body = sale_body(customers[who], part, qty, 12.0, day)
            invoices.append(api.create("Invoice", body))
        elif kind == "buy":
            body = stock_bill_body(vendors[who], part, qty, 3.0 + who, day)
            bills.append(api.create("Bill", body))
        elif kind == "count":
            api.create(
                "InventoryAdjustment", adjustment_body(stock.shrinkage, part, day, NewQty=qty)
            )
        elif kind == "invoice":
            body = invoice_body(customers[who], float(amount), books.labor, TxnDate=day)
            invoices.append(api.create("Invoice", body))
        elif kind == "bill":
            body = bill_body(vendors[who], float(amount), books.expense)
            bills.append(api.create("Bill", {**body, "TxnDate": day}))
        elif kind == "pay" and invoices:
            inv = api.get(f"invoice/{invoices[who % len(invoices)]['Id']}").get_json()["Invoice"]
            if inv["Balance"] > 0:
                paid = min(inv["Balance"], float(amount))
                body = payment_body(inv["CustomerRef"]["value"], paid + 5, (inv["Id"], paid))
                api.create("Payment", body)  # 5 unapplied: a credit of the customer
        elif kind == "billpay" and bills:
            bill = api.get(f"bill/{bills[who % len(bills)]['Id']}").get_json()["Bill"]
            if bill["Balance"] > 0:
                paid = min(bill["Balance"], float(amount))
                body = bill_payment_body(
                    bill["VendorRef"]["value"], books.bank, paid, (bill["Id"], paid)
                )
                api.create("BillPayment", body)
        elif kind == "void" and invoices:
            inv = api.get(f"invoice/{invoices[who % len(invoices)]['Id']}").get_json()["Invoice"]
            res = api.post(
                "invoice?operation=void", {"Id": inv["Id"], "SyncToken": inv["SyncToken"]}
            )
            assert res.status_code in (200, 400)
    window = {"start_date": "2025-01-01", "end_date": "2026-03-02"}
    sheet = report(api, "BalanceSheet", **window)
    rows = account_rows(sheet)
    accounts = api.get("query?query=select * from Account").get_json()["QueryResponse"]["Account"]
    for account in accounts:
        if account["Classification"] in BALANCE_SHEET and account["Id"] in rows:
            sign = 1 if account["Classification"] == "Asset" else -1
            assert float(rows[account["Id"]]) == pytest.approx(sign * account["CurrentBalance"])
        elif account["Classification"] in BALANCE_SHEET:
            assert account["CurrentBalance"] == 0
    assert summary(by_group(sheet, "TotalAssets")) == summary(
        by_group(sheet, "TotalLiabilitiesAndEquity")
    )
    # P&L net income: the postings of every stored transaction on income and expense accounts
    ctx = OpContext(sim.company(company_realm), sim.clock)
    kinds = {a["Id"]: a["Classification"] for a in accounts}
    expected = 0.0
    for spec in ENTITIES.values():
        if spec.ledger is None:  # items' starting values post to the balance sheet only
            continue
        for entity in sim.company(company_realm).all(spec.name):
            for account_id, amount in postings(ctx, spec, entity).items():
                if kinds.get(account_id) not in BALANCE_SHEET:
                    expected -= amount
    pnl = report(api, "ProfitAndLoss", **window)
    assert float(summary(by_group(pnl, "NetIncome"))) == pytest.approx(expected)
    # the sheet's Net Income row is this fiscal year's; last year's is in Retained Earnings
    this_year = report(api, "ProfitAndLoss", date_macro="This Fiscal Year-to-date")
    net_row = by_group(sheet, "NetIncome")["ColData"][1]["value"]
    assert float(net_row) == pytest.approx(float(summary(by_group(this_year, "NetIncome"))))
    # AgedReceivables and CustomerBalance: Customer.Balance, customer by customer
    balances = {cid: books.balance("Customer", cid) for cid in customers}
    for name in ("AgedReceivables", "CustomerBalance"):
        body = report(api, name)
        shown = {
            r["ColData"][0]["id"]: float(r["ColData"][-1]["value"])
            for r in body["Rows"]["Row"]
            if "ColData" in r
        }
        assert shown == {cid: pytest.approx(b) for cid, b in balances.items() if abs(b) >= 0.005}
        total = float(body["Rows"]["Row"][-1]["Summary"]["ColData"][-1]["value"])
        assert total == pytest.approx(sum(balances.values()))
    vendor_total = sum(books.balance("Vendor", vid) for vid in vendors)
    payables = report(api, "AgedPayables")["Rows"]["Row"][-1]["Summary"]["ColData"][-1]
    assert float(payables["value"]) == pytest.approx(vendor_total)
