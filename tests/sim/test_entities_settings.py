"""CompanyInfo, Preferences and TaxCode through the HTTP API: read, update, validation."""

from __future__ import annotations

from tests.conftest import fault_of


def test_company_info_read_and_full_update(api):
    read = api.get(f"companyinfo/{api.realm}").get_json()["CompanyInfo"]
    body = {
        "Id": read["Id"],
        "SyncToken": read["SyncToken"],
        "CompanyName": "Renamed LLC",
        "CompanyAddr": {"Line1": "1 Harbor Way", "City": "Oakland", "PostalCode": "94607"},
    }
    res = api.post("companyinfo", body)
    updated = res.get_json()["CompanyInfo"]
    assert updated["CompanyName"] == "Renamed LLC"
    assert updated["SyncToken"] == "1"
    assert "LegalName" not in updated  # full update: omitted → null


def test_company_info_sparse_update_and_required_fields(api):
    read = api.get(f"companyinfo/{api.realm}").get_json()["CompanyInfo"]
    sparse = api.post(
        "companyinfo",
        {"Id": read["Id"], "SyncToken": "0", "sparse": True, "LegalName": "Legal Co"},
    ).get_json()["CompanyInfo"]
    assert sparse["LegalName"] == "Legal Co" and sparse["CompanyName"] == read["CompanyName"]
    res = api.post("companyinfo", {"Id": read["Id"], "SyncToken": "1", "CompanyName": "X"})
    assert fault_of(res)["Detail"] == "Required parameter CompanyAddr is missing in the request"


def test_company_info_field_limits(api):
    res = api.post(
        "companyinfo",
        {"Id": "1", "SyncToken": "0", "sparse": True, "Email": {"Address": "not-an-email"}},
    )
    assert fault_of(res)["code"] == "2210"
    res = api.post(
        "companyinfo",
        {"Id": "1", "SyncToken": "0", "sparse": True, "FiscalYearStartMonth": "Smarch"},
    )
    assert fault_of(res)["Detail"] == "Invalid Enumeration: Smarch"


def test_preferences_read_and_sparse_update(api):
    prefs = api.get("preferences").get_json()["Preferences"]
    assert prefs["SalesFormsPrefs"]["CustomTxnNumbers"] is False
    res = api.post(
        "preferences",
        {
            "Id": prefs["Id"],
            "SyncToken": prefs["SyncToken"],
            "sparse": True,
            "SalesFormsPrefs": {"CustomTxnNumbers": True},
        },
    )
    assert res.get_json()["Preferences"]["SalesFormsPrefs"] == {"CustomTxnNumbers": True}


def test_preferences_unknown_section_is_2010(api):
    res = api.post("preferences", {"Id": "1", "SyncToken": "0", "PayrollPrefs": {}})
    assert fault_of(res) == {
        "Message": "Request has invalid or unsupported property",
        "Detail": 'Property Name:Unrecognized field "PayrollPrefs" (class '
        "com.intuit.schema.finance.v3.Preferences), not marked as ignorable specified is "
        "unsupported or invalid",
        "code": "2010",
        "type": "ValidationFault",
        "status": 400,
    }


def test_tax_codes_are_readable_not_creatable(api):
    non = api.get("taxcode/NON").get_json()["TaxCode"]
    assert (non["Name"], non["Taxable"]) == ("NON", False)
    res = api.post("taxcode", {"Name": "CITY"})
    assert fault_of(res)["Message"] == "Unsupported Operation"
