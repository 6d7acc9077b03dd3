"""The fidelity profile: one named setting per behaviour qbo-sim assumes where QBO is
unconfirmed (reference §8). Each company carries a copy; tests, scenarios and the control plane
change it to match what a user observes in a real sandbox. ``docs/fidelity.md`` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    description: str
    source: str
    confidence: str = "assumed"


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting(
            "inactive_reference_fault",
            "610",
            "Fault for a reference to an inactive list object: '610' (Object Not Found, "
            "made inactive) or '2500' (Invalid Reference Id, same detail).",
            "§8, §2.3 610/2500 (both observed)",
        ),
        Setting(
            "name_match_case_insensitive",
            True,
            "DisplayName/Name uniqueness ignores case and surrounding whitespace.",
            "§8 name uniqueness (UI behaviour)",
        ),
        Setting(
            "bill_docnumber_scope",
            "vendor",
            "Duplicate Bill/Purchase DocNumber scope when WarnDuplicateBillNumber is on: "
            "'vendor' or 'company'.",
            "§8 Bill / Purchase DocNumber",
        ),
        Setting(
            "name_scope_hierarchical",
            "full_name",
            "Names of hierarchical lists (Item, Account, Class, Department) must be unique by "
            "full name ('full_name': the same Name under different parents is allowed) or "
            "across the whole list ('list'). Customers share the Party namespace regardless.",
            "§8 name uniqueness; §3.1 FullyQualifiedName",
        ),
        Setting(
            "inactive_names_block",
            True,
            "Whether an inactive entity's name blocks a new one (6240 naming the inactive "
            "entity's Id). Three integrators' help centres report that it does: Bill.com and "
            "PayMaker ('This includes inactive records', help.bill.com 115005953846, "
            "paymakerhelp 360028563811, 360028564411 'check inactive list items'), Teachworks "
            "('the customer is inactive in QuickBooks', teachworks.uservoice 1824445). The "
            "'(deleted)' suffix QBO shows on inactive names was the old default's reason not to "
            "block; false restores it. Reactivation is never checked.",
            "failure census 'disagrees' 1 (help.bill.com, paymakerhelp, teachworks); §8",
            "observed",
        ),
        Setting(
            "inactive_check_on_update",
            "all",
            "Which references an update checks for inactive objects: 'all' (also unchanged "
            "ones: re-saving a transaction whose item was made inactive fails) or 'changed'.",
            "§8 inactive reference; §2.3 610",
        ),
        Setting(
            "untracked_class_department",
            "drop",
            "ClassRef/DepartmentRef on a transaction while class tracking (per transaction or "
            "per line) or location tracking is off: 'drop' (silently not stored, not checked) "
            "or 'keep' (stored and checked like any reference).",
            "§5.14 AccountingInfoPrefs; integrator reports of ignored ClassRef",
        ),
        Setting(
            "enforce_account_types",
            True,
            "Account-type rules (6430): Item Income/Expense/Asset accounts, Purchase payment "
            "account, expense-line accounts, Payment DepositToAccountRef.",
            "§8 Item account type; §2.3 6430 (quickbooks-ruby#532, #229)",
        ),
        Setting(
            "payment_overapply_detail",
            "The amount applied to {txn_type} {doc_number} exceeds its open balance of {balance}.",
            "6000 Detail (after 'Business Validation Error: ') when a Payment/BillPayment line "
            "applies more than an invoice's/bill's open balance (also an invoice already paid).",
            "§8 payment over-applied",
        ),
        Setting(
            "delete_linked_detail",
            "You must unlink any linked transactions before deleting this transaction.",
            "6000 Detail (after 'Business Validation Error: ') when an Invoice/Bill with "
            "linked payments is deleted.",
            "§8 delete of an invoice or bill with linked payments",
        ),
        Setting(
            "transfer_same_account_detail",
            "The From and To accounts of a transfer must be different.",
            "6000 Detail (after 'Business Validation Error: ') when a Transfer names the same "
            "account as FromAccountRef and ToAccountRef.",
            "§8 (no capture of QBO's answer; 6000 is the closest catalogued code)",
        ),
        Setting(
            "change_party_with_payments",
            "620",
            "Changing CustomerRef of an invoice (VendorRef of a bill) that has linked "
            "payments: '620' (TxnID Cannot Be Linked) or 'allow'.",
            "§8 changing CustomerRef with linked payments",
        ),
        Setting(
            "period_closed_fault",
            "6210",
            "What a write into closed books answers: '6210' (Message 'Account Period Closed, "
            "Cannot Update Through Services API', Detail 'The account period has closed and "
            "the account books cannot be updated through through the QBO Services API. ...') "
            "or '5010' (Message 'Account Period Closed', Detail 'The account period has "
            "closed. {1}', the placeholder unfilled). Both are captured; the first by more "
            "sources.",
            "§2.3 6210; fyle-qbo-api fixture, LeanLaw/Invoiced/AutoEntry/Recurly quotes "
            "(6210); python-quickbooks#208 (5010)",
            "observed",
        ),
        Setting(
            "deactivate_with_balance",
            "6220",
            "Deactivating a Customer/Vendor whose Balance is not zero: '6220' or 'allow'.",
            "§2.3 6220 (quickbooks-ruby#390)",
            "observed",
        ),
        Setting(
            "linked_write_bumps_synctoken",
            True,
            "An invoice/bill whose Balance or LinkedTxn changes because of a payment (and a "
            "payment unapplied by an invoice void) gets a new SyncToken and LastUpdatedTime.",
            "§5.12 (the invoice is changed by the payment)",
        ),
        Setting(
            "tax_rounding",
            "per_rate_total",
            "How sales tax is rounded (half-up to the cent): 'per_rate_total' (each rate's tax "
            "on the summed taxable amount) or 'per_line' (each line's tax, then summed). Intuit's "
            "examples (335.25 at 8 % = 26.82, 345 at 6.5 % = 22.43) agree with both.",
            "docs/research/sales-tax.md §2.2, §3 rounding",
        ),
        Setting(
            "manual_sent_total_tax",
            "honor",
            "A TxnTaxDetail.TotalTax the client sends on a sales form of a US company without "
            "automated sales tax (or a non-US one): 'honor' (kept, prorated over the tax lines "
            "with OverrideDeltaAmount; minor versions 44 and 70 allow overriding sales tax) or "
            "'ignore' (always computed, as integrators reported before minor version 70).",
            "sales-tax.md §2.4 (minor versions 44, 70; SO 19300885, python-quickbooks#301)",
        ),
        Setting(
            "ast_sent_total_tax",
            "honor",
            "A TotalTax sent to a company with automated sales tax: 'honor' (\"the AST engine "
            'honors the amount and prorates it across tax rates", TaxReviewStatus '
            "AST_TAX_OVERRIDE) or 'ignore' (Codat: \"ignored if it's supplied\").",
            "sales-tax.md §2.4 (BLOG-AST-2017, minor version 70; codat FAQ, PHP-SDK#83)",
            "official",
        ),
        Setting(
            "ast_missing_line_taxcode",
            "item",
            "A sales line without TaxCodeRef in a company with automated sales tax: 'item' "
            "(TAX when its item is Taxable, else NON: Intuit's change of Aug 2018) or 'NON' "
            "(before it). An item without Taxable counts as not taxable (assumed).",
            "sales-tax.md §2.3 (BLOG-AST-2018)",
            "official",
        ),
        Setting(
            "ast_destination",
            "ship_company",
            "Where automated sales tax looks for the destination: 'ship_company' (ShipAddr, "
            "else the company address: US-GUIDE) or 'ship_bill_company' (ShipAddr, BillAddr, "
            "then the company address: an Intuit engineer on PHP-SDK#199). The rates are an "
            "assumed table (qbo_sim/derive/tax_ast.py).",
            "sales-tax.md §2.3 (US-GUIDE; PHP-SDK#199)",
            "official",
        ),
        Setting(
            "customer_default_taxcode",
            "ignore",
            "A US sales form without TxnTaxCodeRef for a customer with DefaultTaxCodeRef "
            "(Taxable): 'ignore' (no tax: integrators report the default is not applied "
            "through the API) or 'apply' (the customer's code, as DOC-ENT Customer says).",
            "sales-tax.md §2.2 (DOC-ENT Customer; consolibyte/quickbooks-php#223)",
        ),
        Setting(
            "inclusive_tax_residual",
            "gross_minus_net",
            "The tax of TaxInclusive lines: 'gross_minus_net' (what the gross amounts leave "
            "over the net ones, as the captured CA invoice: 1.11 on 8.49 at 13 %) or "
            "'net_times_rate' (round(net x rate): 1.10).",
            "sales-tax.md §3 (RUBY-FX invoice_with_bundle_line_item.xml)",
            "observed",
        ),
        Setting(
            "missing_taxcode_wording",
            "current",
            "The 6000 Detail for a non-US line without a tax code: 'current' (\"Make sure all "
            'your transactions have a GST/HST|VAT|GST rate before you save.", 2025) or '
            "'2016' (\"One or more transaction lines do not have a tax code associated with "
            'it...").',
            "sales-tax.md §3 (activepieces#8539, quickbooks-ruby#322)",
            "observed",
        ),
        Setting(
            "inactive_taxcode_fault",
            "2500",
            "A transaction naming an inactive tax code (a line code, or a US TxnTaxCodeRef): "
            "'2500' (Invalid Reference Id: made inactive) or '6000' (QuickBooks encountered an "
            'error while calculating tax). Inactive codes "may not be used on financial '
            'transactions" (DOC-ENT); the fault is unconfirmed.',
            "sales-tax.md §4 (DOC-ENT TaxCode; PHP-SDK#110)",
        ),
        Setting(
            "requestid_retention_hours",
            24,
            "How long a requestid is remembered for replay (simulated hours).",
            "§8 requestid",
        ),
        Setting(
            "default_content_type",
            "json",
            "What a request without an Accept header naming JSON or XML (none, or */*) is "
            "answered in: 'json' (qbo-sim's convenience) or 'xml' (QBO's real default, §1.4).",
            "§1.4 (XML unless Accept: application/json); the default is a qbo-sim convenience",
        ),
        # --- multi-currency (docs/research/currency-and-ledger.md part A) ------------------
        Setting(
            "missing_exchange_rate",
            "one",
            "A foreign-currency transaction sent without ExchangeRate: 'one' (stored as 1, "
            "the documented default), 'fault_2410' (refused: 2410 'Curreny, ExchangeRate is "
            "missing.') or 'day_rate' (the company's rate for the TxnDate from the exchange-"
            "rate table, as QBO did before 2017; 1 when it has none).",
            "currency-and-ledger.md A3.15 (DOC-PAY 'Default: 1'; WordPress/wordcamp.org PR "
            "#1325 and quickbooks-online-mcp-server#75: 1; VYLAN §18: 2410)",
            "observed",
        ),
        Setting(
            "name_currency_on_create",
            "honoured",
            "A Customer or Vendor created with a foreign CurrencyRef: 'honoured' (in that "
            "currency, as the Customer docs say) or 'ignored' (in the home currency, as a "
            "vendor create came back in a CA sandbox).",
            "currency-and-ledger.md A3.12-13 (DOC Customer.CurrencyRef; VYLAN §19)",
            "observed",
        ),
        Setting(
            "home_currencyref_when_mc_off",
            "accept",
            "A CurrencyRef naming the home currency in a company without multicurrency: "
            "'accept' or 'fault_6000' (refused like a foreign one, as one integrator reports).",
            "currency-and-ledger.md A4.20 (index ids 69660130331, 70358061167)",
        ),
        Setting(
            "foreign_ar_account",
            "auto_create",
            "A foreign-currency transaction posting to A/R or A/P when the company has no "
            "active Accounts Receivable / Accounts Payable account in that currency: "
            "'auto_create' (QBO adds '<home A/R or A/P name> - <CODE>', e.g. 'Accounts "
            "Receivable (A/R) - EUR', with that CurrencyRef) or 'require_existing' (refused: "
            "6000 'The transaction needs to be in the same currency as the A/R and A/P "
            "accounts you use.').",
            "currency-and-ledger.md A4.22 (help.portpro.io, newqbo.com, Connex)",
        ),
        Setting(
            "exchange_rate_lookup",
            "most_recent",
            "Which stored rate GET /exchangerate (and missing_exchange_rate 'day_rate') uses "
            "for a date without its own: 'most_recent' (the latest rate on or before the "
            "date) or 'exact' (only a rate stored for that date; else none).",
            "currency-and-ledger.md A2.10 (DOC-MC: rates per code and date; teapplix: 'the "
            "most recent exchange rate you entered')",
        ),
        Setting(
            "query_start_position_zero_as_one", True, "STARTPOSITION 0 is served as 1.", "§8 query"
        ),
        Setting(
            "liability_sign",
            "debit_minus_credit",
            "How Account.CurrentBalance shows liability and equity accounts: "
            "'debit_minus_credit' (what is owed is negative, as every balance-sheet account is "
            "debits minus credits) or 'natural' (what is owed is positive).",
            "docs/research/currency-and-ledger.md B28 (captured: Accounts Payable -1602.67, "
            "Opening Balance Equity -10.00; the credit-card sign unconfirmed)",
        ),
        Setting(
            "query_case_insensitive_values",
            True,
            "String comparison in queries ignores case for =, IN and LIKE.",
            "§8 query",
        ),
        # --- projects and bundles (docs/research/projects-and-bundles.md) ------------------
        Setting(
            "group_line_amount",
            "zero",
            "The Amount QBO writes on a bundle line (GroupLineDetail) itself: 'zero' (the "
            "captured 2016 invoice has Amount 0 on the group line, the parts' sum in its "
            "SubTotal line) or 'sum' (the sum of its parts). Totals, tax and postings read the "
            "parts either way.",
            "projects-and-bundles.md B4 (RUBY-FX invoice_with_bundle_line_item.xml; DOC-ENT "
            "lists no Amount on GroupLine)",
            "observed",
        ),
        Setting(
            "project_customer_mismatch",
            "6000",
            "A transaction whose ProjectRef names a project of another customer than its "
            "CustomerRef: '6000' (Business Validation Error, Detail 'The project ... does not "
            "belong to customer ...', assumed) or 'allow' (stored as sent).",
            "projects-and-bundles.md A5 (no capture of QBO's answer; 6000 is the closest "
            "catalogued code)",
        ),
    ]
}


def defaults() -> dict[str, Any]:
    return {name: s.default for name, s in SETTINGS.items()}


def get(profile: dict[str, Any], name: str) -> Any:
    """A company's value for a setting (its default when the company does not override it)."""
    if name not in SETTINGS:
        raise KeyError(f"unknown fidelity setting {name!r}")
    return profile.get(name, SETTINGS[name].default)
