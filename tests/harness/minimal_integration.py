"""A deliberately minimal field-service → QBO sync integration, and a broken variant.

``minimal``: looks up before it creates (DisplayName / Name / DocNumber via the query
endpoint), stores QBO ids, reuses one ``requestid`` across retries of one create, surfaces the
QBO fault code and Message in ``status()``, and supports the operator actions (bypass,
reset_ref, retry, post_payment, edit).

``broken``: never looks up, creates again instead of updating, retries blindly without a
requestid, and ignores faults (marks the record synced anyway).

In-process: ``--integration tests/harness/minimal_integration.py:minimal`` (or ``:broken``).
Subprocess: ``--integration "cmd:python3 tests/harness/minimal_integration.py [--broken]"``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import requests

ORDER = ("class", "vendor", "customer", "item", "property", "invoice", "receipt", "payment")
ENTITY = {
    "customer": "Customer",
    "property": "Customer",
    "vendor": "Vendor",
    "item": "Item",
    "class": "Class",
    "invoice": "Invoice",
    "payment": "Payment",
    "receipt": "Bill",
}
TRANSACTIONS = ("invoice", "payment", "receipt")


class QboFault(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class Transient(Exception):
    """5xx, 429 or no answer: try again on the next sync."""


@dataclass
class Rec:
    kind: str
    key: str
    data: dict[str, Any]
    action: str = "upsert"
    state: str = "pending"
    qbo_id: str | None = None
    error: dict[str, str] | None = None
    attempts: int = 0
    requestid: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _quote(value: str) -> str:
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


class MinimalIntegration:
    name = "minimal"
    lookup_first = True
    honour_faults = True
    update_existing = True
    reuse_requestid = True

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], Rec] = {}
        self._creates = 0
        self._accounts: dict[str, str] = {}

    # --- protocol -----------------------------------------------------------------------
    def connect(self, connection: Any) -> None:
        self.conn = connection
        self.http = connection.http or requests.Session()

    def apply(self, change: dict[str, Any]) -> None:
        key = (change["kind"], change["key"])
        rec = self.records.get(key) or Rec(change["kind"], change["key"], {})
        rec.data = dict(change.get("data") or rec.data)
        rec.action = change.get("action", "upsert")
        rec.state, rec.requestid = "pending", None
        self.records[key] = rec

    def sync(self) -> None:
        for kind in ORDER:
            for rec in [r for r in self.records.values() if r.kind == kind]:
                if rec.state == "pending":
                    self._sync_one(rec)

    def status(self, kind: str, key: str) -> dict[str, Any]:
        rec = self.records[(kind, key)]
        return {
            "state": rec.state,
            "qbo_id": rec.qbo_id,
            "error": rec.error,
            "attempts": rec.attempts,
        }

    def operate(self, action: str, kind: str, key: str, **params: Any) -> None:
        rec = self.records[(kind, key)]
        if action == "bypass":
            rec.state = "bypassed"
            return
        if action == "reset_ref":
            rec.qbo_id = None
        elif action == "post_payment":
            rec.data["posted"] = True
        elif action == "edit":
            rec.data.update(params.get("fields") or {})
        elif action != "retry":
            raise ValueError(f"unknown operator action {action!r}")
        rec.state, rec.error, rec.requestid = "pending", None, None

    # --- one record ---------------------------------------------------------------------
    def _sync_one(self, rec: Rec) -> None:
        if rec.kind == "payment" and rec.data.get("posted") is False:
            return  # unposted payments do not sync (article §7)
        rec.attempts += 1
        try:
            self._push(rec)
        except Transient:
            return
        except QboFault as fault:
            if self.honour_faults:
                rec.state, rec.error = "failed", {"code": fault.code, "message": fault.message}
                return
        rec.state, rec.error = "synced", None

    def _push(self, rec: Rec) -> None:
        entity = ENTITY[rec.kind]
        if rec.action == "delete":
            if rec.qbo_id and rec.kind in TRANSACTIONS:
                current = self._read(entity, rec.qbo_id)
                self._call(
                    "POST",
                    entity.lower(),
                    {"Id": rec.qbo_id, "SyncToken": current["SyncToken"]},
                    {"operation": "delete"},
                )
            elif rec.qbo_id:
                current = self._read(entity, rec.qbo_id)
                self._call(
                    "POST",
                    entity.lower(),
                    {
                        "Id": rec.qbo_id,
                        "SyncToken": current["SyncToken"],
                        "sparse": True,
                        "Active": False,
                    },
                )
            return
        body = self._body(rec)
        if rec.qbo_id and self.update_existing:
            current = self._read(entity, rec.qbo_id)
            body.update({"Id": rec.qbo_id, "SyncToken": current["SyncToken"], "sparse": True})
            self._call("POST", entity.lower(), body)
            return
        if self.lookup_first:
            found = self._lookup(rec, body)
            if found is not None:
                rec.qbo_id = str(found["Id"])
                return
        if rec.requestid is None or not self.reuse_requestid:
            self._creates += 1
            rec.requestid = f"{rec.kind}-{rec.key}-{self._creates}"[:50]
        params = {"requestid": rec.requestid} if self.reuse_requestid else {}
        created = self._call("POST", entity.lower(), body, params)
        rec.qbo_id = str(created[entity]["Id"])

    def _lookup(self, rec: Rec, body: dict[str, Any]) -> dict[str, Any] | None:
        entity = ENTITY[rec.kind]
        if rec.kind in ("customer", "property", "vendor"):
            rows = self._query(entity, f"DisplayName = {_quote(body['DisplayName'])}")
        elif rec.kind in ("item", "class"):
            rows = self._query(entity, f"Name = {_quote(body['Name'])}")
        elif rec.kind == "invoice":
            rows = self._query(entity, f"DocNumber = {_quote(body['DocNumber'])}")
        elif rec.kind == "receipt":  # the same receipt: same vendor, number and total
            total = round(sum(line["Amount"] for line in body["Line"]), 2)
            rows = [
                r
                for r in self._query(entity, f"DocNumber = {_quote(body['DocNumber'])}")
                if r.get("VendorRef", {}).get("value") == body["VendorRef"]["value"]
                and round(float(r.get("TotalAmt", 0)), 2) == total
            ]
        else:
            rows = []
        return rows[0] if rows else None

    # --- bodies -------------------------------------------------------------------------
    def _ref(self, kind: str, key: str) -> dict[str, str]:
        other = self.records.get((kind, key))
        if other is None or other.qbo_id is None:
            raise QboFault("DEPENDENCY", f"{kind} {key} is not synced to QuickBooks")
        return {"value": other.qbo_id}

    def _account(self, name: str) -> dict[str, str]:
        if name not in self._accounts:
            rows = self._query("Account", f"Name = {_quote(name)}")
            if not rows:
                raise QboFault("MAPPING", f"GL account {name!r} was not found in QuickBooks")
            self._accounts[name] = str(rows[0]["Id"])
        return {"value": self._accounts[name]}

    def _body(self, rec: Rec) -> dict[str, Any]:
        d = rec.data
        if rec.kind == "customer":
            body: dict[str, Any] = {"DisplayName": d["name"]}
            if d.get("email"):
                body["PrimaryEmailAddr"] = {"Address": d["email"]}
            return body
        if rec.kind == "property":
            body = {
                "DisplayName": d["name"],
                "Job": True,
                "BillWithParent": True,
                "ParentRef": self._ref("customer", d["customer"]),
            }
            if d.get("address"):
                body["ShipAddr"] = {"Line1": d["address"]}
            return body
        if rec.kind == "vendor":
            return {"DisplayName": d["name"]}
        if rec.kind == "class":
            return {"Name": d["name"]}
        if rec.kind == "item":
            body = {
                "Name": d["name"],
                "Type": d.get("type", "Service"),
                "IncomeAccountRef": self._account(d["income_account"]),
            }
            if d.get("expense_account"):
                body["ExpenseAccountRef"] = self._account(d["expense_account"])
            if d.get("price") is not None:
                body["UnitPrice"] = d["price"]
            return body
        if rec.kind == "invoice":
            lines = []
            for line in d["lines"]:
                detail: dict[str, Any] = {"ItemRef": self._ref("item", line["item"])}
                if line.get("quantity") is not None:
                    detail["Qty"] = line["quantity"]
                if line.get("class") or d.get("class"):
                    detail["ClassRef"] = self._ref("class", line.get("class") or d["class"])
                lines.append(
                    {
                        "DetailType": "SalesItemLineDetail",
                        "Amount": line["amount"],
                        "Description": line.get("description", ""),
                        "SalesItemLineDetail": detail,
                    }
                )
            party = (
                ("property", d["property"]) if d.get("property") else ("customer", d["customer"])
            )
            body = {"DocNumber": d["number"], "CustomerRef": self._ref(*party), "Line": lines}
            if d.get("date"):
                body["TxnDate"] = d["date"]
            return body
        if rec.kind == "payment":
            invoice = self.records[("invoice", d["invoice"])]
            party = (
                ("property", invoice.data["property"])
                if invoice.data.get("property")
                else ("customer", invoice.data["customer"])
            )
            body = {
                "CustomerRef": self._ref(*party),
                "TotalAmt": d["amount"],
                "Line": [
                    {
                        "Amount": d["amount"],
                        "LinkedTxn": [
                            {
                                "TxnId": self._ref("invoice", d["invoice"])["value"],
                                "TxnType": "Invoice",
                            }
                        ],
                    }
                ],
            }
            if d.get("reference_number"):
                body["PaymentRefNum"] = d["reference_number"]
            return body
        lines = []
        for line in d["lines"]:
            if line.get("account"):
                lines.append(
                    {
                        "DetailType": "AccountBasedExpenseLineDetail",
                        "Amount": line["amount"],
                        "Description": line.get("description", ""),
                        "AccountBasedExpenseLineDetail": {
                            "AccountRef": self._account(line["account"])
                        },
                    }
                )
            else:
                lines.append(
                    {
                        "DetailType": "ItemBasedExpenseLineDetail",
                        "Amount": line["amount"],
                        "ItemBasedExpenseLineDetail": {"ItemRef": self._ref("item", line["item"])},
                    }
                )
        body = {
            "VendorRef": self._ref("vendor", d["vendor"]),
            "DocNumber": d["vendor_document_number"],
            "Line": lines,
        }
        if d.get("date"):
            body["TxnDate"] = d["date"]
        return body

    # --- HTTP ---------------------------------------------------------------------------
    def _call(
        self, method: str, path: str, body: Any = None, params: dict[str, str] | None = None
    ) -> dict[str, Any]:
        headers = {
            "Authorization": f"Bearer {self.conn.access_token}",
            "Accept": "application/json",
        }
        try:
            res = self.http.request(
                method,
                self.conn.company_url(path),
                json=body,
                params={"minorversion": "75", **(params or {})},
                headers=headers,
                timeout=30,
            )
        except requests.RequestException as exc:
            raise Transient(str(exc)) from exc
        if res.status_code == 429 or res.status_code >= 500:
            raise Transient(f"HTTP {res.status_code}")
        try:
            data = res.json()
        except ValueError:
            raise QboFault(str(res.status_code), res.text[:200]) from None
        fault = data.get("Fault") or data.get("fault")
        if fault:
            error = (fault.get("Error") or fault.get("error") or [{}])[0]
            raise QboFault(str(error.get("code")), error.get("Message") or error.get("message", ""))
        return data

    def _read(self, entity: str, entity_id: str) -> dict[str, Any]:
        return self._call("GET", f"{entity.lower()}/{entity_id}")[entity]

    def _query(self, entity: str, where: str) -> list[dict[str, Any]]:
        data = self._call("GET", "query", params={"query": f"SELECT * FROM {entity} WHERE {where}"})
        return data.get("QueryResponse", {}).get(entity, [])


class BrokenIntegration(MinimalIntegration):
    """Never looks up, re-creates instead of updating, retries blindly, ignores faults."""

    name = "broken"
    lookup_first = False
    honour_faults = False
    update_existing = False
    reuse_requestid = False

    def _sync_one(self, rec: Rec) -> None:
        for _ in range(3):  # blind immediate retries, each a fresh create
            before = rec.attempts
            super()._sync_one(rec)
            if rec.state != "pending" or rec.attempts == before:
                return


def minimal() -> MinimalIntegration:
    return MinimalIntegration()


def broken() -> BrokenIntegration:
    return BrokenIntegration()


if __name__ == "__main__":
    from qbo_sim.harness.jsonlines import serve_jsonl

    serve_jsonl(broken if "--broken" in sys.argv[1:] else minimal)
