"""Mutant, bug class *inactive item/class not surfaced*: QBO's 610 "Something you're trying
to use has been made inactive" is taken for a passing glitch and the record is left
pending, retried pass after pass, so nobody reactivates the item. Shipped as
QuickBooks-V3-DotNET-SDK#353 (610 with no element named), Expensify/App PR#94598 ("Vendor
no longer valid"); the article's §9; census #11."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault, Transient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class PatientEngine(SyncEngine):
    def _push(self, record: SyncRecord) -> None:
        try:
            super()._push(record)
        except QboFault as fault:
            if fault.code == "610" and "inactive" in fault.describe():
                raise Transient("610", fault.describe()) from fault  # the bug
            raise


class Mutant(FieldServiceSync):
    name = "mutant-inactive-not-surfaced"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = PatientEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
