"""Entity operations: create, read, update (full or sparse), delete, void, deactivate,
send and attach a file; read and set an exchange rate.

The one path every write takes, whether it comes from the API, the control plane (the QBO
user) or a scenario: validate the request → build the new state → derive computed fields →
check business rules → write → apply effects on linked entities. Everything after validation
runs inside one unit of work, so a fault at any point leaves the company untouched.
"""

from __future__ import annotations

import copy
from typing import Any

from qbo_sim import attachments, derive, outbox, rules, validation
from qbo_sim.clock import local_date, not_before
from qbo_sim.derive import rates
from qbo_sim.entities import ENTITIES, EntitySpec
from qbo_sim.entities.currency import EXCHANGE_RATE
from qbo_sim.faults import QBOFault
from qbo_sim.opcontext import API_USER, EDITORS, OpContext, editor_of
from qbo_sim.rules import currency as currency_rules
from qbo_sim.store import Entity

__all__ = [
    "API_USER",
    "EDITORS",
    "READ_ONLY",
    "OpContext",
    "attach_file",
    "create",
    "delete",
    "editor_of",
    "read",
    "read_exchange_rate",
    "send",
    "set_exchange_rate",
    "set_active",
    "update",
    "void",
]

#: Fields the server owns: ignored on input, kept across updates.
READ_ONLY = ("Id", "SyncToken", "MetaData", "domain", "sparse", "status")


def read(ctx: OpContext, spec: EntitySpec, entity_id: str, *, shared: bool = False) -> Entity:
    """The stored entity, as a copy the caller may change. ``shared=True``: the stored version
    itself, for a caller that only reads it at once and keeps no reference (the API views,
    which serialise it): a write puts a new version and never changes a stored one in place,
    so the version read stays consistent without a copy."""
    with ctx.company.lock:  # copy a consistent version while another thread may be writing
        entity = ctx.company.get(spec.name, entity_id)
        if entity is None:
            raise QBOFault("not_found")
        return entity if shared else copy.deepcopy(entity)


def _answer(entity: Entity, shared: bool) -> Entity:
    """What a write returns: a copy of the stored version, or itself (see :func:`read`)."""
    return entity if shared else copy.deepcopy(entity)


def create(
    ctx: OpContext,
    spec: EntitySpec,
    payload: dict[str, Any],
    *,
    shared: bool = False,
    server: dict[str, Any] | None = None,
) -> Entity:
    """Create ``payload``. ``server``: values of the spec's ``server_fields`` the server
    itself sets (an upload's ``Size``); the client's are ignored."""
    if not spec.creatable:
        raise QBOFault("unsupported_operation", operation="Create")
    validation.validate_request(spec, payload, operation="create")
    company = ctx.company
    with company.unit_of_work():
        owned = READ_ONLY + spec.server_fields
        entity = {k: copy.deepcopy(v) for k, v in payload.items() if k not in owned}
        entity.update(server or {})
        sequence = "txn" if spec.is_transaction else f"list:{spec.name}"
        entity_id = str(company.next_value(sequence, spec.id_start or 1))
        stamp = ctx.now_meta()
        entity = {
            **entity,
            "domain": "QBO",
            "sparse": False,
            "Id": entity_id,
            "SyncToken": "0",
            "MetaData": {"CreateTime": stamp, "LastUpdatedTime": stamp},
        }
        derive.derive(ctx, spec, entity, None)
        rules.check(ctx, spec, "create", entity, None)
        company.put(spec.name, entity)
        _set_editor(ctx, spec, entity_id)
        rules.apply_effects(ctx, spec, "create", entity, None)
        return _answer(company.get(spec.name, entity_id) or entity, shared)


def update(
    ctx: OpContext,
    spec: EntitySpec,
    payload: dict[str, Any],
    *,
    shared: bool = False,
    server: dict[str, Any] | None = None,
) -> Entity:
    """Full update (omitted writable fields become null) or sparse (``"sparse": true``; served
    as full for a ``full_update_only`` spec). Server-owned fields are kept."""
    if not spec.updatable and not ctx.user_edit:  # the QBO user still edits (deactivates)
        raise QBOFault("unsupported_operation", operation="Update")
    sparse = payload.get("sparse") is True and not spec.full_update_only
    existing = _current(ctx, spec, payload)
    validation.validate_request(spec, payload, operation="update", sparse=sparse, existing=existing)
    company = ctx.company
    with company.unit_of_work():
        owned = READ_ONLY + spec.server_fields
        incoming = {k: copy.deepcopy(v) for k, v in payload.items() if k not in owned}
        if sparse:
            entity = copy.deepcopy(existing)
            entity.update(incoming)
        else:
            kept = {k: copy.deepcopy(existing[k]) for k in spec.server_fields if k in existing}
            entity = {**incoming, **kept}
        entity.update(server or {})
        entity = _restamp(ctx, existing, entity)
        derive.derive(ctx, spec, entity, existing)
        rules.check(ctx, spec, "update", entity, existing)
        company.put(spec.name, entity)
        _set_editor(ctx, spec, entity["Id"])
        rules.apply_effects(ctx, spec, "update", entity, existing)
        return _answer(company.get(spec.name, entity["Id"]) or entity, shared)


def delete(ctx: OpContext, spec: EntitySpec, payload: dict[str, Any]) -> Entity:
    """Delete a transaction or an Attachable; name lists answer Unsupported Operation (§5.4)."""
    if not spec.deletable:
        raise QBOFault("unsupported_operation", operation="Delete")
    existing = _current(ctx, spec, payload, token_required=spec.delete_needs_token)
    company = ctx.company
    with company.unit_of_work():
        rules.check(ctx, spec, "delete", None, existing)
        stub = {
            "domain": "QBO",
            "status": "Deleted",
            "Id": existing["Id"],
            "MetaData": {"LastUpdatedTime": _later_stamp(ctx, existing)},
        }
        company.remove(spec.name, existing["Id"], stub)
        _set_editor(ctx, spec, existing["Id"])
        rules.apply_effects(ctx, spec, "delete", None, existing)
    return {"status": "Deleted", "domain": "QBO", "Id": existing["Id"]}


def void(ctx: OpContext, spec: EntitySpec, payload: dict[str, Any]) -> Entity:
    """Void: the transaction stays with zero amounts and ``Voided`` in PrivateNote (§5.4)."""
    if spec.void is None:
        raise QBOFault("unsupported_operation", operation="Void")
    existing = _current(ctx, spec, payload)
    company = ctx.company
    with company.unit_of_work():
        entity = _restamp(ctx, existing, copy.deepcopy(existing))
        derive.void(ctx, spec, entity)
        rules.check(ctx, spec, "void", entity, existing)
        company.put(spec.name, entity)
        company.note_operation(spec.name, entity["Id"], "void")  # webhooks: Void, not Update
        _set_editor(ctx, spec, entity["Id"])
        rules.apply_effects(ctx, spec, "void", entity, existing)
        return copy.deepcopy(company.get(spec.name, entity["Id"]) or entity)


def send(ctx: OpContext, spec: EntitySpec, entity_id: str, send_to: str | None = None) -> Entity:
    """E-mail a transaction (``POST /<txn>/<id>/send[?sendTo=]``): one message in the outbox,
    ``EmailStatus: EmailSent``, ``DeliveryInfo`` (Email, now) and, with ``send_to``, the new
    ``BillEmail`` (``POEmail`` for a PurchaseOrder); a new SyncToken. Without ``send_to`` the
    transaction's own address is used; none is 2020 ``DeliveryAddress.Address``."""
    field_name = spec.send_email
    if field_name is None:
        raise QBOFault("unsupported_operation", operation="send")
    company = ctx.company
    existing = company.get(spec.name, str(entity_id))
    if existing is None:
        if company.deleted_stub(spec.name, str(entity_id)) is not None:
            raise QBOFault("deleted_transaction")
        raise QBOFault("not_found")
    if send_to is not None:
        address = send_to.strip()
        if not address:
            raise QBOFault("required_param", name="DeliveryAddress.Address")
        if not validation.valid_email(address):
            raise QBOFault("invalid_email", element="sendTo")
    else:
        stored = existing.get(field_name)
        address = (stored.get("Address") or "").strip() if isinstance(stored, dict) else ""
        if not address:
            raise QBOFault("required_param", name="DeliveryAddress.Address")
    with company.unit_of_work():
        entity = _restamp(ctx, existing, copy.deepcopy(existing))
        stamp = entity["MetaData"]["LastUpdatedTime"]
        entity["EmailStatus"] = "EmailSent"
        entity["DeliveryInfo"] = {"DeliveryType": "Email", "DeliveryTime": stamp}
        if send_to is not None:
            entity[field_name] = {"Address": address}
        company.put(spec.name, entity)
        _set_editor(ctx, spec, entity["Id"])
        outbox.record(
            company,
            entity=spec.name,
            entity_id=entity["Id"],
            to=address,
            doc_number=entity.get("DocNumber"),
            sent=stamp,
        )
        return copy.deepcopy(company.get(spec.name, entity["Id"]) or entity)


def attach_file(
    ctx: OpContext,
    spec: EntitySpec,
    metadata: dict[str, Any],
    filename: str,
    content_type: str,
    data: bytes,
) -> Entity:
    """Store one uploaded file with its Attachable (``POST /upload``): a new Attachable, or
    the one ``metadata`` names by Id (its file replaced: assumed), with ``FileName``,
    ``ContentType`` and ``Size``; the bytes are kept in the same unit of work."""
    payload = {**metadata, "FileName": metadata.get("FileName") or filename}
    payload["ContentType"] = content_type
    server = {"Size": len(data)}
    with ctx.company.unit_of_work():
        if payload.get("Id") not in (None, ""):
            entity = update(ctx, spec, payload, server=server)
        else:
            entity = create(ctx, spec, payload, server=server)
        attachments.put(ctx.company, entity["Id"], str(entity["FileName"]), content_type, data)
    return entity


def set_active(ctx: OpContext, spec: EntitySpec, entity_id: str, active: bool) -> Entity:
    """Deactivate or reactivate a list entity (a sparse update of ``Active``)."""
    existing = ctx.company.get(spec.name, entity_id)
    if existing is None:
        raise QBOFault("not_found")
    return update(
        ctx,
        spec,
        {
            "Id": existing["Id"],
            "SyncToken": existing["SyncToken"],
            "sparse": True,
            "Active": active,
        },
    )


def read_exchange_rate(ctx: OpContext, source: str, as_of: str | None) -> Entity | None:
    """``GET /exchangerate?sourcecurrencycode=&asofdate=``: the company's rate of ``source``
    into the home currency on ``as_of`` (today when None), or None (an empty answer: DOC-MC,
    "if neither has the entry, an empty response"). QBO's global market rates are not
    simulated: only the company's own table is searched."""
    currency_rules.check_rate_read(ctx, source, as_of)
    day = as_of or local_date(ctx.clock.now(), ctx.company.utc_offset_minutes).isoformat()
    home = currency_rules.home_of(ctx.company)
    with ctx.company.lock:
        row = rates.rate_on(ctx.company, source, home, day)
        return None if row is None else copy.deepcopy(row)


def set_exchange_rate(ctx: OpContext, payload: dict[str, Any]) -> Entity:
    """``POST /exchangerate`` (DOC-XR): store the rate of ``SourceCurrencyCode`` into
    ``TargetCurrencyCode`` (the home currency when absent) on ``AsOfDate``; a row that exists
    needs its current ``SyncToken`` (5010 when stale) and gets the next one."""
    spec = ENTITIES[EXCHANGE_RATE]
    validation.validate_request(spec, payload, operation="create")
    row = currency_rules.check_rate_write(ctx, payload)
    company = ctx.company
    with company.unit_of_work():
        existing = company.get(spec.name, row["Id"])
        token = payload.get("SyncToken")
        if existing is not None:
            if token in (None, ""):
                raise QBOFault("required_param", name="SyncToken")
            if str(token) != existing["SyncToken"]:
                other = editor_of(company, spec.name, row["Id"]) or API_USER
                raise QBOFault("stale_object", user=other)
            row["SyncToken"] = str(int(existing["SyncToken"]) + 1)
        row["MetaData"] = {"LastUpdatedTime": ctx.now_meta()}
        company.put(spec.name, row)
        _set_editor(ctx, spec, row["Id"])
        return copy.deepcopy(row)


def _current(
    ctx: OpContext, spec: EntitySpec, payload: dict[str, Any], *, token_required: bool = True
) -> Entity:
    """The stored entity a write names, after the Id / SyncToken / deleted / stale checks
    (``token_required=False``: a missing SyncToken is not checked)."""
    entity_id = payload.get("Id")
    if entity_id in (None, ""):
        raise QBOFault("required_param", name="Id")
    entity_id = str(entity_id)
    existing = ctx.company.get(spec.name, entity_id)
    if existing is None:
        if ctx.company.deleted_stub(spec.name, entity_id) is not None:
            raise QBOFault("deleted_transaction")
        raise QBOFault("not_found")
    token = payload.get("SyncToken")
    if token in (None, ""):
        if not token_required:
            return existing
        raise QBOFault("required_param", name="SyncToken")
    if str(token) != existing["SyncToken"]:
        other = editor_of(ctx.company, spec.name, entity_id) or API_USER
        raise QBOFault("stale_object", user=other)
    return existing


def _restamp(ctx: OpContext, existing: Entity, entity: Entity) -> Entity:
    """Carry the server-owned fields over to the new version and bump SyncToken."""
    return {
        **entity,
        "domain": "QBO",
        "sparse": False,
        "Id": existing["Id"],
        "SyncToken": str(int(existing["SyncToken"]) + 1),
        "MetaData": {
            "CreateTime": existing["MetaData"]["CreateTime"],
            "LastUpdatedTime": _later_stamp(ctx, existing),
        },
    }


def _later_stamp(ctx: OpContext, existing: Entity) -> str:
    """Now, but never before the entity's CreateTime or previous LastUpdatedTime."""
    meta = existing.get("MetaData") or {}
    return not_before(ctx.now_meta(), meta.get("CreateTime"), meta.get("LastUpdatedTime"))


def _set_editor(ctx: OpContext, spec: EntitySpec, entity_id: str) -> None:
    ctx.company.set_extra_item(EDITORS, f"{spec.name}:{entity_id}", ctx.actor)
