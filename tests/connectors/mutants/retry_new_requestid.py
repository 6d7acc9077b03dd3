"""Mutant, bug class *a retried write duplicates (retry without the same requestid)*: the
client generates a fresh ``requestid`` for every HTTP attempt, so when QBO wrote the entity
but the answer was lost, the retry is a second write. Shipped as QuickBooks-V3-DotNET-SDK#352
("Two identical payments were created. No error or warning was thrown."),
python-quickbooks#292, Repair-DeskPOS#355; qbo-reference §5.5; census #23."""

from __future__ import annotations

import uuid
from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


class FreshIdHttp:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        params = dict(kwargs.pop("params", None) or {})
        if "requestid" in params:  # the bug: a new id per attempt, not per write
            params["requestid"] = f"fs-{uuid.uuid4().hex}"
        return self.inner.request(method, url, params=params, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.post(*args, **kwargs)

    def close(self) -> None:
        self.inner.close()


class Mutant(FieldServiceSync):
    name = "mutant-retry-new-requestid"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.client.http = FreshIdHttp(self.client.http)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
