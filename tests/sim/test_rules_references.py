"""References: unknown ids (2500 with the ref path), inactive objects (610 / 2500), tracking
preferences for ClassRef / DepartmentRef (§2.3, §8)."""

from __future__ import annotations

import pytest

from qbo_sim.faults import QBOFault
from tests.conftest import fault_of
from tests.sim.rules_books import (
    MADE_INACTIVE_610,
    MADE_INACTIVE_2500,
    Books,
    bill_body,
    fault,
    invalid_reference,
    invoice_body,
    payment_body,
    purchase_body,
    snapshot,
)

TRACKING = {
    "AccountingInfoPrefs": {
        "ClassTrackingPerTxn": True,
        "ClassTrackingPerTxnLine": True,
        "TrackDepartments": True,
    }
}


@pytest.fixture
def books(sim, realm):
    return Books(sim, realm)


@pytest.fixture
def tracked(sim, api):
    realm = sim.create_company("empty", preferences=TRACKING)
    api.realm = realm
    return Books(sim, realm)


def test_unknown_item_on_a_line(api, books, sim):
    customer = books.customer("Acme Plumbing")
    before = snapshot(sim, api.realm)
    res = api.post("invoice", invoice_body(customer, 50, "999"))
    assert fault_of(res) == invalid_reference("Line.SalesItemLineDetail.ItemRef")
    assert snapshot(sim, api.realm) == before


def test_unknown_header_references(api, books):
    res = api.post("invoice", invoice_body("404", 50, books.labor))
    assert fault_of(res) == invalid_reference("CustomerRef")
    customer = books.customer("Acme Plumbing")
    res = api.post("invoice", invoice_body(customer, 50, books.labor, SalesTermRef={"value": "9"}))
    assert fault_of(res) == invalid_reference("SalesTermRef")


def test_unknown_parent_ref_names_the_same_entity(api, books):
    res = api.post(
        "customer", {"DisplayName": "12 Main St", "Job": True, "ParentRef": {"value": books.income}}
    )
    # Account id exists, but ParentRef of a Customer names a Customer
    assert fault_of(res) == invalid_reference("ParentRef")


def test_entity_ref_uses_its_type(api, books):
    customer = books.customer("Acme Plumbing")
    body = purchase_body(customer, 20, books.bank, books.expense, None)
    res = api.post("purchase", body)  # EntityRef type Vendor, id of a customer
    assert fault_of(res) == invalid_reference("EntityRef")
    body["EntityRef"]["type"] = "Customer"
    assert api.create("Purchase", body)["EntityRef"]["value"] == customer


def test_unknown_account_on_an_expense_line(api, books):
    vendor = books.vendor("Ferguson Supply")
    res = api.post("bill", bill_body(vendor, 20, "777"))
    assert fault_of(res) == invalid_reference("Line.AccountBasedExpenseLineDetail.AccountRef")


@pytest.mark.parametrize("entity", ["Item", "Customer", "Term"])
def test_inactive_list_object_is_610(api, books, sim, entity):
    customer = books.customer("Acme Plumbing")
    term = books.user.create("Term", {"Name": "Net 30", "DueDays": 30})["Id"]
    target = {"Item": books.labor, "Customer": customer, "Term": term}[entity]
    books.user.deactivate(entity, target)
    before = snapshot(sim, api.realm)
    res = api.post("invoice", invoice_body(customer, 50, books.labor, SalesTermRef={"value": term}))
    assert fault_of(res) == MADE_INACTIVE_610
    assert snapshot(sim, api.realm) == before


def test_inactive_vendor_and_account(api, books):
    vendor = books.vendor("Ferguson Supply")
    books.user.deactivate("Account", books.expense)
    assert fault_of(api.post("bill", bill_body(vendor, 20, books.expense))) == MADE_INACTIVE_610
    books.user.reactivate("Account", books.expense)
    books.user.deactivate("Vendor", vendor)
    assert fault_of(api.post("bill", bill_body(vendor, 20, books.expense))) == MADE_INACTIVE_610


def test_inactive_reference_as_2500_when_configured(sim, api):
    realm = sim.create_company("empty", fidelity_settings={"inactive_reference_fault": "2500"})
    api.realm = realm
    books = Books(sim, realm)
    customer = books.customer("Acme Plumbing")
    books.user.deactivate("Item", books.labor)
    res = api.post("invoice", invoice_body(customer, 50, books.labor))
    assert fault_of(res) == MADE_INACTIVE_2500


def test_inactive_class_and_department(api, tracked):
    customer = tracked.customer("Acme Plumbing")
    klass = tracked.user.create("Class", {"Name": "Residential"})["Id"]
    place = tracked.user.create("Department", {"Name": "North"})["Id"]
    body = invoice_body(customer, 50, tracked.labor, DepartmentRef={"value": place})
    body["Line"][0]["SalesItemLineDetail"]["ClassRef"] = {"value": klass}
    created = api.create("Invoice", body)
    assert created["DepartmentRef"]["value"] == place
    assert created["Line"][0]["SalesItemLineDetail"]["ClassRef"]["value"] == klass
    tracked.user.deactivate("Class", klass)
    assert fault_of(api.post("invoice", body)) == MADE_INACTIVE_610
    tracked.user.reactivate("Class", klass)
    tracked.user.deactivate("Department", place)
    assert fault_of(api.post("invoice", body)) == MADE_INACTIVE_610


def test_update_rechecks_unchanged_references(api, books):
    customer = books.customer("Acme Plumbing")
    invoice = api.create("Invoice", invoice_body(customer, 50, books.labor))
    books.user.deactivate("Item", books.labor)
    res = api.post(
        "invoice",
        {
            "Id": invoice["Id"],
            "SyncToken": invoice["SyncToken"],
            "sparse": True,
            "PrivateNote": "re-sync",
        },
    )
    assert fault_of(res) == MADE_INACTIVE_610


def test_update_checks_only_changed_references_when_configured(sim, api):
    realm = sim.create_company("empty", fidelity_settings={"inactive_check_on_update": "changed"})
    api.realm = realm
    books = Books(sim, realm)
    customer = books.customer("Acme Plumbing")
    invoice = api.create("Invoice", invoice_body(customer, 50, books.labor))
    books.user.deactivate("Item", books.labor)
    res = api.post(
        "invoice",
        {
            "Id": invoice["Id"],
            "SyncToken": invoice["SyncToken"],
            "sparse": True,
            "PrivateNote": "re-sync",
        },
    )
    assert res.status_code == 200
    assert fault_of(api.post("invoice", invoice_body(customer, 5, books.labor))) == (
        MADE_INACTIVE_610
    )


def test_class_and_department_dropped_when_tracking_is_off(api, books):
    customer = books.customer("Acme Plumbing")
    klass = books.user.create("Class", {"Name": "Residential"})["Id"]
    books.user.deactivate("Class", klass)
    body = invoice_body(
        customer, 50, books.labor, ClassRef={"value": klass}, DepartmentRef={"value": "999"}
    )
    body["Line"][0]["SalesItemLineDetail"]["ClassRef"] = {"value": "999"}
    created = api.create("Invoice", body)
    assert "ClassRef" not in created and "DepartmentRef" not in created
    assert "ClassRef" not in created["Line"][0]["SalesItemLineDetail"]


def test_class_and_department_kept_and_checked_when_configured(sim, api):
    realm = sim.create_company("empty", fidelity_settings={"untracked_class_department": "keep"})
    api.realm = realm
    books = Books(sim, realm)
    customer = books.customer("Acme Plumbing")
    res = api.post("invoice", invoice_body(customer, 50, books.labor, ClassRef={"value": "999"}))
    assert fault_of(res) == invalid_reference("ClassRef")


def test_header_class_needs_per_transaction_tracking(sim, api):
    per_line = {"AccountingInfoPrefs": {"ClassTrackingPerTxnLine": True}}
    realm = sim.create_company("empty", preferences=per_line)
    api.realm = realm
    books = Books(sim, realm)
    customer = books.customer("Acme Plumbing")
    klass = books.user.create("Class", {"Name": "Residential"})["Id"]
    body = invoice_body(customer, 50, books.labor, ClassRef={"value": klass})
    body["Line"][0]["SalesItemLineDetail"]["ClassRef"] = {"value": klass}
    created = api.create("Invoice", body)
    assert "ClassRef" not in created
    assert created["Line"][0]["SalesItemLineDetail"]["ClassRef"]["value"] == klass


def test_payment_references_are_checked(api, books):
    customer = books.customer("Acme Plumbing")
    body = payment_body(customer, 10)
    body["DepositToAccountRef"] = {"value": "555"}
    assert fault_of(api.post("payment", body)) == invalid_reference("DepositToAccountRef")


def required_missing(name: str) -> dict:
    return fault(
        "2020",
        "Required param missing, need to supply the required value for the API",
        f"Required parameter {name} is missing in the request",
        name,
    )


def test_a_blank_required_reference_is_a_missing_one(api, books, sim):
    """``{"value": ""}`` names nothing: a create, a sparse update and a full update answer
    2020 naming the field (assumed, validation.py), and nothing is stored."""
    customer = books.customer("Acme Plumbing")
    vendor = books.vendor("Bolt Supply")
    expense = books.account("Repairs", "Expense")
    before = snapshot(sim, api.realm)
    res = api.post("invoice", invoice_body(customer, 50, books.labor, CustomerRef={"value": ""}))
    assert fault_of(res) == required_missing("CustomerRef")
    bill = bill_body(vendor, 20, expense)
    res = api.post("bill", {**bill, "VendorRef": {"value": " "}})
    assert fault_of(res) == required_missing("VendorRef")
    res = api.post("payment", {**payment_body(customer, 5), "CustomerRef": {"value": ""}})
    assert fault_of(res) == required_missing("CustomerRef")
    assert snapshot(sim, api.realm) == before
    invoice = api.post("invoice", invoice_body(customer, 50, books.labor)).get_json()["Invoice"]
    stored = snapshot(sim, api.realm)
    sparse = {"Id": invoice["Id"], "SyncToken": invoice["SyncToken"], "sparse": True}
    res = api.post("invoice", {**sparse, "CustomerRef": {"value": ""}})
    assert fault_of(res) == required_missing("CustomerRef")
    full = {**invoice, "CustomerRef": {"value": ""}}
    assert fault_of(api.post("invoice", full)) == required_missing("CustomerRef")
    assert snapshot(sim, api.realm) == stored


def test_the_qbo_user_cannot_move_an_invoice_to_a_blank_customer(sim, books):
    customer = books.customer("Acme Plumbing")
    invoice = books.invoice(customer, 40)
    with pytest.raises(QBOFault) as refused:
        sim.as_user(books.realm).move_invoice(invoice, "")
    assert (refused.value.code, refused.value.element) == ("2020", "CustomerRef")
    assert books.get("Invoice", invoice)["CustomerRef"]["value"] == customer


def test_a_sparse_update_may_not_leave_a_customer_without_a_name(api, books):
    """6080, as a create with no name answers; a blank DisplayName with a given name left
    is rebuilt from it (derive), as before."""
    solo = api.post("customer", {"DisplayName": "Solo"}).get_json()["Customer"]
    sparse = {"Id": solo["Id"], "SyncToken": solo["SyncToken"], "sparse": True}
    res = api.post("customer", {**sparse, "DisplayName": ""})
    assert fault_of(res)["code"] == "6080"
    assert books.get("Customer", solo["Id"])["DisplayName"] == "Solo"
    named = api.post("customer", {"GivenName": "Jo", "FamilyName": "Lee"}).get_json()["Customer"]
    sparse = {"Id": named["Id"], "SyncToken": named["SyncToken"], "sparse": True}
    res = api.post("customer", {**sparse, "DisplayName": ""})
    assert res.status_code == 200 and res.get_json()["Customer"]["DisplayName"] == "Jo Lee"
