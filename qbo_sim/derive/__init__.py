"""Fields QBO computes, filled in on every create and update (reference §5.12, DOC-ENT).

Split by family: :mod:`.lines` (line amounts, Ids, the SubTotal line, TotalAmt),
:mod:`.transactions` (TxnDate, DueDate, DocNumber, Balance, per-form defaults),
:mod:`.lists` (names, hierarchy, FullyQualifiedName, Account classification),
:mod:`.currency` (``CurrencyRef``, ``ExchangeRate``, home-currency amounts), :mod:`.rates`
(the exchange-rate table), :mod:`.refs` (reference ``name``
values) and :mod:`.attachments` (Attachable links). Entry points: :func:`derive` and
:func:`void`.

Balance contract with :mod:`qbo_sim.rules`: derive sets ``Balance = TotalAmt`` on create of an
Invoice/Bill/CreditMemo/VendorCredit and on update keeps the amount already applied; it never
changes ``LinkedTxn`` (other than defaulting it to ``[]`` on create), ``UnappliedAmt`` or the
balances of customers and vendors after their creation: the rules own those.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim.derive import attachments, currency, lines, lists, refs, transactions
from qbo_sim.entities import EntitySpec
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

__all__ = ["derive", "void"]


def derive(ctx: OpContext, spec: EntitySpec, entity: Entity, old: Entity | None) -> None:
    """Fill in computed fields of ``entity`` in place (``old`` is the stored version)."""
    if old is not None:  # an update cannot change these: the stored values are kept
        for name in spec.fixed_fields:
            if name in old:
                entity[name] = old[name]
    sent = "CurrencyRef" in entity
    currency.derive_currency(ctx, spec, entity, old)  # first: forms pick accounts by it
    if spec.is_list:
        lists.derive_list(ctx, spec, entity, old)
    elif spec.is_transaction:
        transactions.derive_transaction(ctx, spec, entity, old)
    elif spec.is_attachment:
        attachments.derive_attachable(entity)
    currency.derive_amounts(ctx, spec, entity, old)
    if not sent and "CurrencyRef" in entity:  # a derived one follows the client's fields
        entity["CurrencyRef"] = entity.pop("CurrencyRef")
    refs.fill_ref_names(ctx.company, spec.name, entity)


def void(ctx: OpContext, spec: EntitySpec, entity: Entity) -> None:
    """Turn ``entity`` into its voided form in place (§5.4): amounts and quantities zero,
    ``Voided`` prepended to PrivateNote, TotalAmt, Balance, TotalTax and the tax lines 0;
    BillPayment lines cleared.

    ``LinkedTxn`` and ``UnappliedAmt`` are left to the rules (they unlink payments).
    """
    note = entity.get("PrivateNote") or ""
    entity["PrivateNote"] = f"Voided{(' - ' + note) if note else ''}"
    if spec.void_clears_lines:
        entity["Line"] = []
    for line in entity.get("Line") or []:
        lines.zero_line(line)
    entity["TotalAmt"] = 0.0
    if spec.balance == "open" or "Balance" in entity:
        entity["Balance"] = 0.0
    for field in spec.home_amounts:
        if field in entity:
            entity[field] = 0.0
    tax = entity.get("TxnTaxDetail")
    if isinstance(tax, dict):
        tax["TotalTax"] = 0.0
        for tax_line in tax.get("TaxLine") or []:  # assumed: the tax lines zero as the lines do
            if isinstance(tax_line, dict):
                tax_line["Amount"] = 0.0
                if isinstance(tax_line.get("TaxLineDetail"), dict):
                    tax_line["TaxLineDetail"]["NetAmountTaxable"] = 0.0
    if "Deposit" in entity:
        entity["Deposit"] = 0.0
