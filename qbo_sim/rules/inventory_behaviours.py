"""The inventory behaviours (docs/research/inventory.md), rows of the fidelity table as
:data:`qbo_sim.rules.behaviours.BEHAVIOURS` (``qbo_sim.rules.BEHAVIOURS`` holds them all)."""

from __future__ import annotations

from qbo_sim.rules.behaviours import Behaviour

R = "docs/research/inventory.md"

INVENTORY_BEHAVIOURS: list[Behaviour] = [
    Behaviour(
        "Inventory item's QtyOnHand: its starting quantity (as of InvStartDate), less sales "
        "lines (Invoice, SalesReceipt) and vendor credits, plus returns (CreditMemo, "
        "RefundReceipt), purchase item lines (Bill, Purchase) and InventoryAdjustment "
        "QtyDiff; voids zero, deletes remove, updates apply the difference",
        "effect (QtyOnHand kept by the server; SyncToken unchanged: assumed)",
        f"{R} §2 (DOC-ITEM, DOC-INVADJ)",
        "official",
    ),
    Behaviour(
        "Selling more than is on hand",
        "accepted; QtyOnHand goes negative (QBO warns in its UI only)",
        f"{R} §3 (QBO community and accountants' guides; no API fault documented)",
        "observed",
    ),
    Behaviour(
        "Cost of goods sold by FIFO: starting layer at PurchaseCost, each purchase line a "
        "layer at its unit cost; a sale debits the item's ExpenseAccountRef and credits its "
        "AssetAccountRef; every write recomputes the items it touches in date order, so a "
        "backdated purchase re-costs later sales",
        "postings (Account.CurrentBalance, reports)",
        f"{R} §4 (DOC-FIFO: 20 at 6, 30 at 7, sales of 15 and 20 cost 90 and 135)",
        "official",
    ),
    Behaviour(
        "Units sold beyond the layers costed at the last known unit cost, never trued up; "
        "returns and adjustments adding stock valued at the current (oldest layer's) cost",
        "postings",
        f"{R} §4",
        "assumed",
    ),
    Behaviour(
        "A purchase line of an Inventory item posts to its AssetAccountRef (not its "
        "ExpenseAccountRef)",
        "postings",
        f"{R} §4 (DOC-ITEM: 'the inventory asset account')",
        "official",
    ),
    Behaviour(
        "The starting quantity × PurchaseCost posts as 'Inventory Starting Value': debit the "
        "asset account, credit the first active Opening Balance Equity account (none: not "
        "posted)",
        "postings; TransactionList row `Inventory Starting Value`",
        f"{R} §4",
        "assumed",
    ),
    Behaviour(
        "Item update with a QtyOnHand other than the current one moves the starting quantity "
        "by the difference",
        "effect",
        f"{R} §2 (PHP-SDK#305: 'adjust the stock starting value of this item')",
        "observed",
    ),
    Behaviour(
        "TrackQtyOnHand turned off on an Inventory item that tracks quantity",
        "kept true, no fault",
        f"{R} §2 (DOC-ENT: cannot go true to false; the fault not documented)",
        "assumed",
    ),
    Behaviour(
        "Inventory item while tracking quantity on hand is off (Preferences "
        "ProductAndServicesPrefs.QuantityOnHand false, or TrackQtyOnHand false)",
        "6000 `inventory_untracked`",
        f"§2.3 6000 (DotNET-SDK#10); {R} §5 (which switch: assumed both)",
        "observed",
    ),
    Behaviour(
        "Inventory item created without QtyOnHand; a line of a tracked item without Qty "
        "(QtyDiff/NewQty on an adjustment)",
        "6520 `inventory_qty_missing`",
        f"§2.2 6520 (DOC-ERR wording); {R} §5 (conditions assumed)",
        "assumed",
    ),
    Behaviour(
        "A line of a tracked Inventory item dated before its InvStartDate",
        "6270 `inventory_before_start`",
        "§2.2 6270 (DOC-ERR: 'can't be dated earlier than the specified InventoryStartDate')",
        "official",
    ),
    Behaviour(
        "InventoryAdjustment: create, read, query, sparse update, delete; not voidable; "
        "AdjustAccountRef and Line required; NewQty stored as the QtyDiff to the quantity on "
        "hand that day; TxnDate cannot be edited (an update keeps it); posts quantity × cost "
        "between the asset account and AdjustAccountRef; no webhooks; in CDC",
        "entity `/inventoryadjustment`",
        f"{R} §6 (XSD; DOC-INVADJ; NewQty stored as QtyDiff, CDC and the kept date assumed)",
        "assumed",
    ),
    Behaviour(
        "An InventoryAdjustment line of an item that does not track quantity on hand",
        "6000 `inventory_item_required`",
        f"{R} §6 (DOC-INVADJ lists no codes)",
        "assumed",
    ),
]
