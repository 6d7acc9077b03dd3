"""The reference connector's webhook receiver (``fieldservice_sync.inbound``): signature
checked, events de-duplicated, each entity reconciled by reading it, whatever the order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from qbo_sim.connectors.fieldservice_sync.inbound import Inbound
from qbo_sim.connectors.fieldservice_sync.store import RecordStore
from qbo_sim.webhooks import payloads
from qbo_sim.webhooks.events import Event

VERIFIER = "reference-verifier"
NOW = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


class Conn:
    webhook_verifier = VERIFIER
    realm_id = "1"

    def now(self) -> datetime:
        return NOW


class Client:
    def __init__(self, entities: dict[tuple[str, str], dict[str, Any]]) -> None:
        self.entities = entities
        self.reads: list[tuple[str, str]] = []

    def read(self, entity: str, entity_id: str) -> dict[str, Any]:
        self.reads.append((entity, entity_id))
        return self.entities[(entity, entity_id)]


def notification(*events: Event) -> tuple[dict[str, str], bytes]:
    body = payloads.dumps(payloads.legacy_body("1", list(events)))
    return payloads.headers(body, VERIFIER, NOW, "tid"), body


def event(name: str, entity_id: str, stamp: str, operation: str = "Update", **kw: Any) -> Event:
    return Event("1", name, entity_id, operation, stamp, NOW, **kw)


def setup() -> tuple[RecordStore, Client, Inbound]:
    store = RecordStore()
    invoice = store.upsert("invoice", "1001", {"number": "1001"})
    invoice.qbo_id, invoice.state = "12", "synced"
    customer = store.upsert("customer", "C1", {"name": "Jon"})
    customer.qbo_id, customer.state = "7", "synced"
    client = Client(
        {
            ("Invoice", "12"): {"Id": "12", "Balance": 0, "TotalAmt": 50},
            ("Customer", "9"): {"Id": "9", "DisplayName": "Jonathan", "Active": True},
        }
    )
    return store, client, Inbound(store, client, Conn())  # type: ignore[arg-type]


def test_a_duplicated_reordered_notification_reads_each_entity_once_and_learns_its_state():
    store, client, inbound = setup()
    headers, body = notification(
        event("Invoice", "12", "2026-03-02T09:05:00-0800"),
        event("Invoice", "12", "2026-03-02T09:01:00-0800"),
    )
    inbound.receive(headers, body)
    inbound.receive(headers, body)  # re-delivered
    inbound.run()
    assert client.reads == [("Invoice", "12")]
    assert Inbound.view(store.require("invoice", "1001")) == {"balance": 0.0, "deleted": False}


def test_a_notification_with_a_wrong_signature_is_ignored():
    store, client, inbound = setup()
    headers, body = notification(event("Invoice", "12", "2026-03-02T09:05:00-0800"))
    inbound.receive({**headers, "intuit-signature": "AAAA"}, body)
    inbound.run()
    assert client.reads == []


def test_a_merge_relinks_the_merged_away_customer_to_the_survivor():
    store, client, inbound = setup()
    store.require("invoice", "1001").extra["customer_ref"] = "7"
    headers, body = notification(
        event("Customer", "9", "2026-03-02T09:05:00-0800", "Merge", deleted_id="7")
    )
    inbound.receive(headers, body)
    assert store.require("customer", "C1").qbo_id == "9"
    assert store.require("invoice", "1001").extra["customer_ref"] == "9"
    inbound.run()
    assert Inbound.view(store.require("customer", "C1")) == {"name": "Jonathan", "active": True}
