"""Correct variant: it refreshes the access token a few minutes before it expires (what
Intuit recommends), from ``connection.access_token_expires_at``, so it never meets a 401."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine

#: refresh this long before the access token expires.
REFRESH_AHEAD = timedelta(minutes=5)


class ProactiveClient(QboClient):
    def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        expires_at = self.conn.access_token_expires_at
        if self.refresh_token and expires_at is not None:
            if self.conn.now() >= expires_at - REFRESH_AHEAD:
                self.refresh()  # updates the token and connection.access_token_expires_at
        return super().call(method, path, **kwargs)


class ProactiveRefresh(FieldServiceSync):
    name = "proactive-refresh"

    def connect(self, connection: Any) -> None:
        if connection.access_token_expires_at is None:
            raise RuntimeError("the connection does not say when the access token expires")
        self.client = ProactiveClient(connection)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> ProactiveRefresh:
    return ProactiveRefresh()
