"""``QboUser.merge``: a QBO user merges two customers, vendors or items (docs/fidelity.md)."""

from __future__ import annotations

import json

import pytest

from qbo_sim.faults import QBOFault
from tests.sim.test_control_user import invoice_body


@pytest.fixture
def books(sim, realm) -> dict[str, str]:
    user = sim.as_user(realm)
    account = user.create("Account", {"Name": "Services", "AccountType": "Income"})
    item = user.create(
        "Item", {"Name": "Repair", "Type": "Service", "IncomeAccountRef": {"value": account["Id"]}}
    )
    customer = user.create("Customer", {"DisplayName": "Acme Plumbing"})
    other = user.create("Customer", {"DisplayName": "Bolt Electric"})
    return {"item": item["Id"], "customer": customer["Id"], "other": other["Id"]}

VERIFIER = "merge-verifier"


def test_merging_customers_moves_invoices_and_retires_the_merged_away_one(sim, realm, books):
    user = sim.as_user(realm)
    invoice = user.create("Invoice", invoice_body(books, 120.0))
    survivor = user.merge("Customer", books["customer"], books["other"])
    assert survivor["Id"] == books["other"]
    moved = user.get("Invoice", invoice["Id"])
    assert moved["CustomerRef"]["value"] == books["other"]
    assert int(moved["SyncToken"]) == int(invoice["SyncToken"]) + 1
    retired = user.get("Customer", books["customer"])
    assert retired["Active"] is False
    assert retired["DisplayName"] == "Acme Plumbing (deleted)"
    assert user.get("Customer", books["other"])["Balance"] == pytest.approx(120.0)
    assert retired.get("Balance", 0) == pytest.approx(0)
    # the name is free again: a new "Acme Plumbing" may be created
    assert user.create("Customer", {"DisplayName": "Acme Plumbing"})["Active"] is True


def test_merge_emits_one_merge_event_naming_the_survivor_and_the_deleted_id(sim, realm, books):
    sim.webhooks.deliver()
    received: list[bytes] = []

    def endpoint(headers: dict[str, str], body: bytes) -> int:
        received.append(body)
        return 200

    sim.webhooks.subscribe(callback=endpoint, verifier_token=VERIFIER)
    sim.as_user(realm).merge("Customer", books["customer"], books["other"])
    sim.webhooks.deliver()
    entities = [
        e
        for body in received
        for n in json.loads(body)["eventNotifications"]
        for e in n["dataChangeEvent"]["entities"]
    ]
    merges = [e for e in entities if e["operation"] == "Merge"]
    assert len(merges) == 1
    assert merges[0]["name"] == "Customer"
    assert merges[0]["id"] == books["other"]
    assert merges[0]["deletedId"] == books["customer"]


def test_merging_items_relinks_invoice_lines(sim, realm, books):
    user = sim.as_user(realm)
    invoice = user.create("Invoice", invoice_body(books))
    account = user.get("Item", books["item"])["IncomeAccountRef"]["value"]
    other = user.create(
        "Item", {"Name": "Fix", "Type": "Service", "IncomeAccountRef": {"value": account}}
    )
    user.merge("Item", books["item"], other["Id"])
    line = user.get("Invoice", invoice["Id"])["Line"][0]
    assert line["SalesItemLineDetail"]["ItemRef"]["value"] == other["Id"]
    assert user.get("Item", books["item"])["Active"] is False


def test_merge_refuses_other_entities_and_unknown_ids(sim, realm, books):
    user = sim.as_user(realm)
    invoice = user.create("Invoice", invoice_body(books))
    with pytest.raises(ValueError):
        user.merge("Invoice", invoice["Id"], invoice["Id"])
    with pytest.raises(QBOFault):
        user.merge("Customer", "999", books["other"])


def test_merge_through_the_control_plane(sim, realm, books):
    res = sim.app.test_client().post(
        f"/_sim/companies/{realm}/user/merge",
        json={"entity": "Customer", "id": books["customer"], "into_id": books["other"]},
    )
    assert res.status_code == 200, res.get_json()
    assert sim.as_user(realm).get("Customer", books["customer"])["Active"] is False


def test_customers_with_sub_customers_are_not_merged(sim, realm, books):
    """Intuit: "Check that neither customer has sub-customers before you merge them"."""
    user = sim.as_user(realm)
    user.create(
        "Customer",
        {"DisplayName": "Unit 4", "Job": True, "ParentRef": {"value": books["customer"]}},
    )
    with pytest.raises(ValueError, match="sub-customers"):
        user.merge("Customer", books["customer"], books["other"])
    with pytest.raises(ValueError, match="sub-customers"):
        user.merge("Customer", books["other"], books["customer"])
    assert user.get("Customer", books["customer"])["Active"] is True
