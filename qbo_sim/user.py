"""Act as the QBO user: the person who edits the books in QuickBooks Online itself.

Their edits go through the same validation and business rules as API calls (a person in QBO
cannot create a duplicate name either), bump SyncTokens and MetaData like any edit, need no
OAuth token, and are journalled with ``user_edit=True``. 5010 details name this user.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from qbo_sim import derive, entities, operations, validation
from qbo_sim.clock import response_time
from qbo_sim.faults import QBOFault
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.interfaces import SimulatorLike
    from qbo_sim.opcontext import OpContext

#: Entities a QBO user can merge (rename one to the other's exact name, reference §5.10:
#: webhook ``Merge`` with ``deletedId``), with the name field QBO matches on.
#: Suffix QBO gives the name of a merged-away (and of a deleted) list entity (assumed, as for
#: inactive names, rules/names.py).
MERGED_SUFFIX = " (deleted)"
#: the entity a project is (Customer, ``ProjectRef``'s target) and a bundle is (Item)
PROJECT = entities.ref_target("ProjectRef") or ""
BUNDLE = entities.ref_target("GroupItemRef") or ""
#: A project's status in QBO's Projects screen (not on the v3 wire; the labels as integrators
#: describe the screen, UNCONFIRMED: docs/research/projects-and-bundles.md A4).
PROJECT_STATUSES = ("Not started", "In progress", "On hold", "Completed", "Canceled")
#: ``company.extras`` key of the projects' statuses (project Id → status).
PROJECT_STATUS_KEY = "project_status"


def applies_to(action: str) -> tuple[str, ...]:
    """The entity types a by-id user action applies to, in name order (the OpenAPI document's
    ``entity`` enum of ``.../user/<action>``, the dashboard's Entity drop-down); empty for an
    action that is not by id or applies to any entity.

    ``deactivate``/``reactivate``: lists with ``Active``; ``rename``: lists with a name field;
    ``delete``: transactions and Attachable; ``void``: the voidable transactions; ``merge``:
    Customer, Vendor, Item."""
    tests: dict[str, Callable[[entities.EntitySpec], bool]] = {
        "deactivate": _has_active,
        "reactivate": _has_active,
        "rename": lambda spec: spec.is_list and spec.name_field is not None,
        "delete": lambda spec: spec.deletable,
        "void": lambda spec: spec.void is not None,
        "merge": lambda spec: spec.mergeable,
    }
    test = tests.get(action)
    if test is None:
        return ()
    return tuple(sorted(name for name, spec in entities.ENTITIES.items() if test(spec)))


def _has_active(spec: entities.EntitySpec) -> bool:
    return spec.is_list and "Active" in validation.raw_schema(spec.name).get("properties", {})


class QboUser:
    """``sim.as_user(realm).deactivate("Class", "3")``"""

    def __init__(self, sim: SimulatorLike, realm_id: str, name: str | None = None) -> None:
        self.sim = sim
        self.realm_id = realm_id
        self.name = name

    def _spec(self, entity: str) -> entities.EntitySpec:
        spec = entities.lookup(entity)
        if spec is None:
            raise KeyError(f"unknown entity {entity!r}")
        return spec

    def _run(self, action: str, entity: str, func: Callable[..., Entity], *args: Any) -> Entity:
        spec = self._spec(entity)
        ctx = self.sim.context(self.realm_id, actor=self.name)
        status, fault_code = 200, None
        result: Entity | None = None
        try:
            with self.sim.store.lock:
                result = func(ctx, spec, *args)
            return result
        except QBOFault as fault:
            status, fault_code = fault.status, fault.code
            raise
        finally:
            company = ctx.company
            self.sim.journal.record(
                time=response_time(self.sim.clock.now(), company.utc_offset_minutes),
                realm=self.realm_id,
                method="USER",
                path=f"{action} {spec.name}",
                query={},
                body=args[-1] if args else None,
                status=status,
                fault_code=fault_code,
                user_edit=True,
                response=result,
            )

    def get(self, entity: str, entity_id: str) -> Entity:
        spec = self._spec(entity)
        return operations.read(self.sim.context(self.realm_id), spec, str(entity_id))

    def create(self, entity: str, body: dict[str, Any]) -> Entity:
        return self._run("create", entity, operations.create, body)

    def update(self, entity: str, body: dict[str, Any]) -> Entity:
        """A full update; ``SyncToken`` is filled in with the current one when omitted."""
        body = dict(body)
        body.setdefault("SyncToken", self.get(entity, body["Id"])["SyncToken"])
        return self._run("update", entity, operations.update, body)

    def sparse_update(self, entity: str, entity_id: str, **fields: Any) -> Entity:
        current = self.get(entity, entity_id)
        # the QBO screens always save the whole record: carry what a sparse API update must
        spec = entities.lookup(entity)
        must = spec.sparse_required if spec else ()
        carried = {k: current[k] for k in must if k in current}
        body = {
            "Id": current["Id"],
            "SyncToken": current["SyncToken"],
            "sparse": True,
            **carried,
            **fields,
        }
        return self._run("update", entity, operations.update, body)

    def delete(self, entity: str, entity_id: str) -> Entity:
        current = self.get(entity, entity_id)
        body = {"Id": current["Id"], "SyncToken": current["SyncToken"]}
        return self._run("delete", entity, operations.delete, body)

    def void(self, entity: str, entity_id: str) -> Entity:
        current = self.get(entity, entity_id)
        body = {"Id": current["Id"], "SyncToken": current["SyncToken"], "sparse": True}
        return self._run("void", entity, operations.void, body)

    def deactivate(self, entity: str, entity_id: str) -> Entity:
        return self.sparse_update(entity, entity_id, Active=False)

    def reactivate(self, entity: str, entity_id: str) -> Entity:
        return self.sparse_update(entity, entity_id, Active=True)

    def move_invoice(self, invoice_id: str, customer_id: str) -> Entity:
        """Move an invoice to another customer, sub-customer or job (changes CustomerRef)."""
        return self.sparse_update("Invoice", invoice_id, CustomerRef={"value": str(customer_id)})

    def record_payment(self, invoice_id: str, amount: float | None = None, **fields: Any) -> Entity:
        """Receive a payment against an invoice in QBO (the full open balance by default)."""
        invoice = self.get("Invoice", invoice_id)
        applied = invoice.get("Balance", invoice.get("TotalAmt", 0)) if amount is None else amount
        body = {
            "CustomerRef": {"value": invoice["CustomerRef"]["value"]},
            "TotalAmt": applied,
            "Line": [
                {"Amount": applied, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}
            ],
            **fields,
        }
        return self.create("Payment", body)

    def enable_multicurrency(self, home_currency: str | None = None) -> Entity:
        """Turn multicurrency on in QBO's settings (the API cannot: docs/research/
        currency-and-ledger.md A1.2), with ``home_currency`` chosen first (the company's
        current one by default). Irreversible: QBO cannot turn it off, and the home currency
        is then fixed. Returns the Preferences."""
        prefs = self.get("Preferences", "1")
        section = dict(prefs.get("CurrencyPrefs") or {})
        if home_currency is not None:
            if section.get("MultiCurrencyEnabled") is True:
                current = (section.get("HomeCurrency") or {}).get("value")
                if str(current).upper() != home_currency.strip().upper():
                    raise ValueError("the home currency cannot change once multicurrency is on")
            section["HomeCurrency"] = {"value": home_currency.strip().upper()}
        section["MultiCurrencyEnabled"] = True
        return self.sparse_update("Preferences", "1", CurrencyPrefs=section)

    def create_project(
        self, customer_id: str, name: str, *, status: str = PROJECT_STATUSES[1], **fields: Any
    ) -> Entity:
        """Start a project for ``customer_id`` in QBO's Projects screen (the v3 API cannot:
        Intuit's Project API is GraphQL, docs/research/projects-and-bundles.md A1). The
        project is a Customer read through the API with ``IsProject: true``, ``Job: true``
        and ``ParentRef`` the customer (``FullyQualifiedName`` ``Customer:Project``);
        ``status`` (one of :data:`PROJECT_STATUSES`) is the QBO screen's and not on the v3
        wire. ``fields``: other Customer fields (``Notes``...). Returns the project."""
        self._project_status(status)
        parent = self.get(PROJECT, str(customer_id))  # 610 for a customer that does not exist
        if _is_project(parent):
            raise ValueError(f"Customer {customer_id} is a project: projects do not nest")
        body = {
            "DisplayName": name,
            **fields,
            "ParentRef": {"value": str(parent["Id"])},
            "Job": True,
        }
        return self._run("create-project", PROJECT, _create_project, {**body, "status": status})

    def set_project_status(self, project_id: str, status: str) -> Entity:
        """Change a project's status in QBO (not on the v3 wire, no new SyncToken: assumed).
        Returns the project."""
        self._project_status(status)
        project = self.get(PROJECT, str(project_id))
        if not _is_project(project):
            raise ValueError(f"Customer {project_id} is not a project")
        return self._run(
            "set-project-status", PROJECT, _set_status, {"Id": project["Id"], "status": status}
        )

    def project_status(self, project_id: str) -> str | None:
        """The status the QBO user gave a project (None: not a project)."""
        company = self.sim.context(self.realm_id).company
        table: dict[str, str] = company.extras.get(PROJECT_STATUS_KEY, {})
        return table.get(str(project_id))

    @staticmethod
    def _project_status(status: str) -> None:
        if status not in PROJECT_STATUSES:
            raise ValueError(f"project status {status!r}: one of {', '.join(PROJECT_STATUSES)}")

    def create_bundle(
        self, name: str, components: list[tuple[str, float]], **fields: Any
    ) -> Entity:
        """Make a bundle in QBO's Products and Services screen (the API can only read and
        query them, docs/research/projects-and-bundles.md B1): an Item of ``Type`` Group with
        ``ItemGroupDetail.ItemGroupLine`` = ``components`` (``(item id, qty)`` pairs, in
        order). ``fields``: other Item fields (``Sku``, ``Description``,
        ``PrintGroupedItems``...). Returns the bundle."""
        spec = self._spec(BUNDLE)
        body = {
            "Name": name,
            "Type": spec.bundle_type,
            "UnitPrice": 0,  # DOC-BUNDLE's resulting object: UnitPrice, PurchaseCost 0
            "PurchaseCost": 0,
            "Taxable": False,
            "PrintGroupedItems": False,
            **fields,
            "ItemGroupDetail": {
                "ItemGroupLine": [
                    {"ItemRef": {"value": str(item_id)}, "Qty": qty} for item_id, qty in components
                ]
            },
        }
        return self.create(spec.name, body)

    def merge(self, entity: str, from_id: str, into_id: str) -> Entity:
        """Merge ``from_id`` into ``into_id`` (Customer, Vendor or Item): what QBO does when a
        user renames one to the other's exact name and confirms the merge.

        Every transaction that referenced ``from_id`` now references ``into_id`` (a new
        SyncToken and LastUpdatedTime each); ``from_id`` becomes inactive with its name
        suffixed ``" (deleted)"`` (read and queried as ``Active=false``); balances are
        recomputed. Customers with sub-customers are refused (ValueError), as QBO requires them
        to be made regular customers first. One webhook ``Merge`` event names the
        survivor with ``deletedId`` = ``from_id`` (legacy) / ``data.deletedid`` (CloudEvents).
        Returns the surviving entity. Fidelity: docs/fidelity.md (``merge``).
        """
        spec = self._spec(entity)
        if not spec.mergeable:
            mergeable = [name for name, other in entities.ENTITIES.items() if other.mergeable]
            raise ValueError(f"QBO merges only {', '.join(mergeable)}, not {spec.name}")
        from_id, into_id = str(from_id), str(into_id)
        if from_id == into_id:
            raise ValueError("merge needs two different entities")
        for entity_id in (from_id, into_id):
            self.get(spec.name, entity_id)  # 610 for one that does not exist
        return self._run("merge", spec.name, _merge, {"from": from_id, "into": into_id})


def _is_project(customer: Entity) -> bool:
    flag = entities.ENTITIES[PROJECT].project_flag
    return flag is not None and customer.get(flag) is True


def _create_project(ctx: OpContext, spec: entities.EntitySpec, body: dict[str, Any]) -> Entity:
    payload = {k: v for k, v in body.items() if k != "status"}
    flag = spec.project_flag or ""
    with ctx.company.unit_of_work():
        project = operations.create(ctx, spec, payload, server={flag: True})
        ctx.company.set_extra_item(PROJECT_STATUS_KEY, project["Id"], body["status"])
        return project


def _set_status(ctx: OpContext, spec: entities.EntitySpec, body: dict[str, Any]) -> Entity:
    with ctx.company.unit_of_work():
        ctx.company.set_extra_item(PROJECT_STATUS_KEY, str(body["Id"]), body["status"])
    return operations.read(ctx, spec, str(body["Id"]))


def _merge(ctx: OpContext, spec: entities.EntitySpec, ids: dict[str, str]) -> Entity:
    from qbo_sim.rules import balances

    company = ctx.company
    name_field = spec.name_field or "Name"
    from_id, into_id = ids["from"], ids["into"]
    with company.unit_of_work():
        survivor = company.get(spec.name, into_id)
        loser = company.get(spec.name, from_id)
        assert survivor is not None and loser is not None
        if not survivor.get("Active", True):
            raise ValueError(f"{spec.name} {into_id} is inactive: QBO merges into an active one")
        if spec.jobs:  # Intuit help: "check that neither customer has sub-customers"
            for party in (from_id, into_id):
                if company.find(spec.name, "ParentRef.value", party):
                    raise ValueError(
                        f"Customer {party} has sub-customers: QBO merges customers only after "
                        "their sub-customers are made regular customers"
                    )
        parties: set[tuple[str, str | None]] = {(spec.name, from_id), (spec.name, into_id)}
        for type_name in sorted(entities.ENTITIES):
            for current in list(company.all(type_name)):
                moved = copy.deepcopy(current)
                if not _relink(moved, spec.name, type_name, from_id, into_id):
                    continue
                restamped = _restamp(ctx, current, moved)
                derive.derive(ctx, entities.ENTITIES[type_name], restamped, current)  # names, FQN
                company.put(type_name, restamped)
                operations._set_editor(ctx, entities.ENTITIES[type_name], current["Id"])
        retired = dict(
            copy.deepcopy(loser),
            Active=False,
            **{name_field: f"{loser.get(name_field, '')}{MERGED_SUFFIX}"},
        )
        if spec.is_party:
            retired["FullyQualifiedName"] = retired[name_field]
        company.put(spec.name, _restamp(ctx, loser, retired))
        company.note_operation(spec.name, from_id, f"merge:{into_id}")
        if spec.balance_fields:
            balances.refresh_all(ctx, parties)
        result = company.get(spec.name, into_id)
        assert result is not None
        return copy.deepcopy(result)


def _relink(node: Any, target: str, owner: str, from_id: str, into_id: str) -> bool:
    """Point every reference to ``target`` ``from_id`` in ``node`` at ``into_id`` (in place)."""
    changed = False
    if isinstance(node, list):
        for item in node:
            changed = _relink(item, target, owner, from_id, into_id) or changed
        return changed
    if not isinstance(node, dict):
        return False
    if owner == target and str(node.get("Id")) == from_id:
        return False  # the merged-away entity itself is retired, not relinked
    for key, value in node.items():
        if isinstance(value, dict) and "value" in value and key.endswith("Ref"):
            # the spec's reference keys (ParentRef only inside one of its own type)
            points_here = key in entities.ENTITIES[target].ref_fields or (
                key == "ParentRef" and owner == target
            )
            if key == "EntityRef":
                points_here = (value.get("type") or node.get("Type")) == target
            if points_here and str(value["value"]) == from_id:
                value["value"] = into_id
                value.pop("name", None)
                changed = True
        elif isinstance(value, dict | list):
            changed = _relink(value, target, owner, from_id, into_id) or changed
    return changed


def _restamp(ctx: OpContext, existing: Entity, entity: Entity) -> Entity:
    return operations._restamp(ctx, existing, entity)
