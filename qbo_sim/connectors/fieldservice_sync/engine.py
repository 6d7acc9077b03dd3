"""The sync engine: one pass pushes every due record to QBO, dependencies first.

Per record: build the body (limits checked), then

- a record with a QBO id is *updated* with the SyncToken of our last write; on 5010 (someone
  edited it in QBO) it re-reads and retries once, unless a QBO user moved an invoice to
  another customer, which the operator must look at (article §1);
- a record without one is *looked up* first (DisplayName / Name / DocNumber, or the
  invoice's linked payments) so an entity that already exists, or that QBO wrote although
  its answer was lost, is linked instead of duplicated; only then created, with the record's
  requestid (kept across retries until QBO answers definitively);
- a record deleted in the field-service system is deleted in QBO (transactions) or made
  inactive (lists, which QBO cannot delete, §5.4).

Outcomes: synced; failed with QBO's code and Message + Detail (or a local code:
DEPENDENCY, MAPPING, AUTH, 2050/2040/2020 for values QBO would refuse, TOTAL_MISMATCH for an
invoice whose total in QBO is not the field app's); or still pending after an
outage/throttling (the next pass retries, with the same requestid).
"""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import mapping
from qbo_sim.connectors.fieldservice_sync.client import (
    ConnectorError,
    QboClient,
    QboFault,
    Transient,
    quote,
)
from qbo_sim.connectors.fieldservice_sync.paperwork import Paperwork
from qbo_sim.connectors.fieldservice_sync.store import (
    DEPENDENCY,
    FAILED,
    MAPPING,
    PENDING,
    SYNCED,
    RecordStore,
    SyncRecord,
)

#: Entities QBO documents sparse update for (§5.3); others get a full update of our fields.
SPARSE_UPDATE = ("Customer", "Invoice")
#: ``record.extra`` key: the fields of our last write (what a sparse update compares with).
SENT = "sent"


class Blocked(ConnectorError):
    """A record it depends on is not in QBO yet (``waiting``: it may be on the next pass)."""

    def __init__(self, message: str, waiting: bool) -> None:
        super().__init__(message)
        self.waiting = waiting


class SyncEngine:
    #: entities updated sparsely (only our changed fields); the others get a full update.
    sparse_update: tuple[str, ...] = SPARSE_UPDATE

    def __init__(self, store: RecordStore, client: QboClient) -> None:
        self.store = store
        self.client = client
        self._accounts: dict[str, str] = {}
        self.paperwork = Paperwork(store, client)  # attachments, e-mailed invoices

    # --- one pass -----------------------------------------------------------------------
    def run_pass(self) -> None:
        self._accounts.clear()  # the GL mapping may have been fixed in QBO since last pass
        for record in list(self.store.in_sync_order()):
            if self._due(record):
                self.sync_record(record)

    @staticmethod
    def _due(record: SyncRecord) -> bool:
        if record.kind == "payment" and record.data.get("posted") is False and not record.deleted:
            return False  # saved but not posted: does not sync (article §7)
        if record.state == PENDING:
            return True
        # blocked by a dependency that has since been fixed: try again by itself
        return record.state == FAILED and record.error_code == DEPENDENCY

    def sync_record(self, record: SyncRecord) -> None:
        try:
            self._check_dependencies(record)
        except Blocked as blocked:
            if blocked.waiting:
                record.note_transient(DEPENDENCY, str(blocked))
            else:
                record.mark_failed(DEPENDENCY, str(blocked))
            return
        record.attempts += 1
        try:
            self._push(record)
            self.paperwork.send_if_asked(record)  # after the invoice is in QBO, once
        except Transient as exc:
            record.note_transient(exc.code, exc.message)
            return
        except QboFault as fault:
            record.mark_failed(fault.code, fault.describe())
            return
        record.mark_synced()

    # --- dependencies ---------------------------------------------------------------------
    def _dependencies(self, record: SyncRecord) -> list[tuple[str, str]]:
        d = record.data
        if record.deleted:
            return []
        if record.kind == "property":
            return [("customer", d["customer"])]
        if record.kind == "attachment":
            return [("invoice", d["invoice"])]
        if record.kind == "invoice":
            deps = [mapping.invoice_party(d)]
            for line in d.get("lines") or []:
                deps.append(("item", line["item"]))
                if line.get("class"):
                    deps.append(("class", line["class"]))
            if d.get("class"):
                deps.append(("class", d["class"]))
            return deps
        if record.kind == "payment":
            invoice = self.store.get("invoice", d["invoice"])
            party = [mapping.invoice_party(invoice.data)] if invoice else []
            return [("invoice", d["invoice"]), *party]
        if record.kind == "receipt":
            deps = [("vendor", d["vendor"])]
            deps += [("item", line["item"]) for line in d.get("lines") or [] if line.get("item")]
            return deps
        return []

    def _check_dependencies(self, record: SyncRecord) -> None:
        for kind, key in dict.fromkeys(self._dependencies(record)):
            other = self.store.get(kind, key)
            if other is None:
                raise Blocked(f"{kind} {key} was never sent by the field-service system", False)
            if other.qbo_id and other.state in (SYNCED, "bypassed"):
                continue
            if other.state == PENDING:
                raise Blocked(f"waiting for {kind} {key} to reach QuickBooks", True)
            why = f"{other.error_code}: {other.error_message}" if other.error_code else other.state
            raise Blocked(f"{kind} {key} is not in QuickBooks ({why}); fix it first", False)

    def _ref(self, kind: str, key: str) -> dict[str, str]:
        other = self.store.require(kind, key)
        assert other.qbo_id is not None, f"{kind} {key} has no QBO id"
        return {"value": other.qbo_id}

    def _account(self, name: str) -> dict[str, str]:
        """A GL account by name (the bookkeeper's chart of accounts; never created here)."""
        name = name.strip()
        if name not in self._accounts:
            rows = self.client.query("Account", f"Name = {quote(name)}")
            active = [r for r in rows if r.get("Active", True)]
            if not active:
                raise QboFault(
                    MAPPING,
                    f"GL account {name!r} is not an active account in QuickBooks: map the "
                    "item to the account QuickBooks uses (article §5), then retry",
                )
            self._accounts[name] = str(active[0]["Id"])
        return {"value": self._accounts[name]}

    def _tax_code(self, name: str) -> dict[str, str]:
        """A QBO tax code by name (the bookkeeper's; never created here). An inactive one is
        sent all the same: QBO's answer says it is inactive."""
        # inactive codes too (a list query answers only active ones unless asked, §4)
        rows = self.client.query(
            "TaxCode", f"Name = {quote(name.strip())} AND Active IN (true, false)"
        )
        if not rows:
            raise QboFault(
                MAPPING,
                f"Tax code {name!r} is not in QuickBooks: map the invoice's tax to a code "
                "QuickBooks has, then retry",
            )
        return {"value": str(rows[0]["Id"])}

    def _invoice_data(self, key: str) -> dict[str, Any]:
        return self.store.require("invoice", key).data

    # --- writes ---------------------------------------------------------------------------
    def _push(self, record: SyncRecord) -> None:
        entity = mapping.ENTITY[record.kind]
        if record.kind == "attachment":
            self.paperwork.push_attachment(record)
            return
        if record.deleted:
            self._push_delete(record, entity)
            return
        body = mapping.build_body(
            record, self._ref, self._account, self._invoice_data, self._tax_code
        )
        if record.qbo_id:
            written = self._update(record, entity, body)
            if written:  # a subclass's _update may answer nothing
                self._check_total(record, written)
            return
        found = self._find_existing(record, body)
        if found is not None:
            self._remember(record, found)  # linked: our last write is unknown
            self._check_total(record, found)
            return
        created = self.client.write(entity, body, record.new_requestid())
        self._remember(record, created, body)
        self._check_total(record, created)

    @staticmethod
    def _check_total(record: SyncRecord, written: dict[str, Any]) -> None:
        """An invoice whose total in QBO is not the one the field app gave the customer (QBO
        computed its tax differently: another rate, rounding, a line's taxability) fails with
        both totals, so its payments wait instead of leaving a balance open. The invoice
        stays linked: the retry after a fix updates it."""
        expected = record.data.get("total") if record.kind == "invoice" else None
        if expected is None:
            return
        qbo_total = float(written.get("TotalAmt") or 0)
        if abs(qbo_total - float(expected)) < 0.005:
            return
        tax = float((written.get("TxnTaxDetail") or {}).get("TotalTax") or 0)
        raise QboFault(
            "TOTAL_MISMATCH",
            f"Invoice {written.get('DocNumber')} totals {qbo_total:.2f} in QuickBooks (tax "
            f"{tax:.2f}) but {float(expected):.2f} here: QuickBooks computed the tax "
            "differently. Correct the invoice or its tax here (or the tax code in QuickBooks), "
            "then retry; its payments wait.",
        )

    def _remember(
        self, record: SyncRecord, written: dict[str, Any], sent: dict[str, Any] | None = None
    ) -> None:
        record.qbo_id, record.sync_token = str(written["Id"]), str(written["SyncToken"])
        record.extra["customer_ref"] = (written.get("CustomerRef") or {}).get("value")
        record.extra[SENT] = sent
        record.requestid = None

    def _changes(self, record: SyncRecord, entity: str, body: dict[str, Any]) -> dict[str, Any]:
        """What a sparse update sends: only the fields that changed in the field-service
        record since our last write, so an edit a QBO user made in between to another field
        (a renamed customer, a moved invoice) is not reverted with stale data (§5.3). Without
        a record of our last write (a linked entity), every field of ours is sent."""
        sent = record.extra.get(SENT)
        if entity not in self.sparse_update or not sent:
            return dict(body)
        return {k: v for k, v in body.items() if sent.get(k) != v}

    def _update(
        self, record: SyncRecord, entity: str, body: dict[str, Any]
    ) -> dict[str, Any] | None:
        assert record.qbo_id is not None
        if record.sync_token is None:
            record.sync_token = str(self.client.read(entity, record.qbo_id)["SyncToken"])
        sent = dict(record.extra.get(SENT) or {}, **body)
        changes = self._changes(record, entity, body)
        if not changes and entity in self.sparse_update and self.paperwork.asked(record):
            return None  # re-queued only to be e-mailed: nothing to update
        update = dict(changes, Id=record.qbo_id)
        update["SyncToken"] = record.sync_token
        if entity in self.sparse_update:
            update["sparse"] = True
        try:
            written = self.client.write(entity, update, record.new_requestid())
        except QboFault as fault:
            if fault.code != "5010":
                raise
            record.requestid = None  # 5010 is a definitive answer: the retry is a new write
            current = self.client.read(entity, record.qbo_id)
            self._refuse_if_moved(record, current, body)
            update["SyncToken"] = record.sync_token = str(current["SyncToken"])
            written = self.client.write(entity, update, record.new_requestid())
        self._remember(record, written, sent)
        return written

    @staticmethod
    def _refuse_if_moved(record: SyncRecord, current: dict[str, Any], body: dict[str, Any]) -> None:
        """An invoice a QBO user moved to another customer is not moved back silently."""
        if record.kind != "invoice":
            return
        ours = record.extra.get("customer_ref")
        now = (current.get("CustomerRef") or {}).get("value")
        if ours and now and now != ours and now != body["CustomerRef"]["value"]:
            raise QboFault(
                "MOVED_IN_QBO",
                f"Invoice {current.get('DocNumber')} was moved in QuickBooks to customer id "
                f"{now}; here it belongs to customer id {body['CustomerRef']['value']}. Move it "
                "back in QuickBooks (article §1) or correct the customer here, then retry.",
            )

    def _push_delete(self, record: SyncRecord, entity: str) -> None:
        if record.qbo_id is None:
            return  # never reached QBO: nothing to remove
        try:
            current = self.client.read(entity, record.qbo_id)
        except QboFault as fault:
            if fault.code == "610":  # already deleted in QBO
                record.qbo_id = record.sync_token = None
                return
            raise
        if record.kind in mapping.TRANSACTIONS:
            body = {"Id": record.qbo_id, "SyncToken": current["SyncToken"]}
            self.client.write(entity, body, record.new_requestid(), operation="delete")
            record.qbo_id = record.sync_token = None
            return
        body = {"Id": record.qbo_id, "SyncToken": current["SyncToken"], "sparse": True}
        written = self.client.write(entity, dict(body, Active=False), record.new_requestid())
        self._remember(record, written)

    # --- look-up before create ------------------------------------------------------------
    def _find_existing(self, record: SyncRecord, body: dict[str, Any]) -> dict[str, Any] | None:
        kind, entity = record.kind, mapping.ENTITY[record.kind]
        if kind == "payment":
            return self._find_payment(record, body)
        field, value = mapping.identity(record)
        rows = self.client.query(entity, f"{field} = {quote(value)}")
        for row in rows:
            if self._is_ours(kind, row, body):
                return row
        return None  # a same-named entity that is not ours: QBO's 6240/6140 will say so

    @staticmethod
    def _is_ours(kind: str, row: dict[str, Any], body: dict[str, Any]) -> bool:
        def ref(data: dict[str, Any], name: str) -> object:
            return (data.get(name) or {}).get("value")

        if kind == "customer":
            return not row.get("Job")
        if kind == "property":
            return bool(row.get("Job")) and ref(row, "ParentRef") == ref(body, "ParentRef")
        if kind == "invoice":
            return ref(row, "CustomerRef") == ref(body, "CustomerRef")
        if kind == "receipt":  # same vendor, same number and same amount: the same receipt
            same_vendor = ref(row, "VendorRef") == ref(body, "VendorRef")
            return same_vendor and round(float(row.get("TotalAmt", 0)), 2) == mapping.total(body)
        return True  # vendor, item, class: the name is the identity

    def _find_payment(self, record: SyncRecord, body: dict[str, Any]) -> dict[str, Any] | None:
        """Payments have no unique name: look among the invoice's linked payments for one
        with our reference number and amount that no other payment record of ours already
        is (two partial payments may share a reference such as "CASH" and an amount)."""
        number = body.get("PaymentRefNum")
        if not number:
            return None
        ours = {
            other.qbo_id
            for other in self.store.in_sync_order()
            if other.kind == "payment" and other is not record and other.qbo_id
        }
        invoice_id = body["Line"][0]["LinkedTxn"][0]["TxnId"]
        invoice = self.client.read("Invoice", invoice_id)
        for link in invoice.get("LinkedTxn") or []:
            if link.get("TxnType") != "Payment" or str(link["TxnId"]) in ours:
                continue
            payment = self.client.read("Payment", str(link["TxnId"]))
            same_amount = round(float(payment.get("TotalAmt", 0)), 2) == round(
                float(body["TotalAmt"]), 2
            )
            if payment.get("PaymentRefNum") == number and same_amount:
                return payment
        return None
