"""QBO → field service: what a QBO user changed reaches the field-service records.

- **Webhooks** (``receive``): the ``intuit-signature`` is checked (a notification that fails
  is ignored); events are de-duplicated by (entity, id, operation, lastUpdated), so a
  re-delivered notification changes nothing; the handler only queues entity ids (it answers
  at once, well inside QBO's 3 s), except a ``Merge``, which relinks the records that pointed
  at ``deletedId`` to the survivor straight away.
- **Reconciliation** (``run``, at the start of every sync pass): each queued entity is *read*
  from QBO and its current state recorded, so the order events arrive in does not matter and
  an event about an entity deleted since then is answered by QBO's 610.
- **Change data capture** compensates for lost notifications: at most every
  ``RECONCILE_SECONDS`` (while some invoice is in QBO) the pass asks ``/cdc`` for Invoice and
  Customer changes since the last check. A check older than QBO's 30-day look-back answers
  6000; then every linked invoice and customer is read instead.

What is learned is shown by ``view(record)`` (the harness's ``inbound``): invoices
``{balance, deleted}``, names ``{name, active}``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from qbo_sim.connectors.fieldservice_sync import mapping
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault, Transient
from qbo_sim.connectors.fieldservice_sync.store import SYNCED, RecordStore, SyncRecord
from qbo_sim.webhooks import verify_signature

#: How often a pass asks CDC for changes whose notification may have been lost.
RECONCILE_SECONDS = 900
#: QBO's CDC look-back (reference §5.8): an older ``changedSince`` answers 6000.
CDC_LOOKBACK = timedelta(days=30)
#: Entities whose changes the field-service app shows.
WATCHED = ("Invoice", "Customer", "Vendor", "Item", "Class")


class Inbound:
    def __init__(self, store: RecordStore, client: QboClient, connection: Any) -> None:
        self.store, self.client, self.conn = store, client, connection
        self.queue: dict[tuple[str, str], None] = {}
        self.seen: set[tuple[str, str, str, str]] = set()
        self.checkpoint: datetime = connection.now()

    # --- webhooks ---------------------------------------------------------------------------
    def receive(self, headers: dict[str, str], body: bytes) -> None:
        lower = {k.lower(): v for k, v in headers.items()}
        verifier = getattr(self.conn, "webhook_verifier", None)
        if not verifier or not verify_signature(verifier, body, lower.get("intuit-signature", "")):
            return  # not signed by Intuit with our verifier: ignored
        for event in _events(json.loads(body)):
            if event["realm"] not in ("", str(self.conn.realm_id)):
                continue  # another company's change: its own connection handles it
            mark = (event["name"], event["id"], event["operation"], event["lastUpdated"])
            if mark in self.seen:
                continue  # a re-delivered notification
            self.seen.add(mark)
            if event["operation"].lower().startswith("merge") and event.get("deletedId"):
                self._merged(event["name"], str(event["deletedId"]), event["id"])
            if event["name"] in WATCHED:
                self.queue[(event["name"], event["id"])] = None

    def _merged(self, entity: str, gone: str, survivor: str) -> None:
        """A QBO user merged ``gone`` into ``survivor``: our links follow the merge (no data
        is pushed: our old name on the survivor would undo the bookkeeper's merge)."""
        for record in self.store.in_sync_order():
            if mapping.ENTITY[record.kind] == entity and record.qbo_id == gone:
                record.qbo_id, record.sync_token = survivor, None
            if entity == "Customer" and record.extra.get("customer_ref") == gone:
                record.extra["customer_ref"] = survivor  # the merge moved this invoice

    # --- reconciliation ---------------------------------------------------------------------
    def run(self) -> None:
        queued, self.queue = list(self.queue), {}
        for index, (entity, entity_id) in enumerate(queued):
            try:
                self._read(entity, entity_id)
            except Transient:
                self.queue.update(dict.fromkeys(queued[index:]))  # next pass
                return
            except QboFault:
                continue  # not readable now (e.g. a refused refresh): nothing to learn
        if self._cdc_due():
            try:
                self._cdc()
            except QboFault:
                pass  # e.g. a refused token refresh: the records' own writes will say so

    def _ours(self, entity: str, entity_id: str) -> list[SyncRecord]:
        return [
            r
            for r in self.store.in_sync_order()
            if mapping.ENTITY[r.kind] == entity and r.qbo_id == entity_id
        ]

    def _read(self, entity: str, entity_id: str) -> None:
        if not self._ours(entity, entity_id):
            return
        try:
            current = self.client.read(entity, entity_id)
        except QboFault as fault:
            if fault.code == "610":
                self._learn(entity, {"Id": entity_id, "status": "Deleted"})
            return
        self._learn(entity, current)

    def _learn(self, entity: str, current: dict[str, Any]) -> None:
        for record in self._ours(entity, str(current["Id"])):
            seen = record.extra.setdefault("inbound", {})
            if current.get("status") == "Deleted":
                if record.kind in mapping.TRANSACTIONS:
                    seen["deleted"] = True
                continue
            if record.kind == "invoice":
                seen.update(balance=float(current.get("Balance", 0)), deleted=False)
            elif record.kind in mapping.NAME_LIMIT:
                name = current.get("DisplayName") or current.get("Name")
                seen.update(name=name, active=bool(current.get("Active", True)))

    def _cdc_due(self) -> bool:
        if (self.conn.now() - self.checkpoint).total_seconds() < RECONCILE_SECONDS:
            return False
        return any(r.kind == "invoice" and r.qbo_id for r in self.store.in_sync_order())

    def _cdc(self) -> None:
        started = self.conn.now()
        since = self.checkpoint
        if started - since >= CDC_LOOKBACK:
            self._read_all(started)  # QBO would answer 6000: older than its look-back
            return
        try:
            body = self.client.call(
                "GET",
                "cdc",
                params={"entities": "Invoice,Customer", "changedSince": since.isoformat()},
            )
        except Transient:
            return  # the next pass asks again, from the same checkpoint
        except QboFault as fault:
            if fault.code != "6000":
                raise
            self._read_all(started)
            return
        for response in body.get("CDCResponse") or []:
            for part in response.get("QueryResponse") or []:
                for entity, rows in part.items():
                    if entity in WATCHED and isinstance(rows, list):
                        for row in rows:
                            self._learn(entity, row)
        self.checkpoint = started

    def _read_all(self, started: datetime) -> None:
        for record in list(self.store.in_sync_order()):
            if record.qbo_id and record.state == SYNCED and record.kind in ("invoice", "customer"):
                try:
                    self._read(mapping.ENTITY[record.kind], record.qbo_id)
                except Transient:
                    return
        self.checkpoint = started

    # --- the field-service app's view ---------------------------------------------------------
    @staticmethod
    def view(record: SyncRecord) -> dict[str, Any]:
        return dict(record.extra.get("inbound") or {})


def _events(doc: Any) -> list[dict[str, str]]:
    """Legacy ``eventNotifications`` or a CloudEvents array, as legacy-shaped entries."""
    out: list[dict[str, str]] = []
    if isinstance(doc, dict):
        for note in doc.get("eventNotifications") or []:
            for e in (note.get("dataChangeEvent") or {}).get("entities") or []:
                out.append(
                    {
                        "realm": str(note.get("realmId") or ""),
                        "name": str(e.get("name")),
                        "id": str(e.get("id")),
                        "operation": str(e.get("operation")),
                        "lastUpdated": str(e.get("lastUpdated")),
                        "deletedId": str(e.get("deletedId") or ""),
                    }
                )
        return out
    for e in doc if isinstance(doc, list) else []:
        parts = str(e.get("type", "")).split(".")  # qbo.<entity>.<verb>.v1
        if len(parts) < 3:
            continue
        out.append(
            {
                "realm": str(e.get("intuitaccountid") or ""),
                "name": parts[1].capitalize(),
                "id": str(e.get("intuitentityid")),
                "operation": parts[2],
                "lastUpdated": str(e.get("time")),
                "deletedId": str((e.get("data") or {}).get("deletedid") or ""),
            }
        )
    return out
