"""What an entity is and how the simulator treats it: :class:`EntitySpec`, one per entity.

Every per-entity fact lives here as data (reference §5.1, §5.4, §5.12, §6): rules and
derivations read the spec (``spec.balance``, ``spec.ap_default``, ``spec.print_default``)
instead of naming entities. The specs themselves are defined per family in the sibling modules
(:mod:`.lists`, :mod:`.sales`, :mod:`.purchases`, :mod:`.banking`, :mod:`.time_tracking`,
:mod:`.settings`, :mod:`.attachments`) with the helpers :func:`list_spec` and :func:`txn_spec`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

#: ``attachment``: Attachable, neither a name list nor a transaction (files and notes linked
#: to other objects; deletable, no name, no TxnDate). ``rate``: ExchangeRate, one row per
#: currency and date, without an Id on the wire, served by its own routes.
Kind = Literal["list", "transaction", "settings", "attachment", "rate"]
#: How the lines of a transaction behave: ``sales`` (SubTotal line, line TaxCodeRef ``NON``,
#: items post to income), ``expense`` (items post to expense, expense lines may not use
#: AR/AP/Bank accounts), ``payment`` (lines without Id / LineNum), None (plain lines).
LineKind = Literal["sales", "expense", "payment"]
#: TotalAmt: ``lines`` (Σ lines + tax), ``zero`` (JournalEntry, §6), ``sent`` (payments: as
#: sent, rounded), ``amount`` (no TotalAmt; ``Amount`` rounded: Transfer), None (none at all).
TotalKind = Literal["lines", "zero", "sent", "amount"]

#: Customer, Vendor and Employee share one DisplayName namespace (§3.1).
PARTY_NAMESPACE = "Party"

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class DocSeries:
    """One DocNumber series: QBO's TxnType display name and the preference that turns the
    duplicate check on (``None``: always checked)."""

    label: str
    warn_pref: str | None = None


@dataclass(frozen=True)
class DocNumbers:
    """How a transaction's DocNumber is numbered and kept unique (§2.3 6140, §5.12, §5.14)."""

    #: duplicates refused (6140); False: any number may repeat.
    unique: bool = False
    #: ``company``: unique per type company-wide; ``party``: per party when the fidelity
    #: setting ``bill_docnumber_scope`` is ``vendor``, else company-wide.
    scope: Literal["company", "party"] = "company"
    #: the preference turning the duplicate check on (``None``: always on).
    warn_pref: str | None = None
    #: the preference that turns custom numbers on; None: never numbered automatically.
    auto_number_pref: str | None = None
    #: a field splitting the type into series that do not collide (Purchase ``PaymentType``),
    #: each with its own label and preference; values not listed use ``default_series``.
    series_field: str | None = None
    series: Mapping[str, DocSeries] = field(default_factory=lambda: _EMPTY)
    default_series: DocSeries | None = None


Side = Literal["debit", "credit"]


@dataclass(frozen=True)
class Ledger:
    """How a transaction posts to the chart of accounts (docs/research/currency-and-ledger.md
    §B6): its *header* account takes ``side`` × the amount; the other side goes to each line's
    account (by the line's DetailType: an item's income or expense account, an expense or
    deposit line's AccountRef, a journal line's own PostingType) or, for a payment, to one
    ``counter`` account. Amounts are in the home currency (× ``ExchangeRate``)."""

    side: Side
    #: reference paths naming the header account; the first one present wins (BillPayment: the
    #: check's bank account or the card). Empty: no header (JournalEntry: lines only).
    header: tuple[str, ...] = ()
    #: the header's default when the transaction names none: the first active account of this
    #: AccountType in the transaction's currency (Invoice: Accounts Receivable).
    header_type: str | None = None
    #: reference paths of the one account the other side posts to (Payment: ARAccountRef;
    #: Transfer: FromAccountRef); empty: the lines.
    counter: tuple[str, ...] = ()
    counter_type: str | None = None
    #: ``(field, value)`` that turns both sides round (Purchase ``Credit: true``: a card refund).
    reversed_by: tuple[str, Any] | None = None
    #: the amount the header and counter post (Transfer: ``Amount``).
    amount: str = "TotalAmt"


@dataclass(frozen=True)
class EntitySpec:
    name: str
    kind: Kind
    #: name field of a list entity (``DisplayName`` / ``Name``); None for transactions.
    name_field: str | None = None
    #: uniqueness namespace of the name (``Party`` for Customer/Vendor/Employee).
    namespace: str | None = None
    #: lists with ``ParentRef`` / ``FullyQualifiedName`` (Customer, Item, Account, Class, ...).
    hierarchical: bool = False
    #: ``None`` (not voidable), ``"operation"`` (``?operation=void``), ``"include"``
    #: (``?operation=update&include=void``) — §5.1.
    void: Literal["operation", "include"] | None = None
    #: the reference naming the customer/vendor of a transaction.
    party_ref: str | None = None
    #: transactions with a DocNumber.
    doc_number: bool = False
    #: creatable through the API (TaxCode, TaxRate, CompanyInfo and Preferences are not).
    creatable: bool = True
    #: updatable through the API (TaxCode, TaxRate and TaxAgency are not: their entity pages
    #: list no update, docs/research/sales-tax.md §1.1); the QBO user still edits them.
    updatable: bool = True
    #: fields (dotted paths) kept in a value index for lookups without scans.
    indexed: tuple[str, ...] = field(default_factory=tuple)

    # --- wire, feeds and features ---------------------------------------------------------
    #: ``*Ref`` field names that always name this entity (``ClassRef`` → Class, §5.2).
    ref_fields: tuple[str, ...] = ()
    #: served by CDC (§5.8); TaxCode, TaxRate, TaxAgency and TimeActivity are not.
    cdc: bool = True
    #: webhook events (§5.10): every operation, ``update`` only (Preferences), or none.
    webhooks: Literal["all", "update"] | None = "all"
    #: carries a ``CurrencyRef`` (Intuit's XSD: transactions and currency-bearing lists).
    currency: bool = False
    #: how a settings entity is read: ``realm`` (``/companyinfo/<realmId>``), ``path``
    #: (``/preferences`` only), None (``/<entity>/<id>``).
    singleton_read: Literal["realm", "path"] | None = None
    #: the JSON Schema of the entity when it has no file in ``qbo_sim/schemas/`` (registered
    #: entities, see :func:`qbo_sim.entities.register`).
    schema: Mapping[str, Any] | None = None
    #: extra query properties ``{name: "<type>:<flags>"}`` (see :mod:`qbo_sim.query.fields`)
    #: for an entity that has no table there.
    query_fields: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    #: fields set when absent, on create and update (``POStatus: Open``).
    defaults: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    #: fields of a stand-in row, besides its Id and name (``qbo-sim scenarios
    #: from-recording``: an entity a recording only referred to; Item ``Type: Service``)
    stand_in: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    #: the first Id of the entity's own sequence (Attachable Ids are long numbers such as
    #: ``5000000000000503624``); None: transactions share one sequence, lists count from 1.
    id_start: int | None = None
    #: fields only the server writes: ignored on input, kept across updates (Attachable
    #: ``Size``); ``Id``/``SyncToken``/``MetaData`` are always server-owned.
    server_fields: tuple[str, ...] = ()
    #: list fields a query searches element by element (``AttachableRef.EntityRef.value``
    #: matches when one of the entity's AttachableRef elements does).
    repeated: tuple[str, ...] = ()
    #: a ``"sparse": true`` update is served as a full one (omitted writable fields cleared).
    full_update_only: bool = False
    #: a delete needs no ``SyncToken`` (Attachable, observed).
    delete_needs_token: bool = True
    #: an Attachable's ``AttachableRef.EntityRef`` may name one (None: every transaction).
    attachable_target: bool | None = None
    #: stored fields never sent on the wire (ExchangeRate's internal Id: its answers have none).
    wire_hidden: tuple[str, ...] = ()
    #: its query answers carry ``totalCount`` beside the rows (ExchangeRate: DOC-XR sample).
    query_total: bool = False
    #: served by its own routes only (``api/currency_routes.py``): ``/<entity>[/<id>]``
    #: answers it as an unknown resource (ExchangeRate).
    own_routes: bool = False

    # --- multi-currency (docs/research/currency-and-ledger.md part A) ---------------------
    #: the settings object holding ``CurrencyPrefs`` (Preferences): read-only through the API;
    #: the QBO user turns multicurrency on, never off, and picks the home currency before.
    currency_prefs: bool = False
    #: the company's currency list (CompanyCurrency): ``Name`` from ``Code``; a name's
    #: foreign ``CurrencyRef`` adds its currency; the home currency is never a row.
    currency_list: bool = False
    #: home-currency amounts of a multicurrency company: ``HomeTotalAmt`` (TotalAmt ×
    #: ExchangeRate) and/or ``HomeBalance`` (Balance × ExchangeRate), rounded half up.
    home_amounts: tuple[str, ...] = ()
    #: the account type (``Accounts Receivable`` / ``Accounts Payable``) a transaction posts
    #: to: a foreign-currency one needs such an account in its currency (sheet A4.22).
    currency_account: str | None = None

    # --- lists ----------------------------------------------------------------------------
    #: the ``Sub*`` flag of a hierarchical list (``SubItem``); None: no flag (Customer).
    sub_flag: str | None = None
    #: the ``Sub*`` flag is written on sub-entities only, absent on top-level ones (Item: the
    #: captured top-level items of 2013 and 2017 have no ``SubItem``; the captured accounts,
    #: classes and departments all have ``SubAccount``/``SubClass``/``SubDepartment: false``).
    sub_flag_only_when_sub: bool = False
    #: hierarchical lists that return ``Level`` on sub-entities (Customer, Item); a top-level
    #: one has none, as in the captures (tests/parity: ruby-customers writes ``Level`` on its
    #: sub-customer only; no captured top-level item has it).
    levelled: bool = False
    #: PrintOnCheckName limit of a party (§3.1); None: not a party with one.
    print_on_check_max: int | None = None
    #: sub-customers are jobs (``Job``/``BillWithParent``, ``BalanceWithJobs``): Customer.
    jobs: bool = False
    #: server-owned balances: 0 on create, the stored value on update.
    balance_fields: tuple[str, ...] = ()
    #: an inactive one may not be referenced (§8: 610).
    inactive_checked: bool = False
    #: QBO users can merge two of them (Customer, Vendor, Item).
    mergeable: bool = False
    #: fields a *sparse* update must still carry (2020 without them; Account: ``Name``, see
    #: :mod:`qbo_sim.validation`).
    sparse_required: tuple[str, ...] = ()
    #: the ``Type`` of the items that are bundles (Item ``Group``: docs/research/
    #: projects-and-bundles.md part B): made, changed and deactivated by the QBO user only; a
    #: sales line's ``GroupLineDetail`` names one and is expanded into its components.
    bundle_type: str | None = None
    #: the read-only flag marking a customer that is a project (Customer ``IsProject``:
    #: docs/research/projects-and-bundles.md part A): set by the QBO user only.
    project_flag: str | None = None

    # --- transactions ---------------------------------------------------------------------
    #: QBO's TxnType display name (``Sales Receipt``); None: the entity name.
    label: str | None = None
    numbering: DocNumbers | None = None
    lines: LineKind | None = None
    total: TotalKind | None = None
    #: the form's sales tax (docs/research/sales-tax.md §5; :mod:`qbo_sim.derive.tax`):
    #: ``sales`` (TxnTaxDetail computed from sales rates), ``purchase`` (from purchase rates,
    #: non-US companies only), None (TxnTaxDetail kept as sent).
    tax: Literal["sales", "purchase"] | None = None
    #: Deposit: ``CashBack.Amount`` is subtracted from the total.
    cash_back: bool = False
    #: ``open``: Balance = TotalAmt less what is applied (Invoice, Bill, ...); ``zero``:
    #: Balance 0 (SalesReceipt, RefundReceipt).
    balance: Literal["open", "zero"] | None = None
    #: the Balance is also returned as ``RemainingCredit`` (CreditMemo).
    remaining_credit: bool = False
    #: created with ``LinkedTxn: []``.
    linkable: bool = False
    #: on create, copy defaults from the party (``party_ref``'s entity).
    party_defaults: bool = False
    #: the party's term field copied to ``SalesTermRef``; the form then gets a DueDate.
    term_field: str | None = None
    #: on create, copy BillAddr/ShipAddr/BillEmail from the party (sales forms).
    copy_contact: bool = False
    #: ``GET /<entity>/<id>/pdf`` serves the transaction as a PDF (qbo_sim/api/pdf_routes.py).
    pdf: bool = False
    #: ``PrintStatus``/``EmailStatus`` when the client sends none (None: no such field).
    print_default: str | None = None
    email_default: str | None = None
    #: ``POST /<path>/<id>/send`` e-mails the form to the address in this field (``BillEmail``,
    #: ``POEmail``), which ``?sendTo=`` replaces (None: QBO does not send it).
    send_email: str | None = None
    #: the status defaults apply only when this field has this value (checks: PaymentType).
    status_when: tuple[str, str] | None = None
    #: money fields rounded, 0 when absent (Invoice ``Deposit``).
    money_fields: tuple[str, ...] = ()
    #: ``DepositToAccountRef`` defaults to Undeposited Funds on create.
    deposit_default: bool = False
    #: ``APAccountRef`` defaults to the first Accounts Payable account on create.
    ap_default: bool = False
    #: voiding clears the lines (BillPayment).
    void_clears_lines: bool = False
    #: reference paths and the account types they may name (6430).
    account_types: Mapping[str, frozenset[str]] = field(default_factory=lambda: _EMPTY)
    #: ``(selector field, reference path, {selector value: account types})`` (Purchase).
    account_types_by: tuple[str, str, Mapping[str, frozenset[str]]] | None = None
    #: two references that may not name the same object (Transfer From/To).
    distinct_refs: tuple[str, str] | None = None
    #: ``NameOf`` value → the reference naming that party (TimeActivity).
    name_of_refs: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    #: how it posts to the accounts (None: it posts nothing: estimates, orders, time).
    ledger: Ledger | None = None

    def __hash__(self) -> int:  # the mapping fields are not hashable; names are unique
        return hash(self.name)

    @property
    def path(self) -> str:
        """The lower-case URL segment (``/v3/company/<realm>/salesreceipt``)."""
        return self.name.lower()

    @property
    def is_list(self) -> bool:
        return self.kind == "list"

    @property
    def is_transaction(self) -> bool:
        return self.kind == "transaction"

    @property
    def is_attachment(self) -> bool:
        return self.kind == "attachment"

    @property
    def deletable(self) -> bool:
        """``operation=delete`` removes it (transactions and Attachable, §5.4); name lists
        answer Unsupported Operation."""
        return self.kind in ("transaction", "attachment")

    @property
    def takes_attachments(self) -> bool:
        """An Attachable may link to it (DOC-ATT: "a transaction or Item object"; Customer
        and Vendor links observed)."""
        if self.attachable_target is not None:
            return self.attachable_target
        return self.is_transaction

    @property
    def is_party(self) -> bool:
        return self.namespace == PARTY_NAMESPACE

    @property
    def txn_label(self) -> str:
        return self.label or self.name


def list_spec(
    name: str,
    name_field: str = "Name",
    *,
    namespace: str | None = None,
    hierarchical: bool = False,
    extra_indexed: tuple[str, ...] = (),
    **facts: Any,
) -> EntitySpec:
    """A list entity: name namespace, index on its name (and parent), ``<Name>Ref`` naming it."""
    indexed: tuple[str, ...] = (name_field, "ParentRef.value") if hierarchical else (name_field,)
    facts.setdefault("ref_fields", (f"{name}Ref",))
    return EntitySpec(
        name,
        "list",
        name_field,
        namespace or name,
        hierarchical,
        indexed=indexed + extra_indexed,
        **facts,
    )


def txn_spec(
    name: str,
    party_ref: str | None,
    *,
    void: Literal["operation", "include"] | None = None,
    doc_number: bool = True,
    **facts: Any,
) -> EntitySpec:
    """A transaction: DocNumber and party indexed, a CurrencyRef, TotalAmt from its lines."""
    indexed = ("DocNumber",) + ((f"{party_ref}.value",) if party_ref else ())
    facts.setdefault("currency", True)
    facts.setdefault("total", "lines")
    return EntitySpec(
        name,
        "transaction",
        void=void,
        party_ref=party_ref,
        doc_number=doc_number,
        indexed=facts.pop("indexed", indexed),
        **facts,
    )
