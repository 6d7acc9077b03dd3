"""Business rules: checks that raise catalogue faults before a write, and the effects a write
has on linked entities (payments on invoices, balances).

``operations`` calls :func:`check` after deriving the new state and before storing it, and
:func:`apply_effects` after storing it, both inside the request's unit of work: a fault raised
anywhere rolls every change back. Modules:

- :mod:`~qbo_sim.rules.references`: every ``*Ref`` exists and is active (2500, 610);
- :mod:`~qbo_sim.rules.names`: DisplayName / Name uniqueness (6240);
- :mod:`~qbo_sim.rules.docnumbers`: DocNumber length (2050) and duplicates (6140);
- :mod:`~qbo_sim.rules.timesheets`: TimeActivity party, billing and time (6290-6390, 2170);
- :mod:`~qbo_sim.rules.accounts`: account types (6430), items on inactive accounts (610) and
  transfers between an account and itself (6000);
- :mod:`~qbo_sim.rules.ledger`: linked transactions, balances (610, 620, 6000, 6220);
- :mod:`~qbo_sim.rules.periods`: closed books (6210);
- :mod:`~qbo_sim.rules.currency`: currencies (6000 without multicurrency or in another
  currency than the party's, 2220, 2410) and the company's currency list;
- :mod:`~qbo_sim.rules.subscription`: a company whose subscription ended (6190);
- :mod:`~qbo_sim.rules.attachments`: what an Attachable links to (6050, 6000);
- :mod:`~qbo_sim.rules.bundles`: bundles are the QBO user's (500), group lines name one
  (2020, 2500);
- :mod:`~qbo_sim.rules.projects`: ProjectRef names a project of the form's customer (2500,
  6000);
- :mod:`~qbo_sim.rules.postings`: account balances from every posting transaction;
- :mod:`~qbo_sim.rules.tax`: missing, invalid and inactive tax codes (6000, 6100, 2500).

Every behaviour is listed with its source and confidence in :data:`BEHAVIOURS` (rendered into
``docs/fidelity.md``); every assumed choice is a fidelity setting (``qbo_sim.fidelity``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim.entities import EntitySpec
from qbo_sim.rules import (
    accounts,
    attachments,
    bundles,
    currency,
    docnumbers,
    ledger,
    names,
    periods,
    postings,
    projects,
    references,
    subscription,
    tax,
    timesheets,
)
from qbo_sim.rules.behaviours import BEHAVIOURS as _BASE_BEHAVIOURS
from qbo_sim.rules.project_behaviours import PROJECT_BEHAVIOURS
from qbo_sim.rules.tax_behaviours import TAX_BEHAVIOURS
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

__all__ = ["BEHAVIOURS", "apply_effects", "check"]

#: Every behaviour row of the fidelity table (the sales-tax and the project and bundle ones in
#: their own modules).
BEHAVIOURS = _BASE_BEHAVIOURS + TAX_BEHAVIOURS + PROJECT_BEHAVIOURS


def check(
    ctx: OpContext, spec: EntitySpec, operation: str, new: Entity | None, old: Entity | None
) -> None:
    """Raise a QBOFault if ``operation`` (create/update/delete/void) may not turn ``old`` into
    ``new``. May drop ClassRef/DepartmentRef the company does not track from ``new``."""
    subscription.check(ctx)
    periods.check(ctx, spec, new, old)
    if operation in ("create", "update") and new is not None:
        docnumbers.check_length(spec, new)
        references.drop_untracked(ctx, spec, new)
        currency.check(ctx, spec, new)
        timesheets.check(ctx, spec, new, old)
        tax.check(ctx, spec, new, old)
        references.check(ctx, spec, new, old)
        bundles.check(ctx, spec, new, old)
        projects.check(ctx, spec, new)
        attachments.check(ctx, spec, new)
        names.check(ctx, spec, new, old)
        docnumbers.check(ctx, spec, new, old)
        accounts.check(ctx, spec, new, old)
    ledger.check(ctx, spec, operation, new, old)


def apply_effects(
    ctx: OpContext, spec: EntitySpec, operation: str, new: Entity | None, old: Entity | None
) -> None:
    """Update linked entities (inside the same unit of work) after a write."""
    ledger.apply_effects(ctx, spec, operation, new, old)
    postings.apply_effects(ctx, spec, new, old)
    attachments.apply_effects(ctx, spec, operation, old)
    currency.apply_effects(ctx, spec, new)
