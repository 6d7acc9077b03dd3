"""``TxnTaxDetail`` as QBO computes it, for each tax model (docs/research/sales-tax.md §2-§5).

Entry point :func:`derive_tax`, run after the line amounts and before TotalAmt (which adds
``TotalTax``, so Balance follows). Which forms: ``EntitySpec.tax`` (``sales``: Invoice,
SalesReceipt, Estimate, CreditMemo, RefundReceipt; ``purchase``: Bill, Purchase,
PurchaseOrder, VendorCredit, computed for non-US companies only).

- **US, manual** (:mod:`.tax_model` ``us_manual``): lines are ``TAX``/``NON`` (absent: ``NON``);
  the rates are the ``SalesTaxRateList`` of ``TxnTaxDetail.TxnTaxCodeRef`` ("the US tax model
  can have just a single tax code for the entire transaction", US-GUIDE); NetAmountTaxable is
  the sum of the ``TAX`` lines; one ``TaxLine`` per rate. Intuit's sample: 335.25 at 8 % →
  26.82, TotalAmt 362.07 (Example A); 345 at 6.5 % → 22.43 (Example B, half-up). Without a
  TxnTaxCodeRef the customer's DefaultTaxCodeRef is used only with fidelity
  ``customer_default_taxcode`` = ``apply`` (integrators report it is not, consolibyte#223).
- **US, automated sales tax** (``us_ast``): the engine replaces TxnTaxCodeRef with the code of
  the destination address (:mod:`.tax_ast`, an assumed table); a line without a TaxCodeRef is
  ``TAX`` when its item is ``Taxable`` (BLOG-AST-2018; fidelity ``ast_missing_line_taxcode``);
  a customer with ``Taxable: false`` or a ``TaxExemptionReasonId`` pays no tax.
- **Non-US** (``global``): each line's own TaxCodeRef (its sales or purchase rate list);
  ``GlobalTaxCalculation`` ``TaxExcluded`` (the default when omitted, assumed),
  ``TaxInclusive`` (line amounts are stored net of tax, ``TaxInclusiveAmt`` the gross; the tax
  is gross − net, as the captured CA invoice: fidelity ``inclusive_tax_residual``) or
  ``NotApplicable`` (no tax). Discounts reduce the taxable amount (the CA invoice).
- Discounts on US forms reduce it only with ``ApplyTaxAfterDiscount: true`` (DOC-ENT), in
  proportion to the lines (assumed).
- Rounding half-up to the cent per rate total (fidelity ``tax_rounding``: or per line).
  A rate's value is its ``EffectiveTaxRate`` entry covering TxnDate, else ``RateValue``.
- A ``TotalTax`` the client sends (and that differs from the stored one) is an override:
  kept and prorated over the TaxLines, each with ``OverrideDeltaAmount`` (AST also
  ``TaxReviewStatus: AST_TAX_OVERRIDE``), or ignored: fidelity ``manual_sent_total_tax`` /
  ``ast_sent_total_tax``. TaxLines a client sends are always replaced.
- Sales tax off (``UsingSalesTax: false``): "TxnTaxDetail is ignored and not stored":
  ``{"TotalTax": 0}``.

Faults (missing, invalid and inactive codes) are rules: :mod:`qbo_sim.rules.tax`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from qbo_sim import fidelity
from qbo_sim.derive import lines, tax_ast
from qbo_sim.derive.tax_model import NON, TAX, TaxModel, company_address, tax_model
from qbo_sim.entities import EntitySpec, ref_target
from qbo_sim.faults import QBOFault
from qbo_sim.store import Company, Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

SALES_LINE = "SalesItemLineDetail"
GROUP_LINE = "GroupLineDetail"
DISCOUNT_LINE = "DiscountLineDetail"
EXPENSE_LINES = ("AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail")
TAX_CODE = ref_target("TaxCodeRef") or ""
TAX_RATE = ref_target("TaxRateRef") or ""
ITEM = ref_target("ItemRef") or ""
CUSTOMER = ref_target("CustomerRef") or ""
CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
AST_OVERRIDE = "AST_TAX_OVERRIDE"


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _dec(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return ZERO


@dataclass
class _RateTotal:
    rate: Entity
    percent: Any
    base: Decimal = ZERO
    exact: Decimal = ZERO
    per_line: Decimal = ZERO
    #: TaxInclusive: the tax assigned directly (gross − net share).
    inclusive: Decimal | None = None


@dataclass
class _Tally:
    totals: dict[str, _RateTotal] = field(default_factory=dict)

    def add(self, rate: Entity, percent: Any, base: Decimal, tax: Decimal) -> None:
        entry = self.totals.get(rate["Id"])
        if entry is None:
            entry = self.totals[rate["Id"]] = _RateTotal(rate, percent)
        entry.base += base
        entry.exact += tax
        entry.per_line += _round(tax)


def setting(company: Company, name: str) -> Any:
    return fidelity.get(company.fidelity, name)


def code_ref(node: Any) -> str | None:
    """The id a ``TaxCodeRef``-like reference names."""
    if isinstance(node, dict) and node.get("value") not in (None, ""):
        return str(node["value"])
    return None


def line_code(line: dict[str, Any]) -> str | None:
    detail = line.get(line.get("DetailType") or "")
    return code_ref(detail.get("TaxCodeRef")) if isinstance(detail, dict) else None


def taxed_lines(entity: Entity, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    """The lines that carry a tax code: ``kinds`` details, and the parts of group lines."""
    found = lines.flat_lines(entity.get("Line"))
    return [line for line in found if line.get("DetailType") in kinds]


def rate_value(rate: Entity, txn_date: Any) -> Any:
    """The rate in force on ``txn_date``: its ``EffectiveTaxRate`` entry, else RateValue
    (the dated history of RUBY-FX tax_rate.xml; choosing by TxnDate is assumed)."""
    day = str(txn_date or "")[:10]
    for entry in rate.get("EffectiveTaxRate") or []:
        if not isinstance(entry, dict) or entry.get("RateValue") is None:
            continue
        start = str(entry.get("EffectiveDate") or "")[:10]
        end = str(entry.get("EndDate") or "")[:10]
        if day and (not start or start <= day) and (not end or day <= end):
            return entry["RateValue"]
    return rate.get("RateValue", 0)


def rate_list(code: Entity | None, purchase: bool) -> list[dict[str, Any]]:
    if code is None:
        return []
    key = "PurchaseTaxRateList" if purchase else "SalesTaxRateList"
    found = (code.get(key) or {}).get("TaxRateDetail") or []
    details = [d for d in found if isinstance(d, dict)]
    return sorted(details, key=lambda d: int(d.get("TaxOrder") or 0))


def derive_tax(ctx: OpContext, spec: EntitySpec, entity: Entity, old: Entity | None) -> None:
    """Fill ``TxnTaxDetail`` (and line tax codes) of a sales or purchase form in place."""
    if spec.tax is None:
        return
    company = ctx.company
    model = tax_model(company)
    purchase = spec.tax == "purchase"
    if purchase and model != "global":
        return  # US purchase forms: TxnTaxDetail as sent (purchase tax is non-US only)
    sent = entity.get("TxnTaxDetail")
    sent = sent if isinstance(sent, dict) else {}
    for tax_line in sent.get("TaxLine") or []:
        if isinstance(tax_line, dict) and not tax_line.get("DetailType"):
            raise QBOFault("taxline_detail_type_missing")
    _default_line_codes(company, model, entity)
    if model == "off":
        entity["TxnTaxDetail"] = {"TotalTax": 0.0}
        return
    code_id: str | None = None
    exempt = False
    if model == "global":
        calculation = entity.get("GlobalTaxCalculation") or "TaxExcluded"
        entity["GlobalTaxCalculation"] = calculation
        tally = _global(company, entity, purchase, calculation)
    else:
        code_id = _txn_code(company, model, entity, sent)
        exempt = model == "us_ast" and _exempt(company, entity)
        tally = _Tally() if exempt else _us(company, entity, code_id)
    detail: dict[str, Any] = {}
    if code_id is not None:
        detail["TxnTaxCodeRef"] = {"value": code_id}
    tax_lines = _tax_lines(tally, setting(company, "tax_rounding"))
    total = sum((_dec(t["Amount"]) for t in tax_lines), ZERO)
    override = _override(company, model, sent, old, total, tax_lines)
    if override is not None:
        _prorate(tax_lines, override)
        total = override
        if model == "us_ast" and tax_lines:
            detail["TaxReviewStatus"] = AST_OVERRIDE
    if isinstance(sent.get("UseAutomatedSalesTax"), bool) and model == "us_ast":
        detail["UseAutomatedSalesTax"] = sent["UseAutomatedSalesTax"]
    detail["TotalTax"] = lines.money(total)
    if tax_lines:
        detail["TaxLine"] = tax_lines
    entity["TxnTaxDetail"] = detail


# --- line codes ----------------------------------------------------------------------------
def _default_line_codes(company: Company, model: TaxModel, entity: Entity) -> None:
    """A sales line without a TaxCodeRef: ``NON`` (US manual, reference §5.12), the item's
    taxability (AST after Aug 2018, fidelity ``ast_missing_line_taxcode``); none on non-US
    lines (the rules answer 6000)."""
    if model == "global":
        return
    by_item = model == "us_ast" and setting(company, "ast_missing_line_taxcode") == "item"
    for line in taxed_lines(entity, (SALES_LINE,)):
        detail = line.get(SALES_LINE)
        if isinstance(detail, dict) and not detail.get("TaxCodeRef"):
            code = NON
            if by_item:
                item = company.get(ITEM, str(code_ref(detail.get("ItemRef")) or ""))
                code = TAX if item is not None and item.get("Taxable") is True else NON
            detail["TaxCodeRef"] = {"value": code}


def _txn_code(
    company: Company, model: TaxModel, entity: Entity, sent: dict[str, Any]
) -> str | None:
    """The transaction's tax code: the engine's (AST, replacing any sent), the one sent, or
    (fidelity ``customer_default_taxcode``) the customer's default."""
    if model == "us_ast":
        return _ast_code(company, entity)
    sent_code = code_ref(sent.get("TxnTaxCodeRef"))
    if sent_code is not None:
        return sent_code
    if setting(company, "customer_default_taxcode") != "apply":
        return None
    customer = company.get(CUSTOMER, str(code_ref(entity.get("CustomerRef")) or ""))
    if customer is None or customer.get("Taxable") is False:
        return None
    return code_ref(customer.get("DefaultTaxCodeRef"))


def _ast_code(company: Company, entity: Entity) -> str | None:
    addresses = [entity.get("ShipAddr")]
    if setting(company, "ast_destination") == "ship_bill_company":
        addresses.append(entity.get("BillAddr"))
    addresses.append(company_address(company))
    for address in addresses:
        if tax_ast.has_state(address):
            place = tax_ast.jurisdiction(address)
            if place is None:
                return None
            for code in company.find(TAX_CODE, "Name", place.code_name):
                return str(code["Id"])
            return None
    return None


def _exempt(company: Company, entity: Entity) -> bool:
    customer = company.get(CUSTOMER, str(code_ref(entity.get("CustomerRef")) or ""))
    if customer is None:
        return False
    return customer.get("Taxable") is False or bool(customer.get("TaxExemptionReasonId"))


# --- computing -----------------------------------------------------------------------------
def _discount_factor(entity: Entity, applies: bool) -> Decimal:
    """The share of each line left after the discount lines (1 when the discount does not
    reduce the taxable amount)."""
    if not applies:
        return Decimal(1)
    all_lines = entity.get("Line") or []
    subtotal = lines.sum_lines(all_lines, kinds=(SALES_LINE, GROUP_LINE))
    discount = lines.sum_lines(all_lines, kinds=(DISCOUNT_LINE,))
    if subtotal <= 0 or discount <= 0:
        return Decimal(1)
    return max(ZERO, (subtotal - discount) / subtotal)


def _tax_rates(
    tally: _Tally, company: Company, details: list[dict[str, Any]], base: Decimal, day: Any
) -> None:
    """One line's taxes on ``base`` through a code's rate list (TaxOnAmount, TaxOnTax and
    TaxOnAmountPlusTax in TaxOrder: the last two assumed from their names)."""
    prior = ZERO
    for detail in details:
        rate = company.get(TAX_RATE, str(code_ref(detail.get("TaxRateRef")) or ""))
        if rate is None:
            continue
        percent = rate_value(rate, day)
        kind = detail.get("TaxTypeApplicable") or "TaxOnAmount"
        on = prior if kind == "TaxOnTax" else base + prior if kind == "TaxOnAmountPlusTax" else base
        tax = on * _dec(percent) / HUNDRED
        prior += tax
        tally.add(rate, percent, on, tax)


def _us(company: Company, entity: Entity, code_id: str | None) -> _Tally:
    tally = _Tally()
    code = company.get(TAX_CODE, code_id) if code_id else None
    details = rate_list(code, purchase=False)
    if not details:
        return tally
    factor = _discount_factor(entity, entity.get("ApplyTaxAfterDiscount") is True)
    day = entity.get("TxnDate")
    for line in taxed_lines(entity, (SALES_LINE,)):
        if line_code(line) == TAX:
            _tax_rates(tally, company, details, _dec(line.get("Amount") or 0) * factor, day)
    return tally


def _global(company: Company, entity: Entity, purchase: bool, calculation: str) -> _Tally:
    tally = _Tally()
    if calculation == "NotApplicable":
        return tally
    kinds = EXPENSE_LINES if purchase else (SALES_LINE,)
    taxed = [(line, line_code(line)) for line in taxed_lines(entity, kinds)]
    codes = {c: company.get(TAX_CODE, c) for _, c in taxed if c is not None}
    if calculation == "TaxInclusive":
        _to_net(company, entity, taxed, codes, purchase)
    factor = _discount_factor(entity, not purchase)
    day = entity.get("TxnDate")
    for line, code_id in taxed:
        details = rate_list(codes.get(code_id) if code_id else None, purchase)
        amount = _dec(line.get("Amount") or 0) * factor
        _tax_rates(tally, company, details, amount, day)
    if calculation == "TaxInclusive":
        _inclusive_tax(company, tally, taxed, codes, purchase, factor)
    return tally


def _simple_percent(company: Company, details: list[dict[str, Any]], day: Any) -> Decimal:
    total = ZERO
    for detail in details:
        rate = company.get(TAX_RATE, str(code_ref(detail.get("TaxRateRef")) or ""))
        if rate is not None:
            total += _dec(rate_value(rate, day))
    return total


def _to_net(
    company: Company,
    entity: Entity,
    taxed: list[tuple[dict[str, Any], str | None]],
    codes: dict[str, Entity | None],
    purchase: bool,
) -> None:
    """TaxInclusive: a line's Amount is its gross; it is stored net of its code's rates, the
    gross kept as ``TaxInclusiveAmt`` (a line that already has one is net as sent), the unit
    price the net amount over the quantity (7 places, as the captured 0.5306667 = 7.96 / 15);
    then SubTotal and discounts again."""
    day = entity.get("TxnDate")
    for line, code_id in taxed:
        detail = line.get(line.get("DetailType") or "")
        if not isinstance(detail, dict) or detail.get("TaxInclusiveAmt") is not None:
            continue
        percent = _simple_percent(company, rate_list(codes.get(code_id or ""), purchase), day)
        gross = _dec(line.get("Amount") or 0)
        divisor = 1 + percent / HUNDRED
        detail["TaxInclusiveAmt"] = lines.money(gross)
        net = lines.money(gross / divisor if divisor else gross)
        line["Amount"] = net
        qty = _dec(detail.get("Qty") or 0)
        if detail.get("UnitPrice") is not None and qty:
            price = _dec(net) / qty  # the captured 0.5306667 is 7.96 / 15
            detail["UnitPrice"] = float(price.quantize(Decimal("0.0000001"), ROUND_HALF_UP))
    lines.recompute_subtotals(entity)


def _inclusive_tax(
    company: Company,
    tally: _Tally,
    taxed: list[tuple[dict[str, Any], str | None]],
    codes: dict[str, Entity | None],
    purchase: bool,
    factor: Decimal,
) -> None:
    """The tax of inclusive lines is what the gross leaves over the net (fidelity
    ``inclusive_tax_residual`` ``gross_minus_net``; ``net_times_rate`` keeps the computed
    one), shared among a code's rates in proportion to their percent."""
    if setting(company, "inclusive_tax_residual") != "gross_minus_net":
        return
    residual: dict[str, Decimal] = {}
    for line, code_id in taxed:
        detail = line.get(line.get("DetailType") or "")
        if not isinstance(detail, dict) or code_id is None:
            continue
        gross = _dec(detail.get("TaxInclusiveAmt") or line.get("Amount") or 0) * factor
        net = _dec(line.get("Amount") or 0) * factor
        rates = []
        for rate_detail in rate_list(codes.get(code_id), purchase):
            rate_id = str(code_ref(rate_detail.get("TaxRateRef")))
            if rate_id in tally.totals:
                rates.append((rate_id, _dec(tally.totals[rate_id].percent)))
        whole = sum((p for _, p in rates), ZERO)
        for rate_id, percent in rates:
            share = (gross - net) * percent / whole if whole else ZERO
            residual[rate_id] = residual.get(rate_id, ZERO) + share
    for rate_id, amount in residual.items():
        tally.totals[rate_id].inclusive = amount


def _tax_lines(tally: _Tally, rounding: str) -> list[dict[str, Any]]:
    found = []
    for rate_id, entry in tally.totals.items():
        if entry.base == 0 and entry.exact == 0:
            continue
        if entry.inclusive is not None:
            amount = _round(entry.inclusive)
        else:
            amount = entry.per_line if rounding == "per_line" else _round(entry.exact)
        found.append(
            {
                "DetailType": "TaxLineDetail",
                "Amount": lines.money(amount),
                "TaxLineDetail": {
                    "TaxRateRef": {"value": rate_id},
                    "PercentBased": True,
                    "TaxPercent": entry.percent,
                    "NetAmountTaxable": lines.money(entry.base),
                },
            }
        )
    return found


# --- overrides -----------------------------------------------------------------------------
def _was_override(old: Entity | None) -> bool:
    detail = (old or {}).get("TxnTaxDetail")
    if not isinstance(detail, dict):
        return False
    if detail.get("TaxReviewStatus") == AST_OVERRIDE:
        return True
    if not detail.get("TaxLine") and _dec(detail.get("TotalTax") or 0) != 0:
        return True  # nothing computed it: a TotalTax that was sent
    return any(
        isinstance(t, dict) and "OverrideDeltaAmount" in (t.get("TaxLineDetail") or {})
        for t in detail.get("TaxLine") or []
    )


def _override(
    company: Company,
    model: TaxModel,
    sent: dict[str, Any],
    old: Entity | None,
    computed: Decimal,
    tax_lines: list[dict[str, Any]],
) -> Decimal | None:
    """The TotalTax the client sent, when it overrides the computed one (None: computed)."""
    if sent.get("TotalTax") is None:
        return None
    value = _round(_dec(sent["TotalTax"]))
    name = "ast_sent_total_tax" if model == "us_ast" else "manual_sent_total_tax"
    if setting(company, name) != "honor":
        return None
    stored = ((old or {}).get("TxnTaxDetail") or {}).get("TotalTax")
    if old is not None and stored is not None and value == _round(_dec(stored)):
        if not _was_override(old):
            return None  # the stored answer sent back (read, change, write): recomputed
    if value == computed and not _was_override(old):
        return None
    return value


def _prorate(tax_lines: list[dict[str, Any]], total: Decimal) -> None:
    """Spread an overriding TotalTax over the TaxLines in proportion to their amounts (the
    last one takes the rounding); ``OverrideDeltaAmount`` = new − computed (XSD)."""
    if not tax_lines:
        return
    computed = [_dec(t["Amount"]) for t in tax_lines]
    whole = sum(computed, ZERO)
    left = total
    for index, tax_line in enumerate(tax_lines):
        if index == len(tax_lines) - 1:
            share = left
        elif whole:
            share = _round(total * computed[index] / whole)
        else:
            share = ZERO
        left -= share
        tax_line["Amount"] = lines.money(share)
        tax_line["TaxLineDetail"]["OverrideDeltaAmount"] = lines.money(share - computed[index])
