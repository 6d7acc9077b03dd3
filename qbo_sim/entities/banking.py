"""Journal entries and money moved between accounts (reference §6, DOC-ENT): JournalEntry,
Deposit, Transfer."""

from __future__ import annotations

from qbo_sim.entities.lists import BANK, CREDIT_CARD, OTHER_CURRENT_ASSET
from qbo_sim.entities.spec import DocNumbers, EntitySpec, Ledger, txn_spec

#: Accounts a Transfer moves money between (6430, assumed).
TRANSFER_TYPES = frozenset({BANK, CREDIT_CARD, OTHER_CURRENT_ASSET})

SPECS: tuple[EntitySpec, ...] = (
    txn_spec(
        "JournalEntry",
        None,
        label="Journal Entry",
        total="zero",
        home_amounts=("HomeTotalAmt",),  # always 0, as TotalAmt (JE doc)
        numbering=DocNumbers(
            unique=True, warn_pref="VendorAndPurchasesPrefs.WarnDuplicateJournalNumber"
        ),
        ledger=Ledger("debit"),  # lines only, each by its PostingType
    ),
    txn_spec(
        "Deposit",
        None,
        cash_back=True,
        home_amounts=("HomeTotalAmt",),
        ledger=Ledger("debit", ("DepositToAccountRef",)),
    ),
    txn_spec(
        "Transfer",
        None,
        doc_number=False,
        total="amount",
        account_types={"FromAccountRef": TRANSFER_TYPES, "ToAccountRef": TRANSFER_TYPES},
        distinct_refs=("FromAccountRef", "ToAccountRef"),
        ledger=Ledger("debit", ("ToAccountRef",), counter=("FromAccountRef",), amount="Amount"),
    ),
)
