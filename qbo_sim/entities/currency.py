"""The currency list and exchange rates of a multicurrency company (docs/research/
currency-and-ledger.md part A, DOC-CC, DOC-XR): CompanyCurrency and ExchangeRate.

CompanyCurrency is a name list named by its ISO ``Code`` (``Name`` is system-defined); the home
currency is never one of its rows; ``CurrencyRef.value`` names a currency by its code, not by
a CompanyCurrency Id, so no reference field names it. ExchangeRate rows are one per source
currency, target currency and date, stored under an internal Id that is never sent.
Neither has webhook events (QBO's list says ``Currency``: not modelled) or CDC (assumed).
"""

from __future__ import annotations

from qbo_sim.entities.spec import EntitySpec, list_spec

#: The transactions' field holding their rate (named like the ExchangeRate entity).
RATE_FIELD = "ExchangeRate"
#: The type names the currency rules and routes look up.
COMPANY_CURRENCY = "CompanyCurrency"
EXCHANGE_RATE = "ExchangeRate"
#: Account types that hold a currency of their own (sheet A4.22-23).
ACCOUNTS_RECEIVABLE = "Accounts Receivable"
ACCOUNTS_PAYABLE = "Accounts Payable"
#: The list the A/R and A/P accounts of a currency are in.
ACCOUNT = "Account"
#: The reference naming each one on a transaction.
ACCOUNT_REFS = {ACCOUNTS_RECEIVABLE: "ARAccountRef", ACCOUNTS_PAYABLE: "APAccountRef"}
ACCOUNT_SUBTYPES = {
    ACCOUNTS_RECEIVABLE: "AccountsReceivable",
    ACCOUNTS_PAYABLE: "AccountsPayable",
}
#: The home account's name when the company has none (QBO's default chart of accounts).
DEFAULT_NAMES = {
    ACCOUNTS_RECEIVABLE: "Accounts Receivable (A/R)",
    ACCOUNTS_PAYABLE: "Accounts Payable (A/P)",
}

SPECS: tuple[EntitySpec, ...] = (
    list_spec(
        COMPANY_CURRENCY,
        "Code",
        ref_fields=(),
        cdc=False,
        webhooks=None,
        server_fields=("Name",),
        currency_list=True,
    ),
    EntitySpec(
        EXCHANGE_RATE,
        "rate",
        creatable=False,
        cdc=False,
        webhooks=None,
        indexed=("SourceCurrencyCode",),
        wire_hidden=("Id",),
        query_total=True,
        own_routes=True,
    ),
)
