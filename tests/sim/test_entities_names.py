"""Customer, Vendor, Employee through the HTTP API: create, read, full and sparse update,
deactivation, and the fields QBO derives (DisplayName, PrintOnCheckName, Job, Level, FQN)."""

from __future__ import annotations

import pytest

from tests.conftest import fault_of

PEOPLE = ["Customer", "Vendor", "Employee"]


pytestmark = pytest.mark.usefixtures("throttle_off")


@pytest.mark.parametrize("entity", PEOPLE)
def test_display_name_and_print_on_check_name_are_built_from_the_name_parts(api, entity):
    created = api.create(
        entity,
        {
            "Title": "Dr.",
            "GivenName": "Ann",
            "MiddleName": "B.",
            "FamilyName": "Lee",
            "Suffix": "Jr",
        },
    )
    assert created["DisplayName"] == "Dr. Ann B. Lee Jr"
    assert created["PrintOnCheckName"] == "Dr. Ann B. Lee Jr"
    assert created["Active"] is True


@pytest.mark.parametrize("entity", PEOPLE)
def test_create_read_full_update_sparse_update_deactivate(api, entity, clock):
    created = api.create(
        entity,
        {"DisplayName": "Pat Doe", "GivenName": "Pat", "PrimaryPhone": {"FreeFormNumber": "1"}},
    )
    read = api.get(f"{entity.lower()}/{created['Id']}").get_json()[entity]
    assert read == created

    clock.advance(60)
    full = api.update(entity, {"Id": created["Id"], "SyncToken": "0", "DisplayName": "Pat Doe"})
    assert full["SyncToken"] == "1"
    assert "GivenName" not in full and "PrimaryPhone" not in full  # omitted → null
    assert full["MetaData"]["LastUpdatedTime"] == "2026-03-02T09:01:00-08:00"

    sparse = api.update(
        entity, {"Id": created["Id"], "SyncToken": "1", "sparse": True, "FamilyName": "Doe"}
    )
    assert sparse["FamilyName"] == "Doe" and sparse["DisplayName"] == "Pat Doe"

    inactive = api.update(
        entity, {"Id": created["Id"], "SyncToken": "2", "sparse": True, "Active": False}
    )
    assert inactive["Active"] is False
    assert inactive["SyncToken"] == "3"


@pytest.mark.parametrize("entity", PEOPLE)
def test_people_cannot_be_deleted(api, entity):
    created = api.create(entity, {"DisplayName": "Keep Me"})
    res = api.post(f"{entity.lower()}?operation=delete", {"Id": created["Id"], "SyncToken": "0"})
    assert fault_of(res)["Message"] == "Unsupported Operation"


def test_customer_derived_fields_golden(api):
    term = api.create("Term", {"Name": "Net 30", "DueDays": 30})
    created = api.create(
        "Customer",
        {"CompanyName": "Acme Plumbing", "DisplayName": "Acme", "SalesTermRef": {"value": "1"}},
    )
    assert {k: v for k, v in created.items() if k not in ("MetaData",)} == {
        "CompanyName": "Acme Plumbing",
        "DisplayName": "Acme",
        "SalesTermRef": {"value": term["Id"], "name": "Net 30"},
        "CurrencyRef": {"value": "USD", "name": "United States Dollar"},  # home currency
        "domain": "QBO",
        "sparse": False,
        "Id": "1",
        "SyncToken": "0",
        "Active": True,
        "PrintOnCheckName": "Acme",
        "Job": False,
        "BillWithParent": False,
        "FullyQualifiedName": "Acme",
        "Balance": 0.0,
        "BalanceWithJobs": 0.0,
    }


def test_sub_customers_get_level_fqn_and_job(api):
    parent = api.create("Customer", {"DisplayName": "Acme"})
    site = api.create(
        "Customer",
        {"DisplayName": "12 Elm St", "ParentRef": {"value": parent["Id"]}, "BillWithParent": True},
    )
    assert site["Job"] is True  # defaulted from ParentRef
    assert site["ParentRef"] == {"value": parent["Id"], "name": "Acme"}
    assert (site["Level"], site["FullyQualifiedName"]) == (1, "Acme:12 Elm St")
    assert site["BillWithParent"] is True
    unit = api.create(
        "Customer", {"DisplayName": "Unit 2", "ParentRef": {"value": site["Id"]}, "Job": True}
    )
    assert (unit["Level"], unit["FullyQualifiedName"]) == (2, "Acme:12 Elm St:Unit 2")


def test_sixth_level_is_6180(api):
    parent_id = api.create("Customer", {"DisplayName": "L0"})["Id"]
    for level in range(1, 5):
        parent_id = api.create(
            "Customer", {"DisplayName": f"L{level}", "ParentRef": {"value": parent_id}}
        )["Id"]
    res = api.post("customer", {"DisplayName": "L5", "ParentRef": {"value": parent_id}})
    assert fault_of(res) == {
        "Message": "Sub Level Limit",
        "Detail": "Review the number of nested accounts and customers. You can nest up to 5 "
        "levels.",
        "code": "6180",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }


def test_balance_is_server_owned_on_update(api):
    created = api.create("Customer", {"DisplayName": "Acme"})
    updated = api.update(
        "Customer",
        {"Id": created["Id"], "SyncToken": "0", "DisplayName": "Acme", "Balance": 5},
    )
    assert updated["Balance"] == 0.0 and updated["BalanceWithJobs"] == 0.0


def test_vendor_and_employee_defaults(api):
    vendor = api.create("Vendor", {"CompanyName": "Supply Co", "DisplayName": "Supply Co"})
    assert (vendor["Balance"], vendor["PrintOnCheckName"], vendor["Active"]) == (
        0.0,
        "Supply Co",
        True,
    )
    assert "Job" not in vendor and "Level" not in vendor
    employee = api.create("Employee", {"GivenName": "Sam", "FamilyName": "Ortiz"})
    assert employee["DisplayName"] == "Sam Ortiz"
    assert "Balance" not in employee


def test_print_on_check_name_default_is_cut_to_its_limit(api):
    created = api.create("Vendor", {"DisplayName": "V" * 150})
    assert created["PrintOnCheckName"] == "V" * 100
