"""One built Flask app per process, one simulator per app copy: the routes are built once
(``qbo_sim.api.shared_app``) and every simulator's state stays its own, whether its requests
come through the test client, ``sim.mock()`` or a server running beside another one."""

from __future__ import annotations

import threading

import pytest
import requests

from qbo_sim import Clock, Simulator
from qbo_sim.api import shared_app
from qbo_sim.auth import DEV_TOKEN
from tests.conftest import START

HEADERS = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}
SANDBOX = "https://sandbox-quickbooks.api.intuit.com"


def _pair() -> tuple[Simulator, str, Simulator, str]:
    first, second = Simulator(seed=1, clock=Clock(frozen_at=START)), Simulator(seed=2)
    return first, first.create_company(), second, second.create_company()


def _names(sim: Simulator, realm: str) -> set[str]:
    return {c["DisplayName"] for c in sim.company(realm).all("Customer")}


def test_simulators_share_the_built_routes_but_not_the_app_object():
    first, second = Simulator(), Simulator()
    assert first.app is not second.app
    assert first.app.url_map is second.app.url_map is shared_app().url_map
    assert first.app.view_functions is shared_app().view_functions
    assert first.app.extensions["qbo_sim"] is first
    assert second.app.extensions["qbo_sim"] is second
    assert "qbo_sim" not in shared_app().extensions
    first.app.config["TESTING"] = True
    assert not second.app.config["TESTING"] and not shared_app().config["TESTING"]


def test_a_simulator_app_refuses_setup_that_would_change_every_simulator():
    app = Simulator().app
    with pytest.raises(AssertionError, match="shared by every simulator"):
        app.add_url_rule("/mine", "mine", lambda: "x")
    with pytest.raises(AssertionError, match="shared by every simulator"):
        app.before_request(lambda: None)
    assert "mine" not in shared_app().view_functions


def test_a_replaced_wsgi_app_stays_on_its_own_simulator():
    first, realm, second, other = _pair()
    seen: list[str] = []
    inner = first.app.wsgi_app

    def recording(environ, start_response):
        seen.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    first.app.wsgi_app = recording  # type: ignore[method-assign]
    second.app.test_client().get(f"/v3/company/{other}/companyinfo/{other}", headers=HEADERS)
    assert seen == []
    first.app.test_client().get(f"/v3/company/{realm}/companyinfo/{realm}", headers=HEADERS)
    assert seen == [f"/v3/company/{realm}/companyinfo/{realm}"]


def test_two_live_simulators_keep_their_own_state_through_test_clients():
    first, realm, second, other = _pair()
    a, b = first.app.test_client(), second.app.test_client()
    body = {"DisplayName": "Only A"}
    made = a.post(f"/v3/company/{realm}/customer", json=body, headers=HEADERS)
    assert made.status_code == 200
    b.post(f"/v3/company/{other}/customer", json={"DisplayName": "Only B"}, headers=HEADERS)
    assert "Only A" in _names(first, realm) and "Only A" not in _names(second, other)
    assert "Only B" in _names(second, other) and "Only B" not in _names(first, realm)
    # each app knows only its own companies, and journals only its own requests
    assert b.get(f"/v3/company/{realm}/companyinfo/{realm}", headers=HEADERS).status_code != 200
    assert [e.realm for e in first.journal.entries()] == [realm]
    assert [e.realm for e in second.journal.entries()] == [other, realm]
    # and answers with its own clock
    assert made.get_json()["time"] == "2026-03-02T09:00:00.000-08:00"


def test_two_mocks_route_to_their_own_simulator():
    first, realm, second, other = _pair()
    with first.mock():
        requests.post(
            f"{SANDBOX}/v3/company/{realm}/customer",
            json={"DisplayName": "Mocked A"},
            headers=HEADERS,
            timeout=5,
        )
    with second.mock():
        missing = requests.get(
            f"{SANDBOX}/v3/company/{realm}/companyinfo/{realm}", headers=HEADERS, timeout=5
        )
    assert missing.status_code != 200
    assert "Mocked A" in _names(first, realm) and "Mocked A" not in _names(second, other)


def test_two_simulators_served_at_once_stay_independent():
    """Both servers take requests at the same time from several threads; every customer
    lands in the simulator whose server was called, and nowhere else."""
    first, realm, second, other = _pair()
    first.throttle.set_enabled(False)
    second.throttle.set_enabled(False)
    errors: list[BaseException] = []
    with first.serve(threads=4) as url_a, second.serve(threads=4) as url_b:
        targets = [(url_a, realm, "A"), (url_b, other, "B")]
        barrier = threading.Barrier(4)

        def work(url: str, company: str, label: str, worker: int) -> None:
            try:
                barrier.wait(timeout=30)
                with requests.Session() as session:
                    for n in range(10):
                        answer = session.post(
                            f"{url}/v3/company/{company}/customer",
                            json={"DisplayName": f"{label} {worker}-{n}"},
                            headers=HEADERS,
                            timeout=30,
                        )
                        assert answer.status_code == 200, answer.text
            except BaseException as exc:  # surfaced below, in the test's thread
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(*targets[i % 2], i)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    made_a = {n for n in _names(first, realm) if n[:2] in ("A ", "B ")}
    made_b = {n for n in _names(second, other) if n[:2] in ("A ", "B ")}
    assert made_a == {f"A {w}-{n}" for w in (0, 2) for n in range(10)}
    assert made_b == {f"B {w}-{n}" for w in (1, 3) for n in range(10)}
    assert first.errors == [] and second.errors == []
