"""``requestid`` idempotency (reference §5.5, §8) and its interplay with ambiguous failures."""

from __future__ import annotations

from tests.conftest import fault_of


def create(api, name, requestid=None, body=None):
    query = {"requestid": requestid} if requestid else {}
    return api.post("customer", body or {"DisplayName": name}, query_string=query)


def test_replay_returns_the_original_response_byte_for_byte(sim, api, clock):
    first = create(api, "Acme", "req-1")
    assert first.status_code == 200
    clock.advance(5)
    again = create(api, "Acme", "req-1")
    assert again.status_code == 200
    assert again.get_data() == first.get_data()
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers["intuit_tid"] != first.headers["intuit_tid"]
    assert sim.company(api.realm).count("Customer") == 1


def test_same_requestid_with_a_different_body_returns_the_original(sim, api):
    first = create(api, "Acme", "req-2")
    other = create(api, "Other Name", "req-2")
    assert other.get_data() == first.get_data()
    assert [c["DisplayName"] for c in sim.company(api.realm).all("Customer")] == ["Acme"]


def test_faults_are_not_remembered_so_a_fixed_retry_executes(sim, api):
    failed = create(api, None, "req-3", body={"DisplayName": "Bad", "PrimaryEmailAddr": 5})
    assert failed.status_code == 400
    sim.injector.add(fault="stale_object", params={"user": "API API"}, times=1)
    assert fault_of(create(api, "Acme", "req-3"))["code"] == "5010"
    fixed = create(api, "Acme", "req-3")
    assert fixed.status_code == 200
    assert sim.company(api.realm).count("Customer") == 1


def test_requestids_are_per_company(sim, api):
    other = sim.create_company("empty")
    create(api, "Acme", "shared-id")
    api.realm = other
    assert create(api, "Acme", "shared-id").status_code == 200
    assert sim.company(other).count("Customer") == 1


def pay(api, customer_id, requestid=None):
    """An unapplied payment: no unique name, so a blind retry duplicates it."""
    query = {"requestid": requestid} if requestid else {}
    body = {"CustomerRef": {"value": customer_id}, "TotalAmt": 25.0}
    return api.post("payment", body, query_string=query)


def test_ambiguous_create_retried_with_the_same_requestid_makes_exactly_one(sim, api):
    customer = api.create("Customer", {"DisplayName": "Acme"})
    sim.injector.add(entity="payment", operation="create", ambiguous=True, status=502, times=1)
    failed = pay(api, customer["Id"], "req-6")
    assert failed.status_code == 502
    retried = pay(api, customer["Id"], "req-6")
    assert retried.status_code == 200
    assert retried.get_json()["Payment"]["TotalAmt"] == 25.0
    assert sim.company(api.realm).count("Payment") == 1


def test_ambiguous_create_retried_without_requestid_makes_two(sim, api):
    customer = api.create("Customer", {"DisplayName": "Acme"})
    sim.injector.add(entity="Payment", operation="create", ambiguous=True, drop=True, times=1)
    first = pay(api, customer["Id"])
    assert first.headers["X-QBO-Sim-Drop"] == "1"
    assert pay(api, customer["Id"]).status_code == 200
    assert sim.company(api.realm).count("Payment") == 2


def test_requestid_is_forgotten_after_the_retention_period(sim, api, clock):
    customer = api.create("Customer", {"DisplayName": "Acme"})
    first = pay(api, customer["Id"], "req-4")
    clock.advance(hours=23, minutes=59)
    assert pay(api, customer["Id"], "req-4").get_data() == first.get_data()
    assert sim.company(api.realm).count("Payment") == 1
    clock.advance(minutes=1)
    assert pay(api, customer["Id"], "req-4").status_code == 200  # executed again
    assert sim.company(api.realm).count("Payment") == 2


def test_retention_follows_the_fidelity_setting(sim, api, clock):
    customer = api.create("Customer", {"DisplayName": "Acme"})
    sim.company(api.realm).fidelity["requestid_retention_hours"] = 1
    pay(api, customer["Id"], "req-5")
    assert [r["requestid"] for r in sim.idempotency.remembered(api.realm)] == ["req-5"]
    clock.advance(hours=1)
    assert sim.idempotency.remembered(api.realm) == []
    pay(api, customer["Id"], "req-5")
    assert sim.company(api.realm).count("Payment") == 2


def test_replay_is_still_throttled(sim, api):
    create(api, "Acme", "req-7")
    statuses = [create(api, "Acme", "req-7").status_code for _ in range(10)]
    assert statuses == [200] * 9 + [429]


def test_remembered_ids_are_bounded_per_company_oldest_first(sim, api, monkeypatch):
    """Issue 13: on a frozen clock no id ever expired, each keeping a whole response."""
    from qbo_sim import idempotency

    monkeypatch.setattr(idempotency, "MAX_PER_COMPANY", 5)
    sim.throttle.set_enabled(False)
    for n in range(8):
        assert create(api, f"Customer {n}", f"req-{n}").status_code == 200
    remembered = [r["requestid"] for r in sim.idempotency.remembered(api.realm)]
    assert remembered == [f"req-{n}" for n in range(3, 8)]
    assert create(api, "Customer 0 again", "req-0").status_code == 200
    assert sim.company(api.realm).count("Customer") == 9  # forgotten: executed again
