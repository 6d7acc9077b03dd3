"""Name uniqueness: 6240 across Customer/Vendor/Employee, per list elsewhere (§3.1, §8)."""

from __future__ import annotations

import pytest

from qbo_sim.faults import QBOFault
from tests.conftest import fault_of
from tests.sim.rules_books import Books, duplicate_name, snapshot


@pytest.fixture
def books(sim, realm):
    return Books(sim, realm)


@pytest.mark.parametrize("entity", ["Customer", "Vendor", "Employee"])
def test_display_name_is_unique_across_customer_vendor_and_employee(api, books, sim, entity):
    existing = books.vendor("Ace Electric")
    before = snapshot(sim, api.realm)
    res = api.post(entity.lower(), {"DisplayName": "Ace Electric"})
    assert fault_of(res) == duplicate_name(existing)
    assert snapshot(sim, api.realm) == before


def test_sub_customer_property_names_share_the_namespace(api, books):
    owner = books.customer("Harbor Property Group")
    site = books.customer("12 Main St", parent=owner)
    other_owner = books.customer("Lakeside HOA")
    res = api.post(
        "customer",
        {"DisplayName": "12 Main St", "Job": True, "ParentRef": {"value": other_owner}},
    )
    assert fault_of(res) == duplicate_name(site)
    # a top-level customer or a vendor cannot take the property's name either
    assert fault_of(api.post("vendor", {"DisplayName": "12 main st"})) == duplicate_name(site)


def test_comparison_ignores_case_and_surrounding_whitespace(api, books):
    existing = books.customer("Acme Plumbing")
    res = api.post("customer", {"DisplayName": "  ACME plumbing "})
    assert fault_of(res) == duplicate_name(existing)


def test_case_sensitive_when_the_fidelity_setting_is_off(sim, clock):
    realm = sim.create_company("empty", fidelity_settings={"name_match_case_insensitive": False})
    books = Books(sim, realm)
    books.customer("Acme Plumbing")
    assert books.user.create("Customer", {"DisplayName": "ACME PLUMBING"})["Id"]


def test_update_keeping_its_own_name_is_fine(api, books):
    customer = api.create("Customer", {"DisplayName": "Acme Plumbing"})
    res = api.post(
        "customer",
        {**customer, "DisplayName": "acme plumbing", "CompanyName": "Acme"},
    )
    assert res.status_code == 200
    assert res.get_json()["Customer"]["SyncToken"] == "1"


def test_update_taking_another_name_is_a_duplicate(api, books):
    taken = books.customer("Acme Plumbing")
    other = api.create("Customer", {"DisplayName": "Beta Heating"})
    res = api.post(
        "customer",
        {"Id": other["Id"], "SyncToken": "0", "sparse": True, "DisplayName": "Acme Plumbing"},
    )
    assert fault_of(res) == duplicate_name(taken)


def test_inactive_names_block_by_default(api, books):
    """help.bill.com / paymakerhelp "This includes inactive records"; Teachworks."""
    old = books.customer("Acme Plumbing")
    books.user.deactivate("Customer", old)
    res = api.post("customer", {"DisplayName": "Acme Plumbing"})
    assert res.status_code == 400
    assert fault_of(res) == duplicate_name(old)
    assert books.user.reactivate("Customer", old)["Active"] is True


def test_inactive_vendor_blocks_a_customer_name(api, books):
    old = api.create("Vendor", {"DisplayName": "Harbor Supply"})
    books.user.deactivate("Vendor", old["Id"])
    assert fault_of(api.post("customer", {"DisplayName": "harbor supply "})) == duplicate_name(
        old["Id"]
    )


def test_inactive_names_free_when_configured_off(sim):
    realm = sim.create_company("empty", fidelity_settings={"inactive_names_block": False})
    books = Books(sim, realm)
    old = books.customer("Acme Plumbing")
    books.user.deactivate("Customer", old)
    new = books.user.create("Customer", {"DisplayName": "Acme Plumbing"})
    assert new["Id"] != old
    assert books.user.reactivate("Customer", old)["Active"] is True


@pytest.mark.parametrize(
    ("entity", "body"),
    [
        ("Item", {"Name": "Labor", "Type": "Service"}),
        ("Account", {"Name": "Checking", "AccountType": "Bank"}),
        ("Class", {"Name": "Residential"}),
        ("Department", {"Name": "North"}),
        ("Term", {"Name": "Net 30", "DueDays": 30}),
        ("PaymentMethod", {"Name": "Cash"}),
    ],
)
def test_list_names_are_unique_in_their_list(api, books, entity, body):
    if entity == "Item":
        body = {**body, "IncomeAccountRef": {"value": books.income}}
    first = books.user.create(entity, body) if entity not in ("Item", "Account") else None
    existing = first["Id"] if first else (books.labor if entity == "Item" else books.bank)
    res = api.post(entity.lower(), {**body, "Name": body["Name"].upper()})
    assert fault_of(res) == duplicate_name(existing)


def test_list_names_do_not_collide_across_lists(api, books):
    # "Labor" is an Item; a Class or a Customer may use the same name
    assert api.create("Class", {"Name": "Labor"})["Name"] == "Labor"
    assert api.create("Customer", {"DisplayName": "Labor"})["DisplayName"] == "Labor"


def test_hierarchical_lists_compare_the_full_name(api, books):
    north = books.user.create("Class", {"Name": "North"})["Id"]
    south = books.user.create("Class", {"Name": "South"})["Id"]
    first = api.create(
        "Class", {"Name": "Service", "SubClass": True, "ParentRef": {"value": north}}
    )
    second = api.create(
        "Class", {"Name": "Service", "SubClass": True, "ParentRef": {"value": south}}
    )
    assert first["Id"] != second["Id"]
    res = api.post("class", {"Name": "service", "SubClass": True, "ParentRef": {"value": north}})
    assert fault_of(res) == duplicate_name(first["Id"])


def test_hierarchical_lists_unique_across_the_list_when_configured(sim):
    realm = sim.create_company("empty", fidelity_settings={"name_scope_hierarchical": "list"})
    user = sim.as_user(realm)
    north = user.create("Class", {"Name": "North"})["Id"]
    south = user.create("Class", {"Name": "South"})["Id"]
    first = user.create(
        "Class", {"Name": "Service", "SubClass": True, "ParentRef": {"value": north}}
    )
    with pytest.raises(QBOFault) as raised:
        user.create("Class", {"Name": "Service", "SubClass": True, "ParentRef": {"value": south}})
    assert raised.value.detail == f"The name supplied already exists. : Id={first['Id']}"
