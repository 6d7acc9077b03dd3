"""How an integration's HTTP requests reach the simulator.

In-process: ``sim.mock()`` (qbo_sim/intercept.py) routes ``requests`` for Intuit's hosts into
the app when it exists; otherwise a ``requests`` transport adapter mounted on the session in
``Connection.http`` calls the same WSGI app. Subprocess integrations need a real socket:
``sim.serve(port=0)`` when it exists, otherwise a waitress server on a free port.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlparse

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

SANDBOX_BASE_URL = "https://sandbox-quickbooks.api.intuit.com"


class WSGIAdapter(BaseAdapter):
    """A ``requests`` adapter answering from a WSGI app (the one qbo-sim app)."""

    def __init__(self, app: Any) -> None:
        super().__init__()
        self.app = app

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = urlparse(request.url or "")
        client = self.app.test_client()
        result = client.open(
            url.path,
            method=request.method or "GET",
            headers=dict(request.headers),
            data=request.body,
            query_string=url.query,
            base_url=f"{url.scheme}://{url.netloc}",
        )
        response = requests.Response()
        response.status_code = result.status_code
        response.headers = CaseInsensitiveDict(dict(result.headers))
        response._content = result.get_data()
        response.url = request.url or ""
        response.request = request
        response.encoding = result.charset if hasattr(result, "charset") else "utf-8"
        response.reason = result.status.partition(" ")[2]
        return response

    def close(self) -> None:
        return None


@contextmanager
def in_process(
    sim: Any, base_url: str = SANDBOX_BASE_URL
) -> Iterator[tuple[str, requests.Session]]:
    """(base URL, session) for an in-process integration; ``base_url`` is the API host of the
    company's environment (sandbox unless a snapshot's company is a production one)."""
    with requests.Session() as session:
        mock = getattr(sim, "mock", None)
        if callable(mock):
            with mock():
                yield base_url, session
            return
        session.mount(base_url, WSGIAdapter(sim.app))
        yield base_url, session


@contextmanager
def http_server(sim: Any) -> Iterator[str]:
    """A base URL served over real HTTP for the length of the block."""
    serve = getattr(sim, "serve", None)
    if callable(serve):
        with serve(port=0) as served:
            yield str(getattr(served, "base_url", served)).rstrip("/")
        return
    from waitress.server import create_server

    server = create_server(sim.app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
