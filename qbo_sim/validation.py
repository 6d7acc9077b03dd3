"""Request validation against the per-entity JSON Schemas in ``qbo_sim/schemas/``.

The schemas are plain Draft 2020-12 JSON Schema (data, not code). Each one is compiled once
into a tree of :class:`Node` objects, and a request is checked in the order QBO's Java
deserializer would meet its problems, raising the catalogue fault of the **first** one:

1. *Deserialization* (document order): an unknown property → 2010 ``Unrecognized field``;
   a value of the wrong JSON type → 2010 ``Can not construct instance of ...``.
2. *Required fields* of the entity (create and full update; sparse updates skip them, but
   for :attr:`EntitySpec.sparse_required`, e.g. an Account's Name, and may not blank one;
   a required ``*Ref`` with a blank ``value`` is a missing one):
   2020 for a missing field (Detail and ``element`` name the field, as observed), 6080 when a
   Customer/Vendor/Employee has no name at all, 6010 for an Account with neither AccountType
   nor AccountSubType, 6150 for Customer ``Job``/``ParentRef`` disagreeing.
3. *Values* (document order, nested objects check their own required fields first): 2050
   too long, 2040 forbidden characters, 2170 bad enumeration, 2210 bad email, 2070 bad date,
   2240 number out of range. ``element`` is the dotted field path (``Line.Description``).
4. *Characters* (assumed): any string, known field or not, holding a character XML 1.0
   cannot carry (``\u0001``, NUL, ESC, U+FFFE) → 2040; a key of an open object that is not
   an XML name → 2010. So what is stored can always be answered as well-formed XML.

Conventions (JSON Schema annotations and two ``x-`` keywords):

- ``readOnly: true`` fields (Id, SyncToken, MetaData, TotalAmt, Balance, FullyQualifiedName,
  ...) are accepted with any value and ignored: :mod:`qbo_sim.derive` recomputes them.
- ``pattern`` on a string means "no forbidden characters" and answers 2040.
- ``x-anyRequired: {fields, fault}``: at least one of ``fields`` must be present.
- ``allOf: [{if: {properties: {F: {const: V}}}, then: {required | anyOf-of-required}}]``:
  conditional requirements (Item by Type, BillPayment by PayType).
- JSON ``null`` is treated as an absent property (as Jackson does).

Assumed (reference §7/§8 silent): Jackson's scalar coercions are honoured and applied **in
place** to the payload: a number sent for a string field becomes its text (``"value": 5`` →
``"5"``), a numeric string for a number field becomes the number, ``"true"``/``"false"`` for
a boolean becomes the boolean. Anything else of the wrong type answers 2010 with Detail
``Property Name:Can not construct instance of <Java type> from <JSON kind> value <value>
(property <path>) specified is unsupported or invalid`` and no ``element``. The Java type is
``java.lang.String``, ``java.math.BigDecimal``, ``java.lang.Integer``, ``java.lang.Boolean``,
``java.util.List`` or ``com.intuit.schema.finance.v3.<Class>`` for objects; the value is shown
for scalars only (strings in single quotes).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from qbo_sim.entities import ENTITIES, EntitySpec
from qbo_sim.faults import QBOFault, thousands

SCHEMA_DIR = Path(__file__).parent / "schemas"
#: Files of ``schemas/`` that are not entity schemas (shared definitions, the XML order table).
NOT_ENTITY_SCHEMAS = frozenset({"common", "xml_order"})
JAVA_PACKAGE = "com.intuit.schema.finance.v3"
_JAVA_SCALARS = {
    "string": "java.lang.String",
    "number": "java.math.BigDecimal",
    "integer": "java.lang.Integer",
    "boolean": "java.lang.Boolean",
    "array": "java.util.List",
}
#: Largest magnitude of any number field without its own limit: QBO's documented ceiling for
#: amounts and prices (Item.UnitPrice max 99999999999, §3.1). Assumed for the other fields.
MAX_NUMBER = 99_999_999_999
#: How deep a request body may nest (objects and lists, or XML elements) before it is refused
#: as unreadable, 2010 ``malformed_json`` (assumed: QBO's limit is not documented; its deepest
#: entities nest about 8 levels). Keeps every recursive walk of a body far from Python's limit.
MAX_BODY_DEPTH = 64
#: Characters XML 1.0 cannot carry (C0 controls but tab/newline/return, lone surrogates,
#: U+FFFE/U+FFFF). A string holding one answers 2040 ``invalid_string`` on write (assumed: QBO,
#: whose XML answers are well-formed, is not captured refusing them), so every later XML
#: answer of the record is well-formed.
XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Keys an XML element can be named after (ASCII XML names without a namespace prefix).
XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*\Z")
_NUMERIC = re.compile(r"^-?\d+(\.\d+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def valid_email(value: str) -> bool:
    """The address check of 2210 (an ``@`` and a ``.`` after it, no spaces)."""
    return bool(_EMAIL.match(value))


@dataclass(frozen=True)
class Condition:
    """``if field == value then required`` (or ``any_of`` when at least one is enough)."""

    field: str
    value: Any
    required: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()


@dataclass
class Node:
    """One compiled schema (an entity, an object, an array or a scalar)."""

    type: str | None = None
    java: str = ""
    read_only: bool = False
    props: dict[str, Node] | None = None
    closed: bool = False
    required: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    any_required: tuple[tuple[str, ...], str] | None = None
    items: Node | None = None
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    enum: frozenset[str] | None = None
    format: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    title: str = field(default="")


# --- compiling ---------------------------------------------------------------------------
class _Compiler:
    def __init__(self) -> None:
        self.common = _load("common")["$defs"]
        self.defs: dict[str, Node] = {}

    def ref(self, ref: str) -> Node:
        name = ref.rsplit("/", 1)[-1]
        if name not in self.defs:
            node = Node()
            self.defs[name] = node  # placeholder first: group lines refer back to lines
            compiled = self.compile(self.common[name])
            node.__dict__.update(compiled.__dict__)
        return self.defs[name]

    def compile(self, schema: dict[str, Any]) -> Node:
        if "$ref" in schema:
            return self.ref(schema["$ref"])
        node = Node(
            type=schema.get("type"),
            read_only=bool(schema.get("readOnly")),
            max_length=schema.get("maxLength"),
            format=schema.get("format"),
            minimum=schema.get("minimum"),
            maximum=schema.get("maximum"),
            title=schema.get("title", ""),
        )
        if "pattern" in schema:
            node.pattern = re.compile(schema["pattern"])
        if "enum" in schema:
            node.enum = frozenset(schema["enum"])
        if node.type == "object":
            node.java = f"{JAVA_PACKAGE}.{node.title or 'Object'}"
            if "properties" in schema:
                node.props = {k: self.compile(v) for k, v in schema["properties"].items()}
                node.closed = schema.get("additionalProperties", True) is False
            node.required = tuple(schema.get("required", ()))
            node.conditions = tuple(_conditions(schema.get("allOf", ())))
            if "x-anyRequired" in schema:
                spec = schema["x-anyRequired"]
                node.any_required = (tuple(spec["fields"]), spec["fault"])
        elif node.type is not None:
            node.java = _JAVA_SCALARS[node.type]
        if node.type == "array":
            node.items = self.compile(schema.get("items", {}))
        return node


def _conditions(all_of: Any) -> list[Condition]:
    found = []
    for clause in all_of:
        ((name, test),) = clause["if"]["properties"].items()
        then = clause["then"]
        any_of = tuple(alt["required"][0] for alt in then.get("anyOf", ()))
        found.append(Condition(name, test["const"], tuple(then.get("required", ())), any_of))
    return found


def _load(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return schema


@cache
def _compiled() -> dict[str, Node]:
    compiler = _Compiler()
    return {
        path.stem: compiler.compile(_load(path.stem))
        for path in sorted(SCHEMA_DIR.glob("*.json"))
        if path.stem not in NOT_ENTITY_SCHEMAS
    }


def schema_node(entity: str) -> Node:
    """The compiled schema of an entity (compiled once per process); an entity registered
    with its schema in ``EntitySpec.schema`` (no file here) compiles that one."""
    compiled = _compiled()
    if entity in compiled:
        return compiled[entity]
    spec = ENTITIES.get(entity)
    if spec is None or spec.schema is None:
        raise KeyError(f"no schema for entity {entity}")
    cached = _INLINE.get(entity)
    if cached is None or cached[0] is not spec:
        cached = _INLINE[entity] = (spec, _Compiler().compile(dict(spec.schema)))
    return cached[1]


#: Compiled ``EntitySpec.schema`` of registered entities, with the spec they came from.
_INLINE: dict[str, tuple[EntitySpec, Node]] = {}


def raw_schema(entity: str) -> dict[str, Any]:
    """The JSON Schema document of an entity (``common`` for the shared definitions)."""
    spec = ENTITIES.get(entity)
    if spec is not None and spec.schema is not None and entity not in _compiled():
        return dict(spec.schema)
    return _load(entity)


def too_deep(value: Any, limit: int = MAX_BODY_DEPTH) -> bool:
    """Whether objects/lists in ``value`` nest deeper than ``limit`` (walked without
    recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


# --- validating --------------------------------------------------------------------------
# Fields a *sparse* update must still carry (``EntitySpec.sparse_required``). Account: a
# sparse update without ``Name`` answers 2020 "Required parameter Name is missing in the
# request" [observed: minimul/qbo_api#47
# (2018, sparse ``Active: false`` on an Account: ValidationFault 2020, that Detail, HTTP 400
# BadRequest); intuit/quickbooks-online-mcp-server PR#79 (2026, sparse re-parenting: "code
# 2020 — Required parameter Name is missing in the request")]. ``element`` names the field as
# for any other 2020 (not shown in either capture). A full update without Name answers the
# same through the schema's ``required``.


def validate_request(
    spec: EntitySpec,
    payload: dict[str, Any],
    *,
    operation: str,
    sparse: bool = False,
    existing: dict[str, Any] | None = None,
) -> None:
    """Raise the QBO fault for the first problem in ``payload``; return None when valid.

    ``operation`` is ``create`` or ``update``; ``sparse`` updates validate only the fields
    they supply, but may not blank a required one (``existing``: the stored version, which
    the name groups are checked against). Scalars Jackson would coerce are normalised in
    place (see module docs).
    """
    node = schema_node(spec.name)
    _structure(node, payload, "")
    full = not sparse
    if full:
        _required(node, payload)
        if spec.jobs:
            check_job_parent(payload)
    else:
        for name in spec.sparse_required:
            if not _filled(name, payload.get(name)):
                raise QBOFault("required_param", name=name, element=name)
        _sparse_blanks(node, payload, existing or {})
    _values(node, payload, "", nested_required=False)
    _characters(payload, "")


def _characters(value: Any, path: str) -> None:
    """Pass 4: every string (known field or not) must be XML text and every key an XML
    name: 2040 for a string with a character XML cannot carry (``element`` its path), 2010
    ``Unrecognized field`` for a key in an open object that no element could be named
    after (both assumed)."""
    if isinstance(value, str):
        if XML_ILLEGAL.search(value):
            raise QBOFault("invalid_string", value=value, element=path)
    elif isinstance(value, dict):
        for key, child in value.items():
            if not XML_NAME.match(key):
                raise QBOFault(
                    "invalid_property",
                    name=f'Unrecognized field "{key}" (property {path or "root"}), '
                    "not marked as ignorable",
                )
            _characters(child, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for item in value:
            _characters(item, path)


def check_job_parent(customer: dict[str, Any]) -> None:
    """6150: ``Job: true`` needs a ParentRef; a ParentRef may not come with ``Job: false``."""
    has_parent = _present(customer.get("ParentRef"))
    job = customer.get("Job")
    if (job is True and not has_parent) or (has_parent and job is False):
        raise QBOFault("parent_ref_required")


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, list | dict):
        return len(value) > 0
    return True


def _filled(name: str, value: Any) -> bool:
    """A required field has a value: a reference (``*Ref``) needs a non-blank ``value``
    (``{"value": ""}`` names nothing: 2020 like a missing one, assumed; see
    :data:`BLANK_REFERENCE`)."""
    if name.endswith("Ref") and isinstance(value, dict):
        return _present(value.get("value"))
    return _present(value)


# A required reference sent with a blank ``value`` (``"CustomerRef": {"value": ""}``) is
# answered as a missing one: 2020 ``Required parameter CustomerRef is missing in the
# request``, element the field. Assumed: no capture of QBO's answer to a blank id was found
# (the public captures show 2020 for a missing CustomerRef and 2500 for an id that names
# nothing, reference §2.3); a blank id names no object, and QBO never stores a transaction
# without its party. A sparse update may not blank a required field or the last name of a
# Customer/Vendor/Employee either (the same 2020 / 6080 a create answers; assumed alike).
# Fidelity table: the "blank required field" row of qbo_sim.rules.behaviours.


def _sparse_blanks(node: Node, payload: dict[str, Any], existing: dict[str, Any]) -> None:
    """A sparse update that blanks a required field (``""``, ``{"value": ""}``) answers
    what a create without it answers: 2020 naming it, or the name group's fault (6080) when
    the record would be left with no name at all. Absent and ``null`` fields are unchanged."""
    for name in node.required:
        value = payload.get(name)
        if value is not None and not isinstance(value, list) and not _filled(name, value):
            raise QBOFault("required_param", name=name, element=name)
    if node.any_required is not None:
        fields, fault = node.any_required
        if any(f in payload for f in fields):
            merged = {**existing, **{k: v for k, v in payload.items() if v is not None}}
            if not any(_present(merged.get(f)) for f in fields):
                raise QBOFault(fault)


def _kind(value: Any) -> tuple[str, str]:
    """Jackson's name for a JSON value's kind, and the value as shown in 2010 details."""
    if isinstance(value, bool):
        return "Boolean", f" {json.dumps(value)}"
    if isinstance(value, int | float):
        return "Number", f" {value!r}"
    if isinstance(value, str):
        return "String", f" '{value}'"
    if isinstance(value, list):
        return "Array", ""
    return "Object", ""


def _wrong_type(node: Node, value: Any, path: str) -> QBOFault:
    kind, shown = _kind(value)
    name = f"Can not construct instance of {node.java} from {kind} value{shown} (property {path})"
    return QBOFault("invalid_property", name=name)


def _coerce(node: Node, value: Any, path: str) -> Any:
    """The value as the field's type, or the 2010 fault when Jackson could not read it."""
    kind = node.type
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "string":
        if isinstance(value, str):
            return value
        if is_number:
            return str(value)
    elif kind in ("number", "integer"):
        if is_number and (kind == "number" or float(value).is_integer()):
            return int(value) if kind == "integer" else value
        if isinstance(value, str) and _NUMERIC.match(value.strip()):
            text = value.strip()
            if kind == "integer":
                if "." in text and not float(text).is_integer():
                    raise _wrong_type(node, value, path)
                return int(float(text))
            return float(text) if "." in text else int(text)
    elif kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
    elif kind == "object":
        if isinstance(value, dict):
            return value
    elif kind == "array":
        if isinstance(value, list):
            return value
    else:
        return value
    raise _wrong_type(node, value, path)


def _structure(node: Node, value: Any, path: str) -> Any:
    """Pass 1: unknown properties and wrong types (2010); returns the coerced value."""
    if node.read_only or value is None:
        return value
    value = _coerce(node, value, path)
    if node.type == "object" and node.props is not None:
        for key in list(value):
            child = node.props.get(key)
            if child is None:
                if node.closed:
                    raise QBOFault(
                        "invalid_property",
                        name=f'Unrecognized field "{key}" (class {node.java}), '
                        "not marked as ignorable",
                    )
                continue
            new = _structure(child, value[key], f"{path}.{key}" if path else key)
            if new == "" and _empty_means_absent(child):
                del value[key]
            elif new is not value[key]:
                value[key] = new
    elif node.type == "array" and node.items is not None:
        for index, item in enumerate(value):
            if item is None:  # a null list element: Jackson cannot build the entry (assumed)
                raise QBOFault(
                    "invalid_property",
                    name=f"Can not construct instance of {node.items.java} from Null value "
                    f"(property {path})",
                )
            new = _structure(node.items, item, path)
            if new is not item:
                value[index] = new
    return value


def _empty_means_absent(node: Node) -> bool:
    """QBO reads ``""`` in a date, date-time or enumeration field as no value (Jackson maps
    an empty string to null for those types). python-quickbooks sends ``""`` for every unset
    field, e.g. ``"OpenBalanceDate": ""``, and QBO accepts it (observed: that library works
    against QBO; tests/compat)."""
    return node.enum is not None or node.format in ("date", "date-time")


def _required(node: Node, value: dict[str, Any]) -> None:
    """Required fields of one object: 2020 (or the schema's named fault for any-of groups)."""
    if node.any_required is not None:
        fields, fault = node.any_required
        if not any(_present(value.get(f)) for f in fields):
            raise QBOFault(fault)
    for name in node.required:
        if not _filled(name, value.get(name)):
            raise QBOFault("required_param", name=name, element=name)
    for cond in node.conditions:
        if value.get(cond.field) != cond.value:
            continue
        for name in cond.required:
            if not _filled(name, value.get(name)):
                raise QBOFault("required_param", name=name, element=name)
        if cond.any_of and not any(_present(value.get(f)) for f in cond.any_of):
            raise QBOFault("required_param", name=cond.any_of[0], element=cond.any_of[0])


def _values(node: Node, value: Any, path: str, *, nested_required: bool = True) -> None:
    """Pass 3: lengths, characters, enumerations, emails, dates, ranges (document order)."""
    if node.read_only or value is None:
        return
    kind = node.type
    if kind == "object":
        if nested_required:
            _required(node, value)
        if node.props is None:
            return
        for key, child_value in value.items():
            _values(node.props[key], child_value, f"{path}.{key}" if path else key)
    elif kind == "array":
        if node.items is not None:
            for item in value:
                _values(node.items, item, path)
    elif kind == "string":
        _string(node, value, path)
    elif kind in ("number", "integer"):
        low = node.minimum if node.minimum is not None else -MAX_NUMBER
        high = node.maximum if node.maximum is not None else MAX_NUMBER
        if not low <= value <= high:  # also false for NaN
            raise QBOFault("number_range", value=value, element=path)


def _string(node: Node, value: str, path: str) -> None:
    if node.max_length is not None and len(value) > node.max_length:
        raise QBOFault(
            "string_length",
            max=thousands(node.max_length),
            length=thousands(len(value)),
            element=path,
        )
    if node.pattern is not None and not node.pattern.fullmatch(value):
        raise QBOFault("invalid_string", value=value, element=path)
    if node.enum is not None and value not in node.enum:
        raise QBOFault("invalid_enum", value=value, element=path)
    if node.format == "email" and value and not _EMAIL.match(value):
        raise QBOFault("invalid_email", element=path)
    if node.format == "date" and not _valid_date(value):
        raise QBOFault("invalid_date", value=value, element=path)


def _valid_date(value: str) -> bool:
    """``yyyy-MM-dd`` naming a real calendar day (QBO's Date fields, §5.12)."""
    if not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
