"""Throttling (reference §5.9, §2.3 3001): limits per realm and per realm + app, on the frozen
clock; the 429 body is the observed XML ThrottleExceeded fault without Retry-After."""

from __future__ import annotations

import pytest

from qbo_sim.api.gateway import ApiCall
from qbo_sim.auth import DEV_TOKEN

THROTTLED_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" '
    'time="2026-03-02T09:00:00.000-08:00">'
    '<Fault type="SERVICE"><Error code="3001">'
    "<Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>"
    "<Detail>The request limit was reached.  Try again later</Detail>"
    "</Error></Fault></IntuitResponse>"
)


@pytest.fixture
def client(sim):
    return sim.app.test_client()


def get(client, realm, token=DEV_TOKEN):
    return client.get(
        f"/v3/company/{realm}/companyinfo/{realm}",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )


def test_eleventh_request_in_a_second_is_429_xml_without_retry_after(client, realm, clock):
    for _ in range(10):
        assert get(client, realm).status_code == 200
    res = get(client, realm)
    assert res.status_code == 429
    assert res.get_data(as_text=True) == THROTTLED_XML
    assert res.mimetype == "application/xml"
    assert "Retry-After" not in res.headers
    assert res.headers["intuit_tid"]
    clock.advance(1)
    assert get(client, realm).status_code == 200


def test_per_second_limit_is_per_app(sim, client, realm):
    oauth_token = sim.oauth.issue_tokens(realm)["access_token"]
    for _ in range(10):
        assert get(client, realm).status_code == 200
    assert get(client, realm).status_code == 429
    assert get(client, realm, oauth_token).status_code == 200  # another app


def test_501st_request_within_a_minute_is_429_and_clears_after_the_window(
    sim, client, realm, clock
):
    sim.throttle.configure(per_app_second=None)
    for _ in range(500):
        assert get(client, realm).status_code == 200
    assert get(client, realm).status_code == 429
    clock.advance(59.9)
    assert get(client, realm).status_code == 429
    clock.advance(0.1)
    assert get(client, realm).status_code == 200


def test_per_minute_limit_with_a_realistic_pace(client, realm, clock):
    statuses = []
    for _ in range(501):
        statuses.append(get(client, realm).status_code)
        clock.advance(0.1)
    assert statuses[:500] == [200] * 500 and statuses[500] == 429


def test_throttled_requests_are_journalled_with_3001(sim, client, realm):
    for _ in range(11):
        get(client, realm)
    assert [e.status for e in sim.journal.entries(fault_code="3001")] == [429]


def test_batch_limits_per_app_and_per_realm(sim, client, realm, clock):
    def batch(token=DEV_TOKEN):
        return client.post(
            f"/v3/company/{realm}/batch",
            json={"BatchItemRequest": []},
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        )

    for _ in range(40):
        assert batch().status_code != 429
        clock.advance(0.2)
    assert batch().status_code == 429
    assert get(client, realm).status_code == 200  # non-batch calls are not batch-limited

    def app_token() -> str:
        client_id = sim.oauth.register_client().client_id
        return sim.oauth.issue_tokens(realm, client_id)["access_token"]

    for token in (
        app_token(),
        app_token(),
    ):  # 40 + 40 + 40 = 120 batch requests in the realm's minute
        for _ in range(40):
            assert batch(token).status_code != 429
            clock.advance(0.1)
    assert batch(app_token()).status_code == 429


def test_limits_can_be_switched_off_globally_and_per_company(sim, client, realm):
    other = sim.create_company("empty")
    sim.throttle.set_enabled(False, realm)
    for _ in range(30):
        assert get(client, realm).status_code == 200
    for _ in range(10):
        get(client, other)
    assert get(client, other).status_code == 429
    sim.throttle.enabled = False
    assert get(client, other).status_code == 200


def test_limits_are_configurable_per_company(sim, client, realm):
    sim.throttle.configure(realm, per_app_second=3)
    assert sim.company(realm).extras["throttle"] == {"per_app_second": 3}
    for _ in range(3):
        assert get(client, realm).status_code == 200
    assert get(client, realm).status_code == 429
    assert sim.throttle.state(realm)["limits"]["per_app_second"] == 3
    with pytest.raises(KeyError):
        sim.throttle.configure(per_hour=5)


def test_ten_requests_in_flight_per_app_hook_level(sim, realm):
    """The 11th concurrent request of one app is refused until one of the ten finishes."""
    throttle = sim.throttle
    throttle.configure(per_app_second=None)
    token = sim.oauth.access_token(DEV_TOKEN)

    def new_call() -> ApiCall:
        path = f"/v3/company/{realm}/companyinfo/{realm}"
        return ApiCall(
            "GET", path, {}, b"", "localhost", "tid", realm, sim.company(realm), None, token
        )

    with sim.app.test_request_context(f"/v3/company/{realm}/companyinfo/{realm}"):
        running = [new_call() for _ in range(10)]
        assert all(throttle.before(c) is None for c in running)
        refused = new_call()
        answer = throttle.before(refused)
        assert answer is not None and answer.status_code == 429
        throttle.after(refused, answer)  # a refused call does not free a slot
        assert throttle.before(new_call()).status_code == 429
        throttle.after(running[0], answer)
        assert throttle.before(new_call()) is None
        assert throttle.state(realm)["in_flight"] == {"qbo-sim-dev-token": 10}


def test_requests_stay_in_flight_for_their_simulated_duration(sim, realm):
    """With request_seconds, a request counts as in flight for that long on the simulated
    clock, even once answered: 11 calls begun within it are 11 in flight."""
    throttle = sim.throttle
    throttle.configure(per_app_second=None)
    sim.request_seconds = 0.25
    token = sim.oauth.access_token(DEV_TOKEN)
    path = f"/v3/company/{realm}/companyinfo/{realm}"

    def call() -> ApiCall:
        return ApiCall(
            "GET", path, {}, b"", "localhost", "t", realm, sim.company(realm), None, token
        )

    with sim.app.test_request_context(path):
        for _ in range(10):  # answered at once, but each lasts 0.25 s of simulated time
            done = call()
            assert throttle.before(done) is None
            throttle.after(done, None)
        assert throttle.before(call()).status_code == 429
        sim.clock.advance(0.25)
        assert throttle.before(call()) is None
        sim.request_seconds = 0  # no simulated duration: only requests being served count
        for _ in range(20):
            done = call()
            assert throttle.before(done) is None
            throttle.after(done, None)


def test_eleven_parallel_clients_of_a_real_server_meet_the_in_flight_limit(sim, realm):
    """Over HTTP to sim.serve(): with ten requests being served, the eleventh gets 429
    ThrottleExceeded (the 10-in-flight limit, reachable with the default worker threads)."""
    import threading

    import requests

    sim.throttle.configure(per_app_second=None, per_realm_minute=None)
    entered = threading.Semaphore(0)
    release = threading.Event()

    class HoldInside:  # a gateway hook after the throttle: keeps requests in flight
        stage = "custom"

        def before(self, call):
            entered.release()
            release.wait(timeout=30)
            return None

        def after(self, call, response):
            return response

    sim.hooks.add(HoldInside())
    headers = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}
    statuses: list[int] = []
    with sim.serve() as url:
        target = f"{url}/v3/company/{realm}/companyinfo/{realm}"

        def one() -> None:
            statuses.append(requests.get(target, headers=headers, timeout=60).status_code)

        held = [threading.Thread(target=one) for _ in range(10)]
        for client in held:
            client.start()
        for _ in held:
            assert entered.acquire(timeout=30), "ten requests reach the server at once"
        eleventh = requests.get(target, headers=headers, timeout=60)
        release.set()
        for client in held:
            client.join(timeout=60)
    assert eleventh.status_code == 429
    assert "ThrottleExceeded" in eleventh.text
    assert statuses == [200] * 10


def test_a_limit_switched_off_keeps_no_timestamps(sim, client, realm):
    """Issue 13: with a limit off, every accepted request's timestamp stayed in its window
    forever (the window was never counted, so never pruned)."""
    sim.throttle.configure(per_app_second=None, per_realm_minute=None)
    for _ in range(50):
        assert get(client, realm).status_code == 200
    assert all(len(w.times) <= 10 for w in sim.throttle._windows.values())
    assert sim.throttle.state(realm)["windows"] == {}
