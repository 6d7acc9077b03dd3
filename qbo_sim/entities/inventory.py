"""Inventory (docs/research/inventory.md): InventoryAdjustment, quantities of Inventory items
moved by hand (damage, shrinkage, a count), QtyDiff (or NewQty) per ``ItemAdjustmentLineDetail``
line against the ``AdjustAccountRef`` account (Intuit's XSD; DOC-INVADJ).

Create, read, query, sparse update and delete (DOC-INVADJ: "sparse = true is supported"; the
Java SDK's CRUD sample); not voidable, no TotalAmt; the transaction date cannot be edited
(DOC-INVADJ), so an update keeps the stored one (assumed: no fault). Not in the webhook entity
table (§5.10); CDC serves every entity it does not exclude (§5.8, assumed). It posts only
through the inventory book (:mod:`qbo_sim.rules.inventory`): quantity × FIFO cost between the
item's inventory asset account and ``AdjustAccountRef``.
"""

from __future__ import annotations

from qbo_sim.entities.spec import EntitySpec, Ledger, txn_spec

#: "an expense or opening balance equity account" (XSD AdjustAccountRef); 6430 otherwise
#: (assumed, with the fidelity setting ``enforce_account_types``).
ADJUST_TYPES = frozenset({"Expense", "Other Expense", "Cost of Goods Sold", "Equity"})

SPECS: tuple[EntitySpec, ...] = (
    txn_spec(
        "InventoryAdjustment",
        None,
        label="Inventory Qty Adjust",
        total=None,
        webhooks=None,
        ref_fields=(),
        fixed_fields=("TxnDate",),
        account_types={"AdjustAccountRef": ADJUST_TYPES},
        ledger=Ledger("debit"),  # posts nothing of its own: the inventory book posts it
    ),
)
