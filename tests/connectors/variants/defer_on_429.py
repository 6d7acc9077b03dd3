"""Correct variant: at the first 429 it stops the pass and leaves the rest pending for the
next pass (nothing lost, nothing hammered), instead of waiting 60 s inside the pass."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


class DeferringClient(QboClient):
    throttle_retries = 0  # a 429 is not waited out: the record stays pending ("429")


class DeferringEngine(SyncEngine):
    def run_pass(self) -> None:
        self._accounts.clear()
        for record in list(self.store.in_sync_order()):
            if self._due(record):
                self.sync_record(record)
                if record.state == "pending" and record.error_code == "429":
                    return  # throttled: everything after this waits for the next pass


class DeferOn429(FieldServiceSync):
    name = "defer-on-429"

    def connect(self, connection: Any) -> None:
        self.client = DeferringClient(connection)
        self.engine = DeferringEngine(self.store, self.client)


def make_integration() -> DeferOn429:
    return DeferOn429()
