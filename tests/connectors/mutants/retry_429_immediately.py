"""Mutant, bug class *429 retried immediately*: a 429 ThrottleExceeded is retried at once, five
times, before waiting; on a burst every retry is throttled again. Shipped as
beanworks/quickbooks-online-v3-sdk#6, python-quickbooks#83, QuickBooks-V3-PHP-SDK#54,
quickbooks-ruby#338 (no wait on 3001); qbo-reference §5.9; census #3."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine

IMMEDIATE_RETRIES = 5


class EagerHttp:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        response = self.inner.request(method, url, **kwargs)
        for _ in range(IMMEDIATE_RETRIES):  # the bug: retried without waiting
            if response.status_code != 429:
                break
            response = self.inner.request(method, url, **kwargs)
        return response

    def post(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.post(*args, **kwargs)

    def close(self) -> None:
        self.inner.close()


class Mutant(FieldServiceSync):
    name = "mutant-retry-429-immediately"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.client.http = EagerHttp(self.client.http)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
