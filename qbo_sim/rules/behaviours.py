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
        'A required `*Ref` with a blank `value` (`"CustomerRef": {"value": ""}` on a '
        "sales transaction or Payment, VendorRef on a Bill...) is a missing one, on create and "
        "on full or sparse update; a sparse update may not blank a required field, nor leave "
        "a Customer/Vendor/Employee with no name",
        "2020 `required_param` naming the field; 6080 `no_name`",
        "§2.3 2020 (missing CustomerRef observed); the blank value and the update assumed "
        "(no capture found)",
        "assumed",
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
        "A Customer, Vendor, Account, transaction or CompanyCurrency naming a currency other "
        "than the home currency (CurrencyPrefs.HomeCurrency) in a company without "
        "CurrencyPrefs.MultiCurrencyEnabled (also any exchangerate call); the refused request "
        "changes nothing",
        "6000 `multicurrency_off` (`Multi Currency should be enabled to perform this operation`)",
        "docs/research/currency-and-ledger.md A4.20 (Salesforce middleware log, integrators' "
        "code comments); element not captured",
        "observed",
    ),
    Behaviour(
        "The home currency named explicitly while multicurrency is off",
        "accepted, or 6000 `multicurrency_off`",
        "docs/research/currency-and-ledger.md A4.20 (one integrator: 'even for home-currency "
        "entities')",
        "assumed",
        "home_currencyref_when_mc_off",
    ),
    Behaviour(
        "`CurrencyPrefs` (MultiCurrencyEnabled, HomeCurrency) are read-only through the API "
        "(an update keeps them); the QBO user (`sim.as_user(realm).enable_multicurrency()`, "
        "`POST /_sim/companies/<realm>/user/enable-multicurrency`) or a preset turns "
        "multicurrency on, never off, and picks the home currency only before",
        "kept as stored",
        "docs/research/currency-and-ledger.md A1.2-4 (DOC-MC: 'cannot be enabled via the "
        "API', 'cannot be disabled'); ignoring the API's change (no fault) assumed",
        "official",
    ),
    Behaviour(
        "A transaction in another currency than its customer's or vendor's (a payment: than "
        "the transactions it pays; a line or bank account in a third currency)",
        "6000 `one_foreign_currency` (`You can only use one foreign currency per transaction.`)",
        "docs/research/currency-and-ledger.md A4.21, A4.24 (VYLAN §18, Salesforce capture, "
        "Expensify/App#53932, #70500; the payment and bank cases assumed)",
        "observed",
    ),
    Behaviour(
        "A name's currency is fixed once set: an update naming another keeps the stored one "
        "(no fault); a create with a foreign currency is honoured, or ignored",
        "kept as stored",
        "docs/research/currency-and-ledger.md A3.12-13 (DOC Customer; VYLAN §19)",
        "observed",
        "name_currency_on_create",
    ),
    Behaviour(
        "A foreign-currency transaction sent without `ExchangeRate`",
        "stored as 1, the day's rate, or 2410 `exchange_rate_missing` (`Curreny, "
        "ExchangeRate is missing.`)",
        "docs/research/currency-and-ledger.md A3.15 (DOC-PAY 'Default: 1'; WordPress PR "
        "#1325; VYLAN §18)",
        "observed",
        "missing_exchange_rate",
    ),
    Behaviour(
        "A code that is not an ISO 4217 currency QBO knows (CurrencyRef, CompanyCurrency "
        "Code, exchangerate); a CompanyCurrency for the home currency",
        "2220 `invalid_currency`",
        "docs/research/currency-and-ledger.md A4.25 (2220 uncaptured), A2.6",
        "assumed",
    ),
    Behaviour(
        "A currency made inactive in the currency list (CompanyCurrency `Active: false`, "
        "kept and hidden from queries) named by a write",
        "610 (or 2500)",
        "DOC-CC ('not available for use with financial transactions'); the fault assumed",
        "assumed",
        "inactive_reference_fault",
    ),
    Behaviour(
        "A name's or transaction's foreign currency not yet in the currency list is added "
        "(next CompanyCurrency Id); the home currency is never a row",
        "CompanyCurrency created",
        "docs/research/currency-and-ledger.md A2.6-7 (DOC Customer.CurrencyRef, DOC-CC, VYLAN §19)",
        "official",
    ),
    Behaviour(
        "A foreign-currency Invoice, CreditMemo, Payment, Bill, VendorCredit or BillPayment "
        "needs an active A/R or A/P account in its currency (a Bill's default APAccountRef is "
        "it); without one QBO adds `<home account name> - <CODE>` (`Accounts Receivable "
        "(A/R) - EUR`) with that CurrencyRef; an ARAccountRef/APAccountRef in another "
        "currency is refused",
        "Account created, or 6000 `currency_account_mismatch`",
        "docs/research/currency-and-ledger.md A4.22 (help.portpro.io, newqbo.com, Connex)",
        "assumed",
        "foreign_ar_account",
    ),
    Behaviour(
        "`POST /exchangerate` with SourceCurrencyCode = the home currency",
        "6000 `exchange_rate_home`",
        "docs/research/currency-and-ledger.md A2.10 (DOC-XR: 'a validation error'; code and "
        "text assumed)",
        "assumed",
    ),
    Behaviour(
        "Which stored rate serves a date without its own (GET /exchangerate, "
        "missing_exchange_rate day_rate)",
        "the latest on or before it, or none",
        "docs/research/currency-and-ledger.md A2.10 (teapplix: 'the most recent exchange "
        "rate you entered')",
        "assumed",
        "exchange_rate_lookup",
    ),
]
