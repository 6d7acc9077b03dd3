"""Mutant, bug class *an invoice is e-mailed on every sync pass*: the "e-mail this invoice"
flag the office set is never cleared after QBO sent it, so every pass sends it again and the
customer gets the same invoice again and again. The send is a side effect, not a state to
converge to: repeated "send" calls each e-mail the customer (Intuit's Invoice "send" operation
records each one in DeliveryInfo); issue 16 ("an invoice e-mailed once, not once per sync
pass")."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.paperwork import SEND, Paperwork
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class StickyFlag(Paperwork):
    def sent(self, record: SyncRecord, invoice: dict[str, Any]) -> None:
        asked = record.extra.get(SEND)
        super().sent(record, invoice)
        record.extra[SEND] = asked  # the bug: the flag stays set


class EveryPass(SyncEngine):
    def _due(self, record: SyncRecord) -> bool:  # type: ignore[override]
        return SyncEngine._due(record) or self.paperwork.asked(record)


class Mutant(FieldServiceSync):
    name = "mutant-send-every-pass"

    def connect(self, connection: Any) -> None:
        super().connect(connection)
        assert self.client is not None
        self.engine = EveryPass(self.store, self.client)
        self.engine.paperwork = StickyFlag(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
