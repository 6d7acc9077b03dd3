"""What can be filtered (WHERE) and sorted (ORDERBY) on each queryable entity, as data.

Source: reference §4.7 (DOC-ENT "filterable"/"sortable" markers) and the observed 4001 errors of
§2.3. Per entity, each property is ``"<type>:<flags>"`` with flags ``F`` (filterable) and ``S``
(sortable); ``KNOWN`` lists properties the entity has that are neither, so a WHERE on them gives
``property 'X' is not queryable`` rather than ``Property X not found for Entity``.

Confidence: Customer's lists and Vendor's non-filterable list are from §4.7 (official/observed);
transactions' Id/DocNumber/TxnDate/TotalAmt/party ref/MetaData and the non-queryable
DepartmentRef are official/observed. Everything else (other list entities, Balance/DueDate on
transactions, MetaData sortable everywhere, Job/ParentRef filterable) is **assumed**, in the
same pattern.

Types: ``id`` (``=``/``IN`` only), ``string``, ``number``, ``boolean``, ``date``, ``datetime``,
``ref`` (compares the reference's ``value``), ``email`` (compares ``Address``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from qbo_sim.entities import ENTITIES, EntitySpec

FieldType = Literal[
    "id", "string", "number", "boolean", "date", "datetime", "ref", "email", "other"
]


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    path: str
    filterable: bool
    sortable: bool
    #: the value of an absent property (QBO treats a list object without ``Active`` as active).
    default: Any = None
    #: a list property searched element by element (``AttachableRef``); ``path`` is then
    #: read from each element, and the row matches when one element does.
    each: str = ""


_COMMON = {
    "Id": "id:FS",
    "MetaData.CreateTime": "datetime:FS",
    "MetaData.LastUpdatedTime": "datetime:FS",
}
_LIST = {"Name": "string:FS", "Active": "boolean:FS"}
_HIERARCHY = {"FullyQualifiedName": "string:FS", "ParentRef": "ref:F"}
_TXN = {"DocNumber": "string:FS", "TxnDate": "date:FS", "TotalAmt": "number:FS"}
_TXN_KNOWN = (
    "SyncToken Line PrivateNote CurrencyRef ExchangeRate DepartmentRef TxnTaxDetail LinkedTxn "
    "ClassRef domain sparse"
)
_SALES_KNOWN = (
    " CustomerMemo BillAddr ShipAddr SalesTermRef BillEmail EmailStatus PrintStatus "
    "ApplyTaxAfterDiscount DepositToAccountRef ShipDate TrackingNum GlobalTaxCalculation"
)
_PERSON = {
    "DisplayName": "string:FS",
    "GivenName": "string:FS",
    "MiddleName": "string:FS",
    "FamilyName": "string:FS",
    "PrintOnCheckName": "string:F",
    "Active": "boolean:FS",
}

_TABLE: dict[str, tuple[dict[str, str], str]] = {
    "Customer": (
        {
            **_PERSON,
            **_HIERARCHY,
            "CompanyName": "string:FS",
            "PrimaryEmailAddr": "email:F",
            "Balance": "number:FS",
            "BalanceWithJobs": "number:S",
            "Job": "boolean:F",
        },
        "SyncToken AcctNum Title Suffix Notes PrimaryPhone Mobile Fax AlternatePhone WebAddr "
        "BillAddr ShipAddr OtherAddr Taxable SalesTermRef PaymentMethodRef CurrencyRef "
        "PreferredDeliveryMethod ResaleNum BillWithParent Level OpenBalanceDate "
        "DefaultTaxCodeRef TaxExemptionReasonId IsProject ARAccountRef domain sparse",
    ),
    "Vendor": (
        {**_PERSON, "CompanyName": "string:FS", "Suffix": "string:F"},
        # observed non-filterable list (quickbooks-ruby#403)
        "SyncToken Title PrimaryPhone AlternatePhone Mobile Fax PrimaryEmailAddr WebAddr "
        "BillAddr OtherContactInfo TaxIdentifier TermRef Balance AcctNum Vendor1099 CurrencyRef "
        "TaxReportingBasis APAccountRef domain sparse",
    ),
    "Employee": (
        {**_PERSON, "EmployeeNumber": "string:F"},
        "SyncToken Title Suffix PrimaryAddr PrimaryEmailAddr PrimaryPhone Mobile SSN "
        "BillableTime BillRate HiredDate ReleasedDate BirthDate Gender CostRate domain sparse",
    ),
    "Item": (
        {
            **_LIST,
            **_HIERARCHY,
            "Type": "string:FS",
            "Sku": "string:FS",
            "QtyOnHand": "number:FS",
            "SubItem": "boolean:F",
        },
        "SyncToken Description UnitPrice PurchaseCost PurchaseDesc IncomeAccountRef "
        "ExpenseAccountRef AssetAccountRef Taxable TrackQtyOnHand InvStartDate SalesTaxCodeRef "
        "PurchaseTaxCodeRef Level domain sparse",
    ),
    "Account": (
        {
            **_LIST,
            **_HIERARCHY,
            "AccountType": "string:FS",
            "AccountSubType": "string:FS",
            "Classification": "string:FS",
            "SubAccount": "boolean:F",
            "CurrentBalance": "number:FS",
            "CurrentBalanceWithSubAccounts": "number:FS",
        },
        "SyncToken AcctNum Description CurrencyRef TaxCodeRef domain sparse",
    ),
    "Class": ({**_LIST, **_HIERARCHY, "SubClass": "boolean:F"}, "SyncToken domain sparse"),
    "Department": (
        {**_LIST, **_HIERARCHY, "SubDepartment": "boolean:F"},
        "SyncToken domain sparse",
    ),
    "Term": ({**_LIST, "Type": "string:F", "DueDays": "number:F"}, "SyncToken domain sparse"),
    "PaymentMethod": ({**_LIST, "Type": "string:FS"}, "SyncToken domain sparse"),
    "TaxCode": (
        {**_LIST, "Taxable": "boolean:F", "TaxGroup": "boolean:F"},
        "SyncToken Description SalesTaxRateList PurchaseTaxRateList Hidden TaxCodeConfigType "
        "domain sparse",
    ),
    # sales-tax.md §1.3-1.4 (DOC-ENT lists Id/Name filterable; the rest assumed)
    "TaxRate": (
        {**_LIST, "RateValue": "number:F", "AgencyRef": "ref:F", "SpecialTaxType": "string:F"},
        "SyncToken Description TaxReturnLineRef DisplayType EffectiveTaxRate OriginalTaxRate "
        "domain sparse",
    ),
    "TaxAgency": (
        {"DisplayName": "string:FS", "Active": "boolean:FS"},
        "SyncToken TaxTrackedOnSales TaxTrackedOnPurchases TaxRegistrationNumber LastFileDate "
        "TaxAgencyConfig domain sparse",
    ),
    "Invoice": (
        {
            **_TXN,
            "CustomerRef": "ref:F",
            "Balance": "number:FS",
            "DueDate": "date:FS",
            "ProjectRef": "ref:F",  # DOC-ENT: filterable (mv 69)
        },
        _TXN_KNOWN + _SALES_KNOWN + " Deposit AllowOnlineCreditCardPayment",
    ),
    "SalesReceipt": (
        {**_TXN, "CustomerRef": "ref:F", "ProjectRef": "ref:F"},
        _TXN_KNOWN + _SALES_KNOWN + " PaymentMethodRef PaymentRefNum Balance",
    ),
    "CreditMemo": (
        {**_TXN, "CustomerRef": "ref:F", "Balance": "number:FS"},
        _TXN_KNOWN + _SALES_KNOWN + " RemainingCredit",
    ),
    "Estimate": (
        {
            **_TXN,
            "CustomerRef": "ref:F",
            "TxnStatus": "string:F",
            "ExpirationDate": "date:FS",
            "ProjectRef": "ref:F",
        },
        _TXN_KNOWN + _SALES_KNOWN + " AcceptedBy AcceptedDate",
    ),
    "Payment": (
        {
            "TxnDate": "date:FS",
            "TotalAmt": "number:FS",
            "CustomerRef": "ref:F",
            "PaymentRefNum": "string:F",
            "UnappliedAmt": "number:F",
        },
        _TXN_KNOWN + " DepositToAccountRef PaymentMethodRef ARAccountRef ProcessPayment",
    ),
    "Bill": (
        {**_TXN, "VendorRef": "ref:F", "Balance": "number:FS", "DueDate": "date:FS"},
        _TXN_KNOWN + " APAccountRef SalesTermRef",
    ),
    "BillPayment": (
        {**_TXN, "VendorRef": "ref:F", "PayType": "string:F"},
        _TXN_KNOWN + " CheckPayment CreditCardPayment",
    ),
    "Purchase": (
        {**_TXN, "EntityRef": "ref:F", "PaymentType": "string:F"},
        _TXN_KNOWN + " AccountRef PaymentMethodRef Credit RemitToAddr",
    ),
    "PurchaseOrder": (
        {**_TXN, "VendorRef": "ref:F", "POStatus": "string:F", "DueDate": "date:FS"},
        _TXN_KNOWN + " APAccountRef ShipAddr VendorAddr ShipMethodRef POEmail",
    ),
    "JournalEntry": (
        {**_TXN, "Adjustment": "boolean:F"},
        _TXN_KNOWN,
    ),
    "Deposit": ({**_TXN}, _TXN_KNOWN + " DepositToAccountRef CashBack"),
    # assumed, in the pattern of Bill / SalesReceipt / Deposit (no DOC-ENT markers captured)
    "VendorCredit": (
        {**_TXN, "VendorRef": "ref:F", "Balance": "number:FS"},
        _TXN_KNOWN + " APAccountRef GlobalTaxCalculation",
    ),
    "RefundReceipt": (
        {**_TXN, "CustomerRef": "ref:F"},
        _TXN_KNOWN + _SALES_KNOWN + " PaymentMethodRef PaymentRefNum Balance CheckPayment",
    ),
    "Transfer": (
        {"TxnDate": "date:FS", "Amount": "number:FS"},
        "SyncToken PrivateNote FromAccountRef ToAccountRef CurrencyRef ExchangeRate "
        "TransactionLocationType domain sparse",
    ),
    "TimeActivity": (
        {
            "TxnDate": "date:FS",
            "EmployeeRef": "ref:F",
            "VendorRef": "ref:F",
            "CustomerRef": "ref:F",
        },
        "SyncToken NameOf ItemRef ClassRef DepartmentRef PayrollItemRef ProjectRef "
        "BillableStatus Taxable HourlyRate CostRate Hours Minutes BreakHours BreakMinutes "
        "StartTime EndTime Description TransactionLocationType domain sparse",
    ),
    "CompanyInfo": (
        {"CompanyName": "string:F"},
        "SyncToken LegalName CompanyAddr CustomerCommunicationAddr LegalAddr Country Email "
        "WebAddr PrimaryPhone SupportedLanguages FiscalYearStartMonth NameValue CompanyStartDate "
        "domain sparse",
    ),
    # DOC-CC / DOC-XR (docs/research/currency-and-ledger.md A2.5, A2.9): rates filter on
    # SourceCurrencyCode and AsOfDate; MetaData filterable and sortable; the rest assumed
    "CompanyCurrency": (
        {"Code": "string:FS", "Name": "string:F", "Active": "boolean:FS"},
        "SyncToken CustomField domain sparse",
    ),
    "ExchangeRate": (
        {"SourceCurrencyCode": "string:F", "AsOfDate": "date:F"},
        "SyncToken TargetCurrencyCode Rate CustomField",
    ),
    "Preferences": (
        {},
        "SyncToken AccountingInfoPrefs ProductAndServicesPrefs SalesFormsPrefs "
        "VendorAndPurchasesPrefs TaxPrefs CurrencyPrefs OtherPrefs TimeTrackingPrefs "
        "EmailMessagesPrefs ReportPrefs domain sparse",
    ),
}

_PATH_SUFFIX = {"ref": ".value", "email": ".Address"}


def _build(name: str, spec: str) -> Field:
    type_, _, flags = spec.partition(":")
    # an absent Active reads as true; an absent SubItem (QBO writes none on a top-level item,
    # qbo_sim/derive/lists.py) as false, so ``WHERE SubItem = false`` still finds top-level items
    default = {"Active": True, "SubItem": False}.get(name)
    path = name + _PATH_SUFFIX.get(type_, "")
    return Field(name, type_, path, "F" in flags, "S" in flags, default)  # type: ignore[arg-type]


def _entity_fields(queryable: dict[str, str], known: str) -> dict[str, Field]:
    fields = {name.lower(): _build(name, spec) for name, spec in {**_COMMON, **queryable}.items()}
    for name in known.split():
        fields.setdefault(name.lower(), Field(name, "other", name, False, False))
    return fields


#: entity name → lower-case property name → Field.
FIELDS: dict[str, dict[str, Field]] = {
    entity: _entity_fields(queryable, known) for entity, (queryable, known) in _TABLE.items()
}


def spec_fields(spec: EntitySpec) -> dict[str, Field]:
    """The queryable properties of an entity without a table above (a registered one), in
    the same pattern: the name (and hierarchy) of a list, DocNumber/TxnDate/TotalAmt and
    the party of a transaction, plus the spec's ``query_fields``; every other property of its
    schema is known but not queryable."""
    queryable: dict[str, str] = {}
    if spec.is_list:
        queryable = {**_LIST, spec.name_field or "Name": "string:FS"}
        if spec.hierarchical:
            queryable |= _HIERARCHY
    elif spec.is_transaction:
        queryable = dict(_TXN) if spec.doc_number else {"TxnDate": "date:FS"}
        if spec.party_ref:
            queryable[spec.party_ref] = "ref:F"
    queryable |= dict(spec.query_fields)
    properties = (spec.schema or {}).get("properties", {})
    fields = _entity_fields(queryable, " ".join(p for p in properties if p not in queryable))
    for key, found in fields.items():
        for prefix in spec.repeated:
            if found.path.startswith(prefix + "."):
                fields[key] = replace(found, each=prefix, path=found.path[len(prefix) + 1 :])
    return fields


def field(entity: str, prop: str) -> Field | None:
    """The property ``prop`` (any case) of ``entity``; None when the entity has no such one."""
    fields = FIELDS.get(entity)
    if fields is None:
        spec = ENTITIES.get(entity)
        fields = spec_fields(spec) if spec is not None else {}
    return fields.get(prop.lower())
