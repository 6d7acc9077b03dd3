"""The independent connector (see the package docstring for its policies)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import requests

MINOR = "75"
ENTITY = {
    "customer": "Customer",
    "property": "Customer",
    "vendor": "Vendor",
    "item": "Item",
    "class": "Class",
    "invoice": "Invoice",
    "payment": "Payment",
    "receipt": "Bill",
    "attachment": "Attachable",
}
ORDER = [
    "class",
    "vendor",
    "customer",
    "property",
    "item",
    "invoice",
    "receipt",
    "payment",
    "attachment",
]
TRANSACTIONS = {"invoice", "payment", "receipt", "attachment"}
REFRESH_AHEAD = timedelta(minutes=5)


class Definitive(Exception):
    """QBO (or our own check) refused: the record fails until an operator acts."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


def _legacy_throttle(res: requests.Response) -> bool:
    """QBO's older throttle answer: HTTP 403 with the XML fault 3001 ThrottleExceeded
    (``statusCode=403``), which other 403 faults (authorization, 3100) are not."""
    text = res.text or ""
    return res.status_code == 403 and ("ThrottleExceeded" in text or 'code="3001"' in text)


class NotNow(Exception):
    """No usable answer (429, 5xx, connection lost): try again in a later pass."""

    def __init__(self, code: str, message: str, throttled: bool = False) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.throttled = code, message, throttled


class Waiting(Exception):
    """A record this one references is not in QBO (yet)."""

    def __init__(self, message: str, for_good: bool) -> None:
        super().__init__(message)
        self.for_good = for_good


@dataclass
class Rec:
    kind: str
    key: str
    data: dict[str, Any]
    deleted: bool = False
    state: str = "pending"
    qbo_id: str | None = None
    code: str | None = None
    message: str | None = None
    attempts: int = 0
    requestid: str | None = None
    #: CustomerRef we last wrote (invoices): a different one in QBO means a QBO user moved it
    written_party: str | None = None
    #: the body of our last successful write: an update sends only what changed since, so
    #: what a QBO user edited in between (a rename) is not written back
    sent: dict[str, Any] | None = None
    notes: dict[str, Any] = field(default_factory=dict)
    #: the QBO company (an alias of ``connection.companies``; None: the default one)
    company: str | None = None

    def fail(self, code: str, message: str) -> None:
        self.state, self.code, self.message, self.requestid = "failed", code, message, None

    def done(self) -> None:
        self.state, self.code, self.message, self.requestid = "synced", None, None, None

    def wait(self, code: str, message: str) -> None:
        self.state, self.code, self.message = "pending", code, message

    def requeue(self) -> None:
        self.state, self.code, self.message = "pending", None, None


def literal(value: str) -> str:
    """A query string literal, ``'`` and ``\\`` escaped with a backslash (reference §4.4)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class Api:
    """Just enough of the QBO v3 API; never sleeps."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.http = conn.http or requests.Session()
        self.token = conn.access_token
        self.refresh_token = conn.refresh_token
        self.expires_at = getattr(conn, "access_token_expires_at", None)

    def _refresh(self) -> None:
        res = self.http.post(
            self.conn.oauth_token_url,
            data={"grant_type": "refresh_token", "refresh_token": self.refresh_token},
            auth=(self.conn.client_id or "", self.conn.client_secret or ""),
            headers={"Accept": "application/json"},
            timeout=30,
        )
        try:
            doc = res.json()
        except ValueError:
            doc = {}
        if res.status_code != 200 or "access_token" not in doc:
            raise Definitive(
                "AUTH", f"QuickBooks refused the token refresh: {doc or res.status_code}"
            )
        self.token = doc["access_token"]
        self.refresh_token = doc.get("refresh_token") or self.refresh_token
        if doc.get("expires_in") is not None:
            self.expires_at = self.conn.now() + timedelta(seconds=int(doc["expires_in"]))

    def request(
        self, method: str, path: str, params: dict[str, str], body: Any = None, files: Any = None
    ) -> Any:
        if self.expires_at is not None and self.refresh_token:
            if self.conn.now() >= self.expires_at - REFRESH_AHEAD:
                self._refresh()
        url = self.conn.company_url(path)
        for attempt in range(2):
            try:
                res = self.http.request(
                    method,
                    url,
                    params={**params, "minorversion": MINOR},
                    **({"files": files} if files is not None else {"json": body}),
                    headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
                    timeout=30,
                )
            except requests.RequestException as exc:
                raise NotNow("NO_ANSWER", f"QuickBooks did not answer: {exc}") from exc
            if res.status_code == 401 and attempt == 0 and self.refresh_token:
                self._refresh()
                continue
            break
        if res.status_code == 429 or _legacy_throttle(res):
            raise NotNow("429", "QuickBooks is throttling this company", throttled=True)
        if res.status_code >= 500:
            raise NotNow(str(res.status_code), _fault_text(res) or f"HTTP {res.status_code}")
        try:
            doc = res.json()
        except ValueError:
            doc = None
        fault = _fault(doc)
        if fault is not None:
            raise Definitive(*fault)
        if res.status_code >= 400 or doc is None:
            raise Definitive(str(res.status_code), f"HTTP {res.status_code}")
        return doc

    def query(self, entity: str, where: str) -> list[dict[str, Any]]:
        doc = self.request("GET", "query", {"query": f"select * from {entity} where {where}"})
        return list((doc.get("QueryResponse") or {}).get(entity) or [])

    def get(self, entity: str, entity_id: str) -> dict[str, Any]:
        return dict(self.request("GET", f"{entity.lower()}/{entity_id}", {})[entity])

    def post(self, entity: str, body: dict[str, Any], rid: str, op: str | None = None) -> Any:
        params = {"requestid": rid}
        if op:
            params["operation"] = op
        return self.request("POST", entity.lower(), params, body)[entity]


def _fault(doc: Any) -> tuple[str, str] | None:
    if not isinstance(doc, dict):
        return None
    fault = doc.get("Fault") or doc.get("fault")
    if not isinstance(fault, dict):
        return None
    errors = fault.get("Error") or fault.get("error") or [{}]
    err = errors[0] if errors else {}
    code = str(err.get("code") or "FAULT")
    text = " — ".join(
        str(t)
        for t in (err.get("Message") or err.get("message"), err.get("Detail") or err.get("detail"))
        if t
    )
    return code, text or "QuickBooks refused the request"


def _fault_text(res: requests.Response) -> str:
    try:
        found = _fault(res.json())
    except ValueError:
        return ""
    return found[1] if found else ""


def ref(data: dict[str, Any] | None, name: str) -> str | None:
    value = (data or {}).get(name) or {}
    return str(value["value"]) if isinstance(value, dict) and value.get("value") else None


class IndependentSync:
    name = "independent"

    def __init__(self) -> None:
        self.recs: dict[tuple[str, str], Rec] = {}
        #: one API client per QBO company (None: the connection's own); ``api`` is the
        #: client of the company being worked on (``current``)
        self.apis: dict[str | None, Api] = {}
        self.current: str | None = None
        self.realms: dict[str, str | None] = {}
        self.conn: Any = None
        self.verifier: str | None = None
        self.seen_events: set[tuple[str, str, str, str]] = set()
        self.views: dict[tuple[str, str], dict[str, Any]] = {}
        self.checkpoints: dict[str | None, datetime] = {}
        self.dirty: set[str | None] = set()

    @property
    def api(self) -> Api | None:
        return self.apis.get(self.current)

    # --- protocol -------------------------------------------------------------------------
    def connect(self, connection: Any) -> None:
        self.conn = connection
        self.apis = {None: Api(connection)}
        self.realms = {str(connection.realm_id): None}
        for alias, other in (getattr(connection, "companies", None) or {}).items():
            self.apis[alias] = Api(other)
            self.realms[str(other.realm_id)] = alias
        self.verifier = getattr(connection, "webhook_verifier", None)
        self.started = connection.now()

    def apply(self, change: dict[str, Any]) -> None:
        kind, key = change["kind"], str(change["key"])
        rec = self.recs.get((kind, key))
        if change.get("action", "upsert") == "delete":
            if rec is not None:
                rec.deleted = True
                if rec.state != "bypassed":
                    rec.requeue()
            return
        if rec is None:
            data = dict(change.get("data") or {})
            self.recs[(kind, key)] = Rec(kind, key, data, company=change.get("company"))
            return
        if rec.deleted and rec.qbo_id is None:
            rec.written_party = None
        rec.data, rec.deleted = dict(change.get("data") or {}), False
        if rec.state != "bypassed":
            rec.requeue()
            rec.requestid = None

    def status(self, kind: str, key: str) -> dict[str, Any]:
        rec = self.recs[(kind, str(key))]
        error = {"code": rec.code, "message": rec.message} if (rec.code or rec.message) else None
        return {"state": rec.state, "qbo_id": rec.qbo_id, "error": error, "attempts": rec.attempts}

    def operate(self, action: str, kind: str, key: str, **params: Any) -> None:
        rec = self.recs[(kind, str(key))]
        if action == "bypass":
            rec.state, rec.code, rec.message, rec.requestid = "bypassed", None, None, None
            return
        if action == "reset_ref":
            rec.qbo_id, rec.written_party, rec.requestid = None, None, None
        elif action == "post_payment":
            rec.data["posted"] = True
        elif action == "edit":
            rec.data.update(params.get("fields") or {})
            rec.requestid = None
        elif action == "retry":
            if rec.state == "pending":
                return
            rec.requestid = None
        elif action == "send" and rec.kind == "invoice":
            rec.notes["email_to"] = params.get("to") or ""
            if rec.state == "pending":
                return
        else:
            raise ValueError(f"unknown operator action {action!r}")
        rec.requeue()

    def sync(self) -> None:
        assert self.apis, "sync() before connect()"
        for company in self.apis:
            self.current = company
            self._catch_up()
            self._pass(company)
        self.current = None

    def _pass(self, company: str | None) -> None:
        for kind in ORDER:
            for rec in [r for r in self.recs.values() if r.kind == kind and r.company == company]:
                if not self._due(rec):
                    continue
                try:
                    self._one(rec)
                except NotNow as exc:
                    if exc.throttled:
                        return  # this company is throttled: its rest waits for the next pass

    def close(self) -> None:
        for api in self.apis.values():
            api.http.close()

    # --- one record -----------------------------------------------------------------------
    @staticmethod
    def _due(rec: Rec) -> bool:
        if rec.kind == "payment" and not rec.deleted and rec.data.get("posted") is False:
            return False
        return rec.state == "pending" or (rec.state == "failed" and rec.code == "DEPENDENCY")

    def _one(self, rec: Rec) -> None:
        try:
            self._check_deps(rec)
        except Waiting as exc:
            if exc.for_good:
                rec.fail("DEPENDENCY", str(exc))
            else:
                rec.wait("DEPENDENCY", str(exc))
            return
        rec.attempts += 1
        try:
            if rec.deleted:
                self._remove(rec)
            else:
                self._write(rec)
        except NotNow as exc:
            rec.wait(exc.code, exc.message)
            raise
        except Definitive as exc:
            rec.fail(exc.code, exc.message)
            return
        rec.done()

    def _deps(self, rec: Rec) -> list[tuple[str, str]]:
        d = rec.data
        if rec.deleted:
            return []
        if rec.kind == "property":
            return [("customer", d["customer"])]
        if rec.kind == "attachment":
            return [("invoice", d["invoice"])]
        if rec.kind == "invoice":
            out = [self._party(d)]
            out += [("item", line["item"]) for line in d.get("lines") or []]
            out += [("class", line["class"]) for line in d.get("lines") or [] if line.get("class")]
            if d.get("class"):
                out.append(("class", d["class"]))
            return out
        if rec.kind == "payment":
            inv = self.recs.get(("invoice", d["invoice"]))
            return [("invoice", d["invoice"])] + ([self._party(inv.data)] if inv else [])
        if rec.kind == "receipt":
            out = [("vendor", d["vendor"])]
            return out + [
                ("item", line["item"]) for line in d.get("lines") or [] if line.get("item")
            ]
        return []

    @staticmethod
    def _party(d: dict[str, Any]) -> tuple[str, str]:
        return ("property", d["property"]) if d.get("property") else ("customer", d["customer"])

    def _check_deps(self, rec: Rec) -> None:
        for kind, key in dict.fromkeys(self._deps(rec)):
            other = self.recs.get((kind, key))
            if other is None:
                raise Waiting(f"{kind} {key} is unknown to this connector", True)
            if other.qbo_id and other.state in ("synced", "bypassed"):
                continue
            if other.state == "pending":
                raise Waiting(f"{kind} {key} has not reached QuickBooks yet", False)
            raise Waiting(f"{kind} {key} is not in QuickBooks ({other.code or other.state})", True)

    def _id(self, kind: str, key: str) -> dict[str, str]:
        qbo_id = self.recs[(kind, key)].qbo_id
        assert qbo_id
        return {"value": qbo_id}

    def _account(self, name: str) -> dict[str, str]:
        assert self.api is not None
        rows = [
            r
            for r in self.api.query("Account", f"Name = {literal(name.strip())}")
            if r.get("Active", True)
        ]
        if not rows:
            raise Definitive("MAPPING", f"no active GL account named {name!r} in QuickBooks")
        return {"value": str(rows[0]["Id"])}

    def _tax_code(self, name: str) -> dict[str, str]:
        """The QBO tax code of that name, inactive ones included (QBO's fault then says so)."""
        assert self.api is not None
        rows = self.api.query(
            "TaxCode", f"Name = {literal(name.strip())} AND Active IN (true, false)"
        )
        if not rows:
            raise Definitive("MAPPING", f"no tax code named {name!r} in QuickBooks")
        return {"value": str(rows[0]["Id"])}

    @staticmethod
    def _check_total(rec: Rec, entity: dict[str, Any]) -> None:
        """The field app's invoice total against the one QBO computed (its tax included)."""
        wanted = rec.data.get("total") if rec.kind == "invoice" else None
        if wanted is None:
            return
        got = float(entity.get("TotalAmt") or 0)
        if abs(got - float(wanted)) >= 0.005:
            raise Definitive(
                "TOTAL_MISMATCH",
                f"QuickBooks computed a total of {got:.2f} for invoice {entity.get('DocNumber')}, "
                f"the field app {float(wanted):.2f}",
            )

    # --- bodies ---------------------------------------------------------------------------
    def _body(self, rec: Rec) -> dict[str, Any]:
        body = self._fields(rec)
        if rec.data.get("currency"):  # records.schema.json: QBO CurrencyRef.value
            body["CurrencyRef"] = {"value": rec.data["currency"]}
        return body

    def _fields(self, rec: Rec) -> dict[str, Any]:
        d, k = rec.data, rec.kind
        if k in ("customer", "vendor"):
            body: dict[str, Any] = {"DisplayName": str(d["name"]).strip()}
            if d.get("email"):
                body["PrimaryEmailAddr"] = {"Address": str(d["email"]).strip()}
            if d.get("phone"):
                body["PrimaryPhone"] = {"FreeFormNumber": str(d["phone"]).strip()}
            return body
        if k == "property":
            body = {
                "DisplayName": str(d["name"]).strip(),
                "Job": True,
                "ParentRef": self._id("customer", d["customer"]),
                "BillWithParent": True,
            }
            if d.get("address"):
                body["ShipAddr"] = {"Line1": d["address"]}
            return body
        if k == "class":
            return {"Name": str(d["name"]).strip()}
        if k == "item":
            body = {"Name": str(d["name"]).strip(), "Type": d.get("type") or "Service"}
            if d.get("income_account"):
                body["IncomeAccountRef"] = self._account(d["income_account"])
            if d.get("expense_account"):
                body["ExpenseAccountRef"] = self._account(d["expense_account"])
            if d.get("price") is not None:
                body["UnitPrice"] = d["price"]
            return body
        if k == "invoice":
            lines = []
            for line in d.get("lines") or []:
                detail: dict[str, Any] = {"ItemRef": self._id("item", line["item"])}
                for src, dst in (("quantity", "Qty"), ("unit_price", "UnitPrice")):
                    if line.get(src) is not None:
                        detail[dst] = line[src]
                if line.get("class") or d.get("class"):
                    detail["ClassRef"] = self._id("class", line.get("class") or d["class"])
                if d.get("tax_code") or "taxable" in line:
                    detail["TaxCodeRef"] = {"value": "TAX" if line.get("taxable") else "NON"}
                entry = {
                    "DetailType": "SalesItemLineDetail",
                    "Amount": line["amount"],
                    "SalesItemLineDetail": detail,
                }
                if line.get("description"):
                    entry["Description"] = line["description"]
                lines.append(entry)
            body = {
                "DocNumber": str(d["number"]).strip(),
                "CustomerRef": self._id(*self._party(d)),
                "Line": lines,
            }
            if d.get("date"):
                body["TxnDate"] = d["date"]
            if d.get("tax_code"):
                body["TxnTaxDetail"] = {"TxnTaxCodeRef": self._tax_code(d["tax_code"])}
            return body
        if k == "payment":
            inv = self.recs[("invoice", d["invoice"])]
            body = {
                "CustomerRef": self._id(*self._party(inv.data)),
                "TotalAmt": d["amount"],
                "Line": [
                    {
                        "Amount": d["amount"],
                        "LinkedTxn": [{"TxnId": inv.qbo_id, "TxnType": "Invoice"}],
                    }
                ],
            }
            if d.get("reference_number"):
                body["PaymentRefNum"] = str(d["reference_number"]).strip()
            if d.get("date"):
                body["TxnDate"] = d["date"]
            return body
        lines = []
        for line in d.get("lines") or []:
            if line.get("account"):
                entry = {
                    "DetailType": "AccountBasedExpenseLineDetail",
                    "Amount": line["amount"],
                    "AccountBasedExpenseLineDetail": {"AccountRef": self._account(line["account"])},
                }
            else:
                entry = {
                    "DetailType": "ItemBasedExpenseLineDetail",
                    "Amount": line["amount"],
                    "ItemBasedExpenseLineDetail": {"ItemRef": self._id("item", line["item"])},
                }
            if line.get("description"):
                entry["Description"] = line["description"]
            lines.append(entry)
        body = {
            "VendorRef": self._id("vendor", d["vendor"]),
            "DocNumber": str(d["vendor_document_number"]).strip(),
            "Line": lines,
        }
        if d.get("date"):
            body["TxnDate"] = d["date"]
        return body

    # --- writes ---------------------------------------------------------------------------
    def _rid(self, rec: Rec) -> str:
        if rec.requestid is None:
            rec.requestid = f"ind-{uuid.uuid4().hex}"
        return rec.requestid

    def _write(self, rec: Rec) -> None:
        if rec.kind == "attachment":
            self._attach(rec)
            return
        self._write_entity(rec)
        if rec.kind == "invoice" and "email_to" in rec.notes:
            self._email(rec)

    def _write_entity(self, rec: Rec) -> None:
        assert self.api is not None
        entity = ENTITY[rec.kind]
        body = self._body(rec)
        if rec.qbo_id is None:
            found = self._find(rec, body)
            if found is not None:
                self._link(rec, found)
                self._check_total(rec, found)
                return
            created = self.api.post(entity, body, self._rid(rec))
            self._link(rec, created)
            rec.sent = body
            self._check_total(rec, created)
            return
        changed = {k: v for k, v in body.items() if rec.sent is None or rec.sent.get(k) != v}
        if not changed:
            if rec.kind == "invoice" and rec.data.get("total") is not None:
                self._check_total(rec, self.api.get(entity, rec.qbo_id))
            return
        for attempt in range(2):
            current = self.api.get(entity, rec.qbo_id)
            if rec.kind == "invoice" and rec.written_party:
                now = ref(current, "CustomerRef")
                if now not in (rec.written_party, body["CustomerRef"]["value"]):
                    raise Definitive(
                        "MOVED_IN_QBO",
                        f"a QuickBooks user moved invoice {current.get('DocNumber')} to customer "
                        f"{now}; move it back in QuickBooks or change it here, then retry",
                    )
            update = dict(changed, Id=rec.qbo_id, SyncToken=current["SyncToken"], sparse=True)
            try:
                written = self.api.post(entity, update, self._rid(rec))
                self._link(rec, written)
                rec.sent = body
                self._check_total(rec, written)
                return
            except Definitive as exc:
                rec.requestid = None
                if exc.code != "5010" or attempt:
                    raise

    def _link(self, rec: Rec, entity: dict[str, Any]) -> None:
        rec.qbo_id = str(entity["Id"])
        rec.written_party = ref(entity, "CustomerRef")
        rec.requestid = None
        rec.notes["delivered"] = (entity.get("DeliveryInfo") or {}).get("DeliveryTime")

    # --- paperwork: files on invoices, invoices e-mailed --------------------------------------
    def _attach(self, rec: Rec) -> None:
        """Upload the file with its link to the invoice. Only after an upload that got no
        answer (it may be stored) is QBO searched first, so a retry cannot attach it twice."""
        assert self.api is not None
        if rec.qbo_id is not None:
            return
        d = rec.data
        invoice = self.recs[("invoice", d["invoice"])].qbo_id
        assert invoice
        if rec.notes.get("upload_unclear"):
            where = (
                "AttachableRef.EntityRef.Type = 'Invoice' and "
                f"AttachableRef.EntityRef.value = {literal(invoice)}"
            )
            for row in self.api.query("Attachable", where):
                if row.get("FileName") == d["file_name"]:
                    rec.qbo_id = str(row["Id"])
                    rec.notes.pop("upload_unclear", None)
                    return
        meta: dict[str, Any] = {
            "FileName": d["file_name"],
            "ContentType": d["content_type"],
            "AttachableRef": [{"EntityRef": {"type": "Invoice", "value": invoice}}],
        }
        for field_name, key in (("Note", "note"), ("Category", "category")):
            if d.get(key):
                meta[field_name] = d[key]
        if d.get("include_on_send"):
            meta["AttachableRef"][0]["IncludeOnSend"] = True
        if d.get("content_base64") is not None:
            content = base64.b64decode(d["content_base64"])
        else:
            content = str(d.get("content") or "").encode()
        files = {
            "file_metadata_0": ("metadata.json", json.dumps(meta), "application/json"),
            "file_content_0": (d["file_name"], content, d["content_type"]),
        }
        rec.notes["upload_unclear"] = True
        try:
            doc = self.api.request("POST", "upload", {}, files=files)
        except Definitive:
            rec.notes.pop("upload_unclear", None)
            raise
        item = (doc.get("AttachableResponse") or [{}])[0]
        rec.notes.pop("upload_unclear", None)
        refused = _fault(item)
        if refused is not None:
            raise Definitive(*refused)
        rec.qbo_id = str(item["Attachable"]["Id"])

    def _email(self, rec: Rec) -> None:
        """QBO e-mails the invoice once; after a send without an answer, the invoice's
        DeliveryInfo says whether it went out (a delivery time we had not seen)."""
        assert self.api is not None and rec.qbo_id
        if rec.notes.get("send_unclear"):
            current = self.api.get("Invoice", rec.qbo_id)
            delivered = (current.get("DeliveryInfo") or {}).get("DeliveryTime")
            if current.get("EmailStatus") == "EmailSent" and delivered != rec.notes["delivered"]:
                self._emailed(rec, current)
                return
        to = rec.notes["email_to"]
        rec.notes["send_unclear"] = True
        try:
            doc = self.api.request(
                "POST", f"invoice/{rec.qbo_id}/send", {"sendTo": to} if to else {}
            )
        except Definitive:
            rec.notes.pop("send_unclear", None)
            raise
        self._emailed(rec, doc["Invoice"])

    def _emailed(self, rec: Rec, invoice: dict[str, Any]) -> None:
        for note in ("email_to", "send_unclear"):
            rec.notes.pop(note, None)
        rec.notes["delivered"] = (invoice.get("DeliveryInfo") or {}).get("DeliveryTime")

    def _remove(self, rec: Rec) -> None:
        assert self.api is not None
        if rec.qbo_id is None:
            return
        entity = ENTITY[rec.kind]
        try:
            current = self.api.get(entity, rec.qbo_id)
        except Definitive as exc:
            if exc.code == "610":
                rec.qbo_id = None
                return
            raise
        if rec.kind in TRANSACTIONS:
            self.api.post(
                entity,
                {"Id": rec.qbo_id, "SyncToken": current["SyncToken"]},
                self._rid(rec),
                "delete",
            )
            rec.qbo_id = None
            return
        body = {
            "Id": rec.qbo_id,
            "SyncToken": current["SyncToken"],
            "sparse": True,
            "Active": False,
        }
        self.api.post(entity, body, self._rid(rec))

    def _find(self, rec: Rec, body: dict[str, Any]) -> dict[str, Any] | None:
        assert self.api is not None
        if rec.kind == "payment":
            return self._find_payment(rec, body)
        field_name = {"invoice": "DocNumber", "receipt": "DocNumber"}.get(rec.kind)
        field_name = field_name or ("Name" if rec.kind in ("item", "class") else "DisplayName")
        for row in self.api.query(ENTITY[rec.kind], f"{field_name} = {literal(body[field_name])}"):
            if rec.kind == "customer" and row.get("Job"):
                continue
            if rec.kind == "property" and (
                not row.get("Job") or ref(row, "ParentRef") != body["ParentRef"]["value"]
            ):
                continue
            if rec.kind == "invoice" and ref(row, "CustomerRef") != body["CustomerRef"]["value"]:
                continue
            if rec.kind == "receipt":
                total = round(sum(float(line["Amount"]) for line in body["Line"]), 2)
                if (
                    ref(row, "VendorRef") != body["VendorRef"]["value"]
                    or round(float(row.get("TotalAmt", 0)), 2) != total
                ):
                    continue
            return row
        return None

    def _find_payment(self, rec: Rec, body: dict[str, Any]) -> dict[str, Any] | None:
        assert self.api is not None
        claimed = {
            r.qbo_id
            for r in self.recs.values()
            if r.kind == "payment" and r is not rec and r.qbo_id and r.company == rec.company
        }
        invoice = self.api.get("Invoice", body["Line"][0]["LinkedTxn"][0]["TxnId"])
        for link in invoice.get("LinkedTxn") or []:
            if link.get("TxnType") != "Payment" or str(link.get("TxnId")) in claimed:
                continue
            payment = self.api.get("Payment", str(link["TxnId"]))
            same = round(float(payment.get("TotalAmt", 0)), 2) == round(float(body["TotalAmt"]), 2)
            if (
                same
                and payment.get("PaymentRefNum") == body.get("PaymentRefNum")
                and body.get("PaymentRefNum")
            ):
                return payment
        return None

    # --- webhooks -------------------------------------------------------------------------
    def receive_webhook(self, headers: dict[str, str], body: bytes) -> None:
        lower = {k.lower(): v for k, v in headers.items()}
        if self.verifier is None or not self._signed(lower.get("intuit-signature", ""), body):
            return  # not from Intuit: ignored (and acknowledged, so it is not retried)
        doc = json.loads(body)
        events: list[dict[str, Any]] = []
        if isinstance(doc, dict):
            for note in doc.get("eventNotifications") or []:
                for entry in (note.get("dataChangeEvent") or {}).get("entities") or []:
                    events.append({**entry, "realm": str(note.get("realmId"))})
        else:  # CloudEvents: qbo.<entity>.<verb>.v1
            for ev in doc:
                parts = str(ev.get("type", "")).split(".")
                events.append(
                    {
                        "name": parts[1].capitalize() if len(parts) > 2 else "",
                        "id": ev.get("intuitentityid"),
                        "operation": parts[2] if len(parts) > 2 else "",
                        "lastUpdated": ev.get("time", ""),
                        "deletedId": (ev.get("data") or {}).get("deletedid"),
                        "realm": str(ev.get("intuitaccountid")),
                    }
                )
        for ev in events:
            if ev["realm"] not in self.realms:
                continue  # a company this integration is not connected to
            self.current = self.realms[ev["realm"]]
            mark = (
                ev["realm"],
                str(ev.get("name")),
                str(ev.get("id")),
                str(ev.get("operation")),
                str(ev.get("lastUpdated")),
            )
            if mark in self.seen_events:
                continue
            self._reconcile(ev)
            self.seen_events.add(mark)
        self.current = None

    def _signed(self, signature: str, body: bytes) -> bool:
        assert self.verifier is not None
        digest = hmac.new(self.verifier.encode(), body, hashlib.sha256).digest()
        return hmac.compare_digest(base64.b64encode(digest).decode(), signature.strip())

    def _reconcile(self, ev: dict[str, Any]) -> None:
        """Act on what QBO holds now (read it), not on what the event says happened."""
        name, entity_id = str(ev.get("name")), str(ev.get("id"))
        if str(ev.get("operation")).lower().startswith("merg") and ev.get("deletedId"):
            gone = str(ev["deletedId"])
            for rec in [r for r in self.recs.values() if r.company == self.current]:
                # relinked only: pushing our (merged-away) name onto the survivor would undo
                # the bookkeeper's merge
                if ENTITY[rec.kind] == name and rec.qbo_id == gone:
                    rec.qbo_id = entity_id
                if name == "Customer" and rec.written_party == gone:
                    rec.written_party = entity_id  # the merge moved this invoice, not a user
        self._look(name, entity_id)

    def _look(self, name: str, entity_id: str) -> None:
        mine = [
            r
            for r in self.recs.values()
            if ENTITY[r.kind] == name and r.qbo_id == entity_id and r.company == self.current
        ]
        if not mine or self.api is None:
            return
        try:
            current: dict[str, Any] | None = self.api.get(name, entity_id)
        except Definitive as exc:
            if exc.code != "610":
                return
            current = None
        except NotNow:
            self.dirty.add(self.current)  # catch up by CDC later
            return
        self._learn(mine, current)

    def _learn(self, mine: list[Rec], current: dict[str, Any] | None) -> None:
        for rec in mine:
            view = self.views.setdefault((rec.kind, rec.key), {})
            if current is None or current.get("status") == "Deleted":
                if rec.kind in TRANSACTIONS:
                    view["deleted"] = True
            elif rec.kind == "invoice":
                view.update(balance=float(current.get("Balance") or 0), deleted=False)
            elif rec.kind not in TRANSACTIONS:
                view.update(
                    name=current.get("DisplayName") or current.get("Name"),
                    active=bool(current.get("Active", True)),
                )

    def inbound(self, kind: str, key: str) -> dict[str, Any]:
        return dict(self.views.get((kind, str(key))) or {})

    def _catch_up(self) -> None:
        """Hourly, per company: CDC since its last check (QBO looks back 30 days; past 29 days
        every linked record is read instead)."""
        company = self.current
        ours = [r for r in self.recs.values() if r.company == company]
        if self.api is None or not any(r.kind == "invoice" and r.qbo_id for r in ours):
            return
        now = self.conn.now()
        since = self.checkpoints.get(company, self.started)
        if now - since < timedelta(hours=1) and company not in self.dirty:
            return
        try:
            if now - since > timedelta(days=29):
                for rec in ours:
                    if rec.qbo_id and rec.kind in ("invoice", "customer", "property"):
                        self._look(ENTITY[rec.kind], rec.qbo_id)
            else:
                doc = self.api.request(
                    "GET",
                    "cdc",
                    {"entities": "Invoice,Customer", "changedSince": since.isoformat()},
                )
                for block in doc.get("CDCResponse") or []:
                    for part in block.get("QueryResponse") or []:
                        for name, rows in part.items():
                            if name not in ("Invoice", "Customer") or not isinstance(rows, list):
                                continue
                            for row in rows:
                                mine = [
                                    r
                                    for r in ours
                                    if ENTITY[r.kind] == name and r.qbo_id == str(row.get("Id"))
                                ]
                                self._learn(mine, row)
        except (NotNow, Definitive):
            return  # the next pass tries again from the same checkpoint
        self.checkpoints[company] = now
        self.dirty.discard(company)


def make_integration() -> IndependentSync:
    return IndependentSync()
