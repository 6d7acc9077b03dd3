"""Sales-tax faults on sales and purchase forms (docs/research/sales-tax.md §3, §4).

- non-US company (:mod:`qbo_sim.derive.tax_model` ``global``), ``GlobalTaxCalculation`` not
  ``NotApplicable``: a sales line (purchase line on a purchase form) without a TaxCodeRef →
  6000 "Make sure all your transactions have a <VAT|GST/HST|GST> rate before you save."
  [observed CA, UK] (fidelity ``missing_taxcode_wording``: the 2016 text);
- US company: a sales line whose TaxCodeRef is not ``TAX``/``NON`` → 6100 (reference §2.2;
  Detail assumed);
- a tax code made inactive (a line's code, or a US ``TxnTaxCodeRef``) → fidelity
  ``inactive_taxcode_fault``: 2500 made inactive (default) or 6000 tax calculation failed;
  with ``inactive_check_on_update`` = ``changed`` an update keeping the code is not checked.

An unknown tax code is a reference like any other: 2500 ``Invalid Reference Id :
Line.SalesItemLineDetail.TaxCodeRef`` / ``TxnTaxDetail.TxnTaxCodeRef``
(:mod:`qbo_sim.rules.references`). Under automated sales tax a TxnTaxCodeRef is replaced, never
refused ("no such fault found", sales-tax.md §4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim.derive.tax import (
    EXPENSE_LINES,
    SALES_LINE,
    TAX_CODE,
    code_ref,
    line_code,
    taxed_lines,
)
from qbo_sim.derive.tax_model import PSEUDO_CODES, tax_model, tax_name
from qbo_sim.entities import EntitySpec
from qbo_sim.faults import QBOFault
from qbo_sim.rules.common import setting
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext


def check(ctx: OpContext, spec: EntitySpec, new: Entity, old: Entity | None) -> None:
    if spec.tax is None:
        return
    model = tax_model(ctx.company)
    if model == "off":
        return
    purchase = spec.tax == "purchase"
    if model == "global":
        if new.get("GlobalTaxCalculation") == "NotApplicable":
            return
        kinds = EXPENSE_LINES if purchase else (SALES_LINE,)
        codes = []
        for line in taxed_lines(new, kinds):
            code = line_code(line)
            if code is None:
                raise _missing(ctx)
            codes.append(code)
        old_codes = {line_code(line) for line in taxed_lines(old or {}, kinds)}
        for code in codes:
            _active(ctx, code, code in old_codes)
        return
    if purchase:
        return
    for line in taxed_lines(new, (SALES_LINE,)):
        code = line_code(line)
        if code is not None and code not in PSEUDO_CODES:
            raise QBOFault("invalid_line_taxcode", value=code)
    if model == "us_manual":
        txn_code = code_ref((new.get("TxnTaxDetail") or {}).get("TxnTaxCodeRef"))
        old_code = code_ref(((old or {}).get("TxnTaxDetail") or {}).get("TxnTaxCodeRef"))
        if txn_code is not None and txn_code not in PSEUDO_CODES:
            _active(ctx, txn_code, txn_code == old_code)


def _missing(ctx: OpContext) -> QBOFault:
    if setting(ctx, "missing_taxcode_wording") == "2016":
        return QBOFault("missing_line_taxcode_2016")
    return QBOFault("missing_line_taxcode", tax_name=tax_name(ctx.company))


def _active(ctx: OpContext, code_id: str, unchanged: bool) -> None:
    code = ctx.company.get(TAX_CODE, code_id)
    if code is None or code.get("Active") is not False:
        return  # unknown: the reference check answers 2500
    if unchanged and setting(ctx, "inactive_check_on_update") == "changed":
        return
    if str(setting(ctx, "inactive_taxcode_fault")) == "6000":
        raise QBOFault("tax_calculation_failed")
    raise QBOFault("inactive_reference")
