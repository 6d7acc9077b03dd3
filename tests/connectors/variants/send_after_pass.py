"""Correct variant: invoices the office asked to e-mail are sent in a phase of their own, at
the end of the pass (after every record was pushed), and *always* checked first: the invoice
is read, and a ``DeliveryInfo.DeliveryTime`` at or after the moment the office clicked
"send" means QBO already e-mailed it (an earlier send whose answer was lost), so it is not
sent again. No baseline is kept between tries; the check is against the clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboFault, Transient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine
from qbo_sim.connectors.fieldservice_sync.paperwork import SEND, Paperwork
from qbo_sim.connectors.fieldservice_sync.store import SYNCED, SyncRecord


class Deferred(Paperwork):
    def send_if_asked(self, record: SyncRecord) -> None:
        return  # not during the push: see SendAfterPass.run_pass


class SendAfterPass(SyncEngine):
    def run_pass(self) -> None:
        super().run_pass()
        for record in list(self.store.in_sync_order()):
            if Paperwork.asked(record) and record.qbo_id and record.state == SYNCED:
                self.send(record)

    def send(self, record: SyncRecord) -> None:
        assert record.qbo_id is not None
        asked = record.extra[SEND]
        try:
            current = self.client.read("Invoice", record.qbo_id)
            delivered = (current.get("DeliveryInfo") or {}).get("DeliveryTime")
            at = datetime.fromisoformat(asked["at"]).replace(microsecond=0)
            if not (delivered and datetime.fromisoformat(delivered) >= at):
                current = self.client.send("Invoice", record.qbo_id, asked.get("to"))
        except Transient as exc:
            record.note_transient(exc.code, exc.message)
            return
        except QboFault as fault:
            record.mark_failed(fault.code, fault.describe())
            return
        record.extra.pop(SEND, None)
        record.sync_token = str(current["SyncToken"])


class SendAfterPassSync(FieldServiceSync):
    name = "send-after-pass"

    def connect(self, connection: Any) -> None:
        super().connect(connection)
        assert self.client is not None
        self.engine = SendAfterPass(self.store, self.client)
        self.engine.paperwork = Deferred(self.store, self.client)

    def operate(self, action: str, kind: str, key: str, **params: Any) -> None:
        super().operate(action, kind, key, **params)
        record = self._owner(kind, key).store.get(kind, str(key))
        if action == "send" and record is not None and self.client is not None:
            record.extra[SEND]["at"] = self.client.conn.now().isoformat()


def make_integration() -> SendAfterPassSync:
    return SendAfterPassSync()
