"""Document numbers (reference §2.3 6140, §2.4, §3.2, §5.14, §8).

- DocNumber longer than 21 characters → 2050 with ``element`` ``DocNumber`` [official limit,
  observed 2050 wording]; the validation schema may catch it first with the same fault.
- Sales forms (Invoice, SalesReceipt, CreditMemo, Estimate, RefundReceipt — the last assumed):
  unique per type, company-wide →
  6140 ``... DocNumber=<n> is assigned to TxnType=<Type> with TxnId=<id>`` [observed].
- Bill, VendorCredit (assumed: as Bill) and Purchase (Cash / CreditCard): unique per vendor
  (``VendorRef`` / ``EntityRef``) when
  ``VendorAndPurchasesPrefs.WarnDuplicateBillNumber`` is true (fidelity
  ``bill_docnumber_scope``: 'vendor' or 'company'); a Purchase of type Check follows
  ``WarnDuplicateCheckNumber`` with the same scope, compared with other checks only;
  JournalEntry follows
  ``WarnDuplicateJournalNumber`` company-wide. Bills, VendorCredits and Purchases do not
  collide with each other (assumed).
- ``include=allowduplicatedocnum`` bypasses every duplicate check [official].
- Checked on create and when an update changes the number or the vendor (assumed); numbers
  compare exactly after trimming (assumed); deleted transactions free their number, voided ones
  keep it.
- TxnType in the Detail is QBO's display name (``Journal Entry`` observed; ``Sales Receipt``,
  ``Credit Memo``, ``Check``, ``Expense``, ``Credit Card Expense``, ``Vendor Credit``,
  ``Refund Receipt`` assumed by analogy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim.entities import DocSeries, EntitySpec
from qbo_sim.faults import QBOFault, thousands
from qbo_sim.rules.common import preference, ref_value, setting
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

MAX_LENGTH = 21
# Which forms are unique where, under which preference, and their TxnType labels are the
# specs' ``numbering`` (:class:`qbo_sim.entities.DocNumbers`) and ``label``.


def series(spec: EntitySpec, entity: Entity) -> DocSeries:
    """The number series ``entity`` belongs to: its label and warning preference."""
    numbering = spec.numbering
    if numbering is None:
        return DocSeries(spec.txn_label)
    if numbering.series_field is not None:
        found = numbering.series.get(str(entity.get(numbering.series_field)))
        if found is not None:
            return found
        if numbering.default_series is not None:
            return numbering.default_series
    return DocSeries(spec.txn_label, numbering.warn_pref)


def txn_type_name(spec: EntitySpec, entity: Entity) -> str:
    return series(spec, entity).label


def _doc(entity: Entity | None) -> str | None:
    value = None if entity is None else entity.get("DocNumber")
    if value in (None, ""):
        return None
    return str(value).strip()


def scope(ctx: OpContext, spec: EntitySpec, entity: Entity) -> str | None:
    """'company', 'vendor', or None when duplicates are allowed for this transaction."""
    numbering = spec.numbering
    if numbering is None or not numbering.unique:
        return None
    pref = series(spec, entity).warn_pref
    if pref is not None and not preference(ctx, pref):
        return None
    if numbering.scope == "company":
        return "company"
    return "vendor" if setting(ctx, "bill_docnumber_scope") == "vendor" else "company"


def check_length(spec: EntitySpec, new: Entity) -> None:
    value = new.get("DocNumber")
    if spec.doc_number and isinstance(value, str) and len(value) > MAX_LENGTH:
        raise QBOFault(
            "string_length",
            element="DocNumber",
            max=thousands(MAX_LENGTH),
            length=thousands(len(value)),
        )


def check(ctx: OpContext, spec: EntitySpec, new: Entity, old: Entity | None) -> None:
    """Raise 6140 naming the transaction that already has ``new``'s DocNumber."""
    number = _doc(new)
    if not spec.doc_number or number is None or "allowduplicatedocnum" in ctx.options:
        return
    where = scope(ctx, spec, new)
    if where is None:
        return
    party_path = spec.party_ref or ""
    party = ref_value(new, party_path) if spec.party_ref else None
    if old is not None and _doc(old) == number:
        if where == "company" or ref_value(old, party_path) == party:
            return
    for candidate in ctx.company.find(spec.name, "DocNumber", number):
        if candidate["Id"] == new["Id"] or _doc(candidate) != number:
            continue
        if where == "vendor" and ref_value(candidate, party_path) != party:
            continue
        if series(spec, candidate).warn_pref != series(spec, new).warn_pref:
            continue  # another series (checks vs expenses) does not collide
        raise QBOFault(
            "duplicate_docnumber",
            doc_number=number,
            txn_type=txn_type_name(spec, candidate),
            txn_id=candidate["Id"],
        )
