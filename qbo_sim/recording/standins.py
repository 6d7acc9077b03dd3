"""Stand-ins: the entities a recording only *refers to*, so its snapshot resolves every reference.

A recorded Invoice create names ``CustomerRef 58`` and ``ItemRef 7``; if the recording never
read Customer 58 nor Item 7, a snapshot of what it read would answer that create with 2500
(invalid reference) where QBO answered 200. :func:`stand_ins` finds every reference of the
company's rows and of the recorded requests (JSON and XML bodies, batch items, and the
Attachable metadata parts of ``POST /upload``), with the reference walk the reference rule
uses (:func:`qbo_sim.rules.references.iter_refs` and ``target_types``: ``CustomerRef`` →
Customer, ``ItemRef`` → Item, the ``*AccountRef`` kinds → Account, ``ClassRef``,
``DepartmentRef``, ``TaxCodeRef``, ``EntityRef`` by its ``type``, ``ParentRef`` the owner's
own type) plus each ``AttachableRef.EntityRef`` (any type that takes attachments), and makes a
minimal row for each one the company does not have: the same ``Id``, the reference's ``name``
as its name (``<Type> <Id>`` when the reference gives none), active, created when the
recording starts.

What a stand-in is (assumed, enough for QBO's checks as qbo-sim makes them): a list entity
with its name field and ``Active``; an Item of ``Type`` Service; an Account with the
``AccountType`` its reference implies (``IncomeAccountRef`` → Income, ``APAccountRef`` →
Accounts Payable, ...; none for a bare ``AccountRef``: an account without a type is not
judged); a transaction (an attachment's link) with no lines and a zero total.

Left out: references the recording itself created (the integration creates them again),
references of a request QBO answered 2500 on that reference (they did not exist), and
references qbo-sim does not check (``CurrencyRef``, ``LinkedTxn``). A ``GroupItemRef``'s
stand-in is a bundle without components (the recorded line carries its parts), a
``ProjectRef``'s a project without a parent customer (so any customer's form may name it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qbo_sim.clock import local_date, meta_time
from qbo_sim.entities import ENTITIES, REF_TARGETS, lookup
from qbo_sim.rules.references import iter_refs, target_types

Row = dict[str, Any]
_INDEX = re.compile(r"\[\d+\]")

#: The account type a reference field implies (the first type its owner's
#: ``spec.account_types`` allows, or the account the field is named after).
ACCOUNT_TYPES = {
    "IncomeAccountRef": "Income",
    "ExpenseAccountRef": "Expense",
    "AssetAccountRef": "Other Current Asset",
    "ARAccountRef": "Accounts Receivable",
    "APAccountRef": "Accounts Payable",
    "DepositToAccountRef": "Bank",
    "BankAccountRef": "Bank",
    "CCAccountRef": "Credit Card",
    "FromAccountRef": "Bank",
    "ToAccountRef": "Bank",
}


@dataclass(frozen=True)
class Reference:
    """One reference found: the entity type it names, its Id and name, and where it is."""

    type: str
    id: str
    name: str | None
    field: str
    owner: str
    path: str


def references(owner: str, row: Row) -> Iterator[Reference]:
    """Every reference of ``row`` (an entity of type ``owner``) that names an entity qbo-sim
    checks, with the type it names (the first of ``target_types`` for an ``EntityRef``
    without a ``type``)."""
    spec = ENTITIES.get(owner)
    if spec is None:
        return
    for path, field_name, ref in iter_refs(row):
        value = ref.get("value")
        if value in (None, ""):
            continue
        types = target_types(spec, field_name, ref)
        if not types or types[0] not in ENTITIES:
            continue
        name = ref.get("name")
        yield Reference(types[0], str(value), str(name) if name else None, field_name, owner, path)
    for link in row.get("AttachableRef") or []:
        target = link.get("EntityRef") if isinstance(link, dict) else None
        if not isinstance(target, dict) or target.get("value") in (None, ""):
            continue
        target_spec = lookup(str(target.get("type") or ""))
        if target_spec is None or not target_spec.takes_attachments:
            continue
        name = target.get("name")
        yield Reference(
            target_spec.name,
            str(target["value"]),
            str(name) if name else None,
            "EntityRef",
            owner,
            "AttachableRef.EntityRef",
        )


def index_free(path: str) -> str:
    """A reference path without list indices, as a fault's ``element`` names it."""
    return _INDEX.sub("", path)


def stand_in(ref: Reference, instant: datetime, offset_minutes: int) -> Row:
    """The minimal row of the entity ``ref`` names (see the module docstring)."""
    spec = ENTITIES[ref.type]
    stamp = meta_time(instant, offset_minutes)
    row: Row = {"Id": ref.id}
    if spec.is_transaction:
        row.update(TxnDate=local_date(instant, offset_minutes).isoformat(), Line=[], TotalAmt=0)
        if ref.name:
            row["DocNumber"] = ref.name
    else:
        row[spec.name_field or "Name"] = ref.name or f"{ref.type} {ref.id}"
        row["Active"] = True
        row.update(spec.stand_in)
        if ref.field in ACCOUNT_TYPES and REF_TARGETS.get(ref.field) == ref.type:
            row["AccountType"] = ACCOUNT_TYPES[ref.field]
        if ref.field == "GroupItemRef" and spec.bundle_type:  # a bundle line's item: a bundle
            row.update(Type=spec.bundle_type, ItemGroupDetail={"ItemGroupLine": []})
        if ref.field == "ProjectRef" and spec.project_flag:  # a project of unknown customer
            row.update({spec.project_flag: True, "Job": False})
    row.update(SyncToken="0", MetaData={"CreateTime": stamp, "LastUpdatedTime": stamp})
    return row


def stand_ins(
    found: Iterable[Reference],
    have: set[tuple[str, str]],
    instant: datetime,
    offset_minutes: int,
) -> dict[str, dict[str, Row]]:
    """A stand-in row (by type and Id) for every reference in ``found`` whose entity is not in
    ``have`` (``(type, Id)`` pairs: the company's rows, and what the recording created or
    saw deleted), the first reference to each giving its name."""
    made: dict[str, dict[str, Row]] = {}
    for ref in found:
        if (ref.type, ref.id) in have:
            continue
        fresh = stand_in(ref, instant, offset_minutes)
        earlier = made.setdefault(ref.type, {}).setdefault(ref.id, fresh)
        for key, value in fresh.items():  # a later reference tells what an earlier did not
            if key not in earlier:
                earlier[key] = value
        name_field = ENTITIES[ref.type].name_field
        if ref.name and name_field and earlier.get(name_field) == f"{ref.type} {ref.id}":
            earlier[name_field] = ref.name
    return made
