"""Name lists and parties (reference §3.1, §5.13): Account, Class, Department, Term,
PaymentMethod, TaxCode, TaxRate, TaxAgency, Customer, Vendor, Employee, Item.

The sales-tax lists (docs/research/sales-tax.md §1): TaxCode and TaxRate are read and queried
only (created through ``POST /taxservice/taxcode``), TaxAgency is created, read and queried;
none is updated through the API, none is in CDC (§5.8), TaxAgency has webhooks (§5.10).
"""

from __future__ import annotations

from qbo_sim.entities.spec import PARTY_NAMESPACE, EntitySpec, list_spec

#: Account types (§6), as the account-type rules (6430) name them.
BANK = "Bank"
CREDIT_CARD = "Credit Card"
OTHER_CURRENT_ASSET = "Other Current Asset"

SPECS: tuple[EntitySpec, ...] = (
    list_spec(
        "Account",
        hierarchical=True,
        extra_indexed=("AccountType", "AccountSubType"),
        ref_fields=(
            "AccountRef",
            "IncomeAccountRef",
            "ExpenseAccountRef",
            "AssetAccountRef",
            "ARAccountRef",
            "APAccountRef",
            "DepositToAccountRef",
            "BankAccountRef",
            "CCAccountRef",
            "FromAccountRef",
            "ToAccountRef",
        ),
        sub_flag="SubAccount",
        balance_fields=("CurrentBalance", "CurrentBalanceWithSubAccounts"),
        inactive_checked=True,
        currency=True,
        sparse_required=("Name",),  # 2020 without it (observed, see qbo_sim/validation.py)
    ),
    list_spec("Class", hierarchical=True, sub_flag="SubClass", inactive_checked=True),
    list_spec("Department", hierarchical=True, sub_flag="SubDepartment", inactive_checked=True),
    list_spec(
        "Term", ref_fields=("SalesTermRef", "TermRef", "SalesTermsRef"), inactive_checked=True
    ),
    list_spec("PaymentMethod", defaults={"Type": "NON_CREDIT_CARD"}),
    list_spec(
        "TaxCode",
        creatable=False,
        updatable=False,
        cdc=False,
        webhooks=None,
        ref_fields=(
            "TaxCodeRef",
            "TxnTaxCodeRef",
            "SalesTaxCodeRef",
            "PurchaseTaxCodeRef",
            "DefaultTaxCodeRef",
        ),
    ),
    list_spec(
        "TaxRate",
        creatable=False,
        updatable=False,
        cdc=False,
        webhooks=None,
        ref_fields=("TaxRateRef",),
    ),
    list_spec(
        "TaxAgency",
        "DisplayName",
        updatable=False,
        cdc=False,
        ref_fields=("AgencyRef",),
        defaults={"TaxTrackedOnSales": True, "TaxTrackedOnPurchases": False},
        server_fields=("TaxTrackedOnSales", "TaxTrackedOnPurchases", "TaxAgencyConfig"),
    ),
    list_spec(
        "Customer",
        "DisplayName",
        namespace=PARTY_NAMESPACE,
        hierarchical=True,
        levelled=True,
        print_on_check_max=110,
        jobs=True,
        # a transaction's ProjectRef names a Customer that is a project (DOC-ENT, mv 69)
        ref_fields=("CustomerRef", "ProjectRef"),
        project_flag="IsProject",
        server_fields=("IsProject",),  # read only (DOC-ENT); ignored when sent (DotNET-SDK#197)
        balance_fields=("Balance", "BalanceWithJobs"),
        inactive_checked=True,
        mergeable=True,
        currency=True,
        attachable_target=True,  # observed: PHP-SDK#477
    ),
    list_spec(
        "Vendor",
        "DisplayName",
        namespace=PARTY_NAMESPACE,
        print_on_check_max=100,
        balance_fields=("Balance",),
        inactive_checked=True,
        mergeable=True,
        currency=True,
        attachable_target=True,  # observed: python-quickbooks tests/integration/test_attachable.py
    ),
    list_spec(
        "Employee",
        "DisplayName",
        namespace=PARTY_NAMESPACE,
        print_on_check_max=100,
        attachable_target=True,  # assumed, as Customer and Vendor
    ),
    list_spec(
        "Item",
        hierarchical=True,
        sub_flag="SubItem",
        sub_flag_only_when_sub=True,
        levelled=True,
        inactive_checked=True,
        mergeable=True,
        attachable_target=True,  # DOC-ATT: "linked to a transaction or Item object"
        ref_fields=("ItemRef", "GroupItemRef"),  # GroupLineDetail names a bundle
        bundle_type="Group",  # bundles: read and queried only through the API (DOC-BUNDLE)
        stand_in={"Type": "Service"},  # assumed: a type that needs no asset account
        account_types={
            "IncomeAccountRef": frozenset({"Income"}),
            "ExpenseAccountRef": frozenset({"Expense", "Cost of Goods Sold"}),
            "AssetAccountRef": frozenset({OTHER_CURRENT_ASSET}),
        },
    ),
)
