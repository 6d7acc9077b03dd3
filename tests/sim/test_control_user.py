"""Acting as the QBO user through the control plane (``/_sim/companies/<realm>/user/<action>``)."""

from __future__ import annotations

import pytest
import requests

from qbo_sim.auth import DEV_TOKEN
from tests.conftest import fault_of

SANDBOX = "https://sandbox-quickbooks.api.intuit.com"


@pytest.fixture
def control(sim):
    return sim.app.test_client()


@pytest.fixture
def books(sim, realm) -> dict[str, str]:
    """An income account, a service item and a customer, made by the QBO user."""
    user = sim.as_user(realm)
    account = user.create("Account", {"Name": "Services", "AccountType": "Income"})
    item = user.create(
        "Item", {"Name": "Repair", "Type": "Service", "IncomeAccountRef": {"value": account["Id"]}}
    )
    customer = user.create("Customer", {"DisplayName": "Acme Plumbing"})
    other = user.create("Customer", {"DisplayName": "Bolt Electric"})
    return {"item": item["Id"], "customer": customer["Id"], "other": other["Id"]}


def invoice_body(books: dict[str, str], amount: float = 150.0) -> dict:
    return {
        "CustomerRef": {"value": books["customer"]},
        "Line": [
            {
                "Amount": amount,
                "DetailType": "SalesItemLineDetail",
                "SalesItemLineDetail": {
                    "ItemRef": {"value": books["item"]},
                    "Qty": 1,
                    "UnitPrice": amount,
                },
            }
        ],
    }


def test_sync_creates_an_invoice_the_user_deletes_it_then_the_update_gets_610(sim, realm, books):
    api = f"{SANDBOX}/v3/company/{realm}/invoice"
    headers = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}
    with sim.mock():
        invoice = requests.post(api, json=invoice_body(books), headers=headers).json()["Invoice"]
        control = f"{SANDBOX}/_sim/companies/{realm}/user/delete"
        assert requests.post(control, json={"entity": "Invoice", "id": invoice["Id"]}).ok
        update = {"Id": invoice["Id"], "SyncToken": invoice["SyncToken"], "sparse": True}
        res = requests.post(api, json={**update, "PrivateNote": "synced"}, headers=headers)
    assert res.status_code == 400
    assert res.json()["Fault"] == {
        "Error": [
            {
                "Message": "Object Not Found",
                "Detail": "Object Not Found : Another user has deleted this transaction.",
                "code": "610",
                "element": "",
            }
        ],
        "type": "ValidationFault",
    }


def test_create_update_and_sparse_update(control, sim, realm):
    url = f"/_sim/companies/{realm}/user"
    created = control.post(
        f"{url}/create", json={"entity": "customer", "body": {"DisplayName": "A"}}
    )
    assert created.status_code == 200
    customer = created.get_json()["Customer"]
    assert (customer["DisplayName"], customer["SyncToken"]) == ("A", "0")
    res = control.post(
        f"{url}/update",
        json={"entity": "Customer", "body": {"Id": customer["Id"], "DisplayName": "B"}},
    )
    assert res.get_json()["Customer"]["SyncToken"] == "1"
    res = control.post(
        f"{url}/sparse-update",
        json={"entity": "Customer", "id": customer["Id"], "fields": {"CompanyName": "B Co"}},
    )
    updated = res.get_json()["Customer"]
    assert (updated["DisplayName"], updated["CompanyName"], updated["SyncToken"]) == (
        "B",
        "B Co",
        "2",
    )
    entries = sim.journal.entries(user_edit=True)
    assert [e.path for e in entries] == ["create Customer", "update Customer", "update Customer"]


def test_the_users_edit_makes_the_integrations_token_stale_naming_the_user(control, api, realm):
    customer = api.create("Customer", {"DisplayName": "Acme"})
    res = control.post(
        f"/_sim/companies/{realm}/user/sparse-update",
        json={
            "entity": "Customer",
            "id": customer["Id"],
            "fields": {"Notes": "x"},
            "user": "Jo Lee",
        },
    )
    assert res.status_code == 200
    stale = api.post("customer", {"Id": customer["Id"], "SyncToken": "0", "sparse": True})
    assert fault_of(stale)["Detail"] == (
        "Stale Object Error : You and Jo Lee were working on this at the same time. "
        "Jo Lee finished before you did, so your work was not saved."
    )


def test_delete_void_deactivate_reactivate(control, sim, realm, books):
    user = sim.as_user(realm)
    first = user.create("Invoice", invoice_body(books))
    second = user.create("Invoice", invoice_body(books))
    url = f"/_sim/companies/{realm}/user"
    res = control.post(f"{url}/delete", json={"entity": "Invoice", "id": first["Id"]})
    assert res.get_json() == {"Invoice": {"status": "Deleted", "domain": "QBO", "Id": first["Id"]}}
    res = control.post(f"{url}/void", json={"entity": "Invoice", "id": int(second["Id"])})
    assert res.status_code == 200
    assert sim.company(realm).get("Invoice", second["Id"])["SyncToken"] == "1"
    res = control.post(f"{url}/deactivate", json={"entity": "Customer", "id": books["other"]})
    assert res.get_json()["Customer"]["Active"] is False
    res = control.post(f"{url}/reactivate", json={"entity": "Customer", "id": books["other"]})
    assert res.get_json()["Customer"]["Active"] is True


def test_move_invoice_and_record_payment(control, sim, realm, books):
    invoice = sim.as_user(realm).create("Invoice", invoice_body(books, 80.0))
    url = f"/_sim/companies/{realm}/user"
    res = control.post(
        f"{url}/move-invoice", json={"invoice_id": invoice["Id"], "customer_id": books["other"]}
    )
    assert res.get_json()["Invoice"]["CustomerRef"]["value"] == books["other"]
    res = control.post(
        f"{url}/record-payment",
        json={"invoice_id": invoice["Id"], "amount": 30, "fields": {"PaymentRefNum": "CHK-7"}},
    )
    assert res.status_code == 200, res.get_json()
    payment = res.get_json()["Payment"]
    assert (payment["TotalAmt"], payment["PaymentRefNum"]) == (30, "CHK-7")
    assert payment["CustomerRef"]["value"] == books["other"]
    assert payment["Line"][0]["LinkedTxn"] == [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]


def test_a_qbo_fault_of_a_user_action_is_qbos_body_with_its_status(control, sim, realm, books):
    invoice = sim.as_user(realm).create("Invoice", invoice_body(books))
    url = f"/_sim/companies/{realm}/user"
    control.post(f"{url}/delete", json={"entity": "Invoice", "id": invoice["Id"]})
    res = control.post(f"{url}/void", json={"entity": "Invoice", "id": invoice["Id"]})
    assert fault_of(res) == {
        "Message": "Object Not Found",
        "Detail": "Object Not Found : Something you're trying to use has been made inactive. "
        "Check the fields with accounts, customers, items, vendors or employees.",
        "code": "610",
        "element": "",
        "type": "ValidationFault",
        "status": 400,
    }
    assert res.get_json()["time"] == "2026-03-02T09:00:00.000-08:00"


@pytest.mark.parametrize(
    ("action", "body", "status", "error"),
    [
        ("explode", {}, 404, "unknown user action"),
        ("create", {"entity": "Spaceship", "body": {}}, 400, "unknown entity"),
        ("create", {"entity": "Customer"}, 400, "missing field 'body'"),
        ("create", {"entity": "Customer", "body": []}, 400, "field 'body' must be dict"),
        (
            "update",
            {"entity": "Customer", "body": {"DisplayName": "x"}},
            400,
            "missing field 'body.Id'",
        ),
        ("delete", {"entity": "Invoice"}, 400, "missing field 'id'"),
        ("delete", {"entity": "Invoice", "id": 1, "why": "x"}, 400, "unknown fields"),
        (
            "record-payment",
            {"invoice_id": "1", "amount": "ten"},
            400,
            "field 'amount' must be int or float",
        ),
        # null is not "omitted": the OpenAPI document types amount as a number
        (
            "record-payment",
            {"invoice_id": "1", "amount": None},
            400,
            "field 'amount' must be int or float",
        ),
        # a form's empty field names nothing: the control plane's 400, not QBO's 610
        ("delete", {"entity": "Invoice", "id": ""}, 400, "missing field 'id'"),
        ("deactivate", {"entity": "Customer", "id": "  "}, 400, "missing field 'id'"),
        (
            "move-invoice",
            {"invoice_id": "1", "customer_id": ""},
            400,
            "missing field 'customer_id'",
        ),
        ("deactivate", {"entity": "", "id": "1"}, 400, "missing field 'entity'"),
        # found by schemathesis once the OpenAPI named the mergeable types: was a 500
        ("merge", {"entity": "Item", "id": 0, "into_id": 0}, 400, "merge refused"),
    ],
)
def test_user_action_errors(control, realm, action, body, status, error):
    res = control.post(f"/_sim/companies/{realm}/user/{action}", json=body)
    assert res.status_code == status
    assert res.get_json()["error"] == error


def test_a_blank_id_is_required_and_an_unknown_one_is_qbos_not_found(control, sim, realm, books):
    url = f"/_sim/companies/{realm}/user"
    res = control.post(f"{url}/delete", json={"entity": "Invoice", "id": ""})
    assert res.get_json() == {"error": "missing field 'id'", "detail": "id is required"}
    # deleting (or deactivating) an id that names nothing: QBO's 610 with the "made
    # inactive" Detail, as DOC-BATCH's sample for deleting a missing invoice shows
    for action, entity in (("delete", "Invoice"), ("deactivate", "Customer")):
        res = control.post(f"{url}/{action}", json={"entity": entity, "id": "999"})
        assert fault_of(res)["code"] == "610" and res.status_code == 400
        assert "made inactive" in fault_of(res)["Detail"]
    invoice = sim.as_user(realm).create("Invoice", invoice_body(books))
    res = control.post(f"{url}/move-invoice", json={"invoice_id": invoice["Id"], "customer_id": ""})
    assert res.status_code == 400
    assert (
        sim.company(realm).get("Invoice", invoice["Id"])["CustomerRef"]["value"]
        == books["customer"]
    )
