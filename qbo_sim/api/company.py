"""``/v3/company/<realm>/<entity>[/<id>]``: create, read, update, delete, void (§5.1)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from qbo_sim import operations
from qbo_sim.api.context import answer, company, entity_body, op_context, sim
from qbo_sim.entities import BY_PATH, ENTITIES, EntitySpec
from qbo_sim.faults import QBOFault
from qbo_sim.serialize import entity_body as entity_envelope

bp = Blueprint("company", __name__, url_prefix="/v3/company/<realm_id>")

#: Singletons: CompanyInfo and Preferences are stored with this Id.
SINGLETON_ID = "1"


def respond(name: str, entity: dict[str, Any], status: int = 200) -> Response:
    simulator = sim()
    target = company()
    body = entity_envelope(name, entity, simulator.clock.now(), target.utc_offset_minutes)
    content_type, text = answer(body, target)
    return Response(text, status=status, content_type=content_type)


def _spec(segment: str) -> EntitySpec:
    spec = BY_PATH.get(segment)
    if spec is None or spec.own_routes:
        raise QBOFault("unknown_resource", path=request.path, url=request.url)
    return spec


@bp.get("/<segment>/<entity_id>")
def read(realm_id: str, segment: str, entity_id: str) -> Response:
    spec = _spec(segment)
    if spec.singleton_read == "realm":  # /companyinfo/<realmId>
        if entity_id != realm_id:
            raise QBOFault("not_found")
        entity_id = SINGLETON_ID
    elif spec.singleton_read == "path":  # /preferences only
        raise QBOFault("unknown_resource", path=request.path, url=request.url)
    # shared: the stored version is serialised at once, not copied (operations.read)
    return respond(spec.name, operations.read(op_context(), spec, entity_id, shared=True))


@bp.get("/preferences")
def read_preferences(realm_id: str) -> Response:
    spec = ENTITIES["Preferences"]
    return respond(spec.name, operations.read(op_context(), spec, SINGLETON_ID, shared=True))


@bp.post("/<segment>")
def write(realm_id: str, segment: str) -> Response:
    """POST: create, or update when the body has an Id; ``operation=delete|void|update``.
    The body is JSON or XML (``Content-Type: application/xml``), read into the same dict."""
    spec = _spec(segment)
    operation = (request.args.get("operation") or "").lower()
    body = entity_body(spec.name)
    return respond(spec.name, perform(op_context(), spec, operation, body, shared=True))


def perform(
    ctx: operations.OpContext,
    spec: EntitySpec,
    operation: str,
    body: dict[str, Any],
    *,
    shared: bool = False,
) -> dict[str, Any]:
    """Dispatch one write as QBO does (§5.1); shared by the entity routes and batch items.
    ``shared``: a create or update answers the stored version itself, for a caller that
    only serialises it (:func:`qbo_sim.operations.read`)."""
    if spec.own_routes:  # ExchangeRate: its own routes only (batch items included)
        raise QBOFault("unsupported_operation", operation=operation or "create")
    if operation == "delete":
        return operations.delete(ctx, spec, body)
    if operation == "void" and spec.void == "operation":
        return operations.void(ctx, spec, body)
    if operation == "update" and "void" in ctx.options and spec.void == "include":
        return operations.void(ctx, spec, body)
    if operation not in ("", "create", "update"):
        raise QBOFault("unsupported_operation", operation=operation)
    if spec.kind == "settings":
        body.setdefault("Id", SINGLETON_ID)
        return operations.update(ctx, spec, body, shared=shared)
    if operation == "update" or body.get("Id") not in (None, ""):
        return operations.update(ctx, spec, body, shared=shared)
    return operations.create(ctx, spec, body, shared=shared)
