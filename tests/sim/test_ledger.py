"""Account balances (issue 17 item 3): ``Account.CurrentBalance`` follows every posting
transaction, void and delete (qbo_sim/rules/postings.py; sources in
docs/research/currency-and-ledger.md part B).

Worked examples per transaction type, then a property test: after a long random sequence of
API writes, updates, voids, deletes and refused writes, every balance equals the sum of the
postings of the transactions stored now, every transaction's postings balance, sub-account
totals add up and Accounts Receivable equals the customers' balances.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbo_sim.entities import ENTITIES
from qbo_sim.opcontext import OpContext
from qbo_sim.rules.postings import BALANCE_SHEET, postings
from tests.conftest import Api, fault_of
from tests.sim.rules_books import (
    Books,
    Stock,
    adjustment_body,
    bill_body,
    bill_payment_body,
    invoice_body,
    payment_body,
    purchase_body,
    sale_body,
    stock_bill_body,
)

#: every unit of the property test's inventory items costs this, bought or counted: the
#: inventory asset is then QtyOnHand × UNIT_COST whatever FIFO consumed (an independent check)
UNIT_COST = 4.0
STOCK_DAY = "2026-02-01"


@pytest.fixture
def books(sim, realm, throttle_off) -> Books:
    return Books(sim, realm)


def balance(api: Api, account: str) -> float:
    return api.get(f"account/{account}").get_json()["Account"]["CurrentBalance"]


def balances(api: Api, books: Books) -> dict[str, float]:
    names = ("receivable", "undeposited", "bank", "payable", "card", "income", "expense")
    return {name: balance(api, getattr(books, name)) for name in names}


ZERO = dict.fromkeys(
    ("receivable", "undeposited", "bank", "payable", "card", "income", "expense"), 0
)


def test_invoice_payment_and_deposit_move_ar_undeposited_funds_and_the_bank(api, books):
    customer = books.customer("Ann Field")
    invoice = api.create("Invoice", invoice_body(customer, 250.0, books.labor))
    assert balances(api, books) == {**ZERO, "receivable": 250.0}  # income reads 0 (P&L)
    payment = api.create("Payment", payment_body(customer, 100.0, (invoice["Id"], 100.0)))
    assert balances(api, books) == {**ZERO, "receivable": 150.0, "undeposited": 100.0}
    api.create(
        "Deposit",
        {
            "DepositToAccountRef": {"value": books.bank},
            "Line": [
                {
                    "Amount": 100.0,
                    "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment", "TxnLineId": "0"}],
                }
            ],
        },
    )
    assert balances(api, books) == {**ZERO, "receivable": 150.0, "bank": 100.0}


def test_bill_and_its_payment_by_check_and_a_card_purchase(api, books):
    vendor = books.vendor("Parts Co")
    bill = api.create("Bill", bill_body(vendor, 80.0, books.expense))
    assert balance(api, books.payable) == -80.0  # what is owed: debits minus credits
    api.create("BillPayment", bill_payment_body(vendor, books.bank, 80.0, (bill["Id"], 80.0)))
    assert (balance(api, books.payable), balance(api, books.bank)) == (0.0, -80.0)
    api.create(
        "Purchase", purchase_body(vendor, 30.0, books.card, books.expense, None, "CreditCard")
    )
    assert balance(api, books.card) == -30.0
    refund = purchase_body(vendor, 10.0, books.card, books.expense, None, "CreditCard")
    api.create("Purchase", {**refund, "Credit": True})  # a card refund turns both sides round
    assert balance(api, books.card) == -20.0
    assert balance(api, books.expense) == 0.0  # expense accounts read 0


def test_liability_sign_natural_shows_what_is_owed_as_positive(api, sim, realm, books):
    sim.company(realm).fidelity["liability_sign"] = "natural"
    api.create("Bill", bill_body(books.vendor("Parts Co"), 80.0, books.expense))
    assert balance(api, books.payable) == 80.0


def test_sales_receipt_refund_credit_memo_and_vendor_credit(api, books):
    customer = books.customer("Bo Lane")
    api.create("SalesReceipt", invoice_body(customer, 60.0, books.labor))
    assert balance(api, books.undeposited) == 60.0  # DepositToAccountRef defaults there
    api.create(
        "RefundReceipt",
        invoice_body(customer, 15.0, books.labor, DepositToAccountRef={"value": books.bank}),
    )
    assert balance(api, books.bank) == -15.0
    api.create("CreditMemo", invoice_body(customer, 20.0, books.labor))
    assert balance(api, books.receivable) == -20.0
    vendor = books.vendor("Parts Co")
    credit = bill_body(vendor, 12.0, books.expense)
    api.create("VendorCredit", credit)
    assert balance(api, books.payable) == 12.0


def test_transfer_and_journal_entry(api, books):
    api.create(
        "Transfer",
        {
            "FromAccountRef": {"value": books.bank},
            "ToAccountRef": {"value": books.undeposited},
            "Amount": 40,
        },
    )
    assert (balance(api, books.bank), balance(api, books.undeposited)) == (-40.0, 40.0)
    api.create(
        "JournalEntry",
        {
            "Line": [
                journal_line(25.0, "Debit", books.bank),
                journal_line(25.0, "Credit", books.card),
            ]
        },
    )
    assert (balance(api, books.bank), balance(api, books.card)) == (-15.0, -25.0)


def journal_line(amount: float, side: str, account: str) -> dict[str, Any]:
    return {
        "Amount": amount,
        "DetailType": "JournalEntryLineDetail",
        "JournalEntryLineDetail": {"PostingType": side, "AccountRef": {"value": account}},
    }


def test_void_update_and_delete_take_the_postings_out(api, books):
    customer = books.customer("Cy Park")
    invoice = api.create("Invoice", invoice_body(customer, 100.0, books.labor))
    updated = api.update(
        "Invoice",
        {
            "Id": invoice["Id"],
            "SyncToken": invoice["SyncToken"],
            "sparse": True,
            "Line": invoice_body(customer, 130.0, books.labor)["Line"],
        },
    )
    assert balance(api, books.receivable) == 130.0
    api.post(
        "invoice",
        {"Id": invoice["Id"], "SyncToken": updated["SyncToken"]},
        query_string={"operation": "void"},
    )
    assert balance(api, books.receivable) == 0.0
    other = api.create("Invoice", invoice_body(customer, 70.0, books.labor))
    assert balance(api, books.receivable) == 70.0
    api.post("invoice", {"Id": other["Id"], "SyncToken": "0"}, query_string={"operation": "delete"})
    assert balance(api, books.receivable) == 0.0


def test_a_refused_write_moves_no_balance(api, books):
    customer = books.customer("Di Moss")
    invoice = api.create("Invoice", invoice_body(customer, 50.0, books.labor))
    before = balances(api, books)
    res = api.post("payment", payment_body(customer, 80.0, (invoice["Id"], 80.0)))  # over-applied
    assert fault_of(res)["code"] == "6000"
    assert balances(api, books) == before


def test_sub_accounts_add_up_in_the_parents_balance_with_sub_accounts(api, books):
    parent = books.bank
    savings = api.create(
        "Account",
        {
            "Name": "Savings",
            "AccountType": "Bank",
            "SubAccount": True,
            "ParentRef": {"value": parent},
        },
    )
    api.create(
        "Transfer",
        {
            "FromAccountRef": {"value": books.card},
            "ToAccountRef": {"value": savings["Id"]},
            "Amount": 30,
        },
    )
    read = api.get(f"account/{parent}").get_json()["Account"]
    assert (read["CurrentBalance"], read["CurrentBalanceWithSubAccounts"]) == (0.0, 30.0)
    child = api.get(f"account/{savings['Id']}").get_json()["Account"]
    assert (child["CurrentBalance"], child["CurrentBalanceWithSubAccounts"]) == (30.0, 30.0)


def test_a_balance_change_keeps_the_accounts_sync_token(api, books):
    before = api.get(f"account/{books.receivable}").get_json()["Account"]
    api.create("Invoice", invoice_body(books.customer("Ed Roe"), 10.0, books.labor))
    after = api.get(f"account/{books.receivable}").get_json()["Account"]
    assert after["SyncToken"] == before["SyncToken"]
    assert after["MetaData"] == before["MetaData"]


def test_foreign_amounts_post_at_the_exchange_rate(sim, realm, books):
    ctx = OpContext(sim.company(realm), sim.clock)
    invoice = {
        "TotalAmt": 100.0,
        "ExchangeRate": 1.25,
        "Line": invoice_body("1", 100.0, books.labor)["Line"],
    }
    posted = postings(ctx, ENTITIES["Invoice"], invoice)
    assert posted == {books.receivable: 125.0, books.income: -125.0}


# --- the property test --------------------------------------------------------------------------
ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["invoice", "payment", "sales_receipt", "credit_memo", "bill", "bill_payment",
             "purchase", "transfer", "journal", "update", "void", "delete", "refused",
             "stock_sale", "stock_receipt", "stock_return", "stock_bill", "stock_adjust"]
        ),
        st.integers(1, 400),  # an amount in dollars
        st.integers(0, 10_000),  # picks a target
    ),
    min_size=10,
    max_size=40,
)  # fmt: skip


class Ledgered:
    """Drives the API; remembers what it created (id, entity)."""

    def __init__(self, api: Api, books: Books) -> None:
        self.api = api
        self.books = books
        self.customers = [books.customer(f"Cust {n}") for n in range(3)]
        self.vendors = [books.vendor(f"Vend {n}") for n in range(2)]
        self.made: list[tuple[str, str]] = []
        self.stock = Stock(books)
        self.items = [
            self.stock.item(f"Part {n}", qty, UNIT_COST, "2026-01-01")
            for n, qty in ((0, 5), (1, 0))
        ]

    def pick(self, items: list[Any], seed: int) -> Any:
        return items[seed % len(items)]

    def open_docs(self, entity: str) -> list[dict[str, Any]]:
        company = self.books.sim.company(self.books.realm)
        return [e for e in company.all(entity) if e.get("Balance", 0) > 0]

    def run(self, action: str, amount: int, seed: int) -> None:
        books, api = self.books, self.api
        customer, vendor = self.pick(self.customers, seed), self.pick(self.vendors, seed)
        body: dict[str, Any] | None = None
        entity = ""
        if action == "invoice":
            entity, body = "Invoice", invoice_body(customer, float(amount), books.labor)
        elif action == "sales_receipt":
            entity, body = "SalesReceipt", invoice_body(customer, float(amount), books.labor)
        elif action == "credit_memo":
            entity, body = "CreditMemo", invoice_body(customer, float(amount), books.labor)
        elif action == "payment":
            open_invoices = self.open_docs("Invoice")
            if open_invoices:
                target = self.pick(open_invoices, seed)
                paid = min(float(amount), target["Balance"])
                ref = target["CustomerRef"]["value"]
                entity, body = "Payment", payment_body(ref, paid, (target["Id"], paid))
            else:
                entity, body = "Payment", payment_body(customer, float(amount))
        elif action == "bill":
            entity, body = "Bill", bill_body(vendor, float(amount), books.expense)
        elif action == "bill_payment":
            open_bills = self.open_docs("Bill")
            if not open_bills:
                return
            target = self.pick(open_bills, seed)
            paid = min(float(amount), target["Balance"])
            body = bill_payment_body(
                target["VendorRef"]["value"], books.bank, paid, (target["Id"], paid)
            )
            entity = "BillPayment"
        elif action == "purchase":
            kind = "CreditCard" if seed % 2 else "Cash"
            account = books.card if kind == "CreditCard" else books.bank
            entity, body = (
                "Purchase",
                purchase_body(vendor, float(amount), account, books.expense, None, kind),
            )
        elif action == "transfer":
            entity = "Transfer"
            body = {
                "FromAccountRef": {"value": books.bank},
                "ToAccountRef": {"value": books.undeposited},
                "Amount": amount,
            }
        elif action == "journal":
            entity = "JournalEntry"
            body = {
                "Line": [
                    journal_line(float(amount), "Debit", books.bank),
                    journal_line(float(amount), "Credit", books.payable),
                ]
            }
        elif action.startswith("stock_"):
            item, qty = self.pick(self.items, seed), amount % 7 + 1
            if action == "stock_bill":
                entity, body = "Bill", stock_bill_body(vendor, item, qty, UNIT_COST, STOCK_DAY)
            elif action == "stock_adjust":
                diff = qty if seed % 2 else -qty
                entity = "InventoryAdjustment"
                body = adjustment_body(self.stock.shrinkage, item, STOCK_DAY, QtyDiff=diff)
            else:
                entity = {
                    "stock_sale": "Invoice",
                    "stock_receipt": "SalesReceipt",
                    "stock_return": "CreditMemo",
                }[action]
                body = sale_body(customer, item, qty, float(amount), STOCK_DAY)
        elif action in ("update", "void", "delete") and self.made:
            self.change(action, amount, seed)
            return
        elif action == "refused":  # over-applying a payment is refused: nothing may move
            res = api.post("payment", payment_body(customer, 1e6, ("999999", 1e6)))
            assert res.status_code == 400
            return
        if body is not None:
            res = api.post(entity.lower(), body)
            assert res.status_code == 200, res.get_data(as_text=True)
            self.made.append((entity, res.get_json()[entity]["Id"]))

    def change(self, action: str, amount: int, seed: int) -> None:
        entity, entity_id = self.pick(self.made, seed)
        current = self.books.sim.company(self.books.realm).get(entity, entity_id)
        if current is None:
            return
        api = self.api
        if action == "update" and entity in ("Invoice", "Bill", "SalesReceipt", "CreditMemo"):
            lines = [
                dict(line)
                for line in current["Line"]
                if line.get("DetailType") != "SubTotalLineDetail"
            ]
            for line in lines:
                line["Amount"] = float(amount)
                detail = line.get("SalesItemLineDetail")
                if isinstance(detail, dict):
                    line["SalesItemLineDetail"] = {**detail, "UnitPrice": float(amount), "Qty": 1}
            body = {
                "Id": entity_id,
                "SyncToken": current["SyncToken"],
                "sparse": True,
                "Line": lines,
            }
            api.post(entity.lower(), body)  # may be refused (a paid invoice lowered): fine
        elif action == "void" and ENTITIES[entity].void is not None:
            query = (
                {"operation": "void"}
                if ENTITIES[entity].void == "operation"
                else {"operation": "update", "include": "void"}
            )
            api.post(
                entity.lower(),
                {"Id": entity_id, "SyncToken": current["SyncToken"]},
                query_string=query,
            )
        elif action == "delete":
            api.post(
                entity.lower(),
                {"Id": entity_id, "SyncToken": current["SyncToken"]},
                query_string={"operation": "delete"},
            )


def recomputed(sim, realm) -> tuple[dict[str, float], list[str]]:
    """Σ postings of every stored transaction per account, and the transactions whose
    postings do not balance."""
    company = sim.company(realm)
    ctx = OpContext(company, sim.clock)
    totals: dict[str, float] = defaultdict(float)
    unbalanced = []
    for spec in ENTITIES.values():  # the transactions, and the items' starting values
        if spec.ledger is None and spec.name != "Item":
            continue
        for entity in company.all(spec.name):
            posted = postings(ctx, spec, entity)
            if abs(sum(posted.values())) > 0.005:
                unbalanced.append(f"{spec.name} {entity['Id']}: {posted}")
            for account_id, amount in posted.items():
                totals[account_id] += amount
    return totals, unbalanced


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
def test_balances_are_the_sum_of_the_postings_after_random_writes(sim, throttle_off, actions):
    realm = sim.create_company("empty")
    api = Api(sim.app.test_client(), realm)
    books = Books(sim, realm)
    driver = Ledgered(api, books)
    for action, amount, seed in actions:
        driver.run(action, amount, seed)
    totals, unbalanced = recomputed(sim, realm)
    assert unbalanced == []
    company = sim.company(realm)
    accounts = {a["Id"]: a for a in company.all("Account")}
    for account_id, account in accounts.items():
        expected = (
            round(totals.get(account_id, 0.0), 2)
            if account["Classification"] in BALANCE_SHEET
            else 0.0
        )
        assert account["CurrentBalance"] == pytest.approx(expected, abs=0.005), account["Name"]
        children = [
            a for a in accounts.values() if (a.get("ParentRef") or {}).get("value") == account_id
        ]
        with_subs = account["CurrentBalance"] + sum(
            c["CurrentBalanceWithSubAccounts"] for c in children
        )
        assert account["CurrentBalanceWithSubAccounts"] == pytest.approx(with_subs, abs=0.005)
    customers = sum(c.get("Balance", 0.0) for c in company.all("Customer"))
    assert accounts[books.receivable]["CurrentBalance"] == pytest.approx(customers, abs=0.005)
    # inventory: QtyOnHand is the start plus every stored line's quantity, the asset account
    # holds QtyOnHand × the one unit cost
    on_hand = {item_id: 0.0 for item_id in driver.items}
    on_hand[driver.items[0]] = 5.0
    moves = {"Invoice": -1, "SalesReceipt": -1, "CreditMemo": 1, "Bill": 1}
    for entity_name, sign in moves.items():
        for txn in company.all(entity_name):
            for line in txn["Line"]:
                detail = line.get("SalesItemLineDetail") or line.get("ItemBasedExpenseLineDetail")
                item_id = (detail or {}).get("ItemRef", {}).get("value")
                if item_id in on_hand:
                    on_hand[item_id] += sign * detail["Qty"]
    for adjustment in company.all("InventoryAdjustment"):
        detail = adjustment["Line"][0]["ItemAdjustmentLineDetail"]
        on_hand[detail["ItemRef"]["value"]] += detail["QtyDiff"]
    for item_id, qty in on_hand.items():
        assert company.get("Item", item_id)["QtyOnHand"] == pytest.approx(qty)
    asset = accounts[driver.stock.asset]["CurrentBalance"]
    assert asset == pytest.approx(sum(on_hand.values()) * UNIT_COST, abs=0.005)
    vendors = sum(v.get("Balance", 0.0) for v in company.all("Vendor"))
    journal_ap = -totals_from_journals(sim, realm, books.payable)
    assert -accounts[books.payable]["CurrentBalance"] == pytest.approx(
        vendors + journal_ap, abs=0.005
    )


def totals_from_journals(sim, realm, account: str) -> float:
    """What journal entries posted to ``account`` (they move AP without a vendor balance)."""
    company = sim.company(realm)
    ctx = OpContext(company, sim.clock)
    return sum(
        postings(ctx, ENTITIES["JournalEntry"], e).get(account, 0.0)
        for e in company.all("JournalEntry")
    )


# --- with sales tax and foreign currencies -----------------------------------------------------
def test_sales_tax_is_credited_to_sales_tax_payable(sim):
    from tests.sim.test_sales_tax import books as tax_books
    from tests.sim.test_sales_tax import company, example_a, form

    sim.throttle.set_enabled(False)
    api = company(sim, "us_tax")  # Intuit's invoice sample: 335.25 at 8 % = 26.82
    api.create(
        "Account", {"Name": "Accounts Receivable (A/R)", "AccountType": "Accounts Receivable"}
    )
    b = tax_books(api)
    body = form(b, "Invoice", example_a(b), TxnTaxDetail={"TxnTaxCodeRef": {"value": "1"}})
    invoice = api.create("Invoice", body)
    accounts = {a["AccountSubType"]: a for a in sim.company(api.realm).all("Account")}
    assert accounts["AccountsReceivable"]["CurrentBalance"] == 362.07
    assert accounts["SalesTaxPayable"]["CurrentBalance"] == -26.82
    ctx = OpContext(sim.company(api.realm), sim.clock)
    assert sum(postings(ctx, ENTITIES["Invoice"], invoice).values()) == pytest.approx(0)


def test_a_foreign_invoice_posts_its_home_amount_to_its_currencys_receivable(sim):
    sim.throttle.set_enabled(False)
    realm = sim.create_company("sample_multicurrency")
    api = Api(sim.app.test_client(), realm)
    company = sim.company(realm)
    euro_ar = next(
        a for a in company.all("Account")
        if a["AccountType"] == "Accounts Receivable" and a["CurrencyRef"]["value"] == "EUR"
    )  # fmt: skip
    before = euro_ar["CurrentBalance"]
    customer = next(c for c in company.all("Customer") if c["CurrencyRef"]["value"] == "EUR")
    item = next(i for i in company.all("Item") if i.get("IncomeAccountRef"))
    body = invoice_body(customer["Id"], 200.0, item["Id"], ExchangeRate=1.1)
    body["CurrencyRef"] = {"value": "EUR"}
    created = api.create("Invoice", body)
    assert created["HomeTotalAmt"] == 220.0
    assert balance(api, euro_ar["Id"]) == pytest.approx(before + 220.0)
