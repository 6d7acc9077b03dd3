"""Sales tax as QBO computes it (docs/research/sales-tax.md), through the HTTP API: the US
manual model (TxnTaxCodeRef's rates on TAX lines), automated sales tax (an assumed rate table
by address), the non-US model (a code on every line, TaxExcluded / TaxInclusive), the
overrides, and the faults for missing, invalid and inactive codes.

The worked examples are Intuit's and captured ones (sales-tax.md §2.2, §3):

- A: Intuit's Invoice sample, 275 + 12.75 + 5 x 9.5 = 335.25 TAX at 8 % → 26.82, 362.07;
- B: RUBY-FX refund_receipt.xml, 15 x 23 = 345 TAX at 6.5 % → 22.43 (22.425 half-up);
- the CA invoice (RUBY-FX invoice_with_bundle_line_item.xml, TaxInclusive, HST 13 %): net
  lines 7.96 + 2.65, 20 % discount 2.12, NetAmountTaxable 8.49, TotalTax 1.11, TotalAmt 9.60;
- the Bill (RUBY-FX bill_txn_tax_detail.xml): 400 at 5 % → 20, TotalAmt 420, Balance 420.
"""

from __future__ import annotations

from typing import Any

import pytest

from qbo_sim import Simulator
from tests.conftest import Api, fault_of

pytestmark = pytest.mark.usefixtures("throttle_off")

SALES_FORMS = ["Invoice", "SalesReceipt", "Estimate", "CreditMemo", "RefundReceipt"]
#: Balance of each form when created (§5.12: SalesReceipt and RefundReceipt 0; no Balance on
#: an Estimate).
OPEN_BALANCE = {"Invoice": True, "CreditMemo": True, "SalesReceipt": False, "RefundReceipt": False}


def company(sim: Simulator, preset: str, **fidelity: Any) -> Api:
    realm = sim.create_company(preset, fidelity_settings=fidelity or None)
    return Api(sim.app.test_client(), realm)


def books(api: Api, *, taxable: bool = False) -> dict[str, Any]:
    income = api.create("Account", {"Name": "Landscaping Services", "AccountType": "Income"})
    bank = api.create("Account", {"Name": "Checking", "AccountType": "Bank"})
    customer = api.create(
        "Customer",
        {
            "DisplayName": "Amy's Bird Sanctuary",
            "ShipAddr": {"Line1": "4581 Finch St.", "City": "Bayshore",
                         "CountrySubDivisionCode": "CA", "PostalCode": "94326"},
        },
    )  # fmt: skip
    body: dict[str, Any] = {
        "Name": "Rock Fountain",
        "Type": "Service",
        "IncomeAccountRef": {"value": income["Id"]},
    }
    if taxable:
        body["Taxable"] = True
    item = api.create("Item", body)
    return {"customer": customer, "item": item, "bank": bank}


def line(item: dict[str, Any], qty: float, price: float, code: str | None = "TAX") -> dict:
    detail: dict[str, Any] = {"ItemRef": {"value": item["Id"]}, "Qty": qty, "UnitPrice": price}
    if code is not None:
        detail["TaxCodeRef"] = {"value": code}
    return {"DetailType": "SalesItemLineDetail", "SalesItemLineDetail": detail}


def form(b: dict[str, Any], entity: str, lines: list[dict], **fields: Any) -> dict[str, Any]:
    body = {"CustomerRef": {"value": b["customer"]["Id"]}, "Line": lines, **fields}
    if entity == "RefundReceipt":
        body["DepositToAccountRef"] = {"value": b["bank"]["Id"]}
    return body


def tax_line(amount: float, rate: str, percent: float, net: float, **extra: Any) -> dict:
    return {
        "DetailType": "TaxLineDetail",
        "Amount": amount,
        "TaxLineDetail": {
            "TaxRateRef": {"value": rate},
            "PercentBased": True,
            "TaxPercent": percent,
            "NetAmountTaxable": net,
            **extra,
        },
    }


def example_a(b: dict[str, Any]) -> list[dict]:
    return [line(b["item"], 1, 275), line(b["item"], 1, 12.75), line(b["item"], 5, 9.5)]


# --- US, manual tax codes ------------------------------------------------------------------
@pytest.mark.parametrize("entity", SALES_FORMS)
def test_example_a_intuit_invoice_sample_on_every_sales_form(sim, entity):
    api = company(sim, "us_tax")  # TaxCode 1 "California": rate 3 at 8 %
    b = books(api)
    body = form(b, entity, example_a(b), TxnTaxDetail={"TxnTaxCodeRef": {"value": "1"}})
    created = api.create(entity, body)
    assert created["TxnTaxDetail"] == {
        "TxnTaxCodeRef": {"value": "1"},
        "TotalTax": 26.82,
        "TaxLine": [tax_line(26.82, "3", 8, 335.25)],
    }
    assert created["Line"][-1] == {
        "Amount": 335.25,
        "DetailType": "SubTotalLineDetail",
        "SubTotalLineDetail": {},
    }
    assert created["TotalAmt"] == 362.07
    if entity in OPEN_BALANCE:
        assert created["Balance"] == (362.07 if OPEN_BALANCE[entity] else 0)


def _rate_code(api: Api, name: str, percent: float) -> str:
    res = api.post(
        "taxservice/taxcode",
        {
            "TaxCode": name,
            "TaxRateDetails": [{"TaxRateName": name, "RateValue": percent, "TaxAgencyId": "1"}],
        },
    )
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_json()["TaxService"]["TaxCodeId"]


@pytest.mark.parametrize("entity", SALES_FORMS)
def test_example_b_half_up_rounding_345_at_6_5_percent(sim, entity):
    api = company(sim, "us_tax")
    b = books(api)
    code = _rate_code(api, "Harbor", 6.5)
    body = form(
        b, entity, [line(b["item"], 15, 23)], TxnTaxDetail={"TxnTaxCodeRef": {"value": code}}
    )
    created = api.create(entity, body)
    assert created["TxnTaxDetail"]["TotalTax"] == 22.43  # 22.425
    assert created["TxnTaxDetail"]["TaxLine"] == [tax_line(22.43, "4", 6.5, 345.0)]
    assert created["TotalAmt"] == 367.43


def test_two_rates_one_tax_line_each_and_only_tax_lines_are_taxable(sim):
    api = company(sim, "us_tax")  # TaxCode 2 "Tucson": AZ State tax 7.1 (1) + Tucson City 2 (2)
    b = books(api)
    lines = [line(b["item"], 1, 100), line(b["item"], 2, 20, code="NON")]
    created = api.create(
        "Invoice", form(b, "Invoice", lines, TxnTaxDetail={"TxnTaxCodeRef": {"value": "2"}})
    )
    assert created["TxnTaxDetail"]["TaxLine"] == [
        tax_line(7.1, "1", 7.1, 100.0),
        tax_line(2.0, "2", 2, 100.0),
    ]
    assert (created["TxnTaxDetail"]["TotalTax"], created["TotalAmt"]) == (9.1, 149.1)


def test_example_d_no_taxable_line_no_code_gives_total_tax_0(sim):
    api = company(sim, "us_tax")
    b = books(api)
    created = api.create(
        "Estimate",
        form(b, "Estimate", [line(b["item"], 1, 20, None), line(b["item"], 1, 40, None)]),
    )
    assert created["TxnTaxDetail"] == {"TotalTax": 0.0}
    assert created["TotalAmt"] == 60.0
    assert {ln["SalesItemLineDetail"]["TaxCodeRef"]["value"] for ln in created["Line"][:2]} == {
        "NON"
    }


@pytest.mark.parametrize(("after_discount", "net", "tax", "total"), [
    (False, 100.0, 8.0, 98.0),  # tax first, then the discount: 100 - 10 + 8
    (True, 90.0, 7.2, 97.2),  # the discount first: 8 % of 90
])  # fmt: skip
def test_apply_tax_after_discount(sim, after_discount, net, tax, total):
    api = company(sim, "us_tax")
    b = books(api)
    discount = {
        "DetailType": "DiscountLineDetail",
        "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 10},
    }
    created = api.create(
        "Invoice",
        form(
            b, "Invoice", [line(b["item"], 4, 25), discount],
            TxnTaxDetail={"TxnTaxCodeRef": {"value": "1"}},
            ApplyTaxAfterDiscount=after_discount,
        ),
    )  # fmt: skip
    assert created["TxnTaxDetail"]["TaxLine"] == [tax_line(tax, "3", 8, net)]
    assert created["TotalAmt"] == total


def test_updates_recompute_the_tax_and_a_stored_answer_sent_back_is_not_an_override(sim):
    api = company(sim, "us_tax")
    b = books(api)
    created = api.create(
        "Invoice",
        form(b, "Invoice", example_a(b), TxnTaxDetail={"TxnTaxCodeRef": {"value": "1"}}),
    )
    note = api.update(
        "Invoice", {"Id": created["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "n"}
    )
    assert note["TxnTaxDetail"] == created["TxnTaxDetail"] and note["TotalAmt"] == 362.07
    fewer = api.update(
        "Invoice",
        {"Id": created["Id"], "SyncToken": "1", "sparse": True, "Line": [line(b["item"], 1, 275)]},
    )
    assert fewer["TxnTaxDetail"]["TotalTax"] == 22.0 and fewer["TotalAmt"] == 297.0
    full = {k: v for k, v in fewer.items() if k not in ("MetaData",)}
    full["Line"] = [line(b["item"], 1, 100)]  # read, change the lines, write it all back
    again = api.update("Invoice", full)
    assert again["TxnTaxDetail"]["TotalTax"] == 8.0 and again["Balance"] == 108.0


@pytest.mark.parametrize("setting", ["honor", "ignore"])
def test_a_sent_total_tax_is_honoured_or_ignored(sim, setting):
    api = company(sim, "us_tax", manual_sent_total_tax=setting)
    b = books(api)
    body = form(
        b, "Invoice", example_a(b),
        TxnTaxDetail={"TxnTaxCodeRef": {"value": "1"}, "TotalTax": 26.5},
    )  # fmt: skip
    created = api.create("Invoice", body)
    if setting == "ignore":
        assert created["TxnTaxDetail"]["TotalTax"] == 26.82 and created["TotalAmt"] == 362.07
        return
    assert created["TxnTaxDetail"]["TaxLine"] == [
        tax_line(26.5, "3", 8, 335.25, OverrideDeltaAmount=-0.32)
    ]
    assert (created["TotalAmt"], created["Balance"]) == (361.75, 361.75)
    kept = api.update(
        "Invoice", {"Id": created["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "n"}
    )
    assert kept["TxnTaxDetail"]["TotalTax"] == 26.5  # the override stays


def test_customer_default_tax_code_only_with_the_fidelity_setting(sim):
    for setting, tax in (("ignore", 0.0), ("apply", 8.0)):
        api = company(sim, "us_tax", customer_default_taxcode=setting)
        b = books(api)
        customer = api.create(
            "Customer", {"DisplayName": "Cal", "Taxable": True, "DefaultTaxCodeRef": {"value": "1"}}
        )
        created = api.create(
            "Invoice",
            {"CustomerRef": {"value": customer["Id"]}, "Line": [line(b["item"], 1, 100)]},
        )
        assert created["TxnTaxDetail"]["TotalTax"] == tax, setting


def test_us_faults_line_code_invalid_code_unknown_and_code_inactive(sim):
    api = company(sim, "us_tax")
    b = books(api)
    bad_line = api.post("invoice", form(b, "Invoice", [line(b["item"], 1, 5, code="1")]))
    assert fault_of(bad_line) == {
        "Message": "Invalid Line TaxCode in the request",
        "Detail": "Invalid TaxCode: 1. In a US company a line TaxCodeRef is TAX or NON.",
        "code": "6100",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }
    unknown = api.post(
        "invoice",
        form(
            b, "Invoice", [line(b["item"], 1, 5)], TxnTaxDetail={"TxnTaxCodeRef": {"value": "99"}}
        ),
    )
    assert fault_of(unknown) == {
        "Message": "Invalid Reference Id",
        "Detail": "Invalid Reference Id : TxnTaxDetail.TxnTaxCodeRef",
        "code": "2500",
        "element": "TxnTaxDetail.TxnTaxCodeRef",
        "type": "ValidationFault",
        "status": 400,
    }
    sim.as_user(api.realm).deactivate("TaxCode", "1")
    inactive = api.post(
        "invoice",
        form(b, "Invoice", [line(b["item"], 1, 5)], TxnTaxDetail={"TxnTaxCodeRef": {"value": "1"}}),
    )
    assert fault_of(inactive) == {
        "Message": "Invalid Reference Id",
        "Detail": "Invalid Reference Id : Something you're trying to use has been made inactive. "
        "Check the fields with accounts, customers, items, vendors or employees.",
        "code": "2500",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }
    assert api.get("query?query=select * from Invoice").get_json()["QueryResponse"] == {}


def test_inactive_code_fault_can_be_the_tax_engine_failure(sim):
    api = company(sim, "us_tax", inactive_taxcode_fault="6000")
    b = books(api)
    sim.as_user(api.realm).deactivate("TaxCode", "2")
    res = api.post(
        "salesreceipt",
        form(b, "SalesReceipt", [line(b["item"], 1, 5)],
             TxnTaxDetail={"TxnTaxCodeRef": {"value": "2"}}),
    )  # fmt: skip
    assert fault_of(res)["Detail"] == (
        "Business Validation Error: We're sorry, QuickBooks encountered an error while "
        "calculating tax. Try reselecting the tax rate or reentering the product/service item "
        "and saving the form again."
    )


def test_a_tax_line_without_detail_type_is_refused(sim):
    api = company(sim, "us_tax")
    b = books(api)
    body = form(
        b, "Invoice", [line(b["item"], 1, 5)],
        TxnTaxDetail={"TxnTaxCodeRef": {"value": "1"}, "TaxLine": [{"Amount": 1}]},
    )  # fmt: skip
    assert fault_of(api.post("invoice", body))["Detail"] == (
        "Business Validation Error: TxnTaxDetail.TaxLine.DetailTypeEnum is missing in the request"
    )


def test_sales_tax_off_stores_no_tax(sim):
    realm = sim.create_company("us_tax", preferences={"TaxPrefs": {"UsingSalesTax": False}})
    api = Api(sim.app.test_client(), realm)
    b = books(api)
    created = api.create(
        "Invoice",
        form(b, "Invoice", example_a(b), TxnTaxDetail={"TxnTaxCodeRef": {"value": "1"}}),
    )
    assert (created["TxnTaxDetail"], created["TotalAmt"]) == ({"TotalTax": 0.0}, 335.25)


def test_void_zeroes_the_tax(sim):
    api = company(sim, "us_tax")
    b = books(api)
    created = api.create(
        "Invoice",
        form(b, "Invoice", example_a(b), TxnTaxDetail={"TxnTaxCodeRef": {"value": "1"}}),
    )
    voided = api.post("invoice?operation=void", {"Id": created["Id"], "SyncToken": "0"})
    detail = voided.get_json()["Invoice"]["TxnTaxDetail"]
    assert detail["TotalTax"] == 0 and detail["TaxLine"][0]["Amount"] == 0


# --- US, automated sales tax (assumed table) -----------------------------------------------
def test_ast_picks_the_code_of_the_ship_address_and_item_taxability(sim):
    api = company(sim, "us_ast")
    b = books(api, taxable=True)
    codes = {
        c["Name"]: c["Id"]
        for c in api.get("query?query=select * from TaxCode").get_json()["QueryResponse"]["TaxCode"]
    }
    ship = {"Line1": "1 Infinite Loop", "CountrySubDivisionCode": "CA", "PostalCode": "94043"}
    created = api.create(
        "Invoice",
        form(
            b, "Invoice", [line(b["item"], 1, 100, code=None), line(b["item"], 1, 50, code="NON")],
            ShipAddr=ship, TxnTaxDetail={"TxnTaxCodeRef": {"value": codes["Texas"]}},
        ),
    )  # fmt: skip
    # the engine replaced Texas; the line without a code follows the item (Taxable: true)
    assert created["TxnTaxDetail"]["TxnTaxCodeRef"] == {"value": codes["Mountain View, CA"]}
    assert created["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"] == {"value": "TAX"}
    assert [t["Amount"] for t in created["TxnTaxDetail"]["TaxLine"]] == [7.25, 1.88]
    assert (created["TxnTaxDetail"]["TotalTax"], created["TotalAmt"]) == (9.13, 159.13)
    # no ship address: the customer's (copied on create) is CA 94326, the state's rate
    plain = api.create("Invoice", form(b, "Invoice", [line(b["item"], 1, 100)]))
    assert plain["TxnTaxDetail"]["TxnTaxCodeRef"] == {"value": codes["California"]}
    assert plain["TxnTaxDetail"]["TotalTax"] == 7.25


def test_ast_exempt_customer_override_and_company_address(sim):
    api = company(sim, "us_ast")
    b = books(api, taxable=True)
    exempt = api.create("Customer", {"DisplayName": "School", "TaxExemptionReasonId": "7"})
    created = api.create(
        "Invoice", {"CustomerRef": {"value": exempt["Id"]}, "Line": [line(b["item"], 1, 100)]}
    )
    assert created["TxnTaxDetail"]["TotalTax"] == 0 and created["TotalAmt"] == 100
    # no address at all: the company's (Mountain View, CA 94043), and a sent TotalTax honoured
    nobody = api.create("Customer", {"DisplayName": "Walk-in"})
    override = api.create(
        "SalesReceipt",
        {"CustomerRef": {"value": nobody["Id"]}, "Line": [line(b["item"], 1, 100)],
         "TxnTaxDetail": {"TotalTax": 10}},
    )  # fmt: skip
    detail = override["TxnTaxDetail"]
    assert detail["TaxReviewStatus"] == "AST_TAX_OVERRIDE" and detail["TotalTax"] == 10
    assert [t["Amount"] for t in detail["TaxLine"]] == [7.94, 2.06]
    assert override["TotalAmt"] == 110


# --- non-US companies ----------------------------------------------------------------------
def _code_ids(api: Api) -> dict[str, str]:
    rows = api.get("query?query=select * from TaxCode").get_json()["QueryResponse"]["TaxCode"]
    return {row["Name"]: row["Id"] for row in rows}


def test_ca_tax_inclusive_invoice_as_captured(sim):
    api = company(sim, "ca")
    b = books(api)
    hst = _code_ids(api)["HST ON"]
    discount = {
        "DetailType": "DiscountLineDetail",
        "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 20},
    }
    created = api.create(
        "Invoice",
        form(
            b, "Invoice", [line(b["item"], 15, 0.6, code=hst), line(b["item"], 24, 0.125, code=hst),
                           discount],
            GlobalTaxCalculation="TaxInclusive",
        ),
    )  # fmt: skip
    first, second, discounted, subtotal = created["Line"]
    assert (first["Amount"], first["SalesItemLineDetail"]["UnitPrice"]) == (7.96, 0.5306667)
    assert first["SalesItemLineDetail"]["TaxInclusiveAmt"] == 9.0
    assert (second["Amount"], second["SalesItemLineDetail"]["UnitPrice"]) == (2.65, 0.1104167)
    assert (discounted["Amount"], subtotal["Amount"]) == (2.12, 10.61)
    rate = created["TxnTaxDetail"]["TaxLine"][0]["TaxLineDetail"]["TaxRateRef"]["value"]
    assert created["TxnTaxDetail"] == {
        "TotalTax": 1.11,
        "TaxLine": [tax_line(1.11, rate, 13, 8.49)],
    }
    assert (created["GlobalTaxCalculation"], created["TotalAmt"], created["Balance"]) == (
        "TaxInclusive",
        9.6,
        9.6,
    )
    # re-saved as read: the stored net lines are not converted again
    again = api.update("Invoice", {k: v for k, v in created.items() if k != "MetaData"})
    assert (again["TotalAmt"], again["TxnTaxDetail"]["TotalTax"]) == (9.6, 1.11)


def test_inclusive_residual_can_be_net_times_rate(sim):
    api = company(sim, "ca", inclusive_tax_residual="net_times_rate")
    b = books(api)
    hst = _code_ids(api)["HST ON"]
    discount = {
        "DetailType": "DiscountLineDetail",
        "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 20},
    }
    lines = [line(b["item"], 15, 0.6, code=hst), line(b["item"], 24, 0.125, code=hst), discount]
    created = api.create("Invoice", form(b, "Invoice", lines, GlobalTaxCalculation="TaxInclusive"))
    assert (created["TxnTaxDetail"]["TotalTax"], created["TotalAmt"]) == (1.1, 9.59)


def test_uk_tax_excluded_is_the_default_with_line_codes(sim):
    api = company(sim, "uk")
    b = books(api)
    codes = _code_ids(api)
    created = api.create(
        "SalesReceipt",
        form(b, "SalesReceipt", [line(b["item"], 1, 100, code=codes["20.0% S"]),
                                 line(b["item"], 1, 40, code=codes["0.0% Z"])]),
    )  # fmt: skip
    assert created["GlobalTaxCalculation"] == "TaxExcluded"
    assert [t["Amount"] for t in created["TxnTaxDetail"]["TaxLine"]] == [20.0, 0.0]
    assert (created["TxnTaxDetail"]["TotalTax"], created["TotalAmt"]) == (20.0, 160.0)


def test_bill_purchase_tax_in_a_non_us_company(sim):
    api = company(sim, "uk")
    codes = _code_ids(api)
    expense = api.create("Account", {"Name": "Supplies", "AccountType": "Expense"})
    vendor = api.create("Vendor", {"DisplayName": "Parts Ltd"})
    created = api.create(
        "Bill",
        {
            "VendorRef": {"value": vendor["Id"]},
            "Line": [{
                "DetailType": "AccountBasedExpenseLineDetail", "Amount": 400,
                "AccountBasedExpenseLineDetail": {"AccountRef": {"value": expense["Id"]},
                                                  "TaxCodeRef": {"value": codes["5.0% R"]}},
            }],
        },
    )  # fmt: skip
    assert created["TxnTaxDetail"]["TotalTax"] == 20.0
    assert created["TxnTaxDetail"]["TaxLine"][0]["TaxLineDetail"]["TaxPercent"] == 5
    assert (created["TotalAmt"], created["Balance"]) == (420.0, 420.0)


@pytest.mark.parametrize(("preset", "word"), [("ca", "GST/HST"), ("uk", "VAT"), ("au", "GST")])
def test_non_us_line_without_a_code_is_the_captured_6000(sim, preset, word):
    api = company(sim, preset)
    b = books(api)
    res = api.post("invoice", form(b, "Invoice", [line(b["item"], 1, 5, code=None)]))
    assert fault_of(res) == {
        "Message": "A business validation error has occurred while processing your request",
        "Detail": f"Business Validation Error: Make sure all your transactions have a {word} "
        "rate before you save.",
        "code": "6000",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }


def test_missing_code_2016_wording_and_not_applicable(sim):
    api = company(sim, "ca", missing_taxcode_wording="2016")
    b = books(api)
    res = api.post("estimate", form(b, "Estimate", [line(b["item"], 1, 5, code=None)]))
    assert fault_of(res)["Detail"] == (
        "Business Validation Error: One or more transaction lines do not have a tax code "
        "associated with it. Please assign a tax code for those lines"
    )
    out_of_scope = api.create(
        "Estimate",
        form(
            b, "Estimate", [line(b["item"], 1, 5, code=None)], GlobalTaxCalculation="NotApplicable"
        ),
    )
    assert out_of_scope["TxnTaxDetail"] == {"TotalTax": 0.0}


def test_non_us_inactive_line_code(sim):
    api = company(sim, "au")
    b = books(api)
    gst = _code_ids(api)["GST"]
    sim.as_user(api.realm).deactivate("TaxCode", gst)
    res = api.post("creditmemo", form(b, "CreditMemo", [line(b["item"], 1, 5, code=gst)]))
    assert fault_of(res)["code"] == "2500"


# --- Preferences and presets ---------------------------------------------------------------
@pytest.mark.parametrize(("preset", "prefs", "country"), [
    ("empty", {"UsingSalesTax": True}, "US"),
    ("sample", {"UsingSalesTax": True}, "US"),
    ("us_ast", {"UsingSalesTax": True, "PartnerTaxEnabled": True}, "US"),
    ("uk", {"UsingSalesTax": True}, "GB"),
])  # fmt: skip
def test_a_client_tells_the_tax_model_from_tax_prefs_and_country(sim, preset, prefs, country):
    api = company(sim, preset)
    assert api.get("preferences").get_json()["Preferences"]["TaxPrefs"] == prefs
    info = api.get(f"companyinfo/{api.realm}").get_json()["CompanyInfo"]
    assert info["Country"] == country


@pytest.mark.parametrize("preset", ["sample", "us_tax", "us_ast", "uk", "ca", "au"])
def test_presets_that_charge_tax_have_a_sales_tax_payable_account(sim, preset):
    api = company(sim, preset)
    rows = api.get(
        "query?query=select * from Account where AccountSubType = 'SalesTaxPayable'"
    ).get_json()["QueryResponse"]["Account"]
    assert [(r["Name"], r["AccountType"]) for r in rows] == [
        ("Sales Tax Payable", "Other Current Liability")
    ]


def test_purchase_tax_on_a_card_expense_in_a_non_us_company(sim):
    # the Bill's worked figures (RUBY-FX bill_txn_tax_detail.xml, 400 at 5 %) on a Purchase
    api = company(sim, "uk")
    codes = _code_ids(api)
    expense = api.create("Account", {"Name": "Supplies", "AccountType": "Expense"})
    card = api.create("Account", {"Name": "Visa", "AccountType": "Credit Card"})
    created = api.create(
        "Purchase",
        {
            "PaymentType": "CreditCard",
            "AccountRef": {"value": card["Id"]},
            "Line": [{
                "DetailType": "AccountBasedExpenseLineDetail", "Amount": 400,
                "AccountBasedExpenseLineDetail": {"AccountRef": {"value": expense["Id"]},
                                                  "TaxCodeRef": {"value": codes["5.0% R"]}},
            }],
        },
    )  # fmt: skip
    assert created["TxnTaxDetail"]["TotalTax"] == 20.0
    assert created["TotalAmt"] == 420.0
    # the ledger: the card owes 420, the input VAT (20) reduces what is payable
    accounts = {a["Id"]: a for a in sim.company(api.realm).all("Account")}
    payable = next(a for a in accounts.values() if a["AccountSubType"] == "SalesTaxPayable")
    assert accounts[card["Id"]]["CurrentBalance"] == -420.0
    assert payable["CurrentBalance"] == 20.0
