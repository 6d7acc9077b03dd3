"""The business behaviours qbo-sim simulates, as data for the fidelity table (docs/fidelity.md).

Each row: what happens, the fault (catalogue key) or effect, the source in
``shared/qbo-reference.md`` and a confidence (official / observed / assumed). Assumed rows name
the fidelity setting that switches them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Behaviour:
    behaviour: str
    result: str
    source: str
    confidence: str
    setting: str = ""


BEHAVIOURS: list[Behaviour] = [
    Behaviour(
        "DisplayName already used by a Customer (sub-customers included), Vendor or Employee",
        "6240 `duplicate_name`, Detail ends `Id=<existing id>`",
        "§2.3 6240, §3.1",
        "observed",
    ),
    Behaviour(
        "Name comparison ignores case and surrounding whitespace",
        "6240",
        "§7 gap 2, §8",
        "assumed",
        "name_match_case_insensitive",
    ),
    Behaviour(
        "Item/Account/Class/Department name unique by full name (same Name under another "
        "parent allowed); Term, PaymentMethod unique in their list",
        "6240",
        "§3.1, §8",
        "assumed",
        "name_scope_hierarchical",
    ),
    Behaviour(
        "Inactive objects block a name too; reactivation and an update keeping its own "
        "name are not checked",
        "6240 `duplicate_name`, Detail ends `Id=<inactive id>`",
        "help.bill.com 115005953846, paymakerhelp 360028563811 ('This includes inactive "
        "records'), teachworks.uservoice 1824445 (failure census 'disagrees' 1)",
        "observed",
        "inactive_names_block",
    ),
    Behaviour(
        "Duplicate DocNumber on Invoice, SalesReceipt, CreditMemo, Estimate (per type, "
        "company-wide); bypassed by `include=allowduplicatedocnum`",
        "6140 `duplicate_docnumber`",
        "§2.3 6140, §2.4",
        "observed",
    ),
    Behaviour(
        "Duplicate DocNumber on Bill / Purchase per vendor when WarnDuplicateBillNumber is "
        "true; Purchase Check per vendor when WarnDuplicateCheckNumber is true; JournalEntry "
        "when WarnDuplicateJournalNumber is true",
        "6140 `duplicate_docnumber`",
        "§2.4, §5.14, §7 gap 3, §8",
        "assumed",
        "bill_docnumber_scope",
    ),
    Behaviour(
        "TxnType names in the 6140 Detail: `Journal Entry` (observed), `Sales Receipt`, "
        "`Credit Memo`, `Check`, `Expense`, `Credit Card Expense` (by analogy)",
        "6140 Detail",
        "§2.3 6140, docs/research/fault-strings.md",
        "assumed",
    ),
    Behaviour(
        "DocNumber longer than 21 characters",
        "2050 `string_length`, element `DocNumber`",
        "§3.2, §2.3 2050",
        "official",
    ),
    Behaviour(
        "A `*Ref` (entity and lines) naming a non-existent id",
        "2500 `invalid_reference`, element = the ref path",
        "§2.3 2500 (PHP-SDK#102), §8",
        "observed",
    ),
    Behaviour(
        "A reference to an inactive Class, Item, Customer, Vendor, Account, Department, Term",
        "610 `made_inactive` (or 2500 `inactive_reference`)",
        "§2.3 610, §8",
        "official",
        "inactive_reference_fault",
    ),
    Behaviour(
        "Updates re-check unchanged references for inactive objects",
        "610",
        "§8; article §9",
        "assumed",
        "inactive_check_on_update",
    ),
    Behaviour(
        "ClassRef / DepartmentRef while class (per txn / per line) or location tracking is "
        "off: dropped silently",
        "no fault; ref not stored",
        "§5.14, §6 Class/Department notes",
        "assumed",
        "untracked_class_department",
    ),
    Behaviour(
        "Item Income/Expense/Asset account of the wrong type; Purchase AccountRef not "
        "Bank (Check, Cash) / Credit Card; expense line on AR/AP/Bank; Payment deposit "
        "account not Bank / Other Current Asset",
        "6430 `invalid_account_type`",
        "§2.3 6430 (quickbooks-ruby#532, #229), §8",
        "assumed",
        "enforce_account_types",
    ),
    Behaviour(
        "A sales/purchase line whose item posts to an inactive account (GL mapping mismatch)",
        "610 `made_inactive`",
        "§2.3 610; article §5",
        "assumed",
        "inactive_reference_fault",
    ),
    Behaviour(
        "Payment applied to an invoice: invoice Balance falls, LinkedTxn on both sides, "
        "UnappliedAmt holds the rest",
        "effect",
        "§5.12, §2.4",
        "official",
    ),
    Behaviour(
        "Customer Balance = open invoice balances − remaining credit of credit memos − "
        "unapplied payments; BalanceWithJobs adds sub-customers; Vendor Balance = open bill "
        "balances − vendor credit balances − unapplied bill payments",
        "effect",
        "§5.12 (formula assumed)",
        "assumed",
    ),
    Behaviour(
        "Credit memo applied through a Payment line (`LinkedTxn` `TxnType: CreditMemo`): its "
        "Balance/RemainingCredit falls, LinkedTxn on both sides, the payment's TotalAmt is "
        "invoice lines − credit lines (0 when the credit covers the invoice), UnappliedAmt = "
        "TotalAmt − that net",
        "effect",
        "§5.12 (Payment LinkedTxn CreditMemo; 'credit memos applied via Payment')",
        "official",
    ),
    Behaviour(
        "Vendor credit applied through a BillPayment line (`TxnType: VendorCredit`), as a "
        "credit memo through a Payment",
        "effect",
        "§5.12 by analogy",
        "assumed",
    ),
    Behaviour(
        "Credit memo (vendor credit) line using more than its remaining credit; deleting "
        "one with linked payments; changing its customer (vendor)",
        "6000 `business_validation` / 620 `txn_cannot_be_linked`, as for invoices",
        "§8 by analogy",
        "assumed",
        "payment_overapply_detail",
    ),
    Behaviour(
        "VendorCredit: expense lines like Bill, APAccountRef defaults to the A/P account, "
        "DocNumber duplicates per vendor under WarnDuplicateBillNumber (TxnType "
        "`Vendor Credit`)",
        "6140 `duplicate_docnumber`",
        "§3.2, §6 (DOC-ENT), §8 Bill DocNumber",
        "assumed",
        "bill_docnumber_scope",
    ),
    Behaviour(
        "RefundReceipt: DepositToAccountRef required and Bank / Other Current Asset; "
        "PaymentRefNum max 100; DocNumber unique company-wide (TxnType `Refund Receipt`); "
        "not voidable; no effect on the customer's Balance",
        "2020, 6430, 2050, 6140",
        "§3.2, §5.1, §5.4, §6",
        "assumed",
        "enforce_account_types",
    ),
    Behaviour(
        "Transfer: FromAccountRef/ToAccountRef Bank, Credit Card or Other Current Asset",
        "6430 `invalid_account_type`",
        "§5.4, §6 (DOC-ENT)",
        "assumed",
        "enforce_account_types",
    ),
    Behaviour(
        "Transfer from an account to itself",
        "6000 `business_validation`",
        "§8 (closest catalogued code)",
        "assumed",
        "transfer_same_account_detail",
    ),
    Behaviour(
        "TimeActivity: NameOf missing/invalid (6300); its EmployeeRef/VendorRef missing (2020); "
        "both refs (6290); Billable without CustomerRef (6310); negative HourlyRate (6330); "
        "Hours/Minutes with Start/End (6390), neither (6350), bad values (6340), duration 0 or "
        "over 24 h (6380), one of Start/End or break too long (6360), start after end (6370)",
        "6290-6390 `time_*`",
        "§2.2 6290-6390 (DOC-ERR wording; condition mapping assumed)",
        "assumed",
    ),
    Behaviour(
        "TimeActivity created with BillableStatus HasBeenBilled",
        "2170 `invalid_enum`, Detail `Invalid Enumeration: HAS_BEEN_BILLED`",
        "§2.3 2170 (BLOG-TOPERR)",
        "official",
    ),
    Behaviour(
        "Invoice/bill changed by a payment gets a new SyncToken",
        "effect",
        "§5.12",
        "assumed",
        "linked_write_bumps_synctoken",
    ),
    Behaviour(
        "Payment line applying more than the open balance (invoice already paid included)",
        "6000 `business_validation`",
        "§7 gap 1, §8",
        "assumed",
        "payment_overapply_detail",
    ),
    Behaviour(
        "Payment linking an invoice of another customer (bill of another vendor)",
        "620 `txn_cannot_be_linked`, element `Payment.Line.LinkedTxn.TxnId`",
        "§2.3 620, §2.4",
        "assumed",
    ),
    Behaviour(
        "Payment LinkedTxn to a non-existent or deleted invoice",
        "610 `linked_txn_deleted`",
        "§2.3 610 (quickbooks-ruby#277)",
        "observed",
    ),
    Behaviour(
        "Changing the customer of an invoice (vendor of a bill) that has payments",
        "620 `txn_cannot_be_linked`",
        "§5.13, §8",
        "assumed",
        "change_party_with_payments",
    ),
    Behaviour(
        "Deleting an invoice or bill with linked payments",
        "6000 `business_validation`",
        "§2.4, §8",
        "assumed",
        "delete_linked_detail",
    ),
    Behaviour(
        "Voiding an invoice/bill unapplies its payments (their line to it removed, "
        "UnappliedAmt grows); deleting or voiding a payment restores the balances; "
        "updating a payment re-applies it",
        "effect",
        "§2.4 (manage-linked-transactions), §5.4",
        "official",
    ),
    Behaviour(
        "Voided payment keeps no lines",
        "effect",
        "§5.4 (lines cleared for BillPayment)",
        "assumed",
    ),
    Behaviour(
        "Deactivating a Customer (Vendor) with a non-zero Balance",
        "6220 `has_balance`",
        "§2.3 6220 (quickbooks-ruby#390)",
        "observed",
        "deactivate_with_balance",
    ),
    Behaviour(
        "Update after another editor: 5010 names the last editor (QBO user 'Craig Carlson')",
        "5010 `stale_object`",
        "§2.3 5010",
        "official",
    ),
    Behaviour(
        "Update/delete of a transaction deleted in QBO",
        "610 `deleted_transaction`",
        "§2.3 610 (node-quickbooks#21)",
        "observed",
    ),
    Behaviour(
        "API create, update, void or delete of a transaction dated on or before "
        "Preferences.AccountingInfoPrefs.BookCloseDate (or moving one into the closed period); "
        "edits as the QBO user are allowed (closing-date password)",
        "6210 `period_closed` (or 5010 `period_closed_placeholder`, Detail "
        "`The account period has closed. {1}`)",
        "§2.2 6210, §2.3 6210; fyle-qbo-api fixture, LeanLaw quote; python-quickbooks#208",
        "observed",
        "period_closed_fault",
    ),
    Behaviour(
        "API writes of a company whose subscription ended (Simulator.set_subscription); "
        "reads keep working",
        "6190 `invalid_company_status` (HTTP 400; QBO once sent it with 200, a bug)",
        "§1.5, §2.3 6190 (PHP-SDK#211)",
        "observed",
    ),
    Behaviour(
        "A Customer, Vendor, Account or transaction with a `CurrencyRef` other than the home "
        "currency (CurrencyPrefs.HomeCurrency) in a company without "
        "CurrencyPrefs.MultiCurrencyEnabled; the refused request changes nothing",
        "6000 `multicurrency_off`, element `CurrencyRef`",
        "Intuit 'Manage multiple currencies' (other currencies need multicurrency); §5.14; "
        "code and Detail wording assumed",
        "assumed",
    ),
]
