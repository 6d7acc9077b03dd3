"""Projects (docs/research/projects-and-bundles.md part A): customers whose ``project_flag``
(Customer ``IsProject``) is true, made by the QBO user (the v3 API cannot: Intuit's Project
API is GraphQL); transactions name one in ``ProjectRef`` (DOC-ENT, minor version 69).

- a ``ProjectRef`` (the transaction's or a line's) names a Customer (2500 otherwise, 610 when
  it is inactive: :mod:`qbo_sim.rules.references`) that is a project → else 2500 with the
  path as ``element`` [assumed];
- on a form whose party is a customer (``CustomerRef``), the project is that customer's (its
  ``ParentRef``, as in Intuit's use case: ``CustomerRef`` the customer, ``ProjectRef`` the
  project) or the customer itself (a project named as the customer, as jobs are); another
  customer's project answers 6000 (fidelity ``project_customer_mismatch``) [assumed].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim.entities import ENTITIES, EntitySpec, ref_target
from qbo_sim.faults import QBOFault
from qbo_sim.rules.common import business_error, ref_value, setting
from qbo_sim.rules.references import iter_refs
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

__all__ = ["check", "is_project"]

#: the entity a ``ProjectRef`` names (Customer)
PROJECT = ref_target("ProjectRef") or ""
PROJECT_REF = "ProjectRef"


def is_project(entity: Entity | None) -> bool:
    """Whether a Customer is a project (its spec's ``project_flag`` is true)."""
    flag = ENTITIES[PROJECT].project_flag
    return entity is not None and flag is not None and entity.get(flag) is True


def check(ctx: OpContext, spec: EntitySpec, new: Entity) -> None:
    if not spec.is_transaction:
        return
    company = ctx.company
    for path, field_name, ref in iter_refs(new):
        if field_name != PROJECT_REF or ref.get("value") in (None, ""):
            continue
        project = company.get(PROJECT, str(ref["value"]))
        if project is not None and not is_project(project):
            raise QBOFault("invalid_reference", element=path)
    project_id = ref_value(new, PROJECT_REF)
    party = spec.party_ref
    if project_id is None or party is None or ref_target(party) != PROJECT:
        return
    project = company.get(PROJECT, project_id)
    customer_id = ref_value(new, party)
    if project is None or customer_id is None:
        return
    parent = ref_value(project, "ParentRef")
    if parent is None or customer_id in (project_id, parent):
        return  # (no parent: a recording's stand-in, whose customer is unknown)
    if setting(ctx, "project_customer_mismatch") == "allow":
        return
    customer = company.get(PROJECT, customer_id) or {}
    raise business_error(
        f"The project {project.get('DisplayName', project_id)} does not belong to customer "
        f"{customer.get('DisplayName', customer_id)}."
    )
