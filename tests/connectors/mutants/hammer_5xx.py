"""Mutant, bug class *5xx retried many times with no backoff (hammering)*: every 5xx is
retried at once, ten times, before the connector's own (backed-off) handling sees it, so an
outage gets a storm of requests. Shipped as the retry loops fixed in quickbooks-ruby PR#339
/ PR#348 and pipedream PR#18098 (honour Retry-After on 429/503); qbo-reference §5.9;
census #16."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine

IMMEDIATE_RETRIES = 10


class HammeringHttp:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        response = self.inner.request(method, url, **kwargs)
        for _ in range(IMMEDIATE_RETRIES):  # the bug: no wait between retries
            if response.status_code < 500:
                break
            response = self.inner.request(method, url, **kwargs)
        return response

    def post(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.post(*args, **kwargs)

    def close(self) -> None:
        self.inner.close()


class Mutant(FieldServiceSync):
    name = "mutant-hammer-5xx"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.client.http = HammeringHttp(self.client.http)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
