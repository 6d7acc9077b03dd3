"""Inventory: ``Item.QtyOnHand`` and the inventory asset / cost of goods sold postings, kept
by one book per Inventory item (issue 18 item 4; sources in docs/research/inventory.md).

Quantities. An Inventory item that tracks quantity on hand starts with the ``QtyOnHand`` it
is created with, as of its ``InvStartDate``; every posting transaction's item line then moves
it: a sales line (Invoice, SalesReceipt) takes stock out and a credit line (CreditMemo,
RefundReceipt: a return) puts it back; a purchase line (``ItemBasedExpenseLineDetail`` on a
Bill or Purchase) puts stock in and a VendorCredit (or a card refund) takes it out; an
InventoryAdjustment line moves it by ``QtyDiff`` (``NewQty`` becomes the difference to the
quantity on hand on its date, stored as ``QtyDiff``: assumed). The side follows the
transaction's ledger (a sale debits its header account), never its name. A void zeroes the
quantities, a delete removes them, an update applies the difference. Selling more than is on
hand is allowed and QtyOnHand goes negative (QBO warns in its UI only: docs/research
inventory.md §3). An item update whose ``QtyOnHand`` differs from the current quantity moves
the starting quantity by the difference ("We couldn't adjust the stock starting value of this
item", PHP-SDK#305). The changes keep the item's SyncToken and MetaData (assumed, as
customer balances), so they are not webhook or CDC events.

Cost (FIFO, "QuickBooks Online uses first-in-first out", DOC-FIFO): the starting quantity is
a layer at the item's ``PurchaseCost``, each purchase line a layer at its own unit cost (line
amount / Qty, home currency); a sale consumes the oldest layers first and posts their cost:
debit the item's ``ExpenseAccountRef`` (cost of goods sold), credit its ``AssetAccountRef``.
Units sold beyond the layers are costed at the last known unit cost and no later purchase
trues them up (assumed). A return and an adjustment that adds stock come in at the current
cost (the oldest layer's, else the last known: assumed); an adjustment posts between the
asset account and ``AdjustAccountRef``. A purchase line posts its own amount to the asset
account (:mod:`qbo_sim.rules.postings`), a vendor credit its own amount out of it. The
starting quantity × cost is QBO's "Inventory Starting Value": debit the asset account,
credit Opening Balance Equity (the first active ``OpeningBalanceEquity`` account; none: not
posted). Every write recomputes the books of the items it touches, from their start, in date
order (DOC-FIFO: backdated transactions are recalculated), so an earlier purchase entered
later re-costs the sales after it.

Checks: an Inventory item while tracking is off (company preference
``ProductAndServicesPrefs.QuantityOnHand`` or the item's ``TrackQtyOnHand: false``) → 6000
(DotNET-SDK#10); created without ``QtyOnHand`` → 6520; a line of a tracked item without a
quantity → 6520 (assumed); dated before the item's ``InvStartDate`` → 6270 (DOC-ERR); an
adjustment of an item that does not track quantity → 6000 (assumed). ``TrackQtyOnHand`` cannot
be turned off once on (DOC-ENT): an update sending ``false`` keeps ``true`` (assumed: no fault).

The books live in the company's extras (``inventory_books``: item id → {transaction key →
{account id: debit − credit}}; ``inventory_starts``: item id → starting quantity and cost),
written in the request's unit of work, kept in snapshots.
"""

from __future__ import annotations

import copy
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from qbo_sim.entities import ENTITIES, EntitySpec, ref_target
from qbo_sim.faults import QBOFault
from qbo_sim.rules.common import cents, money, preference, ref_value
from qbo_sim.store import Entity, get_path

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

__all__ = [
    "BOOKS",
    "STARTS",
    "apply_effects",
    "check",
    "exchange_rate",
    "item_postings",
    "quantity",
    "recorded",
    "tracked",
]

ITEM = ref_target("ItemRef") or ""
ACCOUNT = ref_target("AccountRef") or ""
BOOKS = "inventory_books"
STARTS = "inventory_starts"
SALE = "SalesItemLineDetail"
PURCHASE = "ItemBasedExpenseLineDetail"
ADJUST = "ItemAdjustmentLineDetail"
STOCK_DETAILS = (SALE, PURCHASE, ADJUST)
OPENING_EQUITY = "OpeningBalanceEquity"
QTY_PREF = "ProductAndServicesPrefs.QuantityOnHand"
#: the derived index of each stocked type: item id → the transactions naming it
INDEX = "inventory-items"


# --- what moves stock -------------------------------------------------------------------
def tracked(item: Entity | None) -> bool:
    """An Inventory item that tracks its quantity on hand."""
    return (
        item is not None
        and item.get("Type") == "Inventory"
        and item.get("TrackQtyOnHand") is not False
    )


def _stocked(spec: EntitySpec) -> bool:
    return spec.is_transaction and spec.ledger is not None


def _lines(entity: Entity | None) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """``(DetailType, detail, line)`` of every item line, bundle components included."""
    for line in (entity or {}).get("Line") or []:
        if not isinstance(line, dict):
            continue
        kind = line.get("DetailType")
        if kind == "GroupLineDetail":
            group = line.get("GroupLineDetail")
            parts = group.get("Line") if isinstance(group, dict) else None
            yield from _lines({"Line": parts or []})
            continue
        detail = line.get(kind) if kind in STOCK_DETAILS else None
        if isinstance(detail, dict):
            yield str(kind), detail, line


def _item_ids(entity: Entity | None) -> set[str]:
    return {i for _, detail, _ in _lines(entity) if (i := ref_value(detail, "ItemRef"))}


class ItemRefs:
    """A derived index (:meth:`qbo_sim.store.Company.derived`): item id → ids of the
    transactions of one type whose lines name it."""

    def __init__(self) -> None:
        self.by_item: dict[str, set[str]] = defaultdict(set)
        self.by_entity: dict[str, set[str]] = {}

    def load(self, entities: Iterable[Entity]) -> None:
        self.by_item.clear()
        self.by_entity.clear()
        for entity in entities:
            self.add(entity)

    def add(self, entity: Entity) -> None:
        entity_id = str(entity["Id"])
        self.discard(entity_id)
        items = _item_ids(entity)
        if items:
            self.by_entity[entity_id] = items
            for item_id in items:
                self.by_item[item_id].add(entity_id)

    def discard(self, entity_id: str) -> None:
        for item_id in self.by_entity.pop(entity_id, ()):
            ids = self.by_item.get(item_id)
            if ids is not None:
                ids.discard(entity_id)
                if not ids:
                    del self.by_item[item_id]


def _transactions_of(ctx: OpContext, item_id: str) -> Iterator[tuple[EntitySpec, Entity]]:
    company = ctx.company
    for spec in ENTITIES.values():
        if not _stocked(spec):
            continue
        index = company.derived(spec.name, INDEX, ItemRefs)
        for entity_id in sorted(index.by_item.get(item_id, ())):
            entity = company.get(spec.name, entity_id)
            if entity is not None:
                yield spec, entity


def _out_sign(spec: EntitySpec, entity: Entity) -> float:
    """-1 when the form's item lines take stock out (a sale debits its header: AR, the
    bank; a vendor credit debits A/P), +1 when they put it in (returns, purchases)."""
    ledger = spec.ledger
    if ledger is None:
        return 0.0
    sign = 1.0 if ledger.side == "debit" else -1.0
    if ledger.reversed_by is not None:
        name, value = ledger.reversed_by
        if entity.get(name) == value:
            sign = -sign
    return -sign


# --- the book of one item ---------------------------------------------------------------
@dataclass(order=True)
class Event:
    order: tuple[Any, ...]
    key: str = field(compare=False)
    #: signed: + in, − out
    qty: float = field(compare=False)
    #: ``sale``/``return`` (sales lines), ``purchase``/``vendor_return`` (expense lines),
    #: ``adjust``, ``start``
    kind: str = field(compare=False)
    #: purchases: the line's home-currency amount; start: the unit cost
    value: float = field(compare=False, default=0.0)
    account: str | None = field(compare=False, default=None)


def _day(entity: Entity, path: str = "TxnDate") -> date:
    try:
        return date.fromisoformat(str(get_path(entity, path)))
    except ValueError:
        return date.min


def _id_number(entity_id: str) -> tuple[int, str]:
    return (int(entity_id), "") if entity_id.isdigit() else (1 << 62, entity_id)


def exchange_rate(entity: Entity) -> float:
    """A transaction's ``ExchangeRate`` (1 when absent or not a positive number)."""
    try:
        rate = float(entity.get("ExchangeRate") or 1.0)
    except (TypeError, ValueError):
        return 1.0
    return rate if rate > 0 else 1.0


def txn_key(spec: EntitySpec, entity: Entity) -> str:
    return f"{spec.name}:{entity['Id']}"


def _events(spec: EntitySpec, entity: Entity, item_id: str) -> Iterator[Event]:
    created = str(get_path(entity, "MetaData.CreateTime") or "")
    order = (_day(entity), 1, created, _id_number(str(entity["Id"])))
    key = txn_key(spec, entity)
    out = _out_sign(spec, entity)
    for kind, detail, line in _lines(entity):
        if ref_value(detail, "ItemRef") != item_id:
            continue
        if kind == ADJUST:
            qty = money(detail.get("QtyDiff"))
            account = ref_value(entity, "AdjustAccountRef")
            yield Event(order, key, qty, "adjust", 0.0, account)
            continue
        qty = abs(money(detail.get("Qty")))
        if not qty:
            continue
        if kind == SALE:
            yield Event(order, key, out * qty, "sale" if out < 0 else "return")
        else:  # a purchase line: its amount is the cost
            amount = money(line.get("Amount")) * exchange_rate(entity)
            yield Event(order, key, out * qty, "vendor_return" if out < 0 else "purchase", amount)


@dataclass
class Book:
    """One item's FIFO layers, as events are applied in date order."""

    last_cost: float
    layers: deque[list[float]] = field(default_factory=deque)
    #: units sold beyond the layers (negative stock)
    deficit: float = 0.0
    qty: float = 0.0
    postings: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))

    def current_cost(self) -> float:
        return self.layers[0][1] if self.layers else self.last_cost

    def put_in(self, qty: float, unit: float) -> None:
        covered = min(self.deficit, qty)
        self.deficit -= covered
        if qty - covered > 0:
            self.layers.append([qty - covered, unit])
        self.last_cost = unit
        self.qty += qty

    def take_out(self, qty: float) -> float:
        """The FIFO cost of ``qty`` units taken out."""
        cost, left = 0.0, qty
        while left > 1e-9 and self.layers:
            layer = self.layers[0]
            used = min(layer[0], left)
            cost += used * layer[1]
            self.last_cost = layer[1]
            layer[0] -= used
            left -= used
            if layer[0] <= 1e-9:
                self.layers.popleft()
        if left > 1e-9:
            cost += left * self.last_cost
            self.deficit += left
        self.qty -= qty
        return cost

    def post(self, key: str, debit: str | None, credit: str | None, amount: float) -> None:
        if debit is None or credit is None or not amount:
            return
        entry = self.postings[key]
        entry[debit] = entry.get(debit, 0.0) + amount
        entry[credit] = entry.get(credit, 0.0) - amount


def _compute(
    ctx: OpContext, item: Entity, *, skip: str | None = None, until: date | None = None
) -> Book:
    """Apply the item's start and transactions in date order (``skip``: one transaction left
    out; ``until``: only events on or before that day)."""
    item_id = str(item["Id"])
    start = (ctx.company.extras.get(STARTS) or {}).get(item_id) or {}
    book = Book(last_cost=money(start.get("cost", item.get("PurchaseCost"))))
    asset = ref_value(item, "AssetAccountRef")
    cogs = ref_value(item, "ExpenseAccountRef")
    events = [
        event
        for spec, entity in _transactions_of(ctx, item_id)
        if txn_key(spec, entity) != skip
        for event in _events(spec, entity, item_id)
    ]
    start_qty = money(start.get("qty"))
    if start_qty:
        order = (_day(item, "InvStartDate"), 0)
        events.append(Event(order, f"{ITEM}:{item_id}", start_qty, "start", book.last_cost))
    for event in sorted(events):
        if until is not None and event.order[0] > until:
            break
        _apply(ctx, book, event, asset, cogs)
    return book


def _apply(ctx: OpContext, book: Book, event: Event, asset: str | None, cogs: str | None) -> None:
    qty = event.qty
    if event.kind == "start":
        if qty > 0:
            book.put_in(qty, event.value)
            book.post(event.key, asset, _opening_equity(ctx), qty * event.value)
        else:
            book.take_out(-qty)
    elif event.kind == "purchase":
        book.put_in(qty, event.value / qty)
    elif event.kind == "vendor_return":
        book.take_out(-qty)  # the credit posts its own amount out of the asset account
    elif event.kind == "sale":
        book.post(event.key, cogs, asset, book.take_out(-qty))
    elif event.kind == "return":
        unit = book.current_cost()
        book.put_in(qty, unit)
        book.post(event.key, asset, cogs, qty * unit)
    elif qty > 0:  # an adjustment adding stock
        unit = book.current_cost()
        book.put_in(qty, unit)
        book.post(event.key, asset, event.account, qty * unit)
    elif qty < 0:
        book.post(event.key, event.account, asset, book.take_out(-qty))


def _opening_equity(ctx: OpContext) -> str | None:
    for account in ctx.company.find(ACCOUNT, "AccountSubType", OPENING_EQUITY):
        if account.get("Active", True) is not False:
            return str(account["Id"])
    return None


def quantity(value: float) -> float | int:
    """A quantity as QBO writes it (captured: ``"QtyOnHand": 10``, an integer when whole)."""
    rounded = round(value, 6) + 0.0
    return int(rounded) if rounded.is_integer() else rounded


# --- checks -----------------------------------------------------------------------------
def check(
    ctx: OpContext, spec: EntitySpec, operation: str, new: Entity | None, old: Entity | None
) -> None:
    """Raise the inventory faults (see the module docstring); may turn an adjustment line's
    ``NewQty`` into its ``QtyDiff`` and keep an item's ``TrackQtyOnHand`` on."""
    if new is None or operation not in ("create", "update"):
        return
    if spec.name == ITEM:
        _check_item(ctx, new, old)
    elif _stocked(spec):
        _check_lines(ctx, spec, new)


def _check_item(ctx: OpContext, new: Entity, old: Entity | None) -> None:
    if new.get("Type") != "Inventory":
        return
    if old is not None and tracked(old) and new.get("TrackQtyOnHand") is False:
        new["TrackQtyOnHand"] = True  # cannot be turned off (DOC-ENT); kept, no fault
    if preference(ctx, QTY_PREF) is False or new.get("TrackQtyOnHand") is False:
        raise QBOFault("inventory_untracked")
    if old is None and new.get("QtyOnHand") is None:
        raise QBOFault("inventory_qty_missing", element="QtyOnHand")


def _check_lines(ctx: OpContext, spec: EntitySpec, new: Entity) -> None:
    day = _day(new)
    for kind, detail, _line in _lines(new):
        item = ctx.company.get(ITEM, ref_value(detail, "ItemRef") or "")
        if not tracked(item):
            if kind == ADJUST:
                raise QBOFault("inventory_item_required")
            continue
        assert item is not None
        if kind == ADJUST:
            if detail.get("QtyDiff") is None and detail.get("NewQty") is not None:
                on_hand = _compute(ctx, item, skip=txn_key(spec, new), until=day).qty
                detail["QtyDiff"] = quantity(money(detail.pop("NewQty")) - on_hand)
            missing = detail.get("QtyDiff") is None
        else:
            missing = detail.get("Qty") is None
        if missing:
            raise QBOFault("inventory_qty_missing", element="Qty")
        if day < _day(item, "InvStartDate"):
            raise QBOFault("inventory_before_start")


# --- effects ----------------------------------------------------------------------------
def apply_effects(
    ctx: OpContext, spec: EntitySpec, new: Entity | None, old: Entity | None
) -> dict[str, float]:
    """Recompute the books of the items this write touched; set their QtyOnHand. Returns
    what the inventory postings moved per account (debit − credit), for the ledger to apply."""
    company = ctx.company
    if spec.name == ITEM:
        affected = {str((new or old or {}).get("Id"))}
        if new is not None:
            _set_start(ctx, new, old)
    elif _stocked(spec):
        affected = _item_ids(new) | _item_ids(old)
    else:
        return {}
    moved: dict[str, float] = defaultdict(float)
    books = company.extras.get(BOOKS) or {}
    for item_id in sorted(affected):
        item = company.get(ITEM, item_id)
        previous = books.get(item_id) or {}
        if tracked(item):
            assert item is not None
            book = _compute(ctx, item)
            current = {
                key: {a: cents(v) for a, v in entry.items() if abs(v) >= 0.005}
                for key, entry in book.postings.items()
            }
            current = {key: entry for key, entry in current.items() if entry}
            _set_quantity(ctx, item, book.qty)
        elif item_id not in books:
            continue
        else:
            current = {}
        for entry in previous.values():
            for account, amount in entry.items():
                moved[account] -= amount
        for entry in current.values():
            for account, amount in entry.items():
                moved[account] += amount
        if current != previous:
            if current:
                company.set_extra_item(BOOKS, item_id, current)
            else:
                company.remove_extra_item(BOOKS, item_id)
    return {a: cents(v) for a, v in moved.items() if abs(v) >= 0.005}


def _set_start(ctx: OpContext, new: Entity, old: Entity | None) -> None:
    """The starting quantity (and cost) of an Inventory item: what it is created with; an
    update's QtyOnHand other than the current one moves it by the difference."""
    if not tracked(new):
        return
    item_id = str(new["Id"])
    starts = ctx.company.extras.get(STARTS) or {}
    start = dict(starts.get(item_id) or {})
    sent = new.get("QtyOnHand")
    if not start or old is None or not tracked(old):
        start = {"qty": money(sent), "cost": money(new.get("PurchaseCost"))}
    elif sent is not None and money(sent) != money(old.get("QtyOnHand")):
        start["qty"] = money(start.get("qty")) + money(sent) - money(old.get("QtyOnHand"))
    else:
        return
    ctx.company.set_extra_item(STARTS, item_id, start)


def _set_quantity(ctx: OpContext, item: Entity, qty: float) -> None:
    """A new version of the item with its QtyOnHand (SyncToken and MetaData unchanged)."""
    value = quantity(qty)
    if item.get("QtyOnHand") == value and type(item.get("QtyOnHand")) is type(value):
        return
    updated = copy.deepcopy(item)
    updated["QtyOnHand"] = value
    ctx.company.put(ITEM, updated)


# --- what the ledger reads --------------------------------------------------------------
def recorded(ctx: OpContext, spec: EntitySpec, entity: Entity) -> dict[str, float]:
    """The inventory postings of one stored transaction (or an item's starting value)."""
    books = ctx.company.extras.get(BOOKS)
    if not books or entity.get("Id") is None:
        return {}
    key = txn_key(spec, entity)
    items = {str(entity["Id"])} if spec.name == ITEM else _item_ids(entity)
    out: dict[str, float] = defaultdict(float)
    for item_id in items:
        for account, amount in ((books.get(item_id) or {}).get(key) or {}).items():
            out[account] += amount
    return dict(out)


def item_postings(ctx: OpContext) -> Iterator[tuple[Entity, dict[str, float]]]:
    """Every item's starting-value postings (the reports' "Inventory Starting Value" rows)."""
    books = ctx.company.extras.get(BOOKS) or {}
    for item_id, book in sorted(books.items()):
        entry = book.get(f"{ITEM}:{item_id}")
        item = ctx.company.get(ITEM, item_id)
        if entry and item is not None:
            yield item, dict(entry)
