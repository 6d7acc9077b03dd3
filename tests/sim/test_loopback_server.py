"""The loopback server (qbo_sim/loopback_server.py): HTTP/1.1 as clients send it, over raw
sockets where ``requests`` would hide the detail, and the simulator's behaviour through it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
import requests

from qbo_sim.auth import DEV_TOKEN
from qbo_sim.loopback_server import LoopbackServer
from qbo_sim.server import server_app
from tests.sim.test_intercept import DropEverything

HEADERS = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"}


def echo(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Answers what it was sent: method, path, query, the body's length and text."""
    body = environ["wsgi.input"].read()
    text = (
        f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}?{environ['QUERY_STRING']} "
        f"len={environ.get('CONTENT_LENGTH')} x={environ.get('HTTP_X_THING')} "
    ).encode() + body
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [text]


def broken(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    raise RuntimeError("the app's bug")


@pytest.fixture
def echo_url() -> Iterator[str]:
    with LoopbackServer(echo) as url:
        yield url


def raw(url: str, data: bytes, read_until_close: bool = True) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(data)
        if not read_until_close:
            return conn.recv(65536)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_keep_alive_serves_several_requests_on_one_connection(echo_url: str) -> None:
    with requests.Session() as session:
        first = session.get(f"{echo_url}/a%20b?x=1", timeout=10)
        second = session.post(f"{echo_url}/c", data=b"hello", timeout=10)
    assert first.text.startswith("GET /a b?x=1 len=None")
    assert second.text.endswith("len=5 x=None hello")
    assert first.headers["Content-Length"] == str(len(first.content))


def test_a_chunked_body_is_read_whole_and_its_length_given(echo_url: str) -> None:
    answer = raw(
        echo_url,
        b"POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
        b"\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 200 OK")
    assert answer.endswith(b"len=11 x=None hello world")


def test_expect_100_continue_is_answered_before_the_body(echo_url: str) -> None:
    host, port = echo_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(
            b"PUT /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n"
            b"Connection: close\r\n\r\n"
        )
        assert conn.recv(64).startswith(b"HTTP/1.1 100 Continue")
        conn.sendall(b"abc")
        rest = conn.recv(65536)
    assert rest.startswith(b"HTTP/1.1 200") and rest.endswith(b"abc")


def test_http_1_0_and_connection_close_end_the_connection(echo_url: str) -> None:
    for request in (
        b"GET /one HTTP/1.0\r\n\r\n",
        b"GET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ):
        answer = raw(echo_url, request)  # returns only because the server closed
        assert b"Connection: close" in answer and answer.count(b"HTTP/1.1 200") == 1


def test_http_1_0_keep_alive_is_answered_as_such_and_kept(echo_url: str) -> None:
    first = raw(
        echo_url, b"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", read_until_close=False
    )
    assert b"Connection: keep-alive" in first


def test_no_100_continue_without_a_body(echo_url: str) -> None:
    answer = raw(
        echo_url, b"GET /g HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 200") and b"100 Continue" not in answer


def test_an_app_that_never_starts_a_response_gets_500() -> None:
    def silent(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return []

    with LoopbackServer(silent) as url:
        assert requests.get(f"{url}/x", timeout=10).status_code == 500


def test_head_has_the_headers_and_no_body(echo_url: str) -> None:
    answer = raw(echo_url, b"HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"Content-Length: " in head and body == b""


@pytest.mark.parametrize(
    ("request_bytes", "says"),
    [
        (b"NOT HTTP\r\n\r\n", b"not an HTTP/1.x request line"),
        (b"GET / HTTP/1.1\r\nno colon here\r\n\r\n", b"not a header line"),
        (b"POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n", b"is not a number"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", b"not a chunk size"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", b"not a chunk size"),
        (b"POST / HTTP/1.1\r\nContent-Length: \xb2\r\n\r\nab", b"is not a number"),
        (
            b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            b"two different Content-Length headers",
        ),
    ],
)
def test_a_request_it_cannot_read_gets_400_and_the_connection_closes(
    echo_url: str, request_bytes: bytes, says: bytes
) -> None:
    answer = raw(echo_url, request_bytes)
    assert answer.startswith(b"HTTP/1.1 400 Bad Request") and says in answer


def test_an_app_that_raises_gets_500_not_a_dead_server() -> None:
    with LoopbackServer(broken) as url:
        first = requests.get(f"{url}/x", timeout=10)
        second = requests.get(f"{url}/x", timeout=10)
    assert first.status_code == second.status_code == 500


def test_the_simulator_through_it_and_a_dropped_connection(sim: Any, realm: str) -> None:
    with LoopbackServer(server_app(sim.app)) as url:
        answer = requests.get(f"{url}/v3/company/{realm}/preferences", headers=HEADERS, timeout=10)
        assert answer.status_code == 200 and "Preferences" in answer.json()
        sim.hooks.add(DropEverything())
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(f"{url}/v3/company/{realm}/preferences", headers=HEADERS, timeout=10)


def test_stop_closes_open_connections_and_joins_its_thread() -> None:
    server = LoopbackServer(echo)
    url = server.start()
    host, port = url.removeprefix("http://").split(":")
    conn = socket.create_connection((host, int(port)), timeout=10)
    conn.sendall(b"GET /k HTTP/1.1\r\nHost: x\r\n\r\n")
    assert conn.recv(65536).startswith(b"HTTP/1.1 200")
    server.stop()
    assert conn.recv(65536) == b""  # the server closed the kept-alive connection
    conn.close()
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.url
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{url}/k", timeout=10)
    assert not any(t.name == f"qbo-sim-loopback-{url}" for t in threading.enumerate())
