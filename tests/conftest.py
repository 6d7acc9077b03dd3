"""Shared fixtures: the plugin's simulator configured for these tests, a company, and an
authenticated client.

The simulator is the ``qbo_sim`` fixture of qbo-sim's own pytest plugin
(``qbo_sim/pytest_plugin.py``, loaded through its ``pytest11`` entry point), so the project's
tests use what its users get, including the failure of a test whose requests hit a bug inside
the simulator. Only the configuration (instant, seed, no request pacing), the short names
``sim`` and ``clock`` and the test-only checks below are defined here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import settings

from qbo_sim import Clock, Simulator
from qbo_sim.auth import DEV_TOKEN

START = datetime(2026, 3, 2, 17, 0, 0, tzinfo=UTC)

# Property tests draw the same examples on every run ("ci", the default), so CI on a fresh
# machine cannot fail on a draw no one has seen; `pytest --hypothesis-profile=explore` draws
# new ones (and more) to look for bugs, and a failure it finds prints its reproducing example.
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", max_examples=2000, database=None)
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _xml_in_xsd_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every XML answer any test makes the app write has its elements in the XSD's order
    (``tests/xml_order.py``, against ``qbo_sim/schemas/xml_order.json``)."""
    from qbo_sim import xml
    from tests.xml_order import order_errors

    write = xml.document

    def checked(inner: str, time: str) -> str:
        text = write(inner, time)
        errors = order_errors(text)
        assert not errors, f"XML answer out of XSD order: {errors}"
        return text

    monkeypatch.setattr(xml, "document", checked)


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("qbo_sim"):
        raise pytest.UsageError(
            "the tests use qbo-sim's pytest plugin (fixture qbo_sim): install the package "
            "(python3 -m pip install -e .) so that its pytest11 entry point loads it"
        )


@pytest.fixture
def qbo_sim_start() -> datetime:
    return START


@pytest.fixture
def qbo_sim_seed() -> int:
    return 1


@pytest.fixture
def qbo_sim_request_seconds() -> float:
    """No pacing: these tests count requests at one frozen instant (the throttle's tests)."""
    return 0.0


@pytest.fixture
def sim(qbo_sim: Simulator) -> Simulator:
    """The plugin's ``qbo_sim``; a bug inside the app fails the test that hit it (the plugin
    re-raises the first exception the simulator swallowed)."""
    return qbo_sim


@pytest.fixture
def clock(sim: Simulator) -> Clock:
    """The clock of ``sim``, frozen at ``START``."""
    return sim.clock


@pytest.fixture
def throttle_off(sim: Simulator) -> None:
    """For tests that send many requests in one frozen second (throttling is tested apart)."""
    sim.throttle.set_enabled(False)


@pytest.fixture
def realm(sim: Simulator) -> str:
    return sim.create_company("empty")


class Api:
    """A tiny QBO client over Flask's test client: ``api.post("customer", {...})``."""

    def __init__(self, client: FlaskClient, realm: str) -> None:
        self.client = client
        self.realm = realm
        self.headers = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}

    def url(self, path: str) -> str:
        return f"/v3/company/{self.realm}/{path}"

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.client.post(self.url(path), json=body, headers=self.headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(self.url(path), headers=self.headers, **kwargs)

    def create(self, entity: str, body: dict[str, Any]) -> dict[str, Any]:
        res = self.post(entity.lower(), body)
        assert res.status_code == 200, res.get_data(as_text=True)
        return res.get_json()[entity]

    update = create  # POST with an Id updates; the same call, named for the reader


@pytest.fixture
def api(sim: Simulator, realm: str) -> Api:
    return Api(sim.app.test_client(), realm)


def fault_of(res: Any) -> dict[str, Any]:
    """The first Error of a standard Fault body, with the type and HTTP status added."""
    body = res.get_json()
    error = dict(body["Fault"]["Error"][0])
    error["type"] = body["Fault"]["type"]
    error["status"] = res.status_code
    return error


#: The QBO sandbox host, as a user's integration is configured with it.
SANDBOX = "https://sandbox-quickbooks.api.intuit.com"


@pytest.fixture(params=["mock", "serve", "loopback"])
def base_url(request: pytest.FixtureRequest, sim: Simulator) -> Iterator[str]:
    """The QBO base URL a user's integration is configured with: the real sandbox host
    (in-process), a local server (waitress, ``qbo-sim serve``) or the harness's loopback
    server (a subprocess integration's)."""
    if request.param == "mock":
        with sim.mock():
            yield SANDBOX
    elif request.param == "serve":
        with sim.serve(port=0) as url:
            yield url
    else:
        from qbo_sim.harness.transport import http_server

        with http_server(sim) as url:
            yield url
