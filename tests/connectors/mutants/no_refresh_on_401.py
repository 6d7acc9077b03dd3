"""Mutant, bug class *the access token is never refreshed*: the connector uses the access
token it was given and treats the 401 after an hour (3200 AuthenticationFailed) as a
failure of the record. Shipped as airbytehq/airbyte#45911 ("not working after access token
expires"), python-quickbooks#250 and #118, node-quickbooks#23; census #2."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


class Mutant(FieldServiceSync):
    name = "mutant-no-refresh-on-401"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.client.refresh_token = None  # the bug: the refresh token is never used
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
