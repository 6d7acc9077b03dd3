"""Send (issue 16 item 2): ``POST /<txn>/<id>/send[?sendTo=]`` e-mails a transaction: the
entity answers with EmailStatus/DeliveryInfo/BillEmail updated, one message lands in the
simulated outbox (``sim.outbox(realm)``, ``GET /_sim/outbox``), faults come from the
catalogue and a refused send writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from qbo_sim import operations
from qbo_sim.auth import DEV_TOKEN
from qbo_sim.entities import ENTITIES
from tests.conftest import fault_of
from tests.sim.rules_books import Books, invoice_body

SANDBOX = "https://sandbox-quickbooks.api.intuit.com"
NO_ADDRESS = {
    "code": "2020",
    "Message": "Required param missing, need to supply the required value for the API",
    "Detail": "Required parameter DeliveryAddress.Address is missing in the request",
    "element": "",
    "type": "ValidationFault",
    "status": 400,
}


@pytest.fixture
def books(sim, realm, throttle_off) -> Books:
    return Books(sim, realm)


@pytest.fixture
def customer(books) -> str:
    body = {"DisplayName": "Ann Field", "PrimaryEmailAddr": {"Address": "ann@example.com"}}
    return books.user.create("Customer", body)["Id"]


def sale_body(books: Books, entity: str, customer: str) -> dict[str, Any]:
    extra = {"DepositToAccountRef": {"value": books.bank}} if entity == "RefundReceipt" else {}
    return invoice_body(customer, 120.0, books.labor, **extra)


def purchase_order_body(books: Books) -> dict[str, Any]:
    return {
        "VendorRef": {"value": books.vendor("Parts Co")},
        "APAccountRef": {"value": books.payable},
        "Line": [
            {
                "Amount": 40.0,
                "DetailType": "AccountBasedExpenseLineDetail",
                "AccountBasedExpenseLineDetail": {"AccountRef": {"value": books.expense}},
            }
        ],
    }


def send(api, entity: str, entity_id: str, send_to: str | None = None) -> Any:
    query = {"sendTo": send_to} if send_to is not None else {}
    return api.post(f"{entity.lower()}/{entity_id}/send", query_string=query)


SALES = ["Invoice", "Estimate", "SalesReceipt", "CreditMemo", "RefundReceipt"]


@pytest.mark.parametrize("entity", SALES)
def test_send_without_send_to_mails_the_bill_email_and_marks_the_entity_sent(
    api, sim, realm, books, customer, entity
):
    created = api.create(entity, sale_body(books, entity, customer))
    assert created["EmailStatus"] != "EmailSent" and "DeliveryInfo" not in created
    res = send(api, entity, created["Id"])
    assert res.status_code == 200, res.get_data(as_text=True)
    sent = res.get_json()[entity]
    assert sent["EmailStatus"] == "EmailSent"
    assert sent["DeliveryInfo"] == {
        "DeliveryType": "Email",
        "DeliveryTime": sent["MetaData"]["LastUpdatedTime"],
    }
    assert sent["BillEmail"] == {"Address": "ann@example.com"}
    assert sent["SyncToken"] == str(int(created["SyncToken"]) + 1)
    assert api.get(f"{entity.lower()}/{created['Id']}").get_json()[entity] == sent
    assert sim.outbox(realm) == [
        {
            "id": "1",
            "entity": entity,
            "entity_id": created["Id"],
            "doc_number": created.get("DocNumber"),
            "to": "ann@example.com",
            "sent": sent["DeliveryInfo"]["DeliveryTime"],
        }
    ]


def test_send_to_replaces_bill_email_and_mails_that_address(api, sim, realm, books, customer):
    invoice = api.create("Invoice", sale_body(books, "Invoice", customer))
    res = send(api, "Invoice", invoice["Id"], "billing@client.example")
    assert res.status_code == 200
    assert res.get_json()["Invoice"]["BillEmail"] == {"Address": "billing@client.example"}
    assert [m["to"] for m in sim.outbox(realm)] == ["billing@client.example"]


def test_purchase_order_send_to_sets_po_email(api, sim, realm, books):
    order = api.create("PurchaseOrder", purchase_order_body(books))
    assert fault_of(send(api, "PurchaseOrder", order["Id"])) == NO_ADDRESS
    res = send(api, "PurchaseOrder", order["Id"], "orders@parts.example")
    assert res.status_code == 200
    sent = res.get_json()["PurchaseOrder"]
    assert sent["POEmail"] == {"Address": "orders@parts.example"}
    assert sent["EmailStatus"] == "EmailSent"
    assert "BillEmail" not in sent
    assert [m["entity"] for m in sim.outbox(realm)] == ["PurchaseOrder"]


def test_each_send_is_one_message_so_a_test_can_tell_once_from_twice(
    api, sim, realm, books, customer
):
    first = api.create("Invoice", sale_body(books, "Invoice", customer))
    second = api.create("Invoice", sale_body(books, "Invoice", customer))
    send(api, "Invoice", first["Id"])
    send(api, "Invoice", second["Id"])
    send(api, "Invoice", first["Id"])
    assert [(m["id"], m["entity_id"]) for m in sim.outbox(realm)] == [
        ("1", first["Id"]),
        ("2", second["Id"]),
        ("3", first["Id"]),
    ]


def test_no_address_is_2020_and_writes_nothing(api, sim, realm, books):
    silent = books.customer("No Mail")
    invoice = api.create("Invoice", sale_body(books, "Invoice", silent))
    assert "BillEmail" not in invoice
    assert fault_of(send(api, "Invoice", invoice["Id"])) == NO_ADDRESS
    assert fault_of(send(api, "Invoice", invoice["Id"], "  ")) == NO_ADDRESS
    assert api.get(f"invoice/{invoice['Id']}").get_json()["Invoice"] == invoice
    assert sim.outbox(realm) == []


@pytest.mark.parametrize("address", ["not-an-address", "ann@example", "a b@example.com"])
def test_a_malformed_send_to_is_2210_and_writes_nothing(api, sim, realm, books, customer, address):
    invoice = api.create("Invoice", sale_body(books, "Invoice", customer))
    error = fault_of(send(api, "Invoice", invoice["Id"], address))
    assert (error["code"], error["element"], error["status"]) == ("2210", "sendTo", 400)
    assert error["Message"] == "Invalid Email Address Format"
    assert api.get(f"invoice/{invoice['Id']}").get_json()["Invoice"] == invoice
    assert sim.outbox(realm) == []


def test_a_deleted_transaction_is_610_deleted_and_a_missing_one_610_not_found(
    api, sim, realm, books, customer
):
    invoice = api.create("Invoice", sale_body(books, "Invoice", customer))
    deleted = api.post(
        "invoice",
        {"Id": invoice["Id"], "SyncToken": invoice["SyncToken"]},
        query_string={"operation": "delete"},
    )
    assert deleted.status_code == 200
    gone = fault_of(send(api, "Invoice", invoice["Id"]))
    assert (gone["code"], gone["Detail"]) == (
        "610",
        "Object Not Found : Another user has deleted this transaction.",
    )
    missing = fault_of(send(api, "Invoice", "9999"))
    assert missing["code"] == "610" and "deleted this transaction" not in missing["Detail"]
    assert sim.outbox(realm) == []


def test_entities_qbo_does_not_send_are_not_a_resource(api, books):
    bill = books.bill(books.vendor("Power Co"), 10.0)
    error = fault_of(send(api, "Bill", bill))
    assert error["code"] == "500" and "Could not find resource" in error["Detail"]


def test_a_fault_after_the_entity_is_written_rolls_back_entity_and_outbox(
    sim, realm, books, customer, monkeypatch
):
    invoice_id = books.invoice(customer, 50.0)
    before = books.get("Invoice", invoice_id)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("outbox down")

    monkeypatch.setattr(operations.outbox, "record", broken)
    with pytest.raises(RuntimeError):
        operations.send(sim.context(realm), ENTITIES["Invoice"], invoice_id)
    assert books.get("Invoice", invoice_id) == before
    assert sim.outbox(realm) == []


def test_the_control_plane_serves_the_outbox(api, sim, realm, books, customer):
    invoice = api.create("Invoice", sale_body(books, "Invoice", customer))
    send(api, "Invoice", invoice["Id"])
    client = sim.app.test_client()
    res = client.get("/_sim/outbox", query_string={"realm": realm})
    assert res.status_code == 200
    assert res.get_json() == {"realm": realm, "messages": sim.outbox(realm)}
    assert len(res.get_json()["messages"]) == 1
    assert client.get("/_sim/outbox").status_code == 400
    assert client.get("/_sim/outbox", query_string={"realm": "404404"}).status_code == 404


def test_send_is_kept_in_snapshots_and_cleared_by_reset(sim, books, customer):
    realm = sim.create_company("sample")
    invoice = next(sim.company(realm).all("Invoice"))
    operations.send(sim.context(realm), ENTITIES["Invoice"], invoice["Id"], "x@y.example")
    doc = sim.export_state(realm=realm)
    sim.delete_company(realm)
    sim.import_state(doc)
    assert [m["to"] for m in sim.outbox(realm)] == ["x@y.example"]
    sim.reset(realm)
    assert sim.outbox(realm) == []


def test_in_process_a_requests_client_sends_once(sim, realm, books, customer):
    invoice_id = books.invoice(customer, 75.0)
    with sim.mock():
        res = requests.post(
            f"{SANDBOX}/v3/company/{realm}/invoice/{invoice_id}/send",
            params={"sendTo": "ann.work@example.com", "minorversion": "75"},
            headers={"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"},
            timeout=10,
        )
    assert res.status_code == 200
    assert res.json()["Invoice"]["EmailStatus"] == "EmailSent"
    assert [(m["entity_id"], m["to"]) for m in sim.outbox(realm)] == [
        (invoice_id, "ann.work@example.com")
    ]


def test_a_send_is_one_update_event_and_answers_xml_when_asked(api, sim, realm, books, customer):
    invoice = api.create("Invoice", sale_body(books, "Invoice", customer))
    before = len(sim.webhooks.events(realm))
    res = api.client.post(
        api.url(f"invoice/{invoice['Id']}/send"),
        headers={"Authorization": api.headers["Authorization"], "Accept": "application/xml"},
    )
    assert res.status_code == 200
    assert res.content_type.startswith("application/xml")
    text = res.get_data(as_text=True)
    assert "<EmailStatus>EmailSent</EmailStatus>" in text
    assert "<DeliveryType>Email</DeliveryType>" in text
    events = sim.webhooks.events(realm)[before:]
    assert [(e.name, e.id, e.operation) for e in events] == [("Invoice", invoice["Id"], "Update")]
