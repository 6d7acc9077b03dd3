"""Sales forms and customer payments (reference §5.12, DOC-ENT create samples): Invoice,
Payment, SalesReceipt, CreditMemo, Estimate, RefundReceipt.

Sales forms (``lines="sales"``) get a SubTotalLine, DocNumbers unique per type company-wide
(6140), numbered from 1001 unless ``SalesFormsPrefs.CustomTxnNumbers``; RefundReceipt's
numbering, SubTotal line, zero Balance and ``NotSet`` statuses are assumed from its
SalesReceipt-like shape.
"""

from __future__ import annotations

from typing import Any

from qbo_sim.entities.currency import ACCOUNTS_RECEIVABLE
from qbo_sim.entities.lists import BANK, OTHER_CURRENT_ASSET
from qbo_sim.entities.spec import DocNumbers, EntitySpec, Ledger, txn_spec

CUSTOM_TXN_NUMBERS = "SalesFormsPrefs.CustomTxnNumbers"
#: on account: A/R debited (invoice) or credited (credit memo); cash: the deposit account
ON_ACCOUNT = Ledger("debit", ("ARAccountRef",), ACCOUNTS_RECEIVABLE)
CREDIT_ON_ACCOUNT = Ledger("credit", ("ARAccountRef",), ACCOUNTS_RECEIVABLE)
CASH_SALE = Ledger("debit", ("DepositToAccountRef",))
CASH_REFUND = Ledger("credit", ("DepositToAccountRef",))
#: Home-currency amounts of sales forms with a Balance (XSD SalesTransaction; DOC-INV, DOC-CM,
#: DOC-RR); an Estimate has HomeTotalAmt only (it has no Balance).
HOME_TOTAL_AND_BALANCE = ("HomeTotalAmt", "HomeBalance")
#: Accounts money is deposited to (6430): Bank or Other Current Asset (Undeposited Funds).
DEPOSIT_TYPES = frozenset({BANK, OTHER_CURRENT_ASSET})


def sales_form(name: str, **facts: Any) -> EntitySpec:
    """A sales form: customer defaults, SubTotal line, numbering and company-wide uniqueness;
    e-mailed (``/send``) to its ``BillEmail``."""
    facts.setdefault("numbering", DocNumbers(unique=True, auto_number_pref=CUSTOM_TXN_NUMBERS))
    facts.setdefault("print_default", "NeedToPrint")
    facts.setdefault("email_default", "NotSet")
    facts.setdefault("send_email", "BillEmail")
    facts.setdefault("pdf", True)
    facts.setdefault("home_amounts", HOME_TOTAL_AND_BALANCE)
    return txn_spec(
        name,
        "CustomerRef",
        lines="sales",
        tax="sales",
        party_defaults=True,
        copy_contact=True,
        **facts,
    )


SPECS: tuple[EntitySpec, ...] = (
    sales_form(
        "Invoice",
        void="operation",
        balance="open",
        linkable=True,
        term_field="SalesTermRef",
        money_fields=("Deposit",),
        ledger=ON_ACCOUNT,
        currency_account=ACCOUNTS_RECEIVABLE,
    ),
    txn_spec(
        "Payment",
        "CustomerRef",
        void="include",
        doc_number=False,
        lines="payment",
        total="sent",
        deposit_default=True,
        account_types={"DepositToAccountRef": DEPOSIT_TYPES},
        ledger=Ledger(
            "debit",
            ("DepositToAccountRef",),
            counter=("ARAccountRef",),
            counter_type=ACCOUNTS_RECEIVABLE,
        ),
        currency_account=ACCOUNTS_RECEIVABLE,
    ),
    sales_form(
        "SalesReceipt",
        void="include",
        label="Sales Receipt",
        balance="zero",
        # not linkable: QBO writes no ``LinkedTxn`` on a sales receipt nothing links to (the
        # 2016-2017 JSON captures in tests/parity have no key, where an invoice has ``[]``)
        deposit_default=True,
        ledger=CASH_SALE,
    ),
    sales_form(
        "CreditMemo",
        label="Credit Memo",
        balance="open",
        remaining_credit=True,
        linkable=True,
        ledger=CREDIT_ON_ACCOUNT,
        currency_account=ACCOUNTS_RECEIVABLE,
    ),
    sales_form("Estimate", linkable=True, home_amounts=("HomeTotalAmt",)),
    # not voidable: the void lists of §5.1/§5.4 do not name RefundReceipt (assumed)
    sales_form(
        "RefundReceipt",
        label="Refund Receipt",
        balance="zero",
        print_default="NotSet",
        account_types={"DepositToAccountRef": DEPOSIT_TYPES},
        ledger=CASH_REFUND,
    ),
)
