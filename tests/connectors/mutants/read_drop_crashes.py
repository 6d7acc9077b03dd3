"""Mutant, bug class *a dropped connection on a read crashes the sync*: the read (query, GET)
path handles HTTP error statuses but not a request that gets no answer at all; the
connection error escapes ``sync()`` and the rest of the pass is lost. Shipped as
QuickBooks-V3-PHP-SDK#126 (cURL timeout uncaught), node-quickbooks#89 (a timeout reading 1000
TimeActivities); census #16."""

from __future__ import annotations

from typing import Any

import requests

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine

CRASHES_ON = "GET"


class SyncAborted(RuntimeError):
    """Not a ``requests`` exception: nothing in the connector catches it."""


class CrashingHttp:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        try:
            return self.inner.request(method, url, **kwargs)
        except requests.RequestException as exc:
            if method == CRASHES_ON:  # the bug: only responses are handled on this path
                raise SyncAborted(f"{method} {url}: {exc}") from exc
            raise

    def post(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.post(*args, **kwargs)

    def close(self) -> None:
        self.inner.close()


class Mutant(FieldServiceSync):
    name = "mutant-read-drop-crashes"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.client.http = CrashingHttp(self.client.http)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
