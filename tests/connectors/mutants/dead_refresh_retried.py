"""Mutant, bug class *a dead refresh token retried for ever*: invalid_grant from the token
endpoint is treated like an outage, so records stay pending pass after pass and nobody is
asked to reconnect the app. Shipped as mcohen01/node-quickbooks#171 (invalid_grant "accepted
as a successful response"), python-quickbooks#282, QuickBooks-V3-PHP-SDK#324,
help.beanworks.com "Refresh OAuth 2 Access token ... failed"; census #1."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault, Transient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


class HopefulClient(QboClient):
    def refresh(self) -> None:
        try:
            super().refresh()
        except QboFault as fault:
            raise Transient("AUTH", fault.message) from fault  # the bug: "try again later"


class Mutant(FieldServiceSync):
    name = "mutant-dead-refresh-retried"

    def connect(self, connection: Any) -> None:
        self.client = HopefulClient(connection)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
