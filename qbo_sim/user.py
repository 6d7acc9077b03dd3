"""Act as the QBO user: the person who edits the books in QuickBooks Online itself.

Their edits go through the same validation and business rules as API calls (a person in QBO
cannot create a duplicate name either), bump SyncTokens and MetaData like any edit, need no
OAuth token, and are journalled with ``user_edit=True``. 5010 details name this user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qbo_sim import entities, operations
from qbo_sim.clock import response_time
from qbo_sim.faults import QBOFault
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.interfaces import SimulatorLike


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

    def _run(self, action: str, entity: str, func: Any, *args: Any) -> Entity:
        spec = self._spec(entity)
        ctx = self.sim.context(self.realm_id, actor=self.name)
        status, fault_code, result = 200, None, None
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
        body = {"Id": current["Id"], "SyncToken": current["SyncToken"], "sparse": True, **fields}
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
