"""Purchase forms and vendor payments (reference §5.12, §5.14, DOC-ENT): Bill, BillPayment,
Purchase (checks, cash and credit-card expenses), PurchaseOrder, VendorCredit.

Bill, VendorCredit (assumed: as Bill) and Purchase DocNumbers are unique per vendor while
``VendorAndPurchasesPrefs.WarnDuplicateBillNumber`` is on (checks: ``WarnDuplicateCheckNumber``,
compared with other checks only); PurchaseOrder numbering from
``VendorAndPurchasesPrefs.UseCustomTxnNumbers`` is assumed (QBO's UI numbers POs).
"""

from __future__ import annotations

from qbo_sim.entities.currency import ACCOUNTS_PAYABLE
from qbo_sim.entities.lists import BANK, CREDIT_CARD
from qbo_sim.entities.spec import DocNumbers, DocSeries, EntitySpec, Ledger, txn_spec

PREFIX = "VendorAndPurchasesPrefs."
WARN_BILL = PREFIX + "WarnDuplicateBillNumber"
WARN_CHECK = PREFIX + "WarnDuplicateCheckNumber"
BILL_NUMBERS = DocNumbers(unique=True, scope="party", warn_pref=WARN_BILL)

SPECS: tuple[EntitySpec, ...] = (
    txn_spec(
        "Bill",
        "VendorRef",
        lines="expense",
        tax="purchase",
        numbering=BILL_NUMBERS,
        balance="open",
        linkable=True,
        party_defaults=True,
        term_field="TermRef",
        ap_default=True,
        ledger=Ledger("credit", ("APAccountRef",), ACCOUNTS_PAYABLE),
        home_amounts=("HomeBalance",),  # DOC-BILL (the XSD has no Bill.HomeTotalAmt)
        currency_account=ACCOUNTS_PAYABLE,
    ),
    txn_spec(
        "BillPayment",
        "VendorRef",
        void="include",
        label="Bill Payment",
        lines="payment",
        total="sent",
        void_clears_lines=True,
        ledger=Ledger(
            "credit",
            ("CheckPayment.BankAccountRef", "CreditCardPayment.CCAccountRef"),
            counter=("APAccountRef",),
            counter_type=ACCOUNTS_PAYABLE,
        ),
        currency_account=ACCOUNTS_PAYABLE,
    ),
    txn_spec(
        "Purchase",
        "EntityRef",
        lines="expense",
        tax="purchase",
        numbering=DocNumbers(
            unique=True,
            scope="party",
            series_field="PaymentType",
            series={
                "Check": DocSeries("Check", WARN_CHECK),
                "Cash": DocSeries("Expense", WARN_BILL),
                "CreditCard": DocSeries("Credit Card Expense", WARN_BILL),
            },
            default_series=DocSeries("Expense", WARN_BILL),
        ),
        # checks only (assumed)
        print_default="NotSet",
        status_when=("PaymentType", "Check"),
        account_types_by=(
            "PaymentType",
            "AccountRef",
            {
                "Check": frozenset({BANK}),
                "Cash": frozenset({BANK}),
                "CreditCard": frozenset({CREDIT_CARD}),
            },
        ),
        ledger=Ledger("credit", ("AccountRef",), reversed_by=("Credit", True)),
    ),
    txn_spec(
        "PurchaseOrder",
        "VendorRef",
        label="Purchase Order",
        lines="expense",
        tax="purchase",
        numbering=DocNumbers(auto_number_pref=PREFIX + "UseCustomTxnNumbers"),
        linkable=True,
        print_default="NotSet",
        email_default="NotSet",
        send_email="POEmail",
        pdf=True,
        defaults={"POStatus": "Open"},
    ),
    txn_spec(
        "VendorCredit",
        "VendorRef",
        label="Vendor Credit",
        lines="expense",
        tax="purchase",
        numbering=BILL_NUMBERS,
        balance="open",
        linkable=True,
        ap_default=True,
        ledger=Ledger("debit", ("APAccountRef",), ACCOUNTS_PAYABLE),
        currency_account=ACCOUNTS_PAYABLE,
    ),
)
