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
    subtotal = sum_lines(real, kinds=("SalesItemLineDetail", "GroupLineDetail"))
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
    if kind == "GroupLineDetail":
        group = line.get("GroupLineDetail") or {}
        parts = group.get("Line") or []
        for part in parts:
            _line_amount(part)
        if line.get("Amount") is None:
            line["Amount"] = money(sum_lines(parts, kinds=("SalesItemLineDetail",)))
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
    subtotal = sum_lines(all_lines, kinds=("SalesItemLineDetail", "GroupLineDetail"))
    for line in all_lines:
        if line.get("DetailType") == SUBTOTAL:
            line["Amount"] = money(subtotal)
        else:
            _discount_amount(line, subtotal)


def sum_lines(lines: list[dict[str, Any]], *, kinds: tuple[str, ...] | frozenset[str]) -> Decimal:
    return sum(
        (_dec(line.get("Amount") or 0) for line in lines if line.get("DetailType") in kinds),
        Decimal(0),
    )


def total(lines: list[dict[str, Any]]) -> Decimal:
    """Sum of the adding lines minus discount lines (SubTotal lines never count). A line with
    no DetailType that links a transaction adds too: a Deposit's line depositing a payment
    (DOC-ENT Deposit sample: ``{"Amount": 20.0, "LinkedTxn": [{"TxnType": "Payment"...}]}``)."""
    linked = sum(
        (_dec(line.get("Amount") or 0) for line in lines if _links_only(line)), Decimal(0)
    )
    return (
        sum_lines(lines, kinds=ADDING) + linked - sum_lines(lines, kinds=("DiscountLineDetail",))
    )


def _links_only(line: dict[str, Any]) -> bool:
    return line.get("DetailType") is None and bool(line.get("LinkedTxn"))


def _number(lines: list[dict[str, Any]], old_lines: list[dict[str, Any]] | None) -> None:
    """Line Ids "1", "2", ...: an update keeps the Id of a line that exists, any other line
    (no Id, Id <= 0, unknown Id) is new and gets the next free Id (§5.3). LineNum = position."""
    known = {str(line.get("Id")) for line in old_lines or [] if line.get("Id") is not None}
    numeric = [int(i) for i in known if i.isdigit()]
    next_id = max(numeric, default=0) + 1
    used: set[str] = set()
    for position, line in enumerate(lines, start=1):
        given = str(line.get("Id")) if line.get("Id") is not None else None
        if given is not None and given in known and given not in used:
            line_id = given
        else:
            line_id = str(next_id)
            next_id += 1
        used.add(line_id)
        line["Id"] = line_id
        line["LineNum"] = position


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
