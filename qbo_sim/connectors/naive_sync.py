"""A naive field-service → QBO connector: what many first versions look like.

It works on the happy path, and it is here to prove that qbo-sim's scenarios catch it. Its
mistakes, each one common in real integrations:

- it creates without looking up first (an existing customer, or one QBO wrote although the
  answer was lost, is created again → 6240 / duplicates);
- it sends no ``requestid`` and retries blindly, at once, up to 3 times (duplicate payments
  after a lost answer; 429 again and again on a frozen clock);
- it never refreshes the OAuth access token (everything fails after an hour);
- it reads the SyncToken and writes a full update without handling 5010 (and wipes fields a
  QBO user set);
- it swallows every error and marks the record "synced", so the operator never sees why;
- it ignores deletes and the "posted" flag of payments.

Do not copy this. ``examples/fieldservice_sync`` is the reference connector.
"""

from __future__ import annotations

import logging
from typing import Any

import requests

log = logging.getLogger(__name__)
ORDER = ("class", "vendor", "customer", "property", "item", "invoice", "receipt", "payment")
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


class NaiveSync:
    name = "naive"

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], dict[str, Any]] = {}

    # --- protocol -----------------------------------------------------------------------
    def connect(self, connection: Any) -> None:
        self.conn = connection
        self.http = connection.http or requests.Session()

    def apply(self, change: dict[str, Any]) -> None:
        key = (change["kind"], change["key"])
        rec = self.records.setdefault(key, {"qbo_id": None, "state": "pending", "attempts": 0})
        if change.get("action") != "delete":  # deletes are not synced
            rec["data"] = dict(change.get("data") or {})
        rec["state"] = "pending"

    def sync(self) -> None:
        for kind in ORDER:
            for (k, _key), rec in self.records.items():
                if k == kind and rec["state"] == "pending":
                    self._push(kind, rec)

    def status(self, kind: str, key: str) -> dict[str, Any]:
        rec = self.records[(kind, key)]
        return {"state": rec["state"], "qbo_id": rec["qbo_id"], "attempts": rec["attempts"]}

    def operate(self, action: str, kind: str, key: str, **params: Any) -> None:
        rec = self.records[(kind, key)]
        if action == "bypass":
            rec["state"] = "bypassed"
            return
        if action == "reset_ref":
            rec["qbo_id"] = None
        elif action == "post_payment":
            rec["data"]["posted"] = True
        elif action == "edit":
            rec["data"].update(params.get("fields") or {})
        rec["state"] = "pending"

    # --- sync ---------------------------------------------------------------------------
    def _push(self, kind: str, rec: dict[str, Any]) -> None:
        rec["attempts"] += 1
        entity = ENTITY[kind]
        try:
            body = self._body(kind, rec["data"])
            if rec["qbo_id"]:
                current = self._call("GET", f"{entity.lower()}/{rec['qbo_id']}")[entity]
                body.update(Id=rec["qbo_id"], SyncToken=current["SyncToken"])
            saved = self._call("POST", entity.lower(), body)
            rec["qbo_id"] = saved[entity]["Id"]
        except Exception as exc:  # keep the queue moving
            log.warning("sync of %s failed: %s", kind, exc)
        rec["state"] = "synced"

    def _call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        url = f"{self.conn.api_base_url}/v3/company/{self.conn.realm_id}/{path}"
        headers = {"Authorization": f"Bearer {self.conn.access_token}"}
        headers["Accept"] = "application/json"
        last: Exception | None = None
        for _ in range(3):  # retry straight away
            try:
                res = self.http.request(method, url, json=body, headers=headers, timeout=30)
                res.raise_for_status()
                answer: dict[str, Any] = res.json()
                return answer
            except requests.RequestException as exc:
                last = exc
        raise RuntimeError(f"QuickBooks call failed: {last}")

    def _id(self, kind: str, key: str) -> dict[str, str]:
        return {"value": self.records[(kind, key)]["qbo_id"]}

    def _account(self, name: str) -> dict[str, str]:
        query = f"SELECT * FROM Account WHERE Name = '{name}'"
        rows = self._call("GET", f"query?query={query}")["QueryResponse"].get("Account", [])
        return {"value": rows[0]["Id"]}

    def _body(self, kind: str, d: dict[str, Any]) -> dict[str, Any]:
        if kind in ("customer", "vendor"):
            return {"DisplayName": d["name"]}
        if kind == "property":
            return {
                "DisplayName": d["name"],
                "Job": True,
                "ParentRef": self._id("customer", d["customer"]),
            }
        if kind == "class":
            return {"Name": d["name"]}
        if kind == "item":
            body = {"Name": d["name"], "Type": d.get("type", "Service")}
            body["IncomeAccountRef"] = self._account(d["income_account"])
            if d.get("expense_account"):
                body["ExpenseAccountRef"] = self._account(d["expense_account"])
            return body
        if kind == "invoice":
            party = (
                ("property", d["property"]) if d.get("property") else ("customer", d["customer"])
            )
            lines = []
            for line in d["lines"]:
                detail = {"ItemRef": self._id("item", line["item"])}
                if line.get("class"):
                    detail["ClassRef"] = self._id("class", line["class"])
                lines.append(
                    {
                        "DetailType": "SalesItemLineDetail",
                        "Amount": line["amount"],
                        "SalesItemLineDetail": detail,
                    }
                )
            return {"DocNumber": d["number"], "CustomerRef": self._id(*party), "Line": lines}
        if kind == "payment":
            inv = self.records[("invoice", d["invoice"])]
            idata = inv["data"]
            party = (
                ("property", idata["property"])
                if idata.get("property")
                else ("customer", idata["customer"])
            )
            return {
                "CustomerRef": self._id(*party),
                "TotalAmt": d["amount"],
                "PaymentRefNum": d.get("reference_number"),
                "Line": [
                    {
                        "Amount": d["amount"],
                        "LinkedTxn": [{"TxnId": inv["qbo_id"], "TxnType": "Invoice"}],
                    }
                ],
            }
        lines = []
        for line in d["lines"]:
            if line.get("account"):
                detail = {"AccountRef": self._account(line["account"])}
                lines.append(
                    {
                        "DetailType": "AccountBasedExpenseLineDetail",
                        "Amount": line["amount"],
                        "AccountBasedExpenseLineDetail": detail,
                    }
                )
            else:
                detail = {"ItemRef": self._id("item", line["item"])}
                lines.append(
                    {
                        "DetailType": "ItemBasedExpenseLineDetail",
                        "Amount": line["amount"],
                        "ItemBasedExpenseLineDetail": detail,
                    }
                )
        return {
            "VendorRef": self._id("vendor", d["vendor"]),
            "DocNumber": d["vendor_document_number"],
            "Line": lines,
        }


def make_integration() -> NaiveSync:
    return NaiveSync()
