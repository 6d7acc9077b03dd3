"""Multi-currency through the HTTP API (issue 17 item 2), each rule and fault checked against
docs/research/currency-and-ledger.md part A (cited per test as "A<n>.<fact>"): the
preference, the currency list, exchange rates, CurrencyRef/ExchangeRate on names and
transactions, home-currency amounts, and the A/R and A/P accounts of each currency."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, fault_of
from tests.sim.rules_books import snapshot

MC = {"CurrencyPrefs": {"MultiCurrencyEnabled": True, "HomeCurrency": {"value": "USD"}}}
BUSINESS = "A business validation error has occurred while processing your request"
STAMP = "2026-03-02T09:00:00-08:00"


def business(detail: str, code: str = "6000") -> dict[str, Any]:
    return {
        "Message": BUSINESS,
        "Detail": f"Business Validation Error: {detail}",
        "code": code,
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }


@pytest.fixture(autouse=True)
def _throttle_off(throttle_off):
    """Many requests in one frozen second."""


@pytest.fixture
def mc(sim, api: Api) -> Api:
    """An empty multicurrency company (home USD) with an income account and an item."""
    api.realm = sim.create_company("empty", preferences=MC)
    income = api.create("Account", {"Name": "Services", "AccountType": "Income"})
    api.create(
        "Item", {"Name": "Repair", "Type": "Service", "IncomeAccountRef": {"value": income["Id"]}}
    )
    return api


def invoice(customer: str, amount: float = 100, **extra: Any) -> dict[str, Any]:
    return {
        "CustomerRef": {"value": customer},
        "Line": [
            {
                "Amount": amount,
                "DetailType": "SalesItemLineDetail",
                "SalesItemLineDetail": {"ItemRef": {"value": "1"}},
            }
        ],
        **extra,
    }


def payment(customer: str, invoice_id: str, amount: float, **extra: Any) -> dict[str, Any]:
    return {
        "CustomerRef": {"value": customer},
        "TotalAmt": amount,
        "Line": [{"Amount": amount, "LinkedTxn": [{"TxnId": invoice_id, "TxnType": "Invoice"}]}],
        **extra,
    }


def euro_customer(api: Api, name: str = "Müller GmbH") -> dict[str, Any]:
    return api.create("Customer", {"DisplayName": name, "CurrencyRef": {"value": "EUR"}})


# --- A1: the preference ----------------------------------------------------------------------
def test_currency_prefs_are_read_only_through_the_api(sim, api):
    # A1.2: "enabled from the QuickBooks Online UI, only. It cannot be enabled via the API."
    prefs = api.get("preferences").get_json()["Preferences"]
    assert prefs["CurrencyPrefs"] == {
        "MultiCurrencyEnabled": False,
        "HomeCurrency": {"value": "USD"},
    }
    body = {
        **prefs,
        "CurrencyPrefs": {"MultiCurrencyEnabled": True, "HomeCurrency": {"value": "EUR"}},
    }
    updated = api.update("Preferences", body)
    assert updated["CurrencyPrefs"] == prefs["CurrencyPrefs"]
    assert updated["SyncToken"] == "1"
    # a full update leaving the section out keeps it too
    rest = {k: v for k, v in updated.items() if k != "CurrencyPrefs"}
    assert api.update("Preferences", rest)["CurrencyPrefs"] == prefs["CurrencyPrefs"]


def test_the_qbo_user_turns_multicurrency_on_for_good(sim, api):
    # A1.2-3: off by default; once enabled it cannot be disabled; the home currency is fixed
    user = sim.as_user(api.realm)
    user.enable_multicurrency("CAD")
    prefs = api.get("preferences").get_json()["Preferences"]
    assert prefs["CurrencyPrefs"] == {
        "MultiCurrencyEnabled": True,
        "HomeCurrency": {"value": "CAD"},
    }
    user.sparse_update(
        "Preferences",
        "1",
        CurrencyPrefs={"MultiCurrencyEnabled": False, "HomeCurrency": {"value": "USD"}},
    )
    after = api.get("preferences").get_json()["Preferences"]["CurrencyPrefs"]
    assert after == {"MultiCurrencyEnabled": True, "HomeCurrency": {"value": "CAD"}}
    with pytest.raises(ValueError, match="home currency cannot change"):
        user.enable_multicurrency("USD")
    assert api.create("Customer", {"DisplayName": "Home Co"})["CurrencyRef"] == {
        "value": "CAD",
        "name": "Canadian Dollar",
    }


def test_the_control_plane_turns_multicurrency_on(sim, api):
    url = f"/_sim/companies/{api.realm}/user/enable-multicurrency"
    res = api.client.post(url, json={})
    assert res.status_code == 200
    assert res.get_json()["Preferences"]["CurrencyPrefs"]["MultiCurrencyEnabled"] is True
    res = api.client.post(url, json={"home_currency": "EUR"})
    assert res.status_code == 400
    assert res.get_json()["error"] == "enable-multicurrency refused"


# --- A4.20: multicurrency off ------------------------------------------------------------------
def test_the_currency_list_and_rates_need_multicurrency(sim, api):
    before = snapshot(sim, api.realm)
    refused = business("Multi Currency should be enabled to perform this operation")
    assert fault_of(api.post("companycurrency", {"Code": "GBP"})) == refused
    assert fault_of(api.get("exchangerate?sourcecurrencycode=EUR")) == refused
    rate = {"SourceCurrencyCode": "EUR", "Rate": 2.5, "AsOfDate": "2015-07-07"}
    assert fault_of(api.post("exchangerate", rate)) == refused
    assert snapshot(sim, api.realm) == before


def test_the_home_currency_named_while_off_is_accepted_or_refused(sim, api):
    body = {"DisplayName": "Acme", "CurrencyRef": {"value": "USD"}}
    assert api.create("Customer", body)["CurrencyRef"] == {"value": "USD"}
    sim.set_fidelity(api.realm, {"home_currencyref_when_mc_off": "fault_6000"})
    res = api.post("customer", {**body, "DisplayName": "Beta"})
    assert fault_of(res) == business("Multi Currency should be enabled to perform this operation")
    assert api.create("Customer", {"DisplayName": "Gamma"})["CurrencyRef"]["value"] == "USD"


# --- A2.5-7: CompanyCurrency ---------------------------------------------------------------
def test_company_currency_create_read_query_update_and_deactivate(mc):
    # A2.5: DOC-CC's create sample (Code in, Name system-defined, Ids in the order added)
    created = mc.create("CompanyCurrency", {"Code": "GBP", "Name": "ignored"})
    assert created == {
        "Code": "GBP",
        "domain": "QBO",
        "sparse": False,
        "Id": "1",
        "SyncToken": "0",
        "MetaData": {"CreateTime": STAMP, "LastUpdatedTime": STAMP},
        "Name": "British Pound Sterling",
        "Active": True,
    }
    assert mc.get("companycurrency/1").get_json()["CompanyCurrency"] == created
    assert mc.create("CompanyCurrency", {"Code": "jpy"})["Name"] == "Japanese Yen"
    rows = mc.get("query?query=select * from companycurrency").get_json()["QueryResponse"]
    assert [r["Code"] for r in rows["CompanyCurrency"]] == ["GBP", "JPY"]  # no USD: A2.6
    # full update: the code stays; "delete" is Active false, hidden from queries, kept
    gone = mc.update(
        "CompanyCurrency", {"Id": "1", "SyncToken": "0", "Code": "GBP", "Active": False}
    )
    assert (gone["Active"], gone["SyncToken"], gone["Code"]) == (False, "1", "GBP")
    rows = mc.get("query?query=select * from CompanyCurrency").get_json()["QueryResponse"]
    assert [r["Code"] for r in rows["CompanyCurrency"]] == ["JPY"]
    assert mc.get("companycurrency/1").get_json()["CompanyCurrency"]["Active"] is False


def test_an_inactive_currency_cannot_be_used(sim, mc):
    # DOC-CC: an inactive currency "is not available for use with financial transactions"
    mc.create("CompanyCurrency", {"Code": "GBP"})
    mc.update("CompanyCurrency", {"Id": "1", "SyncToken": "0", "Code": "GBP", "Active": False})
    res = mc.post("customer", {"DisplayName": "London Ltd", "CurrencyRef": {"value": "GBP"}})
    assert (fault_of(res)["code"], fault_of(res)["Message"]) == ("610", "Object Not Found")


@pytest.mark.parametrize("code", ["XYZ", "USD"])
def test_an_unknown_code_or_the_home_currency_is_no_company_currency(mc, code):
    # A4.25 (2220, assumed) and A2.6 (the home currency is never a row)
    assert fault_of(mc.post("companycurrency", {"Code": code})) == {
        "Message": "Invalid Currency Type",
        "Detail": f"Invalid Currency Type : {code}",
        "code": "2220",
        "element": "Code",
        "type": "ValidationFault",
        "status": 400,
    }


def test_a_names_currency_joins_the_list(mc):
    # A2.7: "If specified currency is not currently in the company's currency list, it is added"
    euro_customer(mc)
    mc.create("Vendor", {"DisplayName": "Maple Parts", "CurrencyRef": {"value": "CAD"}})
    euro_customer(mc, "Brasserie SARL")
    rows = mc.get("query?query=select * from CompanyCurrency").get_json()["QueryResponse"]
    assert [(r["Id"], r["Code"], r["Name"]) for r in rows["CompanyCurrency"]] == [
        ("1", "EUR", "Euro"),
        ("2", "CAD", "Canadian Dollar"),
    ]


# --- A2.8-10: exchange rates ---------------------------------------------------------------
def test_exchange_rate_update_answers_as_doc_xr(mc):
    # A2.10, DOC-XR's update sample (SyncToken "0" for a new date, answered "0")
    sent = {
        "SyncToken": "0",
        "AsOfDate": "2015-07-08",
        "SourceCurrencyCode": "INR",
        "Rate": 7,
        "TargetCurrencyCode": "USD",
        "MetaData": {"LastUpdatedTime": "2015-07-07T12:38:40-07:00"},
    }
    res = mc.post("exchangerate", sent)
    assert res.status_code == 200
    assert res.get_json() == {
        "ExchangeRate": {
            "SyncToken": "0",
            "domain": "QBO",
            "AsOfDate": "2015-07-08",
            "SourceCurrencyCode": "INR",
            "Rate": 7,
            "sparse": False,
            "TargetCurrencyCode": "USD",
            "MetaData": {"LastUpdatedTime": STAMP},
        },
        "time": "2026-03-02T09:00:00.000-08:00",
    }
    again = mc.post("exchangerate", {**sent, "Rate": 7.25}).get_json()["ExchangeRate"]
    assert (again["SyncToken"], again["Rate"]) == ("1", 7.25)
    stale = mc.post("exchangerate", {**sent, "Rate": 8})
    assert (fault_of(stale)["code"], fault_of(stale)["Message"]) == ("5010", "Stale Object Error")


def test_exchange_rate_read_by_code_and_date(mc, clock):
    # A2.8: GET ?sourcecurrencycode=[&asofdate=], asofdate defaulting to today
    mc.post("exchangerate", {"SourceCurrencyCode": "EUR", "Rate": 2.5, "AsOfDate": "2015-07-07"})
    mc.post("exchangerate", {"SourceCurrencyCode": "EUR", "Rate": 1.0865, "AsOfDate": "2026-03-02"})
    read = mc.get("exchangerate?sourcecurrencycode=EUR&asofdate=2015-07-07").get_json()
    assert read["ExchangeRate"] == {
        "SyncToken": "0",
        "domain": "QBO",
        "AsOfDate": "2015-07-07",
        "SourceCurrencyCode": "EUR",
        "Rate": 2.5,
        "sparse": False,
        "TargetCurrencyCode": "USD",
        "MetaData": {"LastUpdatedTime": STAMP},
    }
    today = mc.get("exchangerate?sourcecurrencycode=eur").get_json()["ExchangeRate"]
    assert (today["AsOfDate"], today["Rate"]) == ("2026-03-02", 1.0865)
    # a date without its own rate: the most recent one before it, or none (fidelity)
    later = mc.get("exchangerate?sourcecurrencycode=EUR&asofdate=2020-01-01").get_json()
    assert later["ExchangeRate"]["AsOfDate"] == "2015-07-07"


def test_a_currency_without_a_rate_is_an_empty_answer(sim, mc):
    # A2.8: "If neither has the entry, an empty response comes back (not a fault)"
    res = mc.get("exchangerate?sourcecurrencycode=GBP")
    assert (res.status_code, res.get_json()) == (200, {"time": "2026-03-02T09:00:00.000-08:00"})
    mc.post("exchangerate", {"SourceCurrencyCode": "EUR", "Rate": 2.5, "AsOfDate": "2015-07-07"})
    sim.set_fidelity(mc.realm, {"exchange_rate_lookup": "exact"})
    assert "ExchangeRate" not in mc.get("exchangerate?sourcecurrencycode=EUR").get_json()
    xml = mc.client.get(
        mc.url("exchangerate?sourcecurrencycode=GBP"),
        headers={**mc.headers, "Accept": "application/xml"},
    ).get_data(as_text=True)
    assert xml.endswith('time="2026-03-02T09:00:00.000-08:00"></IntuitResponse>')


def test_exchange_rate_query_as_doc_xr(mc):
    # A2.9: DOC-XR's query sample (rows without Id, domain or sparse; totalCount)
    for code, day, rate in (
        ("INR", "2015-05-15", 5),
        ("EUR", "2015-07-07", 5),
        ("EUR", "2015-07-08", 6),
    ):
        mc.post("exchangerate", {"SourceCurrencyCode": code, "Rate": rate, "AsOfDate": day})
    statement = (
        "select * from exchangerate where sourcecurrencycode in ('EUR', 'INR') "
        "and asofdate='2015-07-07'"
    )
    answer = mc.get(f"query?query={statement}").get_json()["QueryResponse"]
    assert answer == {
        "ExchangeRate": [
            {
                "SyncToken": "0",
                "AsOfDate": "2015-07-07",
                "SourceCurrencyCode": "EUR",
                "Rate": 5,
                "TargetCurrencyCode": "USD",
                "MetaData": {"LastUpdatedTime": STAMP},
            }
        ],
        "startPosition": 1,
        "maxResults": 1,
        "totalCount": 1,
    }
    every = mc.get("query?query=select * from exchangerate").get_json()["QueryResponse"]
    assert every["totalCount"] == 3


def test_exchange_rate_update_rules(mc):
    # A2.10: mandatory fields, target defaulting to home, source = target → 1, home refused
    missing = fault_of(mc.post("exchangerate", {"SourceCurrencyCode": "EUR", "Rate": 2}))
    assert (missing["code"], missing["element"]) == ("2020", "AsOfDate")
    same = {
        "SourceCurrencyCode": "EUR",
        "TargetCurrencyCode": "EUR",
        "Rate": 9,
        "AsOfDate": "2026-03-01",
    }
    assert mc.post("exchangerate", same).get_json()["ExchangeRate"]["Rate"] == 1
    home = {"SourceCurrencyCode": "USD", "Rate": 2, "AsOfDate": "2026-03-01"}
    assert fault_of(mc.post("exchangerate", home)) == {
        **business("The exchange rate of the home currency (USD) cannot be set."),
        "element": "SourceCurrencyCode",
    }
    unknown = {"SourceCurrencyCode": "XXX", "Rate": 2, "AsOfDate": "2026-03-01"}
    assert fault_of(mc.post("exchangerate", unknown))["code"] == "2220"
    assert fault_of(mc.get("exchangerate"))["code"] == "2020"
    assert fault_of(mc.get("exchangerate?sourcecurrencycode=EUR&asofdate=July"))["code"] == "2070"


# --- A3.12-13: a name's currency -------------------------------------------------------------
def test_a_names_currency_is_fixed_once_set(mc):
    # A3.12: "Once set, it cannot be changed"; A3.13: the update answers 200, currency kept
    customer = euro_customer(mc)
    assert customer["CurrencyRef"] == {"value": "EUR"}
    moved = mc.update(
        "Customer",
        {"Id": customer["Id"], "SyncToken": "0", "sparse": True, "CurrencyRef": {"value": "CAD"}},
    )
    assert moved["CurrencyRef"] == {"value": "EUR"}
    assert mc.create("Customer", {"DisplayName": "Home Co"})["CurrencyRef"] == {
        "value": "USD",
        "name": "United States Dollar",
    }


def test_a_names_foreign_currency_on_create_may_be_ignored(sim, mc):
    # A3.13 (VYLAN §19: a vendor created in USD came back in the CAD home currency)
    sim.set_fidelity(mc.realm, {"name_currency_on_create": "ignored"})
    vendor = mc.create("Vendor", {"DisplayName": "Maple Parts", "CurrencyRef": {"value": "CAD"}})
    assert vendor["CurrencyRef"] == {"value": "USD", "name": "United States Dollar"}


# --- A3.14-18: transactions ---------------------------------------------------------------
def test_a_foreign_invoice_with_home_amounts_and_its_customers_balance(mc):
    customer = euro_customer(mc)
    created = mc.create("Invoice", invoice(customer["Id"], 480, ExchangeRate=1.0865))
    # A3.14: CurrencyRef from the customer; A3.16-18: 480 × 1.0865 = 521.52
    assert created["CurrencyRef"] == {"value": "EUR", "name": "Euro"}
    assert (created["ExchangeRate"], created["HomeTotalAmt"], created["HomeBalance"]) == (
        1.0865,
        521.52,
        521.52,
    )
    paid = mc.create("Payment", payment(customer["Id"], created["Id"], 200, ExchangeRate=1.09))
    assert paid["CurrencyRef"] == {"value": "EUR", "name": "Euro"}
    after = mc.get(f"invoice/{created['Id']}").get_json()["Invoice"]
    # the HomeBalance follows: 280 × 1.0865 = 304.22 (the invoice's rate)
    assert (after["Balance"], after["HomeBalance"], after["HomeTotalAmt"]) == (
        280.0,
        304.22,
        521.52,
    )
    # B7.33: a foreign customer's Balance is in its own currency
    assert mc.get(f"customer/{customer['Id']}").get_json()["Customer"]["Balance"] == 280.0


def test_home_amounts_round_half_up(mc):
    # A3.18 (assumed): 2.50 × 0.45 = 1.125 → 1.13 (banker's rounding would give 1.12)
    customer = euro_customer(mc)
    created = mc.create("Invoice", invoice(customer["Id"], 2.5, ExchangeRate=0.45))
    assert (created["HomeTotalAmt"], created["HomeBalance"]) == (1.13, 1.13)


def test_home_currency_transactions_have_rate_1_and_single_currency_none(sim, mc, api):
    home = mc.create("Customer", {"DisplayName": "Home Co"})
    created = mc.create("Invoice", invoice(home["Id"], 100))
    assert (created["ExchangeRate"], created["HomeTotalAmt"], created["HomeBalance"]) == (
        1,
        100.0,
        100.0,
    )
    api.realm = sim.create_company("sample")  # A3.16: "single currency companies will not have"
    invoice_row = api.get("query?query=select * from Invoice").get_json()["QueryResponse"]
    assert not {"ExchangeRate", "HomeTotalAmt", "HomeBalance"} & set(invoice_row["Invoice"][0])


def test_a_transaction_in_another_currency_than_its_customer_is_refused(sim, mc):
    # A4.21: an EUR invoice to a USD customer (Salesforce capture), a USD one to an EUR one
    home = mc.create("Customer", {"DisplayName": "Home Co"})
    customer = euro_customer(mc)
    before = snapshot(sim, mc.realm)
    refused = business("You can only use one foreign currency per transaction.")
    eur = invoice(home["Id"], CurrencyRef={"value": "EUR"}, ExchangeRate=1.1)
    assert fault_of(mc.post("invoice", eur)) == refused
    usd = invoice(customer["Id"], CurrencyRef={"value": "USD"})
    assert fault_of(mc.post("invoice", usd)) == refused
    assert snapshot(sim, mc.realm) == before


def test_a_payment_in_another_currency_than_its_invoice_is_refused(sim, mc):
    # A4.24 (assumed: the same fault as A4.21): the invoice in EUR, the payment in USD
    customer = euro_customer(mc)
    created = mc.create("Invoice", invoice(customer["Id"], 100, ExchangeRate=1.1))
    before = snapshot(sim, mc.realm)
    res = mc.post(
        "payment", payment(customer["Id"], created["Id"], 100, CurrencyRef={"value": "USD"})
    )
    assert fault_of(res) == business("You can only use one foreign currency per transaction.")
    assert snapshot(sim, mc.realm) == before


@pytest.mark.parametrize(
    "choice, expected",
    [("one", 1), ("day_rate", 1.0865)],
)
def test_a_missing_exchange_rate_is_1_or_the_days_rate(sim, mc, choice, expected):
    # A3.15: "Default: 1" (observed 2024); the day's rate from the table (pre-2017)
    sim.set_fidelity(mc.realm, {"missing_exchange_rate": choice})
    mc.post("exchangerate", {"SourceCurrencyCode": "EUR", "Rate": 1.0865, "AsOfDate": "2026-03-01"})
    customer = euro_customer(mc)
    created = mc.create("Invoice", invoice(customer["Id"], 100))
    assert created["ExchangeRate"] == expected
    updated = mc.update(
        "Invoice", {**invoice(customer["Id"], 50), "Id": created["Id"], "SyncToken": "0"}
    )
    assert (updated["ExchangeRate"], updated["HomeTotalAmt"]) == (expected, round(50 * expected, 2))


def test_a_missing_exchange_rate_may_be_refused_with_2410(sim, mc):
    # A3.15 (VYLAN §18): QBO's own typo kept
    sim.set_fidelity(mc.realm, {"missing_exchange_rate": "fault_2410"})
    customer = euro_customer(mc)
    assert fault_of(mc.post("invoice", invoice(customer["Id"]))) == {
        "Message": "Curreny, ExchangeRate is missing.",
        "Detail": "The currency and exchange rate are required for transaction in foreign "
        "currency.",
        "code": "2410",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }
    assert mc.create("Invoice", invoice(customer["Id"], ExchangeRate=1.2))["ExchangeRate"] == 1.2


# --- A4.22: A/R and A/P accounts per currency -------------------------------------------------
def test_a_foreign_invoice_creates_the_currencys_receivable_account(mc):
    mc.create(
        "Account", {"Name": "Accounts Receivable (A/R)", "AccountType": "Accounts Receivable"}
    )
    customer = euro_customer(mc)
    mc.create("Invoice", invoice(customer["Id"], ExchangeRate=1.1))
    mc.create("Invoice", invoice(customer["Id"], ExchangeRate=1.1))
    statement = "select * from Account where AccountType = 'Accounts Receivable'"
    rows = mc.get(f"query?query={statement}").get_json()["QueryResponse"]["Account"]
    assert [(r["Name"], r["CurrencyRef"]) for r in rows] == [
        ("Accounts Receivable (A/R)", {"value": "USD", "name": "United States Dollar"}),
        ("Accounts Receivable (A/R) - EUR", {"value": "EUR", "name": "Euro"}),
    ]
    assert rows[1]["AccountSubType"] == "AccountsReceivable"


def test_a_foreign_bill_defaults_to_the_currencys_payable_account(mc):
    mc.create("Account", {"Name": "Accounts Payable (A/P)", "AccountType": "Accounts Payable"})
    expense = mc.create("Account", {"Name": "Materials", "AccountType": "Expense"})
    vendor = mc.create("Vendor", {"DisplayName": "HK Parts", "CurrencyRef": {"value": "HKD"}})
    # VYLAN §18: an HKD bill to an HKD vendor with rate 0.18 was accepted; 100 × 0.18 = 18.00
    bill = mc.create(
        "Bill",
        {
            "VendorRef": {"value": vendor["Id"]},
            "ExchangeRate": 0.18,
            "Line": [
                {
                    "Amount": 100,
                    "DetailType": "AccountBasedExpenseLineDetail",
                    "AccountBasedExpenseLineDetail": {"AccountRef": {"value": expense["Id"]}},
                }
            ],
        },
    )
    assert bill["APAccountRef"]["name"] == "Accounts Payable (A/P) - HKD"
    assert (bill["CurrencyRef"]["value"], bill["HomeBalance"]) == ("HKD", 18.0)
    assert "HomeTotalAmt" not in bill  # the XSD has no Bill.HomeTotalAmt


def test_without_auto_creation_a_foreign_invoice_needs_its_account(sim, mc):
    sim.set_fidelity(mc.realm, {"foreign_ar_account": "require_existing"})
    customer = euro_customer(mc)
    before = snapshot(sim, mc.realm)
    assert fault_of(mc.post("invoice", invoice(customer["Id"], ExchangeRate=1.1))) == business(
        "The transaction needs to be in the same currency as the A/R and A/P accounts you use."
    )
    assert snapshot(sim, mc.realm) == before
    mc.create(
        "Account",
        {"Name": "AR Euro", "AccountType": "Accounts Receivable", "CurrencyRef": {"value": "EUR"}},
    )
    assert mc.create("Invoice", invoice(customer["Id"], ExchangeRate=1.1))["HomeTotalAmt"] == 110.0


def test_an_ar_account_in_another_currency_is_refused(mc):
    home_ar = mc.create("Account", {"Name": "A/R", "AccountType": "Accounts Receivable"})
    customer = euro_customer(mc)
    body = invoice(customer["Id"], ExchangeRate=1.1, ARAccountRef={"value": home_ar["Id"]})
    assert fault_of(mc.post("invoice", body)) == business(
        "The transaction needs to be in the same currency as the A/R and A/P accounts you use."
    )


def test_the_multicurrency_preset(sim, api):
    api.realm = sim.create_company("sample_multicurrency")
    prefs = api.get("preferences").get_json()["Preferences"]["CurrencyPrefs"]
    assert prefs == {"MultiCurrencyEnabled": True, "HomeCurrency": {"value": "USD"}}
    rows = api.get("query?query=select * from CompanyCurrency").get_json()["QueryResponse"]
    assert [r["Code"] for r in rows["CompanyCurrency"]] == ["EUR", "CAD"]
    statement = "select * from Invoice where CustomerRef = '21'"
    row = api.get(f"query?query={statement}").get_json()["QueryResponse"]["Invoice"][0]
    assert (row["CurrencyRef"]["value"], row["TotalAmt"], row["HomeTotalAmt"]) == (
        "EUR",
        480.0,
        521.52,
    )
    accounts = api.get("query?query=select * from Account where Name LIKE '%- EUR'").get_json()
    assert [a["Name"] for a in accounts["QueryResponse"]["Account"]] == [
        "Accounts Receivable (A/R) - EUR",
        "Accounts Payable (A/P) - EUR",
    ]
