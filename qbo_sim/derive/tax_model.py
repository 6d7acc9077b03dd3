"""Which sales-tax model a company uses, and the tax facts of its country
(docs/research/sales-tax.md §2, §3, §6).

- ``off``: ``Preferences.TaxPrefs.UsingSalesTax`` is false ("TxnTaxDetail is ignored and not
  stored", DOC-ENT): no tax is computed;
- ``global``: ``CompanyInfo.Country`` is not ``US`` (UK, CA, AU, ...): a tax code on every
  line, rates from each code's ``SalesTaxRateList``/``PurchaseTaxRateList``,
  ``GlobalTaxCalculation``;
- ``us_ast``: ``TaxPrefs.PartnerTaxEnabled`` is true (automated sales tax): the engine picks
  the transaction's tax code from the destination address (:mod:`.tax_ast`);
- ``us_manual``: any other US company (PartnerTaxEnabled absent or false, a legacy company):
  lines are ``TAX``/``NON``, the rates are those of ``TxnTaxDetail.TxnTaxCodeRef``.

So a client tells the kind as QBO documents it: ``CompanyInfo.Country`` and
``Preferences.TaxPrefs`` (minimul/qbo_api#85; DOC-ENT Preferences ``PartnerTaxEnabled``).
"""

from __future__ import annotations

from typing import Any, Literal

from qbo_sim.preferences import preference_value
from qbo_sim.store import Company

TaxModel = Literal["off", "global", "us_ast", "us_manual"]

#: The US line pseudo codes (DOC-ENT TaxCode: "the pseudo taxcode NON").
TAX = "TAX"
NON = "NON"
PSEUDO_CODES = frozenset({TAX, NON})

#: What a non-US locale calls its tax in the 6000 "Make sure all your transactions have a
#: <name> rate before you save." Detail: CA and UK observed (activepieces#8539,
#: quickbooks-online-mcp-server#94); AU, IN and FR assumed (sales-tax.md §3).
TAX_NAMES = {"CA": "GST/HST", "GB": "VAT", "UK": "VAT", "FR": "VAT", "AU": "GST", "IN": "GST"}
DEFAULT_TAX_NAME = "tax"


def _info(company: Company) -> dict[str, Any]:
    return company.get("CompanyInfo", "1") or {}


def country(company: Company) -> str:
    """``CompanyInfo.Country`` (``US`` when the company does not say)."""
    return str(_info(company).get("Country") or "US").strip().upper()


def company_address(company: Company) -> Any:
    """The company's address (AST's source, and its destination when the form has none)."""
    return _info(company).get("CompanyAddr")


def tax_model(company: Company) -> TaxModel:
    prefs = company.get("Preferences", "1") or {}
    if preference_value(prefs, "TaxPrefs.UsingSalesTax") is False:
        return "off"
    if country(company) not in ("US", "USA"):
        return "global"
    if preference_value(prefs, "TaxPrefs.PartnerTaxEnabled") is True:
        return "us_ast"
    return "us_manual"


def tax_name(company: Company) -> str:
    """``VAT``, ``GST/HST``, ``GST``: the word the 6000 missing-code Detail uses."""
    return TAX_NAMES.get(country(company), DEFAULT_TAX_NAME)
