"""Transaction lines: Amount vs Qty × UnitPrice, line Ids and LineNum, the SubTotal line of
sales forms, discounts and TotalAmt (reference §5.3 Line.Id, §5.12)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from qbo_sim.entities import EntitySpec
from qbo_sim.faults import QBOFault
from qbo_sim.store import Entity

#: Sales forms (``spec.lines == "sales"``) get the auto-added ``SubTotalLineDetail`` line
#: (§5.12); RefundReceipt's SubTotal line is assumed from its SalesReceipt-like shape (DOC-ENT).
#: Payment lines (``spec.lines == "payment"``) carry no Id / LineNum in QBO responses.
#: Line details with a quantity and a unit price.
PRICED_DETAILS = ("SalesItemLineDetail", "ItemBasedExpenseLineDetail")
SALES_LINE = "SalesItemLineDetail"
#: a bundle line (:mod:`qbo_sim.derive.bundles`): its parts are sales lines; it counts as
#: their sum wherever lines are added up, whatever its own ``Amount`` shows.
GROUP_LINE = "GroupLineDetail"
#: Lines that add to the total; discounts subtract; description/subtotal lines count nothing.
ADDING = frozenset(
    {
        "SalesItemLineDetail",
        "GroupLineDetail",
        "AccountBasedExpenseLineDetail",
        "ItemBasedExpenseLineDetail",
        "DepositLineDetail",
    }
)
SUBTOTAL = "SubTotalLineDetail"
CENT = Decimal("0.01")


def money(value: Any) -> float:
    """A money amount as QBO returns it (a JSON number rounded to cents: ``150.0``)."""
    return float(_dec(value).quantize(CENT, rounding=ROUND_HALF_UP))


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def derive_lines(spec: EntitySpec, entity: Entity, old: Entity | None) -> None:
    """Compute line amounts, number the lines and (sales forms) add the SubTotal line."""
    lines = entity.get("Line")
    if not isinstance(lines, list):
        if spec.lines != "sales":
            return
        lines = []
    real = [line for line in lines if line.get("DetailType") != SUBTOTAL]
    for line in real:
        _line_amount(line)
    subtotal = sum_lines(real, kinds=(SALES_LINE, GROUP_LINE))
    for line in real:
        _discount_amount(line, subtotal)
    if spec.lines != "payment":
        _number(real, old.get("Line") if old else None)
    if spec.lines == "sales":
        real.append({"Amount": money(subtotal), "DetailType": SUBTOTAL, SUBTOTAL: {}})
    entity["Line"] = real


def _line_amount(line: dict[str, Any]) -> None:
    """Amount from Qty × UnitPrice when omitted; 6070 when a given Amount disagrees."""
    kind = line.get("DetailType")
    if kind == GROUP_LINE:
        parts = group_parts(line)
        for part in parts:
            _line_amount(part)
        line["Amount"] = money(sum_lines(parts, kinds=(SALES_LINE,)))  # derive.bundles: shown
        return
    detail = line.get(kind) if kind in PRICED_DETAILS else None
    qty = detail.get("Qty") if isinstance(detail, dict) else None
    price = detail.get("UnitPrice") if isinstance(detail, dict) else None
    amount = line.get("Amount")
    computed = money(_dec(qty) * _dec(price)) if qty is not None and price is not None else None
    if amount is None:
        if computed is not None:
            line["Amount"] = computed
        elif kind in PRICED_DETAILS:
            raise QBOFault("required_param", name="Amount", element="Amount")
        return
    if computed is not None and money(amount) != computed:
        raise QBOFault("amount_calculation", value=amount)
    line["Amount"] = money(amount)


def _discount_amount(line: dict[str, Any], subtotal: Decimal) -> None:
    """Percent-based discount lines take ``subtotal × DiscountPercent / 100``."""
    if line.get("DetailType") != "DiscountLineDetail":
        return
    detail = line.get("DiscountLineDetail") or {}
    percent = detail.get("DiscountPercent")
    if detail.get("PercentBased") and percent is not None:
        line["Amount"] = money(subtotal * _dec(percent) / 100)
    elif line.get("Amount") is not None:
        line["Amount"] = money(line["Amount"])


def recompute_subtotals(entity: Entity) -> None:
    """After line amounts changed (TaxInclusive lines stored net): the SubTotal line and the
    percent-based discounts again."""
    all_lines = entity.get("Line") or []
    subtotal = sum_lines(all_lines, kinds=(SALES_LINE, GROUP_LINE))
    for line in all_lines:
        if line.get("DetailType") == SUBTOTAL:
            line["Amount"] = money(subtotal)
        else:
            _discount_amount(line, subtotal)


def sum_lines(lines: list[dict[str, Any]], *, kinds: tuple[str, ...] | frozenset[str]) -> Decimal:
    """Σ Amount of the ``kinds`` lines; a group line adds its parts."""
    return sum(
        (_value(line) for line in lines if line.get("DetailType") in kinds),
        Decimal(0),
    )


def _value(line: dict[str, Any]) -> Decimal:
    if line.get("DetailType") == GROUP_LINE:
        return sum_lines(group_parts(line), kinds=(SALES_LINE,))
    return _dec(line.get("Amount") or 0)


def group_parts(line: dict[str, Any]) -> list[dict[str, Any]]:
    """The parts (``GroupLineDetail.Line``) of a group line; [] for any other line."""
    detail = line.get(GROUP_LINE)
    parts = detail.get("Line") if isinstance(detail, dict) else None
    return [p for p in parts if isinstance(p, dict)] if isinstance(parts, list) else []


def flat_lines(lines: Any) -> list[dict[str, Any]]:
    """The lines that carry an item, account or tax code: every line but a group line, whose
    parts come instead (a bundle's components post, are taxed and counted as its lines)."""
    found: list[dict[str, Any]] = []
    for line in lines if isinstance(lines, list) else []:
        if not isinstance(line, dict):
            continue
        if line.get("DetailType") == GROUP_LINE:
            found.extend(group_parts(line))
        else:
            found.append(line)
    return found


def total(lines: list[dict[str, Any]]) -> Decimal:
    """Sum of the adding lines minus discount lines (SubTotal lines never count). A line with
    no DetailType that links a transaction adds too: a Deposit's line depositing a payment
    (DOC-ENT Deposit sample: ``{"Amount": 20.0, "LinkedTxn": [{"TxnType": "Payment"...}]}``)."""
    linked = sum((_dec(line.get("Amount") or 0) for line in lines if _links_only(line)), Decimal(0))
    return sum_lines(lines, kinds=ADDING) + linked - sum_lines(lines, kinds=("DiscountLineDetail",))


def _links_only(line: dict[str, Any]) -> bool:
    return line.get("DetailType") is None and bool(line.get("LinkedTxn"))


def _number(lines: list[dict[str, Any]], old_lines: list[dict[str, Any]] | None) -> None:
    """Line Ids "1", "2", ...: an update keeps the Id of a line that exists, any other line
    (no Id, Id <= 0, unknown Id) is new and gets the next free Id (§5.3). LineNum = position."""
    old = [*(old_lines or []), *(p for line in old_lines or [] for p in group_parts(line))]
    known = {str(line.get("Id")) for line in old if line.get("Id") is not None}
    numeric = [int(i) for i in known if i.isdigit()]
    next_id = max(numeric, default=0) + 1
    used: set[str] = set()

    def number(line: dict[str, Any], line_num: int) -> None:
        nonlocal next_id
        given = str(line.get("Id")) if line.get("Id") is not None else None
        if given is not None and given in known and given not in used:
            line_id = given
        else:
            line_id = str(next_id)
            next_id += 1
        used.add(line_id)
        line["Id"] = line_id
        line["LineNum"] = line_num

    # a group line's parts take the next Ids and LineNums after it (RUBY-FX
    # invoice_with_bundle_line_item.xml: group Id 1 LineNum 1, parts Id 2, 3 LineNum 2, 3)
    for position, line in enumerate(lines, start=1):
        number(line, position)
        for offset, part in enumerate(group_parts(line), start=1):
            number(part, position + offset)


def zero_line(line: dict[str, Any]) -> None:
    """Void: amounts and quantities of one line become zero (§5.4)."""
    if "Amount" in line:
        line["Amount"] = 0.0
    for key in PRICED_DETAILS:
        detail = line.get(key)
        if isinstance(detail, dict) and "Qty" in detail:
            detail["Qty"] = 0
    group = line.get("GroupLineDetail")
    if isinstance(group, dict):
        if "Quantity" in group:
            group["Quantity"] = 0
        for part in group.get("Line") or []:
            zero_line(part)
