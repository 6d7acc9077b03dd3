"""Committed changes → webhook events (reference §5.10).

A commit listener on the store turns every committed write of a supported entity into an
:class:`Event` ``{name, id, operation, lastUpdated}``: API calls, QBO-user edits, batch items
and the effects on linked entities alike, because they all commit through
``Company.unit_of_work()``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qbo_sim.clock import meta_time
from qbo_sim.entities import ENTITIES
from qbo_sim.store import Change, Company

#: The §5.10 table of entities with webhook events, as QBO lists them.
QBO_WEBHOOK_ENTITIES: tuple[str, ...] = (
    "Account", "Bill", "BillPayment", "Budget", "Class", "CreditMemo", "Currency", "Customer",
    "Department", "Deposit", "Employee", "Estimate", "Invoice", "Item", "JournalCode",
    "JournalEntry", "Payment", "PaymentMethod", "Preferences", "Purchase", "PurchaseOrder",
    "RefundReceipt", "SalesReceipt", "TaxAgency", "Term", "TimeActivity", "Transfer", "Vendor",
    "VendorCredit",
)  # fmt: skip

#: What qbo-sim emits events for (``spec.webhooks``; a test checks it is the §5.10 table
#: intersected with the entities qbo-sim has), as of import.
SUPPORTED_ENTITIES: tuple[str, ...] = tuple(
    sorted(name for name, spec in ENTITIES.items() if spec.webhooks)
)


def _webhooks(type_name: str) -> str | None:
    """Which events an entity has (§5.10): ``all``, ``update`` (Preferences) or None."""
    spec = ENTITIES.get(type_name)
    return None if spec is None else spec.webhooks


_KIND_TO_OPERATION = {"create": "Create", "update": "Update", "delete": "Delete"}
_OFFSET_COLON = re.compile(r"([+-]\d{2}):(\d{2})$")


@dataclass(frozen=True)
class Event:
    """One change of one entity of one company, as a webhook reports it."""

    realm_id: str
    name: str
    id: str
    operation: str
    #: ``MetaData.LastUpdatedTime`` in the legacy webhook form (``2015-10-05T14:42:19-0700``).
    last_updated: str
    #: the simulated instant of the commit (CloudEvents ``time``).
    time: datetime
    #: ``Merge`` only: the merged-away entity (``id`` is the survivor), §5.10 ``deletedId``.
    deleted_id: str | None = None

    def legacy(self) -> dict[str, str]:
        """The entry of ``dataChangeEvent.entities``."""
        entry = {
            "name": self.name,
            "id": self.id,
            "operation": self.operation,
            "lastUpdated": self.last_updated,
        }
        if self.deleted_id is not None:
            entry["deletedId"] = self.deleted_id
        return entry

    def to_dict(self) -> dict[str, Any]:
        return {"realmId": self.realm_id, **self.legacy(), "time": self.time.isoformat()}


def webhook_time(meta: str) -> str:
    """``2015-10-05T14:42:19-07:00`` → ``2015-10-05T14:42:19-0700`` (the legacy sample's form:
    no colon in the offset)."""
    return _OFFSET_COLON.sub(r"\1\2", meta)


def events_from_changes(company: Company, changes: list[Change], now: datetime) -> list[Event]:
    """The events of one committed unit of work, in the order the entities were written.

    An entity counts as changed for webhooks when CDC would report it (assumed, so the two
    agree): created, deleted, or its ``MetaData.LastUpdatedTime`` / ``SyncToken`` moved. A
    customer whose ``Balance`` was recomputed without a new LastUpdatedTime yields nothing.
    """
    events: list[Event] = []
    for change in changes:
        if _webhooks(change.type_name) is None:
            continue
        operation = _operation(change)
        if operation is None:
            continue
        meta = (change.entity.get("MetaData") or {}).get("LastUpdatedTime")
        stamp = meta if isinstance(meta, str) else meta_time(now, company.utc_offset_minutes)
        if operation == "Merge":  # QboUser.merge: the survivor's id, the merged-away one's
            survivor = (change.operation or "").partition(":")[2]
            events.append(
                Event(
                    company.realm_id,
                    change.type_name,
                    survivor,
                    operation,
                    webhook_time(stamp),
                    now,
                    deleted_id=change.entity_id,
                )
            )
            continue
        events.append(
            Event(
                company.realm_id,
                change.type_name,
                change.entity_id,
                operation,
                webhook_time(stamp),
                now,
            )
        )
    return events


def _operation(change: Change) -> str | None:
    if _webhooks(change.type_name) == "update" and change.kind != "update":
        return None
    if change.kind == "update" and change.operation == "void":
        return "Void"
    if change.kind == "update" and (change.operation or "").startswith("merge:"):
        return "Merge"
    if change.kind == "update" and not _visible(change):
        return None
    return _KIND_TO_OPERATION.get(change.kind)


def _visible(change: Change) -> bool:
    """An update CDC would report: LastUpdatedTime or SyncToken moved."""
    before = change.before or {}
    after = change.entity
    return (before.get("MetaData") or {}).get("LastUpdatedTime") != (
        after.get("MetaData") or {}
    ).get("LastUpdatedTime") or before.get("SyncToken") != after.get("SyncToken")
