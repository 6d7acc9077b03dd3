"""Support for the business-rule tests: a small chart of accounts and list objects made by the
QBO user, request bodies a sync would send, and the golden fault bodies of reference §2.3/§8."""

from __future__ import annotations

import copy
from typing import Any

from qbo_sim import Simulator

MADE_INACTIVE = (
    "Something you're trying to use has been made inactive. "
    "Check the fields with accounts, customers, items, vendors or employees."
)


def fault(code: str, message: str, detail: str, element: str = "") -> dict[str, Any]:
    """A golden error as ``tests.conftest.fault_of`` returns it."""
    return {
        "Message": message,
        "Detail": detail,
        "code": code,
        "element": element,
        "type": "ValidationFault",
        "status": 400,
    }


def duplicate_name(existing_id: str) -> dict[str, Any]:
    return fault(
        "6240",
        "Duplicate Name Exists Error",
        f"The name supplied already exists. : Id={existing_id}",
    )


def duplicate_docnumber(number: str, txn_type: str, txn_id: str) -> dict[str, Any]:
    return fault(
        "6140",
        "Duplicate Document Number Error",
        "Duplicate Document Number Error : You must specify a different number. This number has "
        f"already been used. DocNumber={number} is assigned to TxnType={txn_type} with "
        f"TxnId={txn_id}",
    )


def invalid_reference(path: str) -> dict[str, Any]:
    return fault("2500", "Invalid Reference Id", f"Invalid Reference Id : {path}", path)


MADE_INACTIVE_610 = fault("610", "Object Not Found", "Object Not Found : " + MADE_INACTIVE)
MADE_INACTIVE_2500 = fault(
    "2500", "Invalid Reference Id", "Invalid Reference Id : " + MADE_INACTIVE
)
DELETED_TRANSACTION = fault(
    "610", "Object Not Found", "Object Not Found : Another user has deleted this transaction."
)
LINKED_TXN_DELETED = fault(
    "610",
    "Object Not Found",
    "Object Not Found : Something you're trying to use has been deleted. Check the fields with "
    "accounts, customers, items, vendors or employees.",
)
INVALID_ACCOUNT_TYPE = fault(
    "6430",
    "Invalid account type used",
    "Invalid account type: You need to select a different type of account for this transaction.",
)
BUSINESS = "A business validation error has occurred while processing your request"
DELETE_LINKED = fault(
    "6000",
    BUSINESS,
    "Business Validation Error: You must unlink any linked transactions before deleting this "
    "transaction.",
)


def overapplied(txn_type: str, doc_number: str, balance: str) -> dict[str, Any]:
    return fault(
        "6000",
        BUSINESS,
        f"Business Validation Error: The amount applied to {txn_type} {doc_number} exceeds its "
        f"open balance of {balance}.",
    )


def cannot_link(txn_id: str, element: str = "Payment.Line.LinkedTxn.TxnId") -> dict[str, Any]:
    return fault(
        "620",
        "TxnID Cannot Be Linked",
        f"The Txn ID (identified by {txn_id}) you're trying to use can't be linked.",
        element,
    )


def has_balance(entity: str = "customer") -> dict[str, Any]:
    return fault(
        "6220",
        "Delete List Has Balance Error",
        "The entity you are trying to delete has an open balance. : This "
        f"{entity} cannot be deleted because it has a non-zero balance",
    )


def stale(user: str) -> dict[str, Any]:
    return fault(
        "5010",
        "Stale Object Error",
        f"Stale Object Error : You and {user} were working on this at the same time. {user} "
        "finished before you did, so your work was not saved.",
    )


def string_length(element: str, maximum: int, supplied: int) -> dict[str, Any]:
    return fault(
        "2050",
        "String length is either shorter or longer than supported by specification",
        f"String length specified does not match the supported length. Min:0 Max:{maximum:,} "
        f"supported. Supplied length: {supplied:,}",
        element,
    )


def other_prefs(*, bill: bool = False, check: bool = True, journal: bool = False) -> dict:
    """``preferences=`` override for ``sim.create_company`` setting the duplicate warnings."""

    def flag(value: bool) -> str:
        return "true" if value else "false"

    return {
        "OtherPrefs": {
            "NameValue": [
                {"Name": "VendorAndPurchasesPrefs.WarnDuplicateBillNumber", "Value": flag(bill)},
                {"Name": "VendorAndPurchasesPrefs.WarnDuplicateCheckNumber", "Value": flag(check)},
                {
                    "Name": "VendorAndPurchasesPrefs.WarnDuplicateJournalNumber",
                    "Value": flag(journal),
                },
            ]
        }
    }


def snapshot(sim: Simulator, realm: str) -> dict[str, Any]:
    return copy.deepcopy(sim.company(realm).to_dict())


class Books:
    """List objects and transactions created in QBO by its user (``sim.as_user``)."""

    def __init__(self, sim: Simulator, realm: str) -> None:
        self.sim = sim
        self.realm = realm
        self.user = sim.as_user(realm)
        self.income = self.account("Services", "Income")
        self.cogs = self.account("Cost of Goods Sold", "Cost of Goods Sold")
        self.expense = self.account("Job Materials", "Expense")
        self.bank = self.account("Checking", "Bank")
        self.card = self.account("Visa", "Credit Card")
        self.undeposited = self.account("Undeposited Funds", "Other Current Asset")
        self.receivable = self.account("Accounts Receivable (A/R)", "Accounts Receivable")
        self.payable = self.account("Accounts Payable (A/P)", "Accounts Payable")
        self.labor = self.item("Labor", income=self.income)

    def get(self, entity: str, entity_id: str) -> dict[str, Any]:
        return self.user.get(entity, entity_id)

    def account(self, name: str, account_type: str) -> str:
        return self.user.create("Account", {"Name": name, "AccountType": account_type})["Id"]

    def item(self, name: str, *, income: str | None = None, expense: str | None = None) -> str:
        body: dict[str, Any] = {"Name": name, "Type": "Service"}
        if income:
            body["IncomeAccountRef"] = {"value": income}
        if expense:
            body["ExpenseAccountRef"] = {"value": expense}
        return self.user.create("Item", body)["Id"]

    def customer(self, name: str, parent: str | None = None) -> str:
        body: dict[str, Any] = {"DisplayName": name}
        if parent:
            body.update({"Job": True, "ParentRef": {"value": parent}})
        return self.user.create("Customer", body)["Id"]

    def vendor(self, name: str) -> str:
        return self.user.create("Vendor", {"DisplayName": name})["Id"]

    def invoice(self, customer: str, amount: float, doc: str | None = None) -> str:
        return self.user.create("Invoice", invoice_body(customer, amount, self.labor, doc))["Id"]

    def bill(self, vendor: str, amount: float, doc: str | None = None) -> str:
        return self.user.create("Bill", bill_body(vendor, amount, self.expense, doc))["Id"]

    def balance(self, entity: str, entity_id: str) -> float:
        return self.get(entity, entity_id)["Balance"]


def invoice_body(
    customer: str, amount: float, item: str, doc: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "CustomerRef": {"value": customer},
        "Line": [
            {
                "Amount": amount,
                "DetailType": "SalesItemLineDetail",
                "SalesItemLineDetail": {"ItemRef": {"value": item}, "Qty": 1, "UnitPrice": amount},
            }
        ],
        **extra,
    }
    if doc is not None:
        body["DocNumber"] = doc
    return body


def payment_body(customer: str, total: float, *applied: tuple[str, float]) -> dict[str, Any]:
    """A Payment of ``total`` applying ``(invoice id, amount)`` pairs."""
    return {
        "CustomerRef": {"value": customer},
        "TotalAmt": total,
        "Line": [
            {"Amount": amount, "LinkedTxn": [{"TxnId": txn_id, "TxnType": "Invoice"}]}
            for txn_id, amount in applied
        ],
    }


def bill_body(vendor: str, amount: float, account: str, doc: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "VendorRef": {"value": vendor},
        "Line": [
            {
                "Amount": amount,
                "DetailType": "AccountBasedExpenseLineDetail",
                "AccountBasedExpenseLineDetail": {"AccountRef": {"value": account}},
            }
        ],
    }
    if doc is not None:
        body["DocNumber"] = doc
    return body


def purchase_body(
    vendor: str, amount: float, account: str, expense: str, doc: str | None, kind: str = "Cash"
) -> dict[str, Any]:
    body = bill_body(vendor, amount, expense, doc)
    del body["VendorRef"]
    return {
        **body,
        "PaymentType": kind,
        "AccountRef": {"value": account},
        "EntityRef": {"value": vendor, "type": "Vendor"},
    }


def bill_payment_body(
    vendor: str, bank: str, total: float, *applied: tuple[str, float]
) -> dict[str, Any]:
    return {
        "VendorRef": {"value": vendor},
        "PayType": "Check",
        "CheckPayment": {"BankAccountRef": {"value": bank}},
        "TotalAmt": total,
        "Line": [
            {"Amount": amount, "LinkedTxn": [{"TxnId": txn_id, "TxnType": "Bill"}]}
            for txn_id, amount in applied
        ],
    }


# --- inventory (tests/sim/test_inventory.py, the ledger property test) -------------------------
class Stock:
    """An inventory chart on top of :class:`Books`: Inventory Asset, Sales of Product Income,
    Opening Balance Equity, Inventory Shrinkage, and Inventory items made by the QBO user."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self.asset = books.user.create(
            "Account",
            {"Name": "Inventory Asset", "AccountType": "Other Current Asset",
             "AccountSubType": "Inventory"},
        )["Id"]  # fmt: skip
        self.sales = books.account("Sales of Product Income", "Income")
        self.equity = books.user.create(
            "Account",
            {"Name": "Opening Balance Equity", "AccountType": "Equity",
             "AccountSubType": "OpeningBalanceEquity"},
        )["Id"]  # fmt: skip
        self.shrinkage = books.account("Inventory Shrinkage", "Cost of Goods Sold")

    def body(self, name: str, qty: float, cost: float, start: str = "2024-01-01") -> dict:
        return {
            "Name": name,
            "Type": "Inventory",
            "TrackQtyOnHand": True,
            "QtyOnHand": qty,
            "InvStartDate": start,
            "PurchaseCost": cost,
            "UnitPrice": cost * 2,
            "IncomeAccountRef": {"value": self.sales},
            "ExpenseAccountRef": {"value": self.books.cogs},
            "AssetAccountRef": {"value": self.asset},
        }

    def item(self, name: str, qty: float = 0, cost: float = 0, start: str = "2024-01-01") -> str:
        return self.books.user.create("Item", self.body(name, qty, cost, start))["Id"]


def sale_body(customer: str, item: str, qty: float, price: float, day: str) -> dict[str, Any]:
    """An Invoice (or SalesReceipt, CreditMemo) of ``qty`` units of ``item`` on ``day``."""
    return {
        "CustomerRef": {"value": customer},
        "TxnDate": day,
        "Line": [
            {
                "Amount": round(qty * price, 2),
                "DetailType": "SalesItemLineDetail",
                "SalesItemLineDetail": {"ItemRef": {"value": item}, "Qty": qty, "UnitPrice": price},
            }
        ],
    }


def stock_bill_body(vendor: str, item: str, qty: float, cost: float, day: str) -> dict[str, Any]:
    """A Bill (or VendorCredit) buying ``qty`` units of ``item`` at ``cost`` each."""
    return {
        "VendorRef": {"value": vendor},
        "TxnDate": day,
        "Line": [
            {
                "Amount": round(qty * cost, 2),
                "DetailType": "ItemBasedExpenseLineDetail",
                "ItemBasedExpenseLineDetail": {
                    "ItemRef": {"value": item},
                    "Qty": qty,
                    "UnitPrice": cost,
                },
            }
        ],
    }


def adjustment_body(account: str, item: str, day: str, **qty: float) -> dict[str, Any]:
    """An InventoryAdjustment of one line: ``QtyDiff=`` or ``NewQty=``."""
    return {
        "TxnDate": day,
        "AdjustAccountRef": {"value": account},
        "Line": [
            {
                "DetailType": "ItemAdjustmentLineDetail",
                "ItemAdjustmentLineDetail": {"ItemRef": {"value": item}, **qty},
            }
        ],
    }
