"""The sales-tax setup of the presets, and which tax model each preset company is
(docs/research/sales-tax.md §6, §7; :mod:`qbo_sim.derive.tax_model`).

- ``empty``: US manual (legacy), ``TaxPrefs {UsingSalesTax: true}``, only the pseudo codes
  ``TAX``/``NON``: no tax is charged;
- ``sample``: US manual, with Intuit's sample setup: agencies 1-2, rates AZ State tax 7.1,
  Tucson City 2, California 8, codes California (8 %) and Tucson (9.1 %); its invoices are
  ``NON``, so they charge no tax;
- ``us_tax``: the same setup in an otherwise empty company;
- ``us_ast``: US automated sales tax (``PartnerTaxEnabled: true``): the assumed AST table
  (qbo_sim/derive/tax_ast.py) as SYSTEM_GENERATED agencies, rates and codes;
- ``uk``, ``ca``, ``au``: non-US (``CompanyInfo.Country`` GB, CA, AU; home currency GBP, CAD,
  AUD): the country's codes, one needed on every line.

Every preset that charges tax has a liability account with ``AccountSubType``
``SalesTaxPayable`` (the ledger credits TxnTaxDetail.TotalTax to it). The US pseudo codes
are as Intuit's sample query shows them: no SyncToken, Active, domain or sparse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qbo_sim import operations, taxservice
from qbo_sim.derive.tax_ast import AST_TABLE
from qbo_sim.entities import ENTITIES

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext
    from qbo_sim.store import Entity

TAX_AGENCY = "TaxAgency"
ACCOUNT = "Account"
#: The liability account of the presets that charge tax.
SALES_TAX_PAYABLE = ("Sales Tax Payable", "Other Current Liability", "SalesTaxPayable")


def install_pseudo_codes(ctx: OpContext) -> None:
    """``TAX`` and ``NON``, exactly as Intuit's US TaxCode query lists them."""
    for code, taxable in (("TAX", True), ("NON", False)):
        stamp = ctx.now_meta()
        ctx.company.put(
            "TaxCode",
            {
                "TaxGroup": False,
                "Name": code,
                "Taxable": taxable,
                "Description": code,
                "Id": code,
                "MetaData": {"CreateTime": stamp, "LastUpdatedTime": stamp},
            },
        )


def _agency(ctx: OpContext, name: str, *, config: str = "USER_DEFINED") -> Entity:
    return taxservice.new_list_entity(
        ctx,
        TAX_AGENCY,
        {
            "DisplayName": name,
            "Active": True,
            "TaxTrackedOnSales": True,
            "TaxTrackedOnPurchases": False,
            "TaxAgencyConfig": config,
        },
    )


def liability_account(ctx: OpContext) -> Entity:
    name, account_type, sub_type = SALES_TAX_PAYABLE
    return operations.create(
        ctx,
        ENTITIES[ACCOUNT],
        {"Name": name, "AccountType": account_type, "AccountSubType": sub_type},
    )


def install_us_manual(ctx: OpContext, *, account: bool = True) -> None:
    """Intuit's sample (DOC-COPY taxagency.md, taxrate.md, taxcode.md): Arizona Dept. of
    Revenue and Board of Equalization; AZ State tax 7.1 (1), Tucson City 2 (2), California 8
    (3); TaxCode 1 California [rate 3] and 2 Tucson [rates 1, 2]. (Intuit's sample numbers
    its codes 2 and 3: qbo-sim counts a company's codes from 1.)"""
    arizona = _agency(ctx, "Arizona Dept. of Revenue")
    board = _agency(ctx, "Board of Equalization")
    az = taxservice.new_rate(ctx, "AZ State tax", 7.1, arizona["Id"], Description="Sales Tax")
    tucson = taxservice.new_rate(ctx, "Tucson City", 2, arizona["Id"])
    california = taxservice.new_rate(ctx, "California", 8, board["Id"])
    taxservice.new_code(ctx, "California", [california])
    taxservice.new_code(ctx, "Tucson", [az, tucson])
    if account:
        liability_account(ctx)


def install_us_ast(ctx: OpContext) -> None:
    """The assumed AST table as SYSTEM_GENERATED agencies, rates and codes."""
    agencies: dict[str, Entity] = {}
    rates: dict[tuple[str, float], Entity] = {}
    for place in AST_TABLE:
        chosen = []
        for rate_name, value, agency_name in place.rates:
            if agency_name not in agencies:
                agencies[agency_name] = _agency(ctx, agency_name, config="SYSTEM_GENERATED")
            key = (rate_name, value)
            if key not in rates:
                rates[key] = taxservice.new_rate(ctx, rate_name, value, agencies[agency_name]["Id"])
            chosen.append(rates[key])
        taxservice.new_code(ctx, place.code_name, chosen, config="SYSTEM_GENERATED")
    liability_account(ctx)


#: Non-US presets: country, home currency, company address, agency, and codes as
#: (name, description, [(rate name, percent, special type)] sales, same for purchases).
GLOBAL: dict[str, dict[str, Any]] = {
    "uk": {
        "country": "GB",
        "currency": "GBP",
        "address": {"Line1": "1 Poultry", "City": "London", "PostalCode": "EC2R 8EJ",
                    "Country": "GB"},
        "agency": "HMRC",
        "codes": [
            ("20.0% S", "Standard", [("20.0% S", 20, "NONE")], [("20.0% ECG", 20, "NONE")]),
            ("5.0% R", "Reduced", [("5.0% R", 5, "NONE")], [("5.0% RP", 5, "NONE")]),
            ("0.0% Z", "Zero-rated", [("0.0% Z", 0, "ZERO_RATE")], [("0.0% ZP", 0, "ZERO_RATE")]),
            ("Exempt", "Exempt", [("Exempt", 0, "ZERO_RATE")], []),
        ],
    },
    "ca": {
        "country": "CA",
        "currency": "CAD",
        "address": {"Line1": "100 Queen St W", "City": "Toronto", "CountrySubDivisionCode": "ON",
                    "PostalCode": "M5H 2N2", "Country": "CA"},
        "agency": "Canada Revenue Agency",
        "codes": [
            ("HST ON", "HST Ontario", [("HST ON", 13, "NONE")], [("HST (ITC) ON", 13, "NONE")]),
            ("GST", "GST", [("GST", 5, "NONE")], [("GST (ITC)", 5, "NONE")]),
            ("Zero-rated", "Zero-rated", [("GST ZR", 0, "ZERO_RATE")], []),
            ("Exempt", "Exempt", [("GST EX", 0, "ZERO_RATE")], []),
        ],
    },
    "au": {
        "country": "AU",
        "currency": "AUD",
        "address": {"Line1": "1 Martin Pl", "City": "Sydney", "CountrySubDivisionCode": "NSW",
                    "PostalCode": "2000", "Country": "AU"},
        "agency": "Australian Taxation Office",
        "codes": [
            ("GST", "GST", [("GST (sales)", 10, "NONE")], [("GST (purchases)", 10, "NONE")]),
            ("FRE", "GST free", [("GST free (sales)", 0, "ZERO_RATE")],
             [("GST free (purchases)", 0, "ZERO_RATE")]),
        ],
    },
}  # fmt: skip


def install_global(ctx: OpContext, preset: str) -> None:
    setup = GLOBAL[preset]
    agency = _agency(ctx, setup["agency"])
    for name, description, sales, purchases in setup["codes"]:
        made = []
        for rates in (sales, purchases):
            made.append(
                [
                    taxservice.new_rate(ctx, rate_name, value, agency["Id"], SpecialTaxType=special)
                    for rate_name, value, special in rates
                ]
            )
        taxservice.new_code(ctx, name, made[0], made[1], description=description)
    liability_account(ctx)


def global_company_info(preset: str) -> dict[str, Any]:
    """CompanyInfo fields of a non-US preset."""
    setup = GLOBAL[preset]
    return {"Country": setup["country"], "CompanyAddr": dict(setup["address"])}


def global_preferences(preset: str) -> dict[str, Any]:
    setup = GLOBAL[preset]
    return {"CurrencyPrefs": {"MultiCurrencyEnabled": False,
                              "HomeCurrency": {"value": setup["currency"]}}}  # fmt: skip
