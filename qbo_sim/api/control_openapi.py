"""``GET /_sim/openapi.json``: the OpenAPI 3.1 document of the control plane, built from the
app's registered ``/_sim/`` routes and the description of each one here (``OPERATIONS``).

A route without a description, or a description without a route, is refused when the document
is built (``tests/sim/test_control_openapi.py`` builds it), so the document cannot drift from
what is served; ``.../user/<action>`` is one path per action of
:data:`qbo_sim.api.control_actions.USER_ACTIONS`. The ``openapi`` part of the control plane
(``bp``, nested in :func:`qbo_sim.api.control_common.control_plane`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask, Response, current_app

from qbo_sim import fault_rules
from qbo_sim.api.context import sim
from qbo_sim.api.control_actions import USER_ACTIONS
from qbo_sim.api.control_common import reply
from qbo_sim.user import PROJECT_STATUSES, applies_to

bp = Blueprint("openapi", __name__)

Schema = dict[str, Any]

OPENAPI_PATH = "/_sim/openapi.json"
#: the catch-all JSON 404/405 of control_routes: answers anything, documents nothing
CATCH_ALL = "control.core.unknown"


# --- schema helpers ------------------------------------------------------------------------
def obj(required: Iterable[str] = (), **properties: Schema) -> Schema:
    """An object with ``properties`` (others allowed), ``required`` among them."""
    schema: Schema = {"type": "object", "properties": properties}
    names = list(required)
    if names:
        schema["required"] = names
    return schema


def strict(required: Iterable[str] = (), **properties: Schema) -> Schema:
    """A request body object: only ``properties``."""
    return {**obj(required, **properties), "additionalProperties": False}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def nullable(kind: str | list[str]) -> Schema:
    kinds = [kind] if isinstance(kind, str) else kind
    return {"type": [*kinds, "null"]}


STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
NUM: Schema = {"type": "number"}
BOOL: Schema = {"type": "boolean"}
OBJ: Schema = {"type": "object"}
ANY: Schema = {}
ID: Schema = {"type": ["string", "integer"]}

ERROR = obj(["error"], error=STR, detail=ANY)
QBO_FAULT = obj(["Fault"], Fault=obj(["Error"], Error=array(OBJ), type=STR), time=STR)
CLOCK = obj(["now", "frozen"], now=STR, frozen=BOOL)
HEALTH = obj(
    ["status", "ready", "companies", "clock"],
    status={"enum": ["ok", "starting", "no company"]},
    ready=BOOL,
    companies=INT,
    version=nullable("string"),
    clock=CLOCK,
    request_seconds=NUM,
    throttle=BOOL,
    dev_token=BOOL,
    upload_limit=INT,
)
COMPANY = obj(
    ["realm_id", "name", "environment", "entities"],
    realm_id=STR,
    name=STR,
    environment={"enum": ["sandbox", "production"]},
    preset=nullable("string"),
    seed=nullable("integer"),
    entities={"type": "object", "additionalProperties": INT},
    utc_offset_minutes=INT,
)
SNAPSHOT = obj(
    ["qbo_sim_snapshot", "companies"], qbo_sim_snapshot=INT, clock=OBJ, companies=array(OBJ)
)
JOURNAL_ENTRY = obj(
    ["seq", "time", "method", "path", "status"],
    seq=INT,
    time=STR,
    realm=nullable("string"),
    method=STR,
    path=STR,
    query=OBJ,
    body=ANY,
    status=INT,
    fault_code=nullable("string"),
    requestid=nullable("string"),
    intuit_tid=nullable("string"),
    user_edit=BOOL,
    response=ANY,
    tags=array(STR),
)
#: ``POST /_sim/faults``: the fields :func:`qbo_sim.fault_rules.parse_rule` reads (FIELDS).
FAULT_RULE = strict(
    realm=STR,
    entity=STR,
    operation={"enum": list(fault_rules.OPERATIONS)},
    method=STR,
    path=STR,
    fault=STR,
    params=OBJ,
    element=STR,
    status={"enum": list(fault_rules.STATUSES)},
    drop=BOOL,
    latency=NUM,
    latency_seconds=NUM,
    ambiguous=BOOL,
    envelope={"enum": list(fault_rules.ENVELOPES)},
    skip={"type": "integer", "minimum": 0},
    times={"type": "integer", "minimum": 0},
    probability={"type": "number", "minimum": 0, "maximum": 1},
    seed=ID,
    until=STR,
)
RULES = obj(
    ["rules"],
    rules=array(
        obj(["id"], id=INT, skip=INT, skipped=INT, fired=INT, remaining=nullable("integer"))
    ),
)
RULE_ADDED = obj(["id", "rules"], id=INT, rules=array(OBJ))
THROTTLE = obj(["enabled", "limits"], enabled=BOOL, limits=OBJ, companies=OBJ)
SUBSCRIPTION = obj(["id", "url"], id=STR, url=nullable("string"), format=STR)
WEBHOOKS = obj(
    ["auto_deliver", "subscriptions"],
    auto_deliver=BOOL,
    subscriptions=array(SUBSCRIPTION),
    next_due=nullable("string"),
)
SETTINGS_OF_REALM = obj(["realm_id", "settings"], realm_id=STR, settings=OBJ)
SUBSCRIPTION_STATE = obj(["realm_id", "status"], realm_id=STR, status=STR)
COUNT = strict(count={"type": "integer", "minimum": 0})
USER = {"user": STR}
ENTITY = {"entity": STR, "id": ID}


@dataclass(frozen=True)
class Operation:
    """What the document says of one route: a summary, its body, query and answers."""

    summary: str
    response: Schema
    status: int = 200
    body: Schema | None = None
    query: dict[str, Schema] = field(default_factory=dict)
    required_query: tuple[str, ...] = ()
    #: other documented answers besides errors: status → schema
    also: dict[int, Schema] = field(default_factory=dict)
    tag: str = "control"


def _user_action_bodies() -> dict[str, Schema]:
    """The body of each ``.../user/<action>`` (the fields ``USER_ACTIONS`` takes)."""
    bodies = {
        "create": strict(["entity", "body"], entity=STR, body=OBJ, **USER),
        "update": strict(["entity", "body"], entity=STR, body=obj(["Id"], Id=ID), **USER),
        "sparse-update": strict(["entity", "id", "fields"], **ENTITY, fields=OBJ, **USER),
        "move-invoice": strict(
            ["invoice_id", "customer_id"], invoice_id=ID, customer_id=ID, **USER
        ),
        "record-payment": strict(["invoice_id"], invoice_id=ID, amount=NUM, fields=OBJ, **USER),
        "merge": strict(["entity", "id", "into_id"], **ENTITY, into_id=ID, **USER),
        "enable-multicurrency": strict([], home_currency=STR, **USER),
        "create-project": strict(
            ["customer_id", "name"],
            customer_id=ID,
            name=STR,
            status={"enum": list(PROJECT_STATUSES)},
            fields=OBJ,
            **USER,
        ),
        "set-project-status": strict(
            ["id", "status"], id=ID, status={"enum": list(PROJECT_STATUSES)}, **USER
        ),
        "create-bundle": strict(
            ["name", "components"],
            name=STR,
            components=array(strict(["item_id"], item_id=ID, qty=NUM)),
            fields=OBJ,
            **USER,
        ),
    }
    for action in ("delete", "void", "deactivate", "reactivate"):
        bodies[action] = strict(["entity", "id"], **ENTITY, **USER)
    for action, body in bodies.items():  # by-id actions name the types they apply to
        names = applies_to(action)
        if names:
            body["properties"]["entity"] = {"type": "string", "enum": list(names)}
    rename = bodies["sparse-update"]["properties"]
    rename["entity"] = {**rename["entity"], "examples": list(applies_to("rename"))}
    missing = set(USER_ACTIONS) ^ set(bodies)
    assert not missing, f"user actions without a documented body (or gone): {sorted(missing)}"
    return bodies


_R = "/_sim/companies/<realm>"
OPERATIONS: dict[str, Operation] = {
    "GET /_sim/": Operation("Every endpoint", obj(["endpoints"], endpoints=array(STR))),
    "GET /_sim/openapi.json": Operation("This document", obj(["openapi", "paths"])),
    "GET /_sim/ui": Operation("The dashboard (HTML)", STR, tag="dashboard"),
    "GET /_sim/health": Operation("Liveness", HEALTH),
    "GET /_sim/ready": Operation(
        "Readiness (503 before a company exists)", HEALTH, also={503: HEALTH}
    ),
    "GET /_sim/companies": Operation("Every company", obj(["companies"], companies=array(COMPANY))),
    "POST /_sim/companies": Operation(
        "Create a company",
        COMPANY,
        201,
        body=strict(
            preset=STR,
            seed=INT,
            name=STR,
            environment=STR,
            preferences=OBJ,
            fidelity=OBJ,
            realm_id=STR,
        ),
    ),
    f"GET {_R}": Operation("One company", COMPANY),
    f"DELETE {_R}": Operation("Delete a company", obj(["deleted"], deleted=STR)),
    f"POST {_R}/reset": Operation(
        "Rebuild a company from its preset", obj(["reset"], reset=array(STR))
    ),
    "POST /_sim/reset": Operation("Rebuild every company", obj(["reset"], reset=array(STR))),
    "GET /_sim/snapshot": Operation("Export a snapshot", SNAPSHOT, query={"realm": STR}),
    "POST /_sim/snapshot": Operation(
        "Import a snapshot",
        obj(["imported"], imported=array(STR)),
        body=SNAPSHOT,
        query={"replace": {"enum": ["true", "false", "1", "0"]}},
    ),
    "GET /_sim/journal": Operation(
        "The journal (filters combine)",
        obj(["entries", "last_seq"], entries=array(JOURNAL_ENTRY), last_seq=INT),
        query={
            "realm": STR,
            "method": STR,
            "path": STR,
            "status": INT,
            "fault_code": STR,
            "user_edit": {"enum": ["true", "false", "1", "0"]},
            "since": INT,
        },
    ),
    "DELETE /_sim/journal": Operation("Clear the journal", obj(["cleared"], cleared=INT)),
    "GET /_sim/clock": Operation("The clock", CLOCK),
    "POST /_sim/clock/advance": Operation(
        "Move the clock on",
        CLOCK,
        body=strict(["seconds"], seconds={"type": "number", "minimum": 0}),
    ),
    "POST /_sim/clock/set": Operation("Set the clock", CLOCK, body=strict(["time"], time=STR)),
    "GET /_sim/fidelity": Operation(
        "The fidelity settings",
        obj(["settings"], settings=array(obj(["name", "default"], name=STR, default=ANY))),
    ),
    f"GET {_R}/fidelity": Operation("A company's fidelity settings", SETTINGS_OF_REALM),
    f"PATCH {_R}/fidelity": Operation(
        "Change a company's fidelity settings", SETTINGS_OF_REALM, body=OBJ
    ),
    f"GET {_R}/subscription": Operation("A company's subscription", SUBSCRIPTION_STATE),
    f"PUT {_R}/subscription": Operation(
        "End or restore a subscription",
        SUBSCRIPTION_STATE,
        body=strict(["status"], status={"enum": ["active", "ended"]}),
    ),
    "GET /_sim/faults": Operation("The fault rules", RULES, tag="faults"),
    "GET /_sim/faults/catalogue": Operation(
        "What a fault rule may inject",
        obj(
            ["faults", "shorthands"],
            faults=array(
                obj(
                    ["key", "code", "type", "status", "message", "params", "confidence"],
                    key=STR,
                    code=STR,
                    type=STR,
                    status=INT,
                    message=STR,
                    detail=nullable("string"),
                    params=array(STR),
                    element=nullable("string"),
                    envelope=STR,
                    source=STR,
                    confidence=STR,
                )
            ),
            shorthands=array(STR),
        ),
        tag="faults",
    ),
    "POST /_sim/faults": Operation(
        "Add a fault rule", RULE_ADDED, 201, body=FAULT_RULE, tag="faults"
    ),
    "DELETE /_sim/faults": Operation("Remove every fault rule", RULES, tag="faults"),
    "DELETE /_sim/faults/<rule_id>": Operation(
        "Remove a fault rule",
        obj(["removed", "rules"], removed=STR, rules=array(OBJ)),
        tag="faults",
    ),
    "POST /_sim/outage": Operation(
        "Start an outage",
        RULE_ADDED,
        201,
        body=strict(minutes=NUM, seconds=NUM, status=INT, realm=STR),
        tag="faults",
    ),
    "GET /_sim/throttle": Operation("Throttling settings", THROTTLE, tag="throttle"),
    "PATCH /_sim/throttle": Operation(
        "Change throttling",
        THROTTLE,
        body=strict(
            realm=STR,
            enabled=BOOL,
            limits={"type": "object", "additionalProperties": nullable("integer")},
        ),
        tag="throttle",
    ),
    "GET /_sim/throttle/<realm>": Operation(
        "A company's throttle windows",
        obj(["enabled", "limits", "windows"], enabled=BOOL, limits=OBJ, windows=OBJ, in_flight=OBJ),
        tag="throttle",
    ),
    "POST /_sim/throttle/reset": Operation("Forget every window", THROTTLE, tag="throttle"),
    "GET /_sim/webhooks": Operation("Webhook settings", WEBHOOKS, tag="webhooks"),
    "PATCH /_sim/webhooks": Operation(
        "Turn automatic delivery on or off",
        WEBHOOKS,
        body=strict(auto_deliver=BOOL),
        tag="webhooks",
    ),
    "POST /_sim/webhooks/subscriptions": Operation(
        "Subscribe an endpoint",
        SUBSCRIPTION,
        201,
        body=strict(
            ["url", "verifier_token"],
            url=STR,
            verifier_token=STR,
            entities=array(STR),
            format=STR,
            realms=array(STR),
            app_id=STR,
        ),
        tag="webhooks",
    ),
    "DELETE /_sim/webhooks/subscriptions/<sub_id>": Operation(
        "Unsubscribe", obj(["removed"], removed=STR), tag="webhooks"
    ),
    "POST /_sim/webhooks/deliver": Operation(
        "Deliver what is due",
        obj(["deliveries", "next_due"], deliveries=array(OBJ), next_due=nullable("string")),
        tag="webhooks",
    ),
    "GET /_sim/webhooks/outbox": Operation(
        "Notifications awaiting delivery", obj(["outbox"], outbox=array(OBJ)), tag="webhooks"
    ),
    "DELETE /_sim/webhooks/outbox": Operation("Forget queued events", WEBHOOKS, tag="webhooks"),
    "GET /_sim/webhooks/history": Operation(
        "Every notification made", obj(["notifications"], notifications=array(OBJ)), tag="webhooks"
    ),
    "GET /_sim/webhooks/events": Operation(
        "Every event produced",
        obj(["events"], events=array(OBJ)),
        query={"realm": STR},
        tag="webhooks",
    ),
    "POST /_sim/webhooks/drop": Operation(
        "Lose the next notifications", WEBHOOKS, body=COUNT, tag="webhooks"
    ),
    "POST /_sim/webhooks/reverse": Operation(
        "Reverse the next notifications", WEBHOOKS, body=COUNT, tag="webhooks"
    ),
    "POST /_sim/webhooks/duplicate": Operation(
        "Send the next notifications twice", WEBHOOKS, body=COUNT, tag="webhooks"
    ),
    "GET /_sim/outbox": Operation(
        "E-mail sent by /send",
        obj(["realm", "messages"], realm=STR, messages=array(OBJ)),
        query={"realm": STR},
        required_query=("realm",),
    ),
}
_USER_ROUTE = f"POST {_R}/user/<action>"


def _path(rule: str) -> str:
    """Flask's ``/a/<realm>/<path:x>`` → OpenAPI's ``/a/{realm}/{x}``."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def routes(app: Flask) -> list[str]:
    """``"METHOD /rule"`` of each control-plane route ``app`` serves, the catch-all left out."""
    return sorted(
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("control.") and rule.endpoint != CATCH_ALL
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    )


def _operation(key: str, op: Operation, realms: list[str]) -> tuple[str, str, Schema]:
    method, rule = key.split(" ", 1)
    parameters: list[Schema] = []
    for name in re.findall(r"<(?:[^:>]+:)?([^>]+)>", rule):
        param: Schema = {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"},
        }
        if name == "realm" and realms:
            param["example"] = realms[0]
        parameters.append(param)
    for name, schema in op.query.items():
        parameters.append(
            {"name": name, "in": "query", "required": name in op.required_query, "schema": schema}
        )
    html = op.tag == "dashboard"
    media = "text/html" if html else "application/json"
    responses: Schema = {
        str(op.status): {"description": op.summary, "content": {media: {"schema": op.response}}},
        "default": {
            "description": "an error: {error, detail}, or QBO's Fault body for a QBO user action",
            "content": {"application/json": {"schema": {"anyOf": [ERROR, QBO_FAULT]}}},
        },
    }
    for status, schema in op.also.items():
        responses[str(status)] = {
            "description": op.summary,
            "content": {"application/json": {"schema": schema}},
        }
    spec: Schema = {
        "summary": op.summary,
        "operationId": re.sub(r"[^A-Za-z0-9]+", "_", f"{method} {rule}").strip("_").lower(),
        "tags": [op.tag],
        "parameters": parameters,
        "responses": responses,
    }
    if op.body is not None:
        spec["requestBody"] = {
            "required": False,
            "content": {"application/json": {"schema": op.body}},
        }
    return method.lower(), _path(rule), spec


def document(
    app: Flask, realms: list[str] | None = None, version: str | None = None
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``app``'s control plane (``realms``: examples for
    ``{realm}``; ``version``: the package's, ``"0"`` when unknown, e.g. run from a source
    tree). ValueError when a served route is not described or a description has no route."""
    served = set(routes(app))
    described = set(OPERATIONS) | ({_USER_ROUTE} if _USER_ROUTE in served else set())
    if served != described:
        raise ValueError(
            f"control routes without a description: {sorted(served - described)}; "
            f"descriptions without a route: {sorted(described - served)}"
        )
    realms = realms or []
    paths: dict[str, dict[str, Schema]] = {}
    for key in sorted(served - {_USER_ROUTE}):
        method, path, spec = _operation(key, OPERATIONS[key], realms)
        paths.setdefault(path, {})[method] = spec
    if _USER_ROUTE in served:
        for action, body in _user_action_bodies().items():
            key = f"POST {_R}/user/{action}"
            op = Operation(
                f"Act as the QBO user: {action}",
                {"type": "object", "minProperties": 1, "maxProperties": 1},
                body=body,
                tag="user",
            )
            method, path, spec = _operation(key, op, realms)
            paths.setdefault(path, {})[method] = spec
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "qbo-sim control plane",
            "version": version or "0",
            "description": (
                "The /_sim/ control plane of qbo-sim (docs/control-plane.md): JSON in and out, "
                "no OAuth token."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": paths,
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    """This control plane's OpenAPI 3.1 document."""
    simulator = sim()
    release = simulator.health()["version"]  # importlib.metadata, as /_sim/health shows it
    return reply(document(current_app, simulator.store.realm_ids(), release))
