"""TaxCode, TaxRate, TaxAgency and ``POST /taxservice/taxcode`` through the HTTP API
(docs/research/sales-tax.md §1): reads, queries, creates, the answer and the faults."""

from __future__ import annotations

from typing import Any

import pytest

from qbo_sim import Simulator
from tests.conftest import Api, fault_of

pytestmark = pytest.mark.usefixtures("throttle_off")

META = {"CreateTime": "2026-03-02T09:00:00-08:00", "LastUpdatedTime": "2026-03-02T09:00:00-08:00"}


@pytest.fixture
def api(sim: Simulator) -> Api:
    return Api(sim.app.test_client(), sim.create_company("us_tax"))


def rows(api: Api, query: str) -> list[dict[str, Any]]:
    res = api.get(f"query?query={query}")
    assert res.status_code == 200, res.get_data(as_text=True)
    response = res.get_json()["QueryResponse"]
    return next((v for v in response.values() if isinstance(v, list)), [])


def test_pseudo_codes_and_intuit_sample_codes_as_intuit_lists_them(api):
    assert api.get("taxcode/TAX").get_json()["TaxCode"] == {
        "TaxGroup": False,
        "Name": "TAX",
        "Taxable": True,
        "Description": "TAX",
        "Id": "TAX",
        "MetaData": META,
    }
    assert api.get("taxcode/2").get_json()["TaxCode"] == {
        "Name": "Tucson",
        "Description": "Tucson",
        "Active": True,
        "Hidden": False,
        "Taxable": True,
        "TaxGroup": True,
        "SalesTaxRateList": {
            "TaxRateDetail": [
                {"TaxRateRef": {"value": "1", "name": "AZ State tax"},
                 "TaxTypeApplicable": "TaxOnAmount", "TaxOrder": 0},
                {"TaxRateRef": {"value": "2", "name": "Tucson City"},
                 "TaxTypeApplicable": "TaxOnAmount", "TaxOrder": 0},
            ]
        },
        "PurchaseTaxRateList": {"TaxRateDetail": []},
        "TaxCodeConfigType": "USER_DEFINED",
        "domain": "QBO",
        "sparse": False,
        "Id": "2",
        "SyncToken": "0",
        "MetaData": META,
    }  # fmt: skip
    assert api.get("taxrate/1").get_json()["TaxRate"] == {
        "Name": "AZ State tax",
        "Description": "Sales Tax",
        "Active": True,
        "RateValue": 7.1,
        "AgencyRef": {"value": "1"},
        "SpecialTaxType": "NONE",
        "DisplayType": "ReadOnly",
        "domain": "QBO",
        "sparse": False,
        "Id": "1",
        "SyncToken": "0",
        "MetaData": META,
    }


def test_queries_on_the_tax_lists(api):
    assert [r["Name"] for r in rows(api, "select * from TaxCode where Taxable = true")] == [
        "California",
        "Tucson",
        "TAX",
    ]
    assert [r["Id"] for r in rows(api, "select * from TaxCode where Active = true")] == [
        "1",
        "2",
        "NON",
        "TAX",
    ]
    assert [r["Name"] for r in rows(api, "select * from TaxRate where AgencyRef = '1'")] == [
        "AZ State tax",
        "Tucson City",
    ]
    agencies = rows(api, "select * from TaxAgency order by DisplayName")
    assert [a["DisplayName"] for a in agencies] == [
        "Arizona Dept. of Revenue",
        "Board of Equalization",
    ]
    count = api.get("query?query=select count(*) from TaxRate").get_json()["QueryResponse"]
    assert count["totalCount"] == 3


def test_tax_agency_create_answer_and_duplicate(api):
    created = api.create("TaxAgency", {"DisplayName": "CityTaxAgency", "TaxTrackedOnSales": False})
    assert created == {
        "DisplayName": "CityTaxAgency",
        "Active": True,
        "TaxTrackedOnSales": True,
        "TaxTrackedOnPurchases": False,
        "domain": "QBO",
        "sparse": False,
        "Id": "3",
        "SyncToken": "0",
        "MetaData": META,
    }
    assert fault_of(api.post("taxagency", {"DisplayName": "citytaxagency"}))["code"] == "6240"
    assert fault_of(api.post("taxagency", {}))["code"] == "2020"


@pytest.mark.parametrize("segment", ["taxcode", "taxrate", "taxagency"])
def test_tax_lists_are_not_updated_through_the_api(api, segment):
    res = api.post(segment, {"Id": "1", "SyncToken": "0", "sparse": True, "Active": False})
    assert fault_of(res)["Message"] == "Unsupported Operation"


def test_tax_codes_and_rates_are_not_created_directly(api):
    for segment in ("taxcode", "taxrate"):
        assert fault_of(api.post(segment, {"Name": "CITY"}))["Message"] == "Unsupported Operation"


def test_taxservice_creates_a_code_with_new_and_existing_rates(api):
    res = api.post(
        "taxservice/taxcode",
        {
            "TaxCode": "MyTaxCodeName",
            "TaxRateDetails": [
                {"TaxRateName": "myNewTaxRateName", "RateValue": "8", "TaxAgencyId": "1",
                 "TaxApplicableOn": "Sales"},
                {"TaxRateId": "2", "TaxRateName": "ignored"},
                {"TaxRateName": "UseTax", "RateValue": 3.5, "TaxAgencyId": "2",
                 "TaxApplicableOn": "Purchase"},
            ],
        },
    )  # fmt: skip
    assert res.status_code == 200
    assert res.get_json()["TaxService"] == {
        "TaxCode": "MyTaxCodeName",
        "TaxCodeId": "3",
        "TaxRateDetails": [
            {"TaxRateName": "myNewTaxRateName", "TaxRateId": "4", "RateValue": 8,
             "TaxAgencyId": "1", "TaxApplicableOn": "Sales"},
            {"TaxRateName": "Tucson City", "TaxRateId": "2", "RateValue": 2,
             "TaxAgencyId": "1", "TaxApplicableOn": "Sales"},
            {"TaxRateName": "UseTax", "TaxRateId": "5", "RateValue": 3.5,
             "TaxAgencyId": "2", "TaxApplicableOn": "Purchase"},
        ],
    }  # fmt: skip
    code = api.get("taxcode/3").get_json()["TaxCode"]
    assert [d["TaxRateRef"]["value"] for d in code["SalesTaxRateList"]["TaxRateDetail"]] == [
        "4",
        "2",
    ]
    assert code["PurchaseTaxRateList"]["TaxRateDetail"][0]["TaxRateRef"] == {
        "value": "5",
        "name": "UseTax",
    }
    assert api.get("taxrate/5").get_json()["TaxRate"]["RateValue"] == 3.5


def test_taxservice_duplicate_rate_name_is_the_captured_6240(api):
    body = {
        "TaxCode": "Other",
        "TaxRateDetails": [{"TaxRateName": "california", "RateValue": 1, "TaxAgencyId": "1"}],
    }
    assert fault_of(api.post("taxservice/taxcode", body)) == {
        "Message": "Duplicate Name Exists Error",
        "Detail": "The name supplied already exists. : Another tax rate is already using this "
        "\nname. Please use a different name.",
        "code": "6240",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }
    assert rows(api, "select * from TaxCode where Name = 'Other'") == []


@pytest.mark.parametrize(("body", "code", "detail"), [
    ({"TaxRateDetails": [{"TaxRateId": "1"}]}, "2020",
     "Required parameter TaxCode is missing in the request"),
    ({"TaxCode": "X"}, "2020", "Required parameter TaxRateDetails is missing in the request"),
    ({"TaxCode": "Tucson", "TaxRateDetails": [{"TaxRateId": "1"}]}, "6240",
     "The name supplied already exists. : Another tax code is already using this \nname. "
     "Please use a different name."),
    ({"TaxCode": "X", "TaxRateDetails": [{"TaxRateId": "99"}]}, "2500",
     "Invalid Reference Id : TaxRateDetails.TaxRateId"),
    ({"TaxCode": "X", "TaxRateDetails": [{"TaxRateName": "N", "RateValue": 1, "TaxAgencyId": "9"}]},
     "2500", "Invalid Reference Id : TaxRateDetails.TaxAgencyId"),
    ({"TaxCode": "X", "TaxRateDetails": [{"TaxRateName": "N", "RateValue": 1}]}, "2020",
     "Required parameter TaxAgencyId is missing in the request"),
    ({"TaxCode": "X",
      "TaxRateDetails": [{"TaxRateName": "N", "RateValue": 150, "TaxAgencyId": "1"}]}, "6000",
     "Business Validation Error: RateValue must be between 0 and 100. Supplied value:150"),
    ({"TaxCode": "X", "TaxRateDetails": [{"TaxRateId": "1"}, {"TaxRateId": "1"}]}, "6000",
     "Business Validation Error: A tax rate may be listed only once in a request."),
    ({"TaxCode": "X" * 101, "TaxRateDetails": [{"TaxRateId": "1"}]}, "2050",
     "String length specified does not match the supported length. Min:0 Max:100 supported. "
     "Supplied length: 101"),
])  # fmt: skip
def test_taxservice_faults(api, body, code, detail):
    fault = fault_of(api.post("taxservice/taxcode", body))
    assert (fault["code"], fault["Detail"]) == (code, detail)
    assert len(rows(api, "select * from TaxCode")) == 4  # nothing written


def test_taxservice_answers_xml_in_the_xsd_order(api):
    res = api.client.post(
        api.url("taxservice/taxcode"),
        json={"TaxCode": "Z", "TaxRateDetails": [{"TaxRateId": "3"}]},
        headers={**api.headers, "Accept": "application/xml"},
    )
    text = res.get_data(as_text=True)
    assert res.status_code == 200
    assert "<TaxService><TaxCode>Z</TaxCode><TaxCodeId>3</TaxCodeId><TaxRateDetails>" in text
    assert "<TaxRateName>California</TaxRateName><TaxRateId>3</TaxRateId><RateValue>8" in text


def test_tax_lists_are_neither_in_cdc_nor_in_webhooks_but_tax_agency(api, sim):
    res = api.get("cdc?entities=TaxRate&changedSince=2026-03-01T00:00:00-08:00")
    assert res.status_code == 400
    from qbo_sim.webhooks.events import SUPPORTED_ENTITIES

    assert "TaxAgency" in SUPPORTED_ENTITIES and "TaxRate" not in SUPPORTED_ENTITIES
