"""The reference connector's client tells a throttle from a refusal on the answers the
simulator really sends: HTTP 429, the older HTTP 403 ThrottleExceeded (XML SERVICE 3001,
``statusCode=403``), and a 403 authorization fault (3100, also ``statusCode=403``)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from qbo_sim.connectors.fieldservice_sync.client import (
    THROTTLE_WAIT_SECONDS,
    QboClient,
    QboFault,
    is_throttle,
)


def _answer(sim: Any, api: Any, fault: str) -> requests.Response:
    """The simulator's answer to a read with ``fault`` injected, as a ``requests`` response."""
    sim.injector.add(fault=fault, times=1)
    res = api.get("preferences")
    response = requests.Response()
    response.status_code = res.status_code
    response._content = res.get_data()
    response.headers["Content-Type"] = res.content_type
    return response


@pytest.mark.parametrize(
    ("fault", "status", "throttle"),
    [("throttled", 429, True), ("throttled_legacy", 403, True), ("insufficient_scope", 403, False)],
)
def test_is_throttle_reads_the_answer_not_only_the_status(
    sim: Any, api: Any, fault: str, status: int, throttle: bool
) -> None:
    response = _answer(sim, api, fault)
    assert response.status_code == status
    assert is_throttle(response) is throttle


class _Connection:
    """The little of the harness connection the client uses; sleeps are recorded, not slept."""

    def __init__(self, answers: list[requests.Response]) -> None:
        self.http = self
        self.answers = answers
        self.access_token, self.refresh_token = "token", None
        self.slept: list[float] = []

    def company_url(self, path: str) -> str:
        return f"https://qbo.example/v3/company/1/{path}"

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        return self.answers.pop(0)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def _ok() -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response._content = b'{"Customer": {"Id": "1"}}'
    return response


def test_the_client_waits_out_a_legacy_403_throttle_and_retries(sim: Any, api: Any) -> None:
    conn = _Connection([_answer(sim, api, "throttled_legacy"), _ok()])
    saved = QboClient(conn).write("Customer", {"DisplayName": "Acme"}, "rid-1")
    assert saved == {"Id": "1"}
    assert conn.slept == [THROTTLE_WAIT_SECONDS]


def test_a_403_authorization_fault_is_still_definitive(sim: Any, api: Any) -> None:
    conn = _Connection([_answer(sim, api, "insufficient_scope")])
    with pytest.raises(QboFault):
        QboClient(conn).write("Customer", {"DisplayName": "Acme"}, "rid-1")
    assert conn.slept == []
