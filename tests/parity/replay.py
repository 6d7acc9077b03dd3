"""Replaying a corpus entry against the simulator: build the state a real body implies, send the
request that produced it, and return the simulator's answer.

The request bodies are made from the real body's *shape* (:mod:`qbo_sim.parity.shape`): every
writable field it has is sent with a neutral value of the same kind (numbers 10, dates in the
simulated month, strings ``P<n>``), read-only and computed fields are left for the simulator to
fill, and every ``*Ref`` points at an entity of the right kind in the ``sample`` preset
company (an expense account for an expense line, the A/P account for ``APAccountRef``, ...).
So the simulator answers with the same fields the real body has when it models them, and the
comparison (:mod:`qbo_sim.parity.compare`) measures what it leaves out, adds or formats apart.

Entries whose request is not derived from the body (faults, batches) give it as ``steps``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from itertools import count
from typing import Any
from urllib.parse import quote

from qbo_sim import Clock, Simulator
from qbo_sim.auth import DEV_TOKEN
from qbo_sim.entities import ENTITIES

START = datetime(2026, 3, 2, 17, 0, 0, tzinfo=UTC)

#: Computed or read-only fields: never sent, the simulator fills them.
READ_ONLY = frozenset(
    {
        "Id",
        "SyncToken",
        "MetaData",
        "domain",
        "sparse",
        "status",
        "time",
        "FullyQualifiedName",
        "Balance",
        "BalanceWithJobs",
        "TotalAmt",
        "HomeTotalAmt",
        "HomeBalance",
        "CurrentBalance",
        "CurrentBalanceWithSubAccounts",
        "Level",
        "SubAccount",
        "LineNum",
        "Lat",
        "Long",
        "LinkedTxn",
        "TxnTaxDetail",
        "DefaultTaxCodeRef",
        "ClientEntityId",
        "V4IDPseudonym",
        "IsProject",
        "UnappliedAmt",
        "RemainingCredit",
        "Deposit",
        "HasBeenBilled",
        "PrintOnCheckName",
        "CurrencyRef",
        "SalesTaxCodeRef",
        "PurchaseTaxCodeRef",
        "ExchangeRate",
        "HomeAmount",
        "LineEx",
    }
)
#: Fields that are read-only elsewhere but a request of these entities must send.
WRITABLE_IN: dict[str, frozenset[str]] = {
    "Payment": frozenset({"TotalAmt"}),
    "BillPayment": frozenset({"TotalAmt"}),
}
#: Numeric fields: XML writes their integers as digits, which the shape reads as ``id``.
NUMERIC = frozenset(
    {
        "Qty",
        "UnitPrice",
        "DueDays",
        "DayOfMonthDue",
        "DueNextMonthDays",
        "DiscountDays",
        "DiscountDayOfMonth",
        "DiscountPercent",
        "Hours",
        "Minutes",
        "Amount",
        "TotalAmt",
        "QtyOnHand",
        "PurchaseCost",
        "HourlyRate",
        "BillRate",
        "CostRate",
        "DiscountAmt",
        "DiscountRate",
        "TotalTax",
        "Balance",
        "RatePercent",
    }
)
#: Fields that are objects with a ``value`` (``MemoRef``) though their name has no ``Ref``.
MEMO_FIELDS = frozenset({"CustomerMemo"})

#: Lines the simulator computes itself.
COMPUTED_LINES = frozenset({"GroupLineDetail"})
#: References to no entity (free text): sent as they are.
FREE_REFS = frozenset({"ShipMethodRef"})

#: XML elements that are lists in the JSON form.
LIST_TAGS = frozenset({"Line", "CustomField", "LinkedTxn", "TaxLine", "Error"})

#: Entities read without an Id (one per company).
SINGLETONS = frozenset({"CompanyInfo", "Preferences"})

#: ``*Ref`` field → (entity, query condition) of the sample-company entity it points at.
REF_TARGETS: dict[str, tuple[str, str]] = {
    "CustomerRef": ("Customer", "Job = false"),
    "ItemRef": ("Item", "Type = 'Service'"),
    "VendorRef": ("Vendor", ""),
    "EmployeeRef": ("Employee", ""),
    "ClassRef": ("Class", ""),
    "DepartmentRef": ("Department", ""),
    "SalesTermRef": ("Term", ""),
    "PaymentMethodRef": ("PaymentMethod", ""),
    "APAccountRef": ("Account", "AccountType = 'Accounts Payable'"),
    "ARAccountRef": ("Account", "AccountType = 'Accounts Receivable'"),
    "DepositToAccountRef": ("Account", "AccountType = 'Bank'"),
    "IncomeAccountRef": ("Account", "AccountType = 'Income'"),
    "ExpenseAccountRef": ("Account", "AccountType = 'Cost of Goods Sold'"),
    "AssetAccountRef": ("Account", "AccountSubType = 'Inventory'"),
    "FromAccountRef": ("Account", "AccountType = 'Bank'"),
    "ToAccountRef": ("Account", "AccountSubType = 'UndepositedFunds'"),
    "BankAccountRef": ("Account", "AccountType = 'Bank'"),
    "CCAccountRef": ("Account", "AccountType = 'Credit Card'"),
    "AccountRef": ("Account", "AccountType = 'Expense'"),
    "DiscountAccountRef": ("Account", "AccountType = 'Income'"),
}
#: ``AccountRef`` by the object it sits in.
ACCOUNT_BY_PARENT: dict[str, str] = {
    "Purchase": "AccountType = 'Bank'",
    "DepositLineDetail": "AccountType = 'Income'",
    "Deposit": "AccountType = 'Bank'",
}
#: What a payment's linked line pays: (entity, create body) with ``{customer}``-style refs.
PAYS: dict[str, tuple[str, dict[str, Any]]] = {
    "Payment": (
        "Invoice",
        {
            "CustomerRef": {"value": "{customer}"},
            "Line": [
                {
                    "Amount": 10.0,
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {"ItemRef": {"value": "{service}"}},
                }
            ],
        },
    ),
    "Deposit": (
        "Payment",
        {
            "CustomerRef": {"value": "{customer}"},
            "TotalAmt": 10.0,
            "DepositToAccountRef": {"value": "{undeposited}"},
        },
    ),
    "BillPayment": (
        "Bill",
        {
            "VendorRef": {"value": "{vendor}"},
            "Line": [
                {
                    "Amount": 10.0,
                    "DetailType": "AccountBasedExpenseLineDetail",
                    "AccountBasedExpenseLineDetail": {"AccountRef": {"value": "{expense}"}},
                }
            ],
        },
    ),
}
#: Entities the simulator refuses without a Line (2020 ``Line``), though some older captures
#: have none: the replay's request pays a new bill.
LINE_REQUIRED = frozenset({"BillPayment"})
#: ``{placeholder}`` → the ``*Ref`` whose sample-company target it stands for.
PLACEHOLDERS = {
    "customer": "CustomerRef",
    "vendor": "VendorRef",
    "service": "ItemRef",
    "expense": "AccountRef",
    "undeposited": "ToAccountRef",
}
#: ``ParentRef`` by the entity it sits in.
PARENTS: dict[str, tuple[str, str]] = {
    "Customer": ("Customer", "Job = false"),
    "Class": ("Class", ""),
    "Department": ("Department", ""),
    "Account": ("Account", "AccountType = 'Expense'"),
}
LITERAL_REFS = frozenset({"TaxCodeRef", "CurrencyRef"})
#: CDC rows the replay does not make.
CDC_SKIPPED: frozenset[str] = frozenset()


class Replayer:
    """One simulator with a ``sample`` company on a frozen clock, and the entries' requests."""

    def __init__(self) -> None:
        self.clock = Clock(frozen_at=START)
        self.sim = Simulator(seed=1, clock=self.clock)
        self.sim.throttle.set_enabled(False)
        # class per transaction, as the captures with a header ClassRef had it
        prefs = {
            "AccountingInfoPrefs": {"ClassTrackingPerTxn": True, "ClassTrackingPerTxnLine": False}
        }
        self.realm = self.sim.create_company("sample", preferences=prefs)
        self.client = self.sim.app.test_client()
        self.clock.advance(60)  # what the replay makes is newer than the preset's data
        self.names = count(1)
        self.refs: dict[tuple[str, str], str] = {}
        #: open transactions a payment's linked line pays before the replay makes new ones
        #: (a CDC answer's bills are the ones its bill payments pay)
        self.payable: dict[str, list[str]] = {}

    # --- HTTP ----------------------------------------------------------------------------
    def call(
        self, method: str, path: str, body: Any = None, *, fmt: str = "json"
    ) -> tuple[int, str]:
        headers = {
            "Authorization": f"Bearer {DEV_TOKEN}",
            "Accept": "application/xml" if fmt == "xml" else "application/json",
        }
        url = f"/v3/company/{self.realm}/{path}"
        if method == "GET":
            res = self.client.get(url, headers=headers)
        else:
            res = self.client.post(url, json=body, headers=headers)
        return res.status_code, res.get_data(as_text=True)

    def ok(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        status, text = self.call(method, path, body)
        if status != 200:
            raise AssertionError(f"setup {method} {path} failed ({status}): {text}\n{body}")
        answer: dict[str, Any] = json.loads(text)
        return answer

    def query(self, statement: str) -> dict[str, Any]:
        return self.ok("GET", f"query?query={quote(statement)}")["QueryResponse"]

    def ref(self, key: str, parent: str) -> str | None:
        if key == "ParentRef" and parent in PARENTS:
            target = PARENTS[parent]
        elif key == "AccountRef" and parent in ACCOUNT_BY_PARENT:
            target = ("Account", ACCOUNT_BY_PARENT[parent])
        elif key in REF_TARGETS:
            target = REF_TARGETS[key]
        else:
            return None
        if target not in self.refs:
            entity, where = target
            rows = self.query(f"select * from {entity}" + (f" where {where}" if where else ""))
            self.refs[target] = rows[entity][0]["Id"]
        return self.refs[target]

    # --- request bodies from shapes ------------------------------------------------------
    def body(self, shape: dict[str, Any], entity: str) -> dict[str, Any]:
        """A create request for ``entity`` with the writable fields of a JSON-form shape."""
        if entity in LINE_REQUIRED and "Line" not in shape:
            shape = {**shape, "Line": [{"Amount": "dec2", "LinkedTxn": [{}]}]}
        made = self._object(shape, entity)
        assert isinstance(made, dict)
        return made

    def _object(self, shape: dict[str, Any], parent: str) -> Any:
        out: dict[str, Any] = {}
        for key, value in shape.items():
            if key in READ_ONLY and key not in WRITABLE_IN.get(parent, ()):
                continue
            if key.endswith("Ref") and isinstance(value, dict):
                if key in LITERAL_REFS:
                    out[key] = {"value": literal(value.get("value", "string=NON"))}
                    continue
                if key in FREE_REFS:
                    text = self.filler("string", key)
                    out[key] = {"value": text, "name": text}
                    continue
                ref = self.ref(key, parent)
                if ref is not None:
                    out[key] = {"value": ref}
                continue
            if key == "Line" and isinstance(value, list):
                lines = [v for v in value if literal(v.get("DetailType", "")) not in COMPUTED_LINES]
                out[key] = [self._line(v, parent) for v in lines]
                continue
            made = self._value(value, key, parent)
            if made is not _SKIP:
                out[key] = made
        return out

    def _line(self, shape: dict[str, Any], parent: str) -> dict[str, Any]:
        """A line; a payment's line that links a transaction links a new open one (an invoice
        for a Payment, a bill for a BillPayment) of the same customer or vendor."""
        line: dict[str, Any] = self._object(shape, "Line")
        for detail in line.values():  # QBO checks Amount = Qty * UnitPrice (6070)
            if isinstance(detail, dict) and "UnitPrice" in detail and "Amount" in line:
                line["Amount"] = round(float(detail["UnitPrice"]) * float(detail.get("Qty", 1)), 2)
        if "LinkedTxn" in shape and parent in PAYS:
            entity, body = PAYS[parent]
            text = json.dumps(body)
            for key, ref_key in PLACEHOLDERS.items():
                text = text.replace("{" + key + "}", str(self.ref(ref_key, "")))
            waiting = self.payable.get(entity) or []
            if waiting:
                txn_id = waiting.pop(0)
            else:
                txn_id = self.ok("POST", entity.lower(), json.loads(text))[entity]["Id"]
            line["LinkedTxn"] = [{"TxnId": txn_id, "TxnType": entity}]
            if parent == "Deposit":
                line["LinkedTxn"][0]["TxnLineId"] = "0"
            line["Amount"] = 10.0
        return line

    def _value(self, value: Any, key: str, parent: str) -> Any:
        if isinstance(value, dict):
            return self._object(value, key)
        if isinstance(value, list):
            return [self._value(v, key, parent) for v in value]
        return self.filler(value, key)

    def filler(self, token: str, key: str) -> Any:
        kind, _, lit = token.partition("=")
        if lit:
            return lit == "true" if kind == "bool" else lit
        if kind in ("zero",):
            return 0
        if kind == "int":
            return 1 if key == "Qty" else 10
        if kind.startswith("dec"):  # as many decimals as the real value has
            return 1.0 if key == "Qty" else {"dec1": 10.5, "dec2": 10.25}.get(kind, 10.125)
        if kind == "null":
            return None
        if kind == "date":
            return "2026-03-01"
        if kind in ("datetime", "datetime.ms"):
            return "2026-03-01T09:00:00-08:00"
        if kind == "decstr":
            return "1.5"
        if kind == "empty":
            return ""
        n = next(self.names)
        if kind == "id":
            return str(5000 + n)
        return STRINGS.get(key, "P{n}").format(n=n)


_SKIP = object()
STRINGS = {
    "Address": "p{n}@example.com",
    "URI": "https://example.com/{n}",
    "FreeFormNumber": "555-01{n}",
    "CountrySubDivisionCode": "CA",
    "Country": "USA",
    "PostalCode": "95060",
    "StartTime": "2026-03-01T09:00:00-08:00",
}


def literal(token: str) -> str:
    return token.partition("=")[2]


def xml_to_json_form(node: list[Any]) -> Any:
    """The JSON form of an XML shape node (what the simulator's XML reader would make of it):
    elements become keys, repeated or list elements become lists, a ``*Ref`` leaf becomes
    ``{"value": token}``, attributes of entities are dropped."""
    tag, attrs, content = node
    if not isinstance(content, list):
        if tag.endswith("Ref") or tag in MEMO_FIELDS:
            return {"value": content}
        if tag.endswith("Detail") and content == "empty":  # <SubTotalLineDetail/>
            return {}
        return "int" if tag in NUMERIC and content == "id" else content
    out: dict[str, Any] = {}
    for child in content:
        value = xml_to_json_form(child)
        name = child[0]
        if name in out:
            if not isinstance(out[name], list) or name not in LIST_TAGS:
                out[name] = [out[name]]
            out[name].append(value)
        else:
            out[name] = [value] if name in LIST_TAGS else value
    return out


def entity_rows(shape: Any, fmt: str) -> list[tuple[str, Any]]:
    """``(entity, JSON-form shape)`` of every entity a shape holds: the one of a read or create
    answer, or the rows of a query or CDC answer."""
    if fmt == "xml":
        return list(_xml_rows(shape))
    return list(_json_rows(shape))


def _xml_rows(node: list[Any]) -> Any:
    tag, _, content = node
    if tag in ("IntuitResponse", "QueryResponse", "CDCResponse"):
        for child in content if isinstance(content, list) else []:
            yield from _xml_rows(child)
    elif tag not in ("Fault",):
        yield tag, xml_to_json_form(node)


def _json_rows(shape: dict[str, Any]) -> Any:
    for key, value in shape.items():
        if key in ("time", "startPosition", "maxResults", "totalCount", "Fault"):
            continue
        if key in ("QueryResponse", "CDCResponse"):
            blocks = value if isinstance(value, list) else [value]
            for block in blocks:
                yield from _json_rows(block)
        elif isinstance(value, list):
            for row in value:
                yield key, row
        elif isinstance(value, dict):
            yield key, value


def replay(replayer: Replayer, entry: dict[str, Any], shape: Any) -> tuple[int, str]:
    """The simulator's answer to the request that produced the entry's real body."""
    fmt, kind = entry["format"], entry["kind"]
    if "steps" in entry:
        return _steps(replayer, entry["steps"], fmt, shape)
    rows = entity_rows(shape, fmt)
    r = replayer
    if kind == "query":
        entity = rows[0][0]
        if entity in SINGLETONS:
            return r.call("GET", f"query?query={quote(f'select * from {entity}')}", fmt=fmt)
        ids = [r.ok("POST", name.lower(), r.body(row, name))[name]["Id"] for name, row in rows]
        statement = f"select * from {entity} where Id in ({', '.join(repr(i) for i in ids)})"
        return r.call("GET", f"query?query={quote(statement)}", fmt=fmt)
    if kind == "cdc":
        return _cdc(r, shape, fmt)
    ((entity, row),) = rows
    if entity in SINGLETONS:
        path = entity.lower() if entity == "Preferences" else f"companyinfo/{r.realm}"
        if kind == "update":  # a sparse update of one setting the company already has
            current = r.ok("GET", path)[entity]
            change = {"AccountingInfoPrefs": {"CustomerTerminology": "Customers"}}
            stub = {"Id": current["Id"], "SyncToken": current["SyncToken"], "sparse": True}
            return r.call("POST", path, {**stub, **change}, fmt=fmt)
        return r.call("GET", path, fmt=fmt)
    body = r.body(row, entity)
    path = entity.lower()
    if kind == "create":
        return r.call("POST", path, body, fmt=fmt)
    made = r.ok("POST", path, body)[entity]
    if kind == "read":
        return r.call("GET", f"{path}/{made['Id']}", fmt=fmt)
    if kind == "update":
        return r.call(
            "POST", path, {**body, "Id": made["Id"], "SyncToken": made["SyncToken"]}, fmt=fmt
        )
    stub = {"Id": made["Id"], "SyncToken": made["SyncToken"]}
    if kind == "delete":
        return r.call("POST", f"{path}?operation=delete", stub, fmt=fmt)
    if kind == "void" and ENTITIES[entity].void == "include":  # §5.4: update&include=void
        return r.call(
            "POST", f"{path}?operation=update&include=void", {**stub, "sparse": True}, fmt=fmt
        )
    if kind == "void":
        return r.call("POST", f"{path}?operation=void", stub, fmt=fmt)
    raise ValueError(f"unknown kind {kind!r}")


#: Entities the replay leaves unchanged: they stand for the real CDC answer's empty blocks.
UNCHANGED = [
    "Estimate",
    "CreditMemo",
    "RefundReceipt",
    "SalesReceipt",
    "Deposit",
    "Transfer",
    "JournalEntry",
    "PurchaseOrder",
    "VendorCredit",
    "Purchase",
]


def cdc_blocks(shape: Any, fmt: str) -> list[list[tuple[str, Any, bool]]]:
    """The rows of each ``QueryResponse`` of a CDC shape: ``(entity, JSON-form shape,
    deleted)``."""
    blocks: list[list[tuple[str, Any, bool]]] = []
    if fmt == "xml":
        for cdc in shape[2]:
            for block in cdc[2] if isinstance(cdc[2], list) else []:
                rows = block[2] if isinstance(block[2], list) else []
                blocks.append(
                    [(n[0], xml_to_json_form(n), "Deleted" in n[1].get("status", "")) for n in rows]
                )
        return blocks
    for cdc in shape["CDCResponse"]:
        for block in cdc["QueryResponse"]:
            rows = [(k, row) for k, v in block.items() if isinstance(v, list) for row in v]
            blocks.append([(k, row, "Deleted" in str(row.get("status", ""))) for k, row in rows])
    return blocks


def _cdc(r: Replayer, shape: Any, fmt: str) -> tuple[int, str]:
    """Make each block's rows after a ``changedSince`` instant (a deleted row: made from a live
    row of its block, then deleted), and ask for the blocks' entities in the real order; an
    empty real block is asked for as an entity the replay leaves unchanged."""
    since = r.clock.now().isoformat()
    r.clock.advance(1)
    names: list[str] = []
    spare = iter(UNCHANGED)
    for rows in cdc_blocks(shape, fmt):
        if not rows:
            names.append(next(spare))
            continue
        names.append(rows[0][0])
        live = [row for _, row, deleted in rows if not deleted]
        for name, row, deleted in rows:
            if name in CDC_SKIPPED:
                continue
            path = name.lower()
            made = r.ok("POST", path, r.body(live[0] if deleted else row, name))[name]
            if not deleted:
                r.payable.setdefault(name, []).append(made["Id"])
            if deleted:
                stub = {"Id": made["Id"], "SyncToken": made["SyncToken"]}
                r.ok("POST", f"{path}?operation=delete", stub)
    r.clock.advance(1)
    return r.call("GET", f"cdc?entities={','.join(names)}&changedSince={quote(since)}", fmt=fmt)


def first_row(shape: Any, entity: str) -> Any:
    """The first ``entity`` object anywhere in a JSON shape (batch items, query answers)."""
    if isinstance(shape, dict):
        for key, value in shape.items():
            if key == entity:
                return value[0] if isinstance(value, list) else value
            found = first_row(value, entity)
            if found is not None:
                return found
    if isinstance(shape, list):
        for value in shape:
            found = first_row(value, entity)
            if found is not None:
                return found
    return None


def _steps(
    r: Replayer, steps: list[dict[str, Any]], fmt: str, shape: Any = None
) -> tuple[int, str]:
    """Explicit requests; ``{id}``/``{sync}`` in a path or body are the last created entity's;
    ``{income}``, ``{bank}``, ``{service}``, ``{customer}`` a sample-company income account,
    bank account, service item and customer. An ``inject`` step adds a fault-injection rule for
    the company instead of sending a request."""
    saved = {
        "income": str(r.ref("IncomeAccountRef", "")),
        "bank": str(r.ref("DepositToAccountRef", "")),
        "service": str(r.ref("ItemRef", "")),
        "customer": str(r.ref("CustomerRef", "")),
        "vendor_name": r.query("select * from Vendor")["Vendor"][0]["DisplayName"],
    }
    answer = (0, "")
    for i, step in enumerate(steps):
        last = i == len(steps) - 1
        if "inject" in step:
            r.sim.injector.add(realm=r.realm, **step["inject"])
            continue
        if "make" in step:
            name = step["make"]
            made = r.ok("POST", name.lower(), r.body(first_row(shape, name), name))[name]
            saved.update(id=str(made["Id"]), sync=str(made["SyncToken"]))
            continue
        text = json.dumps(step.get("body")) if "body" in step else None
        path = step["path"]
        for key, value in saved.items():
            path = path.replace("{" + key + "}", value)
            text = text.replace("{" + key + "}", value) if text else text
        body = json.loads(text) if text else None
        answer = r.call(step.get("method", "GET"), path, body, fmt=fmt if last else "json")
        if not last and answer[0] == 200:
            made = json.loads(answer[1])
            entity = next((v for k, v in made.items() if isinstance(v, dict)), {})
            saved.update(id=str(entity.get("Id", "")), sync=str(entity.get("SyncToken", "")))
    return answer
