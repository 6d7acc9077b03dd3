"""Mutant, bug class *refresh-token rotation ignored*: after a refresh it keeps using the
refresh token it was first given, not the rotated one in the answer. That works for about
24 hours (the old token's grace), then invalid_grant and the connection is dead. Shipped as
routablehq/python-quickbooks#272 / #397, intuit/oauth-jsclient#128 ("twice a week the
refresh token ends with invalid_grant"), airbytehq/airbyte#45911; census #1."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


class StaleRefreshClient(QboClient):
    def __init__(self, connection: Any) -> None:
        super().__init__(connection)
        self.first_refresh_token = self.refresh_token

    def refresh(self) -> None:
        super().refresh()
        self.refresh_token = self.first_refresh_token  # the bug: the rotated one is dropped


class Mutant(FieldServiceSync):
    name = "mutant-rotation-ignored"

    def connect(self, connection: Any) -> None:
        self.client = StaleRefreshClient(connection)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
