"""Server mode (waitress in a thread), and one sync test run over both transports."""

from __future__ import annotations

import threading

import pytest
import requests

from qbo_sim.auth import DEV_TOKEN
from tests.sim.test_intercept import DropEverything

HEADERS = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}


def sync_a_customer_twice(base_url: str, realm: str) -> requests.Response:
    """A user's integration: create, update with the token it holds, then update again with
    the same (now stale) token."""
    session = requests.Session()
    session.headers.update(HEADERS)
    url = f"{base_url}/v3/company/{realm}/customer?minorversion=75"
    created = session.post(url, json={"DisplayName": "Acme Plumbing"}, timeout=10).json()
    customer = created["Customer"]
    update = {"Id": customer["Id"], "SyncToken": customer["SyncToken"], "sparse": True}
    first = session.post(url, json={**update, "CompanyName": "Acme"}, timeout=10)
    assert first.json()["Customer"]["SyncToken"] == "1"
    return session.post(url, json={**update, "CompanyName": "Acme Inc"}, timeout=10)


def test_the_same_sync_test_runs_on_both_transports(base_url, sim, realm):
    stale = sync_a_customer_twice(base_url, realm)
    assert stale.status_code == 400
    assert stale.headers["intuit_tid"].startswith("1-")
    assert stale.json()["Fault"]["Error"][0]["code"] == "5010"
    assert [e.status for e in sim.journal.entries(realm=realm)] == [200, 200, 400]


def test_serve_uses_a_free_port_and_stops_its_thread(sim, realm):
    before = {t.name for t in threading.enumerate()}
    server = sim.serve(port=0)
    with server as url:
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        assert server.url == url
        response = requests.get(f"{url}/_sim/companies", timeout=10)
        assert [c["realm_id"] for c in response.json()["companies"]] == [realm]
    assert {t.name for t in threading.enumerate()} <= before
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{url}/_sim/companies", timeout=10)
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.url


def test_two_servers_run_side_by_side(sim, realm):
    with sim.serve() as first, sim.serve() as second:
        assert first != second
        for url in (first, second):
            assert requests.get(f"{url}/_sim/clock", timeout=10).status_code == 200


def test_a_dropped_response_closes_the_connection_without_an_answer(sim, realm):
    sim.hooks.add(DropEverything())
    with sim.serve() as url:
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(f"{url}/v3/company/{realm}/preferences", headers=HEADERS, timeout=10)
        # the server keeps serving other connections
        assert requests.get(f"{url}/_sim/clock", timeout=10).status_code == 200
    assert len(sim.journal.entries(realm=realm)) == 1


def test_start_and_stop_fifty_times_without_errors_or_leaked_threads(
    sim, realm, throttle_off, capfd
):
    """stop() closes sockets only from the loop thread and only after the workers are joined,
    so waitress never polls or pulls a closed descriptor (was: intermittent EBADF)."""
    import logging

    raised: list[BaseException | None] = []
    previous_hook = threading.excepthook
    threading.excepthook = lambda args: raised.append(args.exc_value)
    logged: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = logged.append  # type: ignore[method-assign]
    logging.getLogger("waitress").addHandler(handler)
    baseline = threading.active_count()
    try:
        for _ in range(50):
            server = sim.serve(port=0)
            url = server.start()
            with requests.Session() as session:  # keep-alive: a channel open at stop()
                res = session.get(f"{url}/v3/company/{realm}/preferences", headers=HEADERS)
                assert res.status_code == 200
                server.stop()
            server.stop()  # a second stop is a no-op
    finally:
        threading.excepthook = previous_hook
        logging.getLogger("waitress").removeHandler(handler)
    assert raised == []
    assert [r.getMessage() for r in logged] == []
    captured = capfd.readouterr()
    assert captured.err == ""
    assert threading.active_count() == baseline
