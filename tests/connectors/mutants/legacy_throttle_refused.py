"""Mutant, bug class *the older 403 throttle treated as a definitive failure*: only HTTP 429
is taken for a throttle, so QBO's older ThrottleExceeded answer (HTTP 403, XML SERVICE fault
3001 ``statusCode=403`` whatever the Accept) fails the record for good where waiting is all
it needs. Reported against python-quickbooks#43 and quickbooks-ruby#338 (2016, both handled
429 only); failure census #3; docs/control-plane.md "Envelope variants"."""

from __future__ import annotations

from typing import Any

import requests

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


def only_429(response: requests.Response) -> bool:
    return response.status_code == 429  # the bug: the legacy 403 ThrottleExceeded is missed


class Only429Client(QboClient):
    is_throttle = staticmethod(only_429)


class Mutant(FieldServiceSync):
    name = "mutant-legacy-throttle-refused"

    def connect(self, connection: Any) -> None:
        self.client = Only429Client(connection)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
