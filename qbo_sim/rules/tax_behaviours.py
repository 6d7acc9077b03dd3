"""The sales-tax behaviours (docs/research/sales-tax.md), rows of the fidelity table as
:data:`qbo_sim.rules.behaviours.BEHAVIOURS` (``qbo_sim.rules.BEHAVIOURS`` holds both)."""

from __future__ import annotations

from qbo_sim.rules.behaviours import Behaviour

S = "docs/research/sales-tax.md"

TAX_BEHAVIOURS: list[Behaviour] = [
    Behaviour(
        "The tax model: CompanyInfo.Country not US → non-US (line codes); "
        "TaxPrefs.PartnerTaxEnabled true → automated sales tax; else US manual; "
        "UsingSalesTax false → no tax stored. Presets: empty, sample, us_tax manual; us_ast "
        "AST; uk, ca, au non-US (qbo_sim/presets/tax.py)",
        "Preferences.TaxPrefs and CompanyInfo.Country tell a client the kind",
        f"{S} §2.1, §6 (DOC-ENT Preferences; minimul/qbo_api#85)",
        "official",
    ),
    Behaviour(
        "US manual: TotalTax = Σ per rate of TxnTaxCodeRef's SalesTaxRateList, half-up to the "
        "cent, on the TAX lines (NON and lines without a code untaxed); one TaxLine per rate "
        "{TaxRateRef, PercentBased, TaxPercent, NetAmountTaxable}; TotalAmt and Balance "
        "include it (335.25 at 8 % = 26.82 → 362.07; 345 at 6.5 % = 22.43)",
        "TxnTaxDetail on Invoice, SalesReceipt, Estimate, CreditMemo, RefundReceipt",
        f"{S} §2.2 (Intuit Invoice sample; RUBY-FX refund_receipt.xml)",
        "official",
        "tax_rounding",
    ),
    Behaviour(
        "ApplyTaxAfterDiscount true: the discount lines reduce the taxable amount, in "
        "proportion to the lines (false/absent: tax before the discount)",
        "NetAmountTaxable after the discount",
        f"{S} §5 (DOC-ENT wording; the proportion assumed)",
        "assumed",
    ),
    Behaviour(
        "A sent TxnTaxDetail.TotalTax that differs from the stored one overrides the "
        "computed tax, prorated over the TaxLines (OverrideDeltaAmount; AST: TaxReviewStatus "
        "AST_TAX_OVERRIDE); sent TaxLines are replaced; the stored answer sent back is "
        "recomputed",
        "TotalTax as sent, or computed",
        f"{S} §2.4 (BLOG-AST-2017, minor versions 44/70; integrators saw it ignored)",
        "assumed",
        "manual_sent_total_tax",
    ),
    Behaviour(
        "Automated sales tax: TxnTaxCodeRef replaced by the engine's code for the destination "
        "(ShipAddr, else the company address), from an assumed table of rates "
        "(qbo_sim/derive/tax_ast.py: no public jurisdiction data; sandboxes have no AST)",
        "TxnTaxCodeRef replaced silently, never refused",
        f"{S} §2.3 (US-GUIDE, BLOG-AST-2017, PHP-SDK#199)",
        "assumed",
        "ast_destination",
    ),
    Behaviour(
        "Automated sales tax: a line without TaxCodeRef is TAX when its item is Taxable "
        "(NON otherwise); a customer with Taxable false or a TaxExemptionReasonId pays no tax",
        "line TaxCodeRef TAX/NON; TotalTax 0 for exempt customers",
        f"{S} §2.3 (BLOG-AST-2018), §4 (no fault for exempt customers)",
        "official",
        "ast_missing_line_taxcode",
    ),
    Behaviour(
        "Sent TotalTax under automated sales tax: honoured and prorated over the AST rates",
        "TaxReviewStatus AST_TAX_OVERRIDE",
        f"{S} §2.4 (BLOG-AST-2017; Codat: ignored)",
        "official",
        "ast_sent_total_tax",
    ),
    Behaviour(
        "US sales form without TxnTaxCodeRef: the customer's DefaultTaxCodeRef is not applied",
        "TotalTax 0",
        f"{S} §2.2 (consolibyte/quickbooks-php#223; DOC-ENT says it is)",
        "assumed",
        "customer_default_taxcode",
    ),
    Behaviour(
        "Non-US: each line's TaxCodeRef (SalesTaxRateList; PurchaseTaxRateList on Bill, "
        "Purchase, PurchaseOrder, VendorCredit), rates aggregated per TaxRate; "
        "GlobalTaxCalculation TaxExcluded when omitted; NotApplicable charges none; "
        "discounts reduce the taxable amount (Bill 400 at 5 % → 420)",
        "TxnTaxDetail without TxnTaxCodeRef; GlobalTaxCalculation stored",
        f"{S} §3 (NONUS-GUIDE; RUBY-FX bill_txn_tax_detail.xml; the default assumed)",
        "observed",
    ),
    Behaviour(
        "Non-US TaxInclusive: line amounts stored net of the code's rates (UnitPrice = net / "
        "Qty to 7 places, TaxInclusiveAmt the gross), SubTotal and discounts on the net, tax "
        "= gross − net (the CA invoice: 8.49 net, 1.11 tax, TotalAmt 9.60)",
        "net lines, TotalAmt = the gross",
        f"{S} §3 (RUBY-FX invoice_with_bundle_line_item.xml)",
        "observed",
        "inclusive_tax_residual",
    ),
    Behaviour(
        "Non-US sales or purchase line without TaxCodeRef (not NotApplicable)",
        "6000 `missing_line_taxcode` (VAT / GST/HST / GST by Country) or "
        "`missing_line_taxcode_2016`",
        f"{S} §3, §4 (activepieces#8539, quickbooks-online-mcp-server#94, ruby#322)",
        "observed",
        "missing_taxcode_wording",
    ),
    Behaviour(
        "US sales line TaxCodeRef other than TAX/NON",
        "6100 `invalid_line_taxcode`",
        "§2.2 6100 (Detail assumed)",
        "assumed",
    ),
    Behaviour(
        "An unknown TxnTaxCodeRef or line TaxCodeRef (a reference like any other)",
        "2500 `invalid_reference`, element `TxnTaxDetail.TxnTaxCodeRef`",
        f"{S} §4 (ruby#268 'Invalid Reference Id : TaxRate')",
        "observed",
    ),
    Behaviour(
        "A tax code made inactive, used on a line (non-US) or as a US TxnTaxCodeRef",
        "2500 `inactive_reference` or 6000 `tax_calculation_failed`",
        f"{S} §4 (DOC-ENT 'may not be used on financial transactions'; PHP-SDK#110)",
        "assumed",
        "inactive_taxcode_fault",
    ),
    Behaviour(
        "A sent TaxLine without DetailType",
        "6000 `taxline_detail_type_missing`",
        f"{S} §2.5 (quickbooks-ruby#529; code assumed)",
        "assumed",
    ),
    Behaviour(
        "POST /taxservice/taxcode: a code with new (TaxRateName, RateValue, TaxAgencyId) and "
        "existing (TaxRateId) rates, Sales or Purchase; the answer echoes TaxCodeId and each "
        "TaxRateId; TaxCode/TaxRate read and query only, TaxAgency create/read/query; none "
        "updated through the API",
        "TaxService answer; 500 Unsupported Operation for other writes",
        f"{S} §1.1, §1.5 (DOC-ENT, DOC-COPY taxservice.md, RUBY-FX)",
        "official",
    ),
    Behaviour(
        "TaxService: a new rate's name already used",
        "6240 `duplicate_tax_rate` (captured, newline included)",
        f"{S} §1.5 (RUBY-FX tax_service_error_dup.json)",
        "observed",
    ),
    Behaviour(
        "TaxService: a code name already used; RateValue outside 0-100; a rate listed twice; "
        "an unknown rate or agency; a missing field",
        "6240 `duplicate_tax_code`; 6000 `tax_rate_detail_invalid`; 2500; 2020",
        f"{S} §1.5 (DOC-COPY business rules; codes and texts assumed)",
        "assumed",
    ),
]
