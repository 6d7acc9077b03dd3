"""Mutant, bug class *a send whose answer was lost is sent again without checking the
invoice*: after a 500 or a dropped connection on ``POST /invoice/<id>/send`` the connector
tries again, although QBO may have e-mailed the customer already; it never reads the
invoice's ``EmailStatus`` / ``DeliveryInfo``. The lost-answer duplicate of qbo-reference
§5.5 and census #23 (duplicate writes after timeouts), here an e-mail no requestid undoes."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.paperwork import Paperwork
from qbo_sim.connectors.fieldservice_sync.store import SyncRecord


class NoCheck(Paperwork):
    def already_sent(self, record: SyncRecord) -> dict[str, Any] | None:
        return None  # the bug: a send without an answer is taken as not sent


class Mutant(FieldServiceSync):
    name = "mutant-resend-after-lost-answer"

    def connect(self, connection: Any) -> None:
        super().connect(connection)
        assert self.engine is not None
        self.engine.paperwork = NoCheck(self.store, self.engine.client)


def make_integration() -> Mutant:
    return Mutant()
