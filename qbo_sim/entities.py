"""The registry of QBO entity types: what each one is and how the simulator treats it.

One :class:`EntitySpec` per entity (reference §5.1, §5.4, §6). The API layer looks up URL path
segments here, the store reads which fields to index, the rules read name namespaces and
reference fields, and the query engine reads the entity names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["list", "transaction", "settings"]

#: Customer, Vendor and Employee share one DisplayName namespace (§3.1).
PARTY_NAMESPACE = "Party"


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
    #: creatable through the API (TaxCode, CompanyInfo and Preferences are not).
    creatable: bool = True
    #: fields (dotted paths) kept in a value index for lookups without scans.
    indexed: tuple[str, ...] = field(default_factory=tuple)

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


def _list(
    name: str,
    name_field: str = "Name",
    *,
    namespace: str | None = None,
    hierarchical: bool = False,
    creatable: bool = True,
    extra_indexed: tuple[str, ...] = (),
) -> EntitySpec:
    ns = namespace or name
    indexed: tuple[str, ...] = (name_field, "ParentRef.value") if hierarchical else (name_field,)
    indexed += extra_indexed
    return EntitySpec(
        name, "list", name_field, ns, hierarchical, creatable=creatable, indexed=indexed
    )


def _txn(
    name: str,
    party_ref: str | None,
    *,
    void: Literal["operation", "include"] | None = None,
    doc_number: bool = True,
) -> EntitySpec:
    indexed = ("DocNumber",) + ((f"{party_ref}.value",) if party_ref else ())
    return EntitySpec(
        name, "transaction", void=void, party_ref=party_ref, doc_number=doc_number, indexed=indexed
    )


ENTITIES: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in [
        _list("Account", hierarchical=True, extra_indexed=("AccountType", "AccountSubType")),
        _list("Class", hierarchical=True),
        _list("Department", hierarchical=True),
        _list("Term"),
        _list("PaymentMethod"),
        _list("TaxCode", creatable=False),
        _list("Customer", "DisplayName", namespace=PARTY_NAMESPACE, hierarchical=True),
        _list("Vendor", "DisplayName", namespace=PARTY_NAMESPACE),
        _list("Employee", "DisplayName", namespace=PARTY_NAMESPACE),
        _list("Item", hierarchical=True),
        _txn("Invoice", "CustomerRef", void="operation"),
        _txn("Payment", "CustomerRef", void="include", doc_number=False),
        _txn("SalesReceipt", "CustomerRef", void="include"),
        _txn("CreditMemo", "CustomerRef"),
        _txn("Estimate", "CustomerRef"),
        _txn("Bill", "VendorRef"),
        _txn("BillPayment", "VendorRef", void="include"),
        _txn("Purchase", "EntityRef"),
        _txn("PurchaseOrder", "VendorRef"),
        _txn("JournalEntry", None),
        _txn("Deposit", None),
        _txn("VendorCredit", "VendorRef"),
        # not voidable: the void lists of §5.1/§5.4 do not name RefundReceipt (assumed)
        _txn("RefundReceipt", "CustomerRef"),
        _txn("Transfer", None, doc_number=False),
        # NameOf picks the party (EmployeeRef or VendorRef): both are indexed, neither is
        # "the" party reference; no DocNumber (DOC-ENT)
        EntitySpec(
            "TimeActivity",
            "transaction",
            doc_number=False,
            indexed=("EmployeeRef.value", "VendorRef.value", "CustomerRef.value"),
        ),
        EntitySpec("CompanyInfo", "settings", creatable=False),
        EntitySpec("Preferences", "settings", creatable=False),
    ]
}

#: The sales forms: a SubTotalLine, DocNumbers unique per type, items posting to income.
SALES_FORMS = frozenset({"Invoice", "SalesReceipt", "CreditMemo", "Estimate", "RefundReceipt"})

#: URL segment → spec (``salesreceipt`` → SalesReceipt). URIs are case sensitive (§5.1).
BY_PATH: dict[str, EntitySpec] = {spec.path: spec for spec in ENTITIES.values()}


def lookup(name: str) -> EntitySpec | None:
    """Case-insensitive lookup by entity name (query language, control plane)."""
    return _BY_LOWER.get(name.lower())


_BY_LOWER = {spec.name.lower(): spec for spec in ENTITIES.values()}


def ref_target(field_name: str) -> str | None:
    """The entity a ``*Ref`` field points at (``ClassRef`` → Class), when it is fixed."""
    return REF_TARGETS.get(field_name)


#: Reference field names and the entity each one names (§5.2, DOC-ENT).
REF_TARGETS: dict[str, str] = {
    "CustomerRef": "Customer",
    "VendorRef": "Vendor",
    "EmployeeRef": "Employee",
    "ItemRef": "Item",
    "ClassRef": "Class",
    "DepartmentRef": "Department",
    "SalesTermRef": "Term",
    "TermRef": "Term",
    "SalesTermsRef": "Term",
    "PaymentMethodRef": "PaymentMethod",
    "TaxCodeRef": "TaxCode",
    "AccountRef": "Account",
    "IncomeAccountRef": "Account",
    "ExpenseAccountRef": "Account",
    "AssetAccountRef": "Account",
    "ARAccountRef": "Account",
    "APAccountRef": "Account",
    "DepositToAccountRef": "Account",
    "BankAccountRef": "Account",
    "CCAccountRef": "Account",
    "FromAccountRef": "Account",
    "ToAccountRef": "Account",
    "ParentRef": "",  # same entity as the one holding it
}
