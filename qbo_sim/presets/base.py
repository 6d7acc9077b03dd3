"""What every company has: CompanyInfo, Preferences and (US companies) the line tax codes
TAX / NON; the sales-tax setup of each preset is :mod:`qbo_sim.presets.tax`."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from qbo_sim.preferences import preference_value as preference_value  # moved; re-exported

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext


def _meta(ctx: OpContext) -> dict[str, str]:
    stamp = ctx.now_meta()
    return {"CreateTime": stamp, "LastUpdatedTime": stamp}


def default_preferences(*, sample: bool) -> dict[str, Any]:
    """Preferences as QBO returns them (§5.14). The ``sample`` company turns on class
    tracking per line, location tracking and WarnDuplicateBillNumber (§8)."""
    return {
        "AccountingInfoPrefs": {
            "TrackDepartments": sample,
            "DepartmentTerminology": "Location",
            "ClassTrackingPerTxn": False,
            "ClassTrackingPerTxnLine": sample,
            "CustomerTerminology": "Customers",
        },
        "ProductAndServicesPrefs": {
            "ForSales": True,
            "ForPurchase": True,
            "QuantityWithPriceAndRate": True,
            "QuantityOnHand": True,
        },
        "SalesFormsPrefs": {
            "CustomTxnNumbers": False,
            "AllowDeposit": True,
            "AllowDiscount": True,
            "AllowShipping": False,
            "ETransactionEnabledStatus": "NotApplicable",
        },
        "VendorAndPurchasesPrefs": {
            "TrackingByCustomer": True,
            "BillableExpenseTracking": True,
        },
        # a US company without automated sales tax (PartnerTaxEnabled absent: Intuit's
        # Preferences sample; sandboxes do not support AST): qbo_sim/presets/tax.py
        "TaxPrefs": {"UsingSalesTax": True},
        "CurrencyPrefs": {"MultiCurrencyEnabled": False, "HomeCurrency": {"value": "USD"}},
        "OtherPrefs": {
            "NameValue": [
                {"Name": "VendorAndPurchasesPrefs.UseCustomTxnNumbers", "Value": "false"},
                {"Name": "VendorAndPurchasesPrefs.WarnDuplicateCheckNumber", "Value": "true"},
                {
                    "Name": "VendorAndPurchasesPrefs.WarnDuplicateBillNumber",
                    "Value": "true" if sample else "false",
                },
                {"Name": "VendorAndPurchasesPrefs.WarnDuplicateJournalNumber", "Value": "false"},
                {"Name": "ProjectsEnabled", "Value": "false"},
            ]
        },
    }


def merge_preferences(prefs: dict[str, Any], overrides: dict[str, Any] | None) -> dict[str, Any]:
    """``overrides`` over ``prefs``, section by section (a dict section updates the one
    there, anything else replaces it); changes ``prefs`` and returns it."""
    for section, values in (overrides or {}).items():
        if isinstance(values, dict) and isinstance(prefs.get(section), dict):
            prefs[section].update(copy.deepcopy(values))
        else:
            prefs[section] = copy.deepcopy(values)
    return prefs


def install_base(
    ctx: OpContext,
    company_name: str,
    *,
    sample: bool,
    overrides: dict[str, Any] | None = None,
    info: dict[str, Any] | None = None,
    pseudo_codes: bool = True,
) -> None:
    """``info``: CompanyInfo fields replacing the US defaults (a non-US preset's Country and
    address); ``pseudo_codes``: the US line codes TAX / NON."""
    from qbo_sim.presets.tax import install_pseudo_codes

    company = ctx.company
    prefs = merge_preferences(default_preferences(sample=sample), overrides)
    base = {"domain": "QBO", "sparse": False, "Id": "1", "SyncToken": "0"}
    company.put("Preferences", {**prefs, **base, "MetaData": _meta(ctx)})
    company.put(
        "CompanyInfo",
        {
            "CompanyName": company_name,
            "LegalName": company_name,
            "CompanyAddr": {
                "Id": "1",
                "Line1": "2600 Marine Way",
                "City": "Mountain View",
                "CountrySubDivisionCode": "CA",
                "PostalCode": "94043",
                "Country": "USA",
            },
            "Country": "US",
            "Email": {"Address": "owner@example.com"},
            "SupportedLanguages": "en",
            "FiscalYearStartMonth": "January",
            "NameValue": [{"Name": "OfferingSku", "Value": "QuickBooks Online Plus"}],
            **(info or {}),
            **base,
            "MetaData": _meta(ctx),
        },
    )
    if pseudo_codes:
        install_pseudo_codes(ctx)
