"""Mutant, bug class *no requestid on writes*: creates and updates are sent without a
``requestid``, so QBO cannot recognise a retry of a write whose answer was lost, and the
retry writes again. Most SDKs leave it to the caller (python-quickbooks, node-quickbooks
send none by default; DotNET-SDK#352); qbo-reference §5.5; census #23."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


class NoIdHttp:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        params = dict(kwargs.pop("params", None) or {})
        params.pop("requestid", None)  # the bug
        return self.inner.request(method, url, params=params, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.post(*args, **kwargs)

    def close(self) -> None:
        self.inner.close()


class Mutant(FieldServiceSync):
    name = "mutant-no-requestid"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.client.http = NoIdHttp(self.client.http)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
