"""Webhooks (reference §5.10): events from committed writes, legacy and CloudEvents bodies,
the signature, delivery and retries on the simulated clock, real HTTP, the control plane."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, request
from waitress.server import create_server

from qbo_sim.webhooks import RETRY_DELAYS, SUPPORTED_ENTITIES, verify_signature
from tests.sim.rules_books import Books, invoice_body, payment_body

VERIFIER = "f4a9c2e1-verifier-token"


class Endpoint:
    """An in-process webhook endpoint: records each POST, answers from a script."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.received: list[tuple[dict[str, str], bytes]] = []

    def __call__(self, headers: dict[str, str], body: bytes) -> Any:
        self.received.append((headers, body))
        return self.answers.pop(0) if self.answers else 200

    def entities(self, index: int = -1) -> list[dict[str, Any]]:
        doc = json.loads(self.received[index][1])
        return doc["eventNotifications"][0]["dataChangeEvent"]["entities"]

    def all_events(self) -> list[tuple[str, str, str]]:
        return [
            (e["name"], e["id"], e["operation"])
            for i in range(len(self.received))
            for e in self.entities(i)
        ]


@pytest.fixture
def books(sim, realm):
    return Books(sim, realm)


@pytest.fixture
def endpoint(sim, books):
    """Subscribed after the chart of accounts exists, so only the test's writes count."""
    sim.webhooks.deliver()
    target = Endpoint()
    sim.webhooks.subscribe(callback=target, verifier_token=VERIFIER)
    return target


def delivered(sim, endpoint: Endpoint) -> list[tuple[str, str, str]]:
    sim.webhooks.deliver()
    return endpoint.all_events()


# --- the store's commit hook ------------------------------------------------------------
def test_commit_listeners_hear_the_outermost_unit_only_and_only_when_it_commits():
    from qbo_sim.store import Company

    company = Company(realm_id="1", name="Books")
    heard: list[list[tuple[str, str, str, str | None]]] = []
    company.commit_listeners.append(
        lambda c, changes: heard.append(
            [(ch.type_name, ch.entity_id, ch.kind, ch.operation) for ch in changes]
        )
    )
    with company.unit_of_work():
        company.put("Invoice", {"Id": "1", "SyncToken": "0"})
        company.put("Invoice", {"Id": "2", "SyncToken": "0"})
        with company.unit_of_work():  # nested: the outer unit decides
            company.put("Invoice", {"Id": "1", "SyncToken": "1"})
        assert heard == []
    assert heard == [[("Invoice", "1", "create", None), ("Invoice", "2", "create", None)]]

    with pytest.raises(RuntimeError), company.unit_of_work():
        company.put("Invoice", {"Id": "1", "SyncToken": "2"})
        raise RuntimeError("rejected")
    assert len(heard) == 1  # a rolled-back unit notifies nobody

    with company.unit_of_work():
        company.put("Invoice", {"Id": "1", "SyncToken": "2"})
        company.note_operation("Invoice", "1", "void")
        company.put("Invoice", dict(company.get("Invoice", "2")))  # put back unchanged
        company.remove("Invoice", "2", {"Id": "2", "status": "Deleted"})
        company.put("Invoice", {"Id": "3", "SyncToken": "0"})
        company.remove("Invoice", "3")  # created and removed: no change
    assert heard[-1] == [("Invoice", "1", "update", "void"), ("Invoice", "2", "delete", None)]


# --- events -----------------------------------------------------------------------------
def test_api_create_update_delete_and_void_each_yield_their_event(sim, api, books, endpoint):
    customer = api.create("Customer", {"DisplayName": "Acme"})
    updated = api.post(
        "customer", {"Id": customer["Id"], "SyncToken": "0", "sparse": True, "Notes": "gate"}
    )
    assert updated.status_code == 200
    kept = api.create("Invoice", invoice_body(customer["Id"], 50.0, books.labor))
    gone = api.create("Invoice", invoice_body(customer["Id"], 20.0, books.labor))
    voided = api.post("invoice?operation=void", {"Id": kept["Id"], "SyncToken": "0"})
    deleted = api.post("invoice?operation=delete", {"Id": gone["Id"], "SyncToken": "0"})
    assert (voided.status_code, deleted.status_code) == (200, 200)

    assert delivered(sim, endpoint) == [
        ("Customer", customer["Id"], "Create"),
        ("Customer", customer["Id"], "Update"),
        ("Invoice", kept["Id"], "Create"),
        ("Invoice", gone["Id"], "Create"),
        ("Invoice", kept["Id"], "Void"),
        ("Invoice", gone["Id"], "Delete"),
    ]
    assert len(endpoint.received) == 1  # everything pending for one realm: one notification


def test_last_updated_is_the_entitys_metadata_time_without_colon_in_the_offset(
    sim, api, clock, endpoint
):
    clock.advance(seconds=42)
    customer = api.create("Customer", {"DisplayName": "Acme"})
    assert customer["MetaData"]["LastUpdatedTime"] == "2026-03-02T09:00:42-08:00"
    sim.webhooks.deliver()
    assert endpoint.entities() == [
        {
            "name": "Customer",
            "id": customer["Id"],
            "operation": "Create",
            "lastUpdated": "2026-03-02T09:00:42-0800",
        }
    ]


def test_a_qbo_user_edit_yields_an_update(sim, books, endpoint):
    customer = books.customer("Acme")
    sim.webhooks.deliver()
    sim.as_user(books.realm).sparse_update("Customer", customer, Notes="moved house")
    sim.webhooks.deliver()
    assert endpoint.all_events()[-1] == ("Customer", customer, "Update")


def test_a_payment_yields_an_update_of_the_invoice_whose_balance_it_changed(
    sim, api, books, endpoint
):
    customer = books.customer("Acme")
    invoice = books.invoice(customer, 100.0)
    sim.webhooks.deliver()
    payment = api.create("Payment", payment_body(customer, 40.0, (invoice, 40.0)))
    assert books.balance("Invoice", invoice) == 60.0
    sim.webhooks.deliver()
    # The customer's Balance is recomputed without a new LastUpdatedTime: CDC would not
    # report it, and neither does a webhook (assumed, the two agree).
    assert endpoint.entities() == [
        {
            "name": "Payment",
            "id": payment["Id"],
            "operation": "Create",
            "lastUpdated": "2026-03-02T09:00:00-0800",
        },
        {
            "name": "Invoice",
            "id": invoice,
            "operation": "Update",
            "lastUpdated": "2026-03-02T09:00:00-0800",
        },
    ]


def test_a_rolled_back_request_yields_no_event(sim, api, books, endpoint):
    first = api.create("Customer", {"DisplayName": "Acme"})
    sim.webhooks.deliver()
    duplicate = api.post("customer", {"DisplayName": "acme"})
    stale = api.post("customer", {"Id": first["Id"], "SyncToken": "7", "DisplayName": "B"})
    assert (duplicate.status_code, stale.status_code) == (400, 400)
    assert duplicate.get_json()["Fault"]["Error"][0]["code"] == "6240"
    assert sim.webhooks.deliver() == []
    assert sim.webhooks.outbox() == []
    assert endpoint.all_events() == [("Customer", first["Id"], "Create")]


def test_batch_items_yield_events_only_for_the_items_that_committed(sim, api, endpoint):
    res = api.post(
        "batch",
        {
            "BatchItemRequest": [
                {"bId": "1", "operation": "create", "Customer": {"DisplayName": "One"}},
                {"bId": "2", "operation": "create", "Customer": {"DisplayName": "one"}},
                {"bId": "3", "operation": "create", "Vendor": {"DisplayName": "Supplier"}},
            ]
        },
    )
    answers = {item["bId"]: item for item in res.get_json()["BatchItemResponse"]}
    assert "Fault" in answers["2"]
    assert delivered(sim, endpoint) == [
        ("Customer", answers["1"]["Customer"]["Id"], "Create"),
        ("Vendor", answers["3"]["Vendor"]["Id"], "Create"),
    ]


def test_preferences_yield_updates_only(sim, api, endpoint):
    current = api.get("preferences").get_json()["Preferences"]
    res = api.post(
        "preferences",
        {
            "Id": current["Id"],
            "SyncToken": current["SyncToken"],
            "sparse": True,
            "SalesFormsPrefs": {"CustomTxnNumbers": True},
        },
    )
    assert res.status_code == 200, res.get_data(as_text=True)
    assert delivered(sim, endpoint) == [("Preferences", current["Id"], "Update")]


def test_supported_entities_are_the_reference_list_that_qbo_sim_has():
    assert {"Customer", "Invoice", "Payment", "Preferences", "Item", "Account"} <= set(
        SUPPORTED_ENTITIES
    )
    assert "CompanyInfo" not in SUPPORTED_ENTITIES and "TaxCode" not in SUPPORTED_ENTITIES


def test_subscriptions_filter_by_entity_and_realm(sim, api, realm, books):
    sim.webhooks.deliver()
    other_realm = sim.create_company("empty")
    invoices, elsewhere = Endpoint(), Endpoint()
    sim.webhooks.subscribe(callback=invoices, verifier_token=VERIFIER, entities=["Invoice"])
    sim.webhooks.subscribe(callback=elsewhere, verifier_token=VERIFIER, realms=[other_realm])
    customer = books.customer("Acme")
    invoice = books.invoice(customer, 10.0)
    sim.as_user(other_realm).create("Customer", {"DisplayName": "Far away"})
    sim.webhooks.deliver()
    assert invoices.all_events() == [("Invoice", invoice, "Create")]
    assert [json.loads(b)["eventNotifications"][0]["realmId"] for _, b in elsewhere.received] == [
        other_realm
    ]
    with pytest.raises(ValueError, match="no webhook events for CompanyInfo"):
        sim.webhooks.subscribe(callback=invoices, verifier_token="v", entities=["CompanyInfo"])


def test_each_realm_gets_its_own_notification(sim, realm, books, endpoint):
    other_realm = sim.create_company("empty")
    books.customer("Here")
    sim.as_user(other_realm).create("Customer", {"DisplayName": "There"})
    books.customer("Here again")
    sim.webhooks.deliver()
    realms = [json.loads(b)["eventNotifications"][0]["realmId"] for _, b in endpoint.received]
    assert realms == [realm, other_realm]
    assert [e["name"] for e in endpoint.entities(0)] == ["Customer", "Customer"]


# --- bodies and signature ----------------------------------------------------------------
def test_legacy_body_and_headers_golden(sim, clock, realm):
    target = Endpoint()
    sim.webhooks.subscribe(callback=target, verifier_token=VERIFIER)
    sim.as_user(realm).create("Customer", {"DisplayName": "Acme"})
    clock.advance(5)
    sim.webhooks.deliver()
    headers, body = target.received[0]
    assert body == (
        b'{"eventNotifications":[{"realmId":"' + realm.encode() + b'","dataChangeEvent":'
        b'{"entities":[{"name":"Customer","id":"1","operation":"Create",'
        b'"lastUpdated":"2026-03-02T09:00:00-0800"}]}}]}'
    )
    assert {k: v for k, v in headers.items() if k not in ("intuit-signature", "intuit-t-id")} == {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "intuit_notification_server/0.1",
        "intuit-created-time": "2026-03-02T17:00:05.000Z",
        "intuit-notification-schema-version": "0.1",
    }


def test_cloudevents_body_golden(sim, clock, realm):
    target = Endpoint()
    sim.webhooks.subscribe(callback=target, verifier_token=VERIFIER, format="cloudevents")
    customer = sim.as_user(realm).create("Customer", {"DisplayName": "Acme"})
    clock.advance(1)
    vendor = sim.as_user(realm).create("Vendor", {"DisplayName": "Supplier"})
    sim.webhooks.deliver()
    body = target.received[0][1]
    source = "intuit." + base64.b64encode(hashlib.sha256(b"qbo-sim:qbo-sim-app").digest()).decode()
    assert source == "intuit.pyDlnxD9fBBSC9xl4ydHZhGI+C7IgYSkthwCGNZToBU="
    assert (
        body
        == (
            '[{"specversion":"1.0","id":"IDA","source":"SOURCE",'
            '"type":"qbo.customer.created.v1","datacontenttype":"application/json",'
            '"time":"2026-03-02T17:00:00.000000000Z","intuitentityid":"CUSTOMER",'
            '"intuitaccountid":"REALM","data":{}},'
            '{"specversion":"1.0","id":"IDB","source":"SOURCE",'
            '"type":"qbo.vendor.created.v1","datacontenttype":"application/json",'
            '"time":"2026-03-02T17:00:01.000000000Z","intuitentityid":"VENDOR",'
            '"intuitaccountid":"REALM","data":{}}]'
        )
        .replace("SOURCE", source)
        .replace("REALM", realm)
        .replace("CUSTOMER", customer["Id"])
        .replace("VENDOR", vendor["Id"])
        .replace("IDA", CLOUDEVENT_IDS[0])
        .replace("IDB", CLOUDEVENT_IDS[1])
        .encode()
    )


#: The uuids the simulator's seeded RNG gives the first two CloudEvents (seed 1).
CLOUDEVENT_IDS = ("1462ef2e-f260-41d3-9c56-f69025cf8349", "65644c9b-0587-4893-af37-002773a1c2a1")


def test_cloudevents_ids_are_deterministic_for_a_seed(clock):
    from qbo_sim import Clock, Simulator

    def run() -> list[str]:
        sim = Simulator(seed=3, clock=Clock(frozen_at=clock.now()))
        realm = sim.create_company("empty")
        target = Endpoint()
        sim.webhooks.subscribe(callback=target, verifier_token="v", format="cloudevents")
        sim.as_user(realm).create("Customer", {"DisplayName": "Acme"})
        sim.webhooks.deliver()
        return [e["id"] for e in json.loads(target.received[0][1])]

    assert run() == run()


def test_cloudevents_verbs_for_update_delete_and_void(sim, api, books):
    customer = books.customer("Acme")
    invoice = books.invoice(customer, 10.0)
    other = books.invoice(customer, 5.0)
    target = Endpoint()
    sim.webhooks.subscribe(
        callback=target, verifier_token="v", format="cloudevents", entities=["Invoice"]
    )
    sim.as_user(books.realm).sparse_update("Invoice", invoice, PrivateNote="x")
    sim.as_user(books.realm).void("Invoice", invoice)
    sim.as_user(books.realm).delete("Invoice", other)
    sim.webhooks.deliver()
    assert [e["type"] for e in json.loads(target.received[0][1])] == [
        "qbo.invoice.updated.v1",
        "qbo.invoice.voided.v1",
        "qbo.invoice.deleted.v1",
    ]


def test_signature_verifies_with_the_helper_and_an_independent_hmac(sim, realm):
    target = Endpoint()
    sim.webhooks.subscribe(callback=target, verifier_token=VERIFIER)
    sim.as_user(realm).create("Customer", {"DisplayName": "Acme"})
    sim.webhooks.deliver()
    headers, body = target.received[0]
    expected = base64.b64encode(hmac.new(VERIFIER.encode(), body, hashlib.sha256).digest()).decode()
    assert headers["intuit-signature"] == expected
    assert verify_signature(VERIFIER, body, headers["intuit-signature"])
    assert verify_signature(VERIFIER, body.decode("utf-8"), headers["intuit-signature"])
    assert not verify_signature("another-token", body, headers["intuit-signature"])
    assert not verify_signature(VERIFIER, body + b" ", headers["intuit-signature"])
    assert not verify_signature(VERIFIER, body, "not base64!")


# --- delivery ------------------------------------------------------------------------------
def test_retries_follow_the_schedule_on_the_simulated_clock(sim, clock, realm):
    target = Endpoint(500, False)  # fails twice, then answers 200
    sim.webhooks.subscribe(callback=target, verifier_token=VERIFIER)
    sim.as_user(realm).create("Customer", {"DisplayName": "Acme"})
    first = sim.webhooks.deliver()
    assert [(d.attempt.status, d.acknowledged) for d in first] == [(500, False)]
    assert sim.webhooks.deliver() == []  # the retry is not due yet
    clock.advance(9)
    assert sim.webhooks.deliver() == []
    clock.advance(1)
    second = sim.webhooks.deliver()
    assert [(d.attempt.status, d.acknowledged) for d in second] == [(500, False)]
    clock.advance(19)
    assert sim.webhooks.deliver() == []
    clock.advance(1)
    third = sim.webhooks.deliver()
    assert [d.acknowledged for d in third] == [True]
    note = sim.webhooks.history()[0]
    assert note.state == "acknowledged"
    assert [a.at.isoformat() for a in note.attempts] == [
        "2026-03-02T17:00:00+00:00",
        "2026-03-02T17:00:10+00:00",
        "2026-03-02T17:00:30+00:00",
    ]
    assert len({body for _, body in target.received}) == 1  # the same signed body each time
    assert sim.webhooks.outbox() == []


def test_the_whole_retry_schedule_then_every_six_hours(sim, clock, realm):
    target = Endpoint(*([503] * 12))
    sim.webhooks.subscribe(callback=target, verifier_token=VERIFIER)
    sim.as_user(realm).create("Customer", {"DisplayName": "Acme"})
    sim.webhooks.deliver()
    gaps = []
    for _ in range(10):
        due = sim.webhooks.next_due()
        gaps.append((due - clock.now()).total_seconds())
        clock.set(due)
        assert len(sim.webhooks.deliver()) == 1
    assert RETRY_DELAYS == (10, 20, 30, 300, 1200, 7200, 14400, 21600)
    assert gaps == [10, 20, 30, 300, 1200, 7200, 14400, 21600, 21600, 21600]


def test_later_events_are_held_until_the_first_notification_is_acknowledged(sim, clock, realm):
    target = Endpoint(500)
    sim.webhooks.subscribe(callback=target, verifier_token=VERIFIER)
    user = sim.as_user(realm)
    first = user.create("Customer", {"DisplayName": "First"})
    sim.webhooks.deliver()
    second = user.create("Customer", {"DisplayName": "Second"})
    assert sim.webhooks.deliver() == []  # held behind the unacknowledged notification
    states = [row["state"] for row in sim.webhooks.outbox()]
    assert states == ["retrying", "held"]
    clock.advance(10)
    sent = sim.webhooks.deliver()
    assert [[e.id for e in d.notification.events] for d in sent] == [[first["Id"]], [second["Id"]]]
    assert [d.acknowledged for d in sent] == [True, True]


def test_an_endpoint_slower_than_three_seconds_is_not_acknowledged(sim, clock, realm):
    def slow(headers: dict[str, str], body: bytes) -> int:
        clock.advance(4)  # simulated time spent answering
        return 200

    sim.webhooks.subscribe(callback=slow, verifier_token=VERIFIER)
    sim.as_user(realm).create("Customer", {"DisplayName": "Acme"})
    [delivery] = sim.webhooks.deliver()
    assert not delivery.acknowledged
    assert delivery.attempt.error == "no answer within 3 s (simulated)"


def test_a_raising_endpoint_is_retried(sim, realm):
    def broken(headers: dict[str, str], body: bytes) -> int:
        raise RuntimeError("database locked")

    sim.webhooks.subscribe(callback=broken, verifier_token=VERIFIER)
    sim.as_user(realm).create("Customer", {"DisplayName": "Acme"})
    [delivery] = sim.webhooks.deliver()
    assert delivery.attempt.error == "RuntimeError: database locked"
    assert sim.webhooks.outbox()[0]["state"] == "retrying"


def test_dropped_notifications_never_arrive(sim, realm, endpoint):
    user = sim.as_user(realm)
    sim.webhooks.drop_next(1)
    lost = user.create("Customer", {"DisplayName": "Lost"})
    sim.webhooks.deliver()
    kept = user.create("Customer", {"DisplayName": "Kept"})
    sim.webhooks.deliver()
    assert endpoint.all_events() == [("Customer", kept["Id"], "Create")]
    assert [n.state for n in sim.webhooks.history()][-2:] == ["dropped", "acknowledged"]
    assert lost["Id"] != kept["Id"]


def test_reverse_next_delivers_events_out_of_order(sim, realm, endpoint):
    user = sim.as_user(realm)
    sim.webhooks.reverse_next(1)
    a = user.create("Customer", {"DisplayName": "A"})
    b = user.create("Customer", {"DisplayName": "B"})
    sim.webhooks.deliver()
    assert [e["id"] for e in endpoint.entities()] == [b["Id"], a["Id"]]


def test_auto_deliver_sends_after_each_api_request_and_user_edit(sim, api, realm, endpoint):
    sim.webhooks.auto_deliver = True
    customer = api.create("Customer", {"DisplayName": "Acme"})
    assert endpoint.all_events() == [("Customer", customer["Id"], "Create")]
    sim.as_user(realm).sparse_update("Customer", customer["Id"], Notes="x")
    assert endpoint.all_events()[-1] == ("Customer", customer["Id"], "Update")


def test_an_endpoint_that_writes_back_during_delivery_gets_those_events_too(sim, realm):
    user = sim.as_user(realm)
    seen: list[str] = []

    def reacting(headers: dict[str, str], body: bytes) -> int:
        for event in json.loads(body)["eventNotifications"][0]["dataChangeEvent"]["entities"]:
            seen.append(event["id"])
            if event["operation"] == "Create":
                user.sparse_update("Customer", event["id"], Notes="seen")
        return 200

    sim.webhooks.subscribe(callback=reacting, verifier_token=VERIFIER)
    sim.webhooks.auto_deliver = True
    created = user.create("Customer", {"DisplayName": "Acme"})
    assert seen == [created["Id"], created["Id"]]  # the Create, then the Update it caused


def test_unsubscribe_stops_delivery(sim, realm, endpoint):
    [sub] = sim.webhooks.subscriptions()
    sim.webhooks.unsubscribe(sub)
    sim.as_user(realm).create("Customer", {"DisplayName": "Acme"})
    assert sim.webhooks.deliver() == [] and endpoint.received == []
    with pytest.raises(KeyError):
        sim.webhooks.unsubscribe(sub.id)


# --- real HTTP ----------------------------------------------------------------------------
class Receiver:
    """A small Flask app on waitress, on a free port: a webhook endpoint over real HTTP."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes, bool]] = []
        self.status = 200
        app = Flask("receiver")

        @app.post("/qbo-webhooks")
        def hook() -> tuple[str, int]:
            body = request.get_data()
            signature = request.headers.get("intuit-signature", "")
            valid = verify_signature(VERIFIER, body, signature)
            self.received.append((dict(request.headers), body, valid))
            return ("ok" if valid else "bad signature"), (self.status if valid else 401)

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self.server = create_server(app, host="127.0.0.1", port=self.port, threads=2)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/qbo-webhooks"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    served = Receiver()
    served.thread.start()
    yield served
    served.server.close()
    served.thread.join(timeout=10)


def test_delivery_over_real_http_to_a_local_endpoint(sim, clock, realm, receiver):
    sim.webhooks.subscribe(url=receiver.url, verifier_token=VERIFIER)
    customer = sim.as_user(realm).create("Customer", {"DisplayName": "Acme"})
    receiver.status = 500
    [failed] = sim.webhooks.deliver()
    assert (failed.attempt.status, failed.acknowledged, failed.attempt.answer) == (
        500,
        False,
        "ok",
    )
    receiver.status = 200
    clock.advance(10)
    [ok] = sim.webhooks.deliver()
    assert (ok.attempt.status, ok.acknowledged) == (200, True)
    headers, body, valid = receiver.received[-1]
    assert valid
    assert headers["User-Agent"] == "intuit_notification_server/0.1"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    event = json.loads(body)["eventNotifications"][0]["dataChangeEvent"]["entities"][0]
    assert (event["name"], event["id"], event["operation"]) == (
        "Customer",
        customer["Id"],
        "Create",
    )


def test_in_mock_mode_loopback_passes_and_other_hosts_fail_clearly(sim, realm, receiver):
    sim.webhooks.subscribe(url=receiver.url, verifier_token=VERIFIER)
    sim.webhooks.subscribe(url="https://hooks.example.com/qbo", verifier_token=VERIFIER)
    sim.as_user(realm).create("Customer", {"DisplayName": "Acme"})
    with sim.mock():
        local, remote = sim.webhooks.deliver()
    assert local.acknowledged and len(receiver.received) == 1
    assert not remote.acknowledged
    assert remote.attempt.status is None
    assert "ConnectionError" in (remote.attempt.error or "")
    assert "hooks.example.com" in (remote.attempt.error or "")


# --- control plane --------------------------------------------------------------------------
def test_control_plane_subscribes_delivers_and_reports(sim, clock, realm, receiver):
    control = sim.app.test_client()
    created = control.post(
        "/_sim/webhooks/subscriptions",
        json={"url": receiver.url, "verifier_token": VERIFIER, "entities": ["Customer"]},
    )
    assert created.status_code == 201
    sub = created.get_json()
    assert sub["entities"] == ["Customer"] and sub["format"] == "legacy"
    assert control.get("/_sim/webhooks").get_json()["subscriptions"][0]["id"] == sub["id"]

    sim.as_user(realm).create("Customer", {"DisplayName": "Acme"})
    outbox = control.get("/_sim/webhooks/outbox").get_json()["outbox"]
    assert [(row["state"], row["realm"]) for row in outbox] == [("queued", realm)]

    receiver.status = 503
    answer = control.post("/_sim/webhooks/deliver").get_json()
    assert [d["attempt"]["status"] for d in answer["deliveries"]] == [503]
    assert answer["next_due"] == "2026-03-02T17:00:10+00:00"
    receiver.status = 200
    control.post("/_sim/clock/advance", json={"seconds": 10})
    answer = control.post("/_sim/webhooks/deliver").get_json()
    assert [d["state"] for d in answer["deliveries"]] == ["acknowledged"]
    history = control.get("/_sim/webhooks/history").get_json()["notifications"]
    assert [len(n["attempts"]) for n in history] == [2]
    assert verify_signature(VERIFIER, history[0]["body"], history[0]["headers"]["intuit-signature"])

    assert control.patch("/_sim/webhooks", json={"auto_deliver": True}).get_json()["auto_deliver"]
    assert sim.webhooks.auto_deliver is True
    assert control.post("/_sim/webhooks/drop", json={"count": 1}).status_code == 200
    removed = control.delete(f"/_sim/webhooks/subscriptions/{sub['id']}")
    assert removed.status_code == 200 and sim.webhooks.subscriptions() == []


def test_control_plane_refuses_bad_subscriptions(sim):
    control = sim.app.test_client()
    bad_format = control.post(
        "/_sim/webhooks/subscriptions",
        json={"url": "http://127.0.0.1:1/", "verifier_token": "v", "format": "xml"},
    )
    assert bad_format.status_code == 400
    assert "format must be one of legacy, cloudevents" in bad_format.get_json()["detail"]
    no_token = control.post("/_sim/webhooks/subscriptions", json={"url": "http://127.0.0.1:1/"})
    assert no_token.status_code == 400
    unknown = control.delete("/_sim/webhooks/subscriptions/s99")
    assert unknown.status_code == 404
    extra = control.post(
        "/_sim/webhooks/subscriptions", json={"url": "x", "verifier_token": "v", "colour": 1}
    )
    assert extra.status_code == 400 and extra.get_json()["error"] == "unknown fields"


def test_a_subscription_needs_exactly_one_target(sim):
    with pytest.raises(ValueError, match="exactly one of url= and callback="):
        sim.webhooks.subscribe(verifier_token="v")
    with pytest.raises(ValueError, match="verifier_token"):
        sim.webhooks.subscribe(url="http://127.0.0.1:1/", verifier_token="")


# --- the scenario harness -------------------------------------------------------------------
class WebhookListener:
    """An in-process integration that only listens to webhooks (harness protocol)."""

    seen: list[tuple[str, bool]] = []

    def connect(self, connection: Any) -> None:
        self.verifier = connection.webhook_verifier

    def apply(self, change: dict[str, Any]) -> None:
        return None

    def sync(self) -> None:
        return None

    def status(self, kind: str, key: str) -> dict[str, Any]:
        return {"state": "synced"}

    def operate(self, action: str, kind: str, key: str, **params: Any) -> None:
        return None

    def receive_webhook(self, headers: dict[str, str], body: bytes) -> None:
        valid = verify_signature(self.verifier, body, headers["intuit-signature"])
        for event in json.loads(body)["eventNotifications"][0]["dataChangeEvent"]["entities"]:
            WebhookListener.seen.append((f"{event['name']} {event['operation']}", valid))


def test_a_scenario_step_delivers_webhooks_to_an_integration(tmp_path):
    from qbo_sim.harness.runner import run_scenario

    scenario = tmp_path / "webhooks.scenario.yaml"
    scenario.write_text(
        "name: webhooks reach the integration\n"
        "given: {preset: empty, seed: 4}\n"
        "steps:\n"
        "  - qbo_user: {action: create, entity: Customer, body: {DisplayName: Acme}, alias: acme}\n"
        "  - deliver_webhooks: {}\n"
        "  - qbo_user: {action: edit, entity: Customer, id: $qbo.acme.Id, fields: {Notes: x}}\n"
        "  - deliver_webhooks: {}\n"
    )
    WebhookListener.seen = []
    result = run_scenario(scenario, WebhookListener)
    assert result.failures == [] and result.passed
    assert WebhookListener.seen == [("Customer Create", True), ("Customer Update", True)]


def test_duplicate_next_sends_an_acknowledged_notification_again_unchanged(sim, books, endpoint):
    sim.webhooks.duplicate_next(1)
    books.customer("Twice Delivered")
    sim.webhooks.deliver()
    assert len(endpoint.received) == 2
    assert endpoint.received[0] == endpoint.received[1]
    books.customer("Once Delivered")
    sim.webhooks.deliver()
    assert len(endpoint.received) == 3
