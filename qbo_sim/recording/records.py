"""The records a recording's writes came from: what the integration sent to QBO, turned back into
the field-service record changes (docs/harness.md §3, ``records.schema.json``) a scenario's
``apply`` steps hand the integration, so the integration, run again, makes the same writes.

Each recorded write (a create or update body, a batch item, an upload's metadata and file)
becomes a record of the kind its entity is: Customer → ``customer`` (``property`` for a
sub-customer: ``Job`` or ``ParentRef``), Item → ``item``, Vendor, Class, Invoice, Payment, Bill
→ ``receipt``, an upload → ``attachment``; a delete becomes ``action: delete``. A reference
becomes the key of the record of the entity it names: one the recording wrote, else one made
from the entity as the snapshot has it (read, or a stand-in), applied first. Retries of one
write are one record (same Id, or same name / DocNumber). Keys: the invoice's DocNumber,
otherwise the kind's letter and a number in order of appearance (``C1``, ``I1``, ``PAY1``).

The writes are grouped by time: a pause of more than :data:`PAUSE_SECONDS` between two calls
starts a new sync pass (``advance_clock`` by the pause, then the records first written after
it). A write no record kind describes (a JournalEntry, a void, a field the records have no
name for) is left as a ``FILL IN`` note naming the call.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from qbo_sim.harness.schema import record_problems
from qbo_sim.recording.content import (
    api_call,
    entities_of,
    entity_and_operation,
    fault_of,
    request_entities,
    short_path,
    uploaded_files,
)
from qbo_sim.recording.format import Exchange, RecordingError

Row = dict[str, Any]
#: A pause longer than this between two recorded calls is a new sync pass (seconds; assumed:
#: an integration's own retries and back-off within a pass are shorter).
PAUSE_SECONDS = 300
#: Entity → record kind (a Customer with ``Job``/``ParentRef`` is a ``property``).
KINDS = {
    "Customer": "customer",
    "Item": "item",
    "Vendor": "vendor",
    "Class": "class",
    "Invoice": "invoice",
    "Payment": "payment",
    "Bill": "receipt",
    "Attachable": "attachment",
}
#: The value of a record field the recording cannot give (the scenario says FILL IN).
FILL_IN = "FILL IN"
_REQUIRED = re.compile(r"'([a-z_]+)' is a required property")
_PREFIX = {
    "customer": "C",
    "property": "P",
    "item": "I",
    "vendor": "V",
    "class": "K",
    "invoice": "INV",
    "payment": "PAY",
    "receipt": "R",
    "attachment": "A",
}


@dataclass
class Pass:
    """One sync pass of the recording: the pause before it, and the records it applies."""

    pause: float
    records: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class NotARecord(RecordingError):
    """A write the records cannot describe (the reason is the message; caught, it becomes a
    FILL IN line of the scenario)."""


@dataclass
class Derivation:
    """Everything :func:`derive` found: the passes in order."""

    passes: list[Pass] = field(default_factory=list)

    @property
    def records(self) -> int:
        return sum(len(p.records) for p in self.passes)


def _started(exchange: Exchange) -> datetime | None:
    try:
        return datetime.fromisoformat(exchange.started.replace("Z", "+00:00"))
    except ValueError:
        return None


class _Deriver:
    def __init__(self, tables: dict[str, dict[str, Row]], exchanges: list[Exchange]) -> None:
        #: every entity known by type and Id: the snapshot's, then as the answers show them
        self.rows = {name: dict(table) for name, table in tables.items()}
        for exchange in exchanges:
            if exchange.response is not None and fault_of(exchange) is None:
                for name, row in entities_of(exchange.response):
                    self.rows.setdefault(name, {})[str(row["Id"])] = row
        self.by_id: dict[tuple[str, str], tuple[str, str]] = {}
        self.by_identity: dict[tuple[str, str], str] = {}
        self.counters: dict[str, int] = {}
        self.applied: dict[tuple[str, str], dict[str, Any]] = {}
        self.current = Pass(0)

    # --- keys ---------------------------------------------------------------------------
    def _key(self, kind: str, identity: str | None, wanted: str | None = None) -> str:
        if identity is not None and (kind, identity) in self.by_identity:
            return self.by_identity[(kind, identity)]
        taken = {key for k, key in self.by_identity.items() if k[0] == kind}
        taken |= {key for (k, key) in self.applied if k == kind}
        key = wanted if wanted and "." not in wanted and " " not in wanted else None
        while key is None or key in taken:
            self.counters[kind] = self.counters.get(kind, 0) + 1
            key = f"{_PREFIX[kind]}{self.counters[kind]}"
        if identity is not None:
            self.by_identity[(kind, identity)] = key
        return key

    def ref(self, type_name: str, ref: Any) -> str:
        """The key of the record of the entity ``ref`` names (made from the snapshot's row,
        and applied first, when the recording did not write it)."""
        value = ref.get("value") if isinstance(ref, dict) else ref
        if value in (None, ""):
            raise NotARecord(f"a {type_name} reference without a value")
        known = self.by_id.get((type_name, str(value)))
        if known is not None:
            return known[1]
        row = self.rows.get(type_name, {}).get(str(value))
        if row is None:
            raise NotARecord(f"{type_name} {value} is neither written nor in the snapshot")
        record = self.record(type_name, row)
        if record["data"].get("currency") == self.home_currency():  # QBO's default, not sent
            del record["data"]["currency"]
        for problem in record_problems(record):  # what a snapshot's row cannot say
            missing = _REQUIRED.search(problem)
            if missing:
                record["data"][missing.group(1)] = FILL_IN
                self.current.notes.append(
                    f"{type_name} {value} (in the snapshot, not written by the recording): "
                    f"its {missing.group(1)}"
                )
        self.emit(record)
        self.by_id[(type_name, str(value))] = (record["kind"], record["key"])
        return str(record["key"])

    def home_currency(self) -> str | None:
        for prefs in self.rows.get("Preferences", {}).values():
            home = ((prefs.get("CurrencyPrefs") or {}).get("HomeCurrency") or {}).get("value")
            if home:
                return str(home)
        return None

    def name_of(self, type_name: str, ref: Any, field_name: str = "Name") -> str:
        if not isinstance(ref, dict):
            raise NotARecord(f"no {type_name} reference")
        row = self.rows.get(type_name, {}).get(str(ref.get("value")))
        name = ref.get("name") or (row or {}).get(field_name)
        if not name:
            raise NotARecord(f"{type_name} {ref.get('value')} has no name the records can use")
        return str(name)

    # --- one entity ---------------------------------------------------------------------
    def record(self, type_name: str, body: Row, row: Row | None = None) -> dict[str, Any]:
        """The record change a write of ``body`` (answered with ``row``) comes from."""
        kind = KINDS.get(type_name)
        if kind == "customer" and (body.get("Job") or body.get("ParentRef")):
            kind = "property"
        if kind is None or kind == "attachment":
            raise NotARecord(f"a {type_name} write has no record kind (docs/harness.md §3)")
        data = getattr(self, f"_{kind}")(body)  # what the write sent, not what QBO added
        identity = _identity(kind, data)
        entity_id = next((str(r["Id"]) for r in (body, row or {}) if r.get("Id")), None)
        known = self.by_id.get((type_name, entity_id)) if entity_id else None
        key = known[1] if known else self._key(kind, identity, data.get("number"))
        if entity_id:
            self.by_id[(type_name, entity_id)] = (kind, key)
        return {"kind": kind, "key": key, "data": data}

    def _customer(self, body: Row) -> dict[str, Any]:
        data: dict[str, Any] = {"name": _required(body, "DisplayName")}
        email = (body.get("PrimaryEmailAddr") or {}).get("Address")
        phone = (body.get("PrimaryPhone") or {}).get("FreeFormNumber")
        currency = (body.get("CurrencyRef") or {}).get("value")
        data.update({k: v for k, v in (("email", email), ("phone", phone)) if v})
        if currency:
            data["currency"] = currency
        return data

    def _vendor(self, body: Row) -> dict[str, Any]:
        return {"name": _required(body, "DisplayName")}

    def _property(self, body: Row) -> dict[str, Any]:
        data: dict[str, Any] = {"name": _required(body, "DisplayName")}
        data["customer"] = self.ref("Customer", body.get("ParentRef"))
        address = (body.get("ShipAddr") or body.get("BillAddr") or {}).get("Line1")
        if address:
            data["address"] = address
        return data

    def _class(self, body: Row) -> dict[str, Any]:
        return {"name": _required(body, "Name")}

    def _item(self, body: Row) -> dict[str, Any]:
        data: dict[str, Any] = {"name": _required(body, "Name")}
        if body.get("Type"):
            data["type"] = body["Type"]
        for ref_field, name in (
            ("IncomeAccountRef", "income_account"),
            ("ExpenseAccountRef", "expense_account"),
        ):
            if body.get(ref_field):
                data[name] = self.name_of("Account", body[ref_field])
        if body.get("UnitPrice") is not None:
            data["price"] = body["UnitPrice"]
        return data

    def _invoice(self, body: Row) -> dict[str, Any]:
        data: dict[str, Any] = {"number": _required(body, "DocNumber")}
        customer = self.rows.get("Customer", {}).get(
            str((body.get("CustomerRef") or {}).get("value"))
        )
        party = "property" if customer and customer.get("Job") else "customer"
        data[party] = self.ref("Customer", body.get("CustomerRef"))
        if body.get("TxnDate"):
            data["date"] = body["TxnDate"]
        code = (body.get("TxnTaxDetail") or {}).get("TxnTaxCodeRef")
        if code:
            data["tax_code"] = self.name_of("TaxCode", code)
        if (body.get("CurrencyRef") or {}).get("value"):
            data["currency"] = body["CurrencyRef"]["value"]
        lines = []
        for line in body.get("Line") or []:
            detail = line.get("SalesItemLineDetail") if isinstance(line, dict) else None
            if not isinstance(detail, dict):
                continue  # subtotal, discount, description-only lines: QBO's own
            entry: dict[str, Any] = {"item": self.ref("Item", detail.get("ItemRef"))}
            entry["amount"] = line.get("Amount", 0)
            for source, name in (("Qty", "quantity"), ("UnitPrice", "unit_price")):
                if detail.get(source) is not None:
                    entry[name] = detail[source]
            if line.get("Description"):
                entry["description"] = line["Description"]
            if detail.get("ClassRef"):
                entry["class"] = self.ref("Class", detail["ClassRef"])
            if (detail.get("TaxCodeRef") or {}).get("value"):
                entry["taxable"] = detail["TaxCodeRef"]["value"] != "NON"
            lines.append(entry)
        data["lines"] = lines
        return data

    def _payment(self, body: Row) -> dict[str, Any]:
        invoices = [
            link["TxnId"]
            for line in body.get("Line") or []
            for link in (line.get("LinkedTxn") or [] if isinstance(line, dict) else [])
            if isinstance(link, dict) and link.get("TxnType") == "Invoice"
        ]
        if len(invoices) != 1:
            raise NotARecord(f"a Payment of {len(invoices)} invoices (a record pays one)")
        data: dict[str, Any] = {"invoice": self.ref("Invoice", invoices[0])}
        data["amount"] = body.get("TotalAmt", 0)
        if body.get("PaymentRefNum"):
            data["reference_number"] = body["PaymentRefNum"]
        if body.get("TxnDate"):
            data["date"] = body["TxnDate"]
        if (body.get("CurrencyRef") or {}).get("value"):
            data["currency"] = body["CurrencyRef"]["value"]
        return data

    def _receipt(self, body: Row) -> dict[str, Any]:
        data: dict[str, Any] = {"vendor": self.ref("Vendor", body.get("VendorRef"))}
        data["vendor_document_number"] = _required(body, "DocNumber")
        if body.get("TxnDate"):
            data["date"] = body["TxnDate"]
        lines = []
        for line in body.get("Line") or []:
            if not isinstance(line, dict):
                continue
            entry: dict[str, Any]
            if isinstance(line.get("AccountBasedExpenseLineDetail"), dict):
                account = line["AccountBasedExpenseLineDetail"].get("AccountRef")
                entry = {"account": self.name_of("Account", account)}
            elif isinstance(line.get("ItemBasedExpenseLineDetail"), dict):
                item = line["ItemBasedExpenseLineDetail"].get("ItemRef")
                entry = {"item": self.ref("Item", item)}
            else:
                continue
            entry["amount"] = line.get("Amount", 0)
            if line.get("Description"):
                entry["description"] = line["Description"]
            lines.append(entry)
        data["lines"] = lines
        return data

    def attachment(self, metadata: Row | None, part: Any, row: Row | None) -> dict[str, Any]:
        full = {**(row or {}), **(metadata or {})}
        links = [
            link["EntityRef"]
            for link in full.get("AttachableRef") or []
            if isinstance(link, dict) and isinstance(link.get("EntityRef"), dict)
        ]
        invoices = [ref for ref in links if str(ref.get("type")).lower() == "invoice"]
        if len(invoices) != 1:
            raise NotARecord("an upload not linked to one invoice (a record attaches to one)")
        data: dict[str, Any] = {"invoice": self.ref("Invoice", invoices[0])}
        data["file_name"] = str(full.get("FileName") or part.filename or "")
        content_type = full.get("ContentType") or part.content_type
        if content_type:
            data["content_type"] = content_type
        data["content_base64"] = base64.b64encode(part.data).decode("ascii")
        for source, name in (
            ("Note", "note"),
            ("Category", "category"),
            ("IncludeOnSend", "include_on_send"),
        ):
            if full.get(source) is not None:
                data[name] = full[source]
        key = self._key("attachment", f"{data['invoice']}/{data['file_name']}")
        if row and row.get("Id"):
            self.by_id[("Attachable", str(row["Id"]))] = ("attachment", key)
        return {"kind": "attachment", "key": key, "data": data}

    # --- passes ---------------------------------------------------------------------------
    def emit(self, record: dict[str, Any]) -> None:
        """Apply ``record`` in the current pass, unless it was applied as it is already."""
        problems = record_problems(record)
        if problems:
            raise NotARecord(f"the record it gives is not valid: {problems[0]}")
        ident = (record["kind"], record["key"])
        if self.applied.get(ident) == record:
            return
        self.current.records = [
            r for r in self.current.records if (r["kind"], r["key"]) != ident
        ] + [record]
        self.applied[ident] = record

    def write(self, exchange: Exchange) -> None:
        """The records of one recorded write (a note for what no record describes)."""
        where = f"#{exchange.seq} {exchange.method} {short_path(exchange)}"
        _entity, operation = entity_and_operation(exchange)
        answered: list[tuple[str, Row]] = []
        if exchange.response is not None and fault_of(exchange) is None:
            answered = entities_of(exchange.response)
        if short_path(exchange) == "/upload":
            rows = [row for name, row in answered if name == "Attachable"]
            for n, (metadata, part) in enumerate(uploaded_files(exchange)):
                row = rows[n] if n < len(rows) else None
                try:
                    self.emit(self.attachment(metadata, part, row))
                except NotARecord as reason:
                    self.current.notes.append(f"{where}: {reason}")
            return
        sent = request_entities(exchange)
        for n, (type_name, body) in enumerate(sent):
            row = answered[n][1] if len(sent) == 1 and n < len(answered) else None
            try:
                if operation in ("delete", "void"):
                    self._delete(type_name, body, operation)
                else:
                    self.emit(self.record(type_name, body, row))
            except NotARecord as reason:
                self.current.notes.append(f"{where}: {reason}")

    def _delete(self, type_name: str, body: Row, operation: str) -> None:
        known = self.by_id.get((type_name, str(body.get("Id"))))
        if operation == "void" or known is None:
            raise NotARecord(f"a {operation} of {type_name} {body.get('Id')} (no record to remove)")
        kind, key = known
        self.current.records.append({"kind": kind, "key": key, "action": "delete"})


def _required(body: Row, name: str) -> str:
    value = body.get(name)
    if value in (None, ""):
        raise NotARecord(f"no {name} (the record needs one)")
    return str(value)


def _identity(kind: str, data: dict[str, Any]) -> str | None:
    for name in ("name", "number", "vendor_document_number", "reference_number"):
        if data.get(name):
            return str(data[name])
    return None


def derive(exchanges: list[Exchange], realm: str, tables: dict[str, dict[str, Row]]) -> Derivation:
    """The passes and records of ``realm``'s recorded writes (see the module docstring);
    ``tables``: the snapshot's entities by type and Id."""
    mine = [e for e in exchanges if e.realm == realm]
    deriver = _Deriver(tables, mine)
    derivation = Derivation([deriver.current])
    previous: datetime | None = None
    for exchange in mine:
        started = _started(exchange)
        if previous is not None and started is not None:
            pause = (started - previous).total_seconds()
            if pause > PAUSE_SECONDS:
                deriver.current = Pass(pause)
                derivation.passes.append(deriver.current)
        previous = started or previous
        if api_call(exchange) is None or exchange.method != "POST":
            continue
        if short_path(exchange) != "/query":
            deriver.write(exchange)
    return derivation
