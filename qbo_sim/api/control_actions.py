"""Control-plane endpoints that act on a company as the QBO user, and the fault-injection
and throttling endpoints: the ``actions`` part of the control plane (``bp``, nested in
:func:`qbo_sim.api.control_common.control_plane`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response

from qbo_sim import entities
from qbo_sim.api.context import sim
from qbo_sim.api.control_common import (
    ControlError,
    body_of,
    call_feature,
    company_of,
    message,
    reply,
    required,
    typed,
)
from qbo_sim.fault_rules import SHORTHANDS
from qbo_sim.faults import CATALOGUE
from qbo_sim.user import BUNDLE, PROJECT, QboUser

bp = Blueprint("actions", __name__)

# --- the QBO user ------------------------------------------------------------------------
UserAction = Callable[[QboUser, dict[str, Any]], tuple[str, dict[str, Any]]]


def _entity(body: dict[str, Any]) -> str:
    name = required(body, "entity", str)
    spec = entities.lookup(name)
    if spec is None:
        raise ControlError(400, "unknown entity", name)
    return spec.name


def _entity_id(body: dict[str, Any], name: str = "id") -> str:
    return str(required(body, name, (str, int)))


def _create(user: QboUser, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    entity = _entity(body)
    return entity, user.create(entity, required(body, "body", dict))


def _update(user: QboUser, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    entity = _entity(body)
    payload = required(body, "body", dict)
    if "Id" not in payload:
        raise ControlError(400, "missing field 'body.Id'")
    return entity, user.update(entity, payload)


def _sparse_update(user: QboUser, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    entity = _entity(body)
    fields = required(body, "fields", dict)
    return entity, user.sparse_update(entity, _entity_id(body), **fields)


def _by_id(method: str) -> UserAction:
    def action(user: QboUser, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        entity = _entity(body)
        return entity, getattr(user, method)(entity, _entity_id(body))

    return action


def _move_invoice(user: QboUser, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    invoice = user.move_invoice(_entity_id(body, "invoice_id"), _entity_id(body, "customer_id"))
    return "Invoice", invoice


def _record_payment(user: QboUser, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    amount = typed(body, "amount", (int, float), nullable=False)  # omit it for the balance
    fields = typed(body, "fields", dict) or {}
    return "Payment", user.record_payment(_entity_id(body, "invoice_id"), amount, **fields)


def _merge(user: QboUser, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    entity = _entity(body)
    try:
        return entity, user.merge(entity, _entity_id(body), _entity_id(body, "into_id"))
    except ValueError as refused:  # one id twice, not mergeable, inactive, sub-customers
        raise ControlError(400, "merge refused", str(refused)) from None


def _enable_multicurrency(user: QboUser, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    try:
        return "Preferences", user.enable_multicurrency(typed(body, "home_currency", str))
    except ValueError as refused:
        raise ControlError(400, "enable-multicurrency refused", str(refused)) from None


def _refused(action: str, refused: ValueError) -> ControlError:
    return ControlError(400, f"{action} refused", str(refused))


def _create_project(user: QboUser, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    customer, name = _entity_id(body, "customer_id"), required(body, "name", str)
    status = typed(body, "status", str)
    fields = typed(body, "fields", dict) or {}
    try:
        if status is None:
            project = user.create_project(customer, name, **fields)
        else:
            project = user.create_project(customer, name, status=status, **fields)
    except ValueError as refused:
        raise _refused("create-project", refused) from None
    return PROJECT, project


def _set_project_status(user: QboUser, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    try:
        project = user.set_project_status(_entity_id(body), required(body, "status", str))
    except ValueError as refused:
        raise _refused("set-project-status", refused) from None
    return PROJECT, project


def _create_bundle(user: QboUser, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    name = required(body, "name", str)
    components: list[tuple[str, float]] = []
    for index, component in enumerate(required(body, "components", list)):
        if not isinstance(component, dict):
            raise ControlError(400, f"components[{index}] must be an object")
        item_id = _entity_id(component, "item_id")
        qty = typed(component, "qty", (int, float))
        components.append((item_id, 1 if qty is None else qty))
    bundle = user.create_bundle(name, components, **(typed(body, "fields", dict) or {}))
    return BUNDLE, bundle


USER_ACTIONS: dict[str, tuple[tuple[str, ...], UserAction]] = {
    "create": (("entity", "body"), _create),
    "update": (("entity", "body"), _update),
    "sparse-update": (("entity", "id", "fields"), _sparse_update),
    "delete": (("entity", "id"), _by_id("delete")),
    "void": (("entity", "id"), _by_id("void")),
    "deactivate": (("entity", "id"), _by_id("deactivate")),
    "reactivate": (("entity", "id"), _by_id("reactivate")),
    "move-invoice": (("invoice_id", "customer_id"), _move_invoice),
    "record-payment": (("invoice_id", "amount", "fields"), _record_payment),
    "merge": (("entity", "id", "into_id"), _merge),
    "enable-multicurrency": (("home_currency",), _enable_multicurrency),
    "create-project": (("customer_id", "name", "status", "fields"), _create_project),
    "set-project-status": (("id", "status"), _set_project_status),
    "create-bundle": (("name", "components", "fields"), _create_bundle),
}


@bp.post("/companies/<realm>/user/<action>")
def act_as_user(realm: str, action: str) -> Response:
    """Act as the QBO user (``sim.as_user(realm).<action>``); a QBO fault is QBO's body."""
    company_of(realm)
    if action not in USER_ACTIONS:
        raise ControlError(
            404, "unknown user action", {"action": action, "allowed": list(USER_ACTIONS)}
        )
    fields, perform = USER_ACTIONS[action]
    body = body_of((*fields, "user"))
    user = sim().as_user(realm, typed(body, "user", str))
    entity, result = perform(user, body)
    return reply({entity: result})


# --- fault injection and throttling ----------------------------------------------------


@bp.get("/faults")
def list_faults() -> Response:
    return reply({"rules": sim().injector.rules()})


@bp.get("/faults/catalogue")
def fault_catalogue() -> Response:
    """What a rule's ``fault`` may name: every catalogue fault (code, type, status, message,
    the ``params`` its Detail needs, source, confidence) and the outcomes that are not QBO
    faults (``drop``, ``ambiguous``, ``http_<status>``)."""
    return reply(
        {
            "faults": [spec.to_dict() for spec in CATALOGUE.values()],
            "shorthands": list(SHORTHANDS),
        }
    )


@bp.post("/faults")
def add_fault() -> Response:
    """``sim.injector.add_rule(body)``: the one rule parser (:func:`qbo_sim.injection.
    parse_rule`) reads the body, scenario spellings (``"fault": "http_503"``, ``"drop"``,
    ``"ambiguous"``, ``latency_seconds``) included; a refusal names the field and what to send."""
    injector = sim().injector
    try:
        rule_id = injector.add_rule(body_of())
    except (TypeError, ValueError, KeyError) as error:
        raise ControlError(400, "add refused the request", message(error)) from None
    return reply({"id": rule_id, "rules": injector.rules()}, 201)


@bp.delete("/faults")
def clear_faults() -> Response:
    injector = sim().injector
    injector.clear()
    return reply({"rules": injector.rules()})


@bp.delete("/faults/<rule_id>")
def remove_fault(rule_id: str) -> Response:
    injector = sim().injector
    known = {str(rule["id"]): rule["id"] for rule in injector.rules()}
    if rule_id not in known:
        raise ControlError(404, "unknown fault rule", rule_id)
    injector.remove(known[rule_id])
    return reply({"removed": rule_id, "rules": injector.rules()})


@bp.post("/outage")
def start_outage() -> Response:
    """``sim.injector.outage(minutes=, status=, realm=, seconds=)``."""
    injector = sim().injector
    rule_id = call_feature(injector.outage, **body_of(("minutes", "seconds", "status", "realm")))
    return reply({"id": rule_id, "rules": injector.rules()}, 201)


@bp.get("/throttle")
def read_throttle() -> Response:
    """``sim.throttle.settings()``: on/off, global limits, per-company overrides."""
    return reply(sim().throttle.settings())


@bp.patch("/throttle")
def change_throttle() -> Response:
    """``sim.throttle.set_enabled(enabled, realm)`` and ``configure(realm, **limits)``."""
    throttle = sim().throttle
    body = body_of(("realm", "enabled", "limits"))
    realm = typed(body, "realm", str)
    if realm is not None:
        company_of(realm)
    enabled = typed(body, "enabled", bool)
    limits = typed(body, "limits", dict) or {}
    for name in limits:
        typed(limits, name, int)
    if limits:
        call_feature(throttle.configure, realm, **limits)
    if enabled is not None:
        throttle.set_enabled(enabled, realm)
    return reply(throttle.settings())


@bp.get("/throttle/<realm>")
def throttle_counts(realm: str) -> Response:
    """``sim.throttle.state(realm)``: the current window counts of a company."""
    throttle = sim().throttle
    company_of(realm)
    return reply(throttle.state(realm))


@bp.post("/throttle/reset")
def reset_throttle_windows() -> Response:
    """``sim.throttle.reset()``: forget every window and in-flight count."""
    throttle = sim().throttle
    throttle.reset()
    return reply(throttle.settings())
