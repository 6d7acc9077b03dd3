"""The scenario and record JSON Schemas: loading, and validation errors that name file:line.

``qbo_sim/harness/scenario.schema.json`` (draft 2020-12) describes scenario files; it refers to
``qbo_sim/harness/records.schema.json``, the one schema of field-service record changes.
``oneOf`` failures are narrowed to the branch the author meant (the step or expectation keyword they
used), so errors read "steps[2].sync.max_passes: 0 is less than the minimum of 1", not
"... is not valid under any of the given schemas".
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

from qbo_sim.harness.errors import HarnessError, ScenarioSchemaError
from qbo_sim.harness.loader import LineMap

HARNESS_DIR = Path(__file__).resolve().parent
SCENARIO_SCHEMA_PATH = HARNESS_DIR / "scenario.schema.json"
RECORDS_SCHEMA_PATH = HARNESS_DIR / "records.schema.json"


@cache
def scenario_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCENARIO_SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def records_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(RECORDS_SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def _registry() -> Registry[dict[str, Any]]:
    records = records_schema()
    registry: Registry[dict[str, Any]] = Registry().with_resource(
        records["$id"], Resource.from_contents(records)
    )
    return registry


def scenario_validator() -> Draft202012Validator:
    return Draft202012Validator(scenario_schema(), registry=_registry())


def records_validator() -> Draft202012Validator:
    return Draft202012Validator(records_schema(), registry=_registry())


def _top_level_failure(error: ValidationError) -> bool:
    return error.validator in ("required", "type", "const") and not error.relative_path


def _narrow(error: ValidationError) -> list[ValidationError]:
    """Replace a oneOf failure by the errors of the branch the author meant."""
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return [error]
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    candidates = [
        index
        for index in range(len(error.validator_value))
        if not any(_top_level_failure(e) for e in branches.get(index, []))
    ]
    if len(candidates) == 1 and branches.get(candidates[0]):
        narrowed: list[ValidationError] = []
        for sub in branches[candidates[0]]:
            narrowed.extend(_narrow(sub))
        return narrowed
    keys = [k for branch in error.validator_value for k in branch.get("required", [])[:1]]
    if isinstance(error.instance, dict) and keys:
        error.message = "expected exactly one of: " + ", ".join(keys)
        typo = _nearest(list(error.instance), keys)
        if typo:
            error.message += f"; '{typo[0]}': did you mean '{typo[1]}'?"
    return [error]


def _nearest(given: list[Any], known: list[str]) -> tuple[str, str] | None:
    """The first unknown key that is close to a known one (a typo), with that known one."""
    for key in given:
        if isinstance(key, str) and key not in known:
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            if close:
                return key, close[0]
    return None


def _explain(error: ValidationError) -> str:
    """The error's message, with the intended keyword when an unknown key is a typo."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        typo = _nearest(list(error.instance), list(error.schema.get("properties", {})))
        if typo:
            return f"unknown key '{typo[0]}': did you mean '{typo[1]}'?"
    return str(error.message)


def _where(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def problems(data: Any, lines: LineMap, validator: Draft202012Validator) -> list[tuple[int, str]]:
    """(line, message) for every schema violation, sorted by line."""
    found: list[tuple[int, str]] = []
    for error in validator.iter_errors(data):
        for specific in _narrow(error):
            path = tuple(specific.absolute_path)
            found.append((lines.line_of(path), f"{_where(path)}: {_explain(specific)}"))
    return sorted(set(found))


def validate_scenario(data: Any, lines: LineMap, filename: str) -> None:
    """Raise :class:`ScenarioSchemaError` naming every problem with its line."""
    if surely_valid(data):  # most files: confirmed at a fraction of jsonschema's cost
        return
    found = problems(data, lines, scenario_validator())
    if found:
        raise ScenarioSchemaError(filename, found)


def record_problems(change: Any) -> list[str]:
    """Schema violations of one record change (used by the subprocess adapter and tests)."""
    return [
        f"{_where(e.absolute_path)}: {e.message}" for e in records_validator().iter_errors(change)
    ]


# --- a fast confirmation of valid documents ----------------------------------------------
class SchemaUndecided(HarnessError):
    """The fast check meets something it does not decide: jsonschema does (never raised
    out of :func:`surely_valid`)."""


#: Keywords that only annotate (jsonschema asserts no ``format`` without a format checker).
#: keywords that only annotate (draft 2020-12 validates neither ``format`` nor the
#: ``content*`` keywords by default, and jsonschema is used without a format checker)
_ANNOTATIONS = frozenset(
    {
        "description",
        "default",
        "title",
        "$schema",
        "$id",
        "$defs",
        "$comment",
        "format",
        "contentEncoding",
        "contentMediaType",
        "examples",
    }
)
_NUMBER_BOUNDS = {
    "minimum": lambda value, bound: value >= bound,
    "maximum": lambda value, bound: value <= bound,
    "exclusiveMinimum": lambda value, bound: value > bound,
}


def surely_valid(data: Any) -> bool:
    """True only when ``data`` is valid against the scenario schema, decided by a small
    checker of the keywords the two schemas use; False means "ask jsonschema", which then
    finds the errors (or none). Every file of the library is confirmed here, about five
    times faster than by jsonschema's general machinery."""
    try:
        return _valid(scenario_schema(), data, scenario_schema())
    except SchemaUndecided:
        return False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _of_type(value: Any, kind: str) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "null":
        return value is None
    if kind == "number":
        return _is_number(value)
    if kind == "integer":
        return _is_number(value) and (isinstance(value, int) or float(value).is_integer())
    raise SchemaUndecided(kind)


def _equal(value: Any, expected: Any) -> bool:
    """JSON equality as jsonschema's ``enum`` and ``const`` decide it (``True`` is not
    ``1``; lists and objects compared item by item)."""
    if value is expected:
        return True
    if isinstance(value, str) or isinstance(expected, str):
        return bool(value == expected)
    if isinstance(value, list) and isinstance(expected, list):
        return len(value) == len(expected) and all(map(_equal, value, expected))
    if isinstance(value, dict) and isinstance(expected, dict):
        return len(value) == len(expected) and all(
            key in expected and _equal(item, expected[key]) for key, item in value.items()
        )
    for side in (value, expected):
        if isinstance(side, bool | list | dict):
            return False  # equal bools are the same object; a container equals no scalar
    return bool(value == expected)


def _resolve(ref: str, root: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(schema, its document) that ``ref`` names: a pointer into ``root`` or into the
    records schema."""
    if ref.startswith("#"):
        document, pointer = root, ref[1:]
    else:
        uri, _, pointer = ref.partition("#")
        if uri != records_schema()["$id"]:
            raise SchemaUndecided(ref)
        document = records_schema()
    target: Any = document
    for part in pointer.split("/")[1:] if pointer else ():
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or part not in target:
            raise SchemaUndecided(ref)
        target = target[part]
    if not isinstance(target, dict | bool):
        raise SchemaUndecided(ref)
    return target, document  # type: ignore[return-value]


def _valid(schema: Any, value: Any, root: dict[str, Any]) -> bool:
    if schema is True:
        return True
    if schema is False:
        return False
    if not isinstance(schema, dict):
        raise SchemaUndecided("schema")
    for keyword, rule in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        if not _keyword(keyword, rule, schema, value, root):
            return False
    return True


def _keyword(keyword: str, rule: Any, schema: dict[str, Any], value: Any, root: Any) -> bool:
    if keyword == "type":
        kinds = rule if isinstance(rule, list) else [rule]
        return any(_of_type(value, kind) for kind in kinds)
    if keyword == "$ref":
        target, document = _resolve(rule, root)
        return _valid(target, value, document)
    if keyword == "enum":
        return any(_equal(value, option) for option in rule)
    if keyword == "const":
        return _equal(value, rule)
    if keyword == "oneOf":
        return sum(1 for branch in rule if _valid(branch, value, root)) == 1
    if keyword == "anyOf":
        return any(_valid(branch, value, root) for branch in rule)
    if keyword == "allOf":
        return all(_valid(branch, value, root) for branch in rule)
    if keyword in ("if", "then", "else"):
        if keyword != "if":
            return True  # decided with "if"
        branch = "then" if _valid(rule, value, root) else "else"
        return branch not in schema or _valid(schema[branch], value, root)
    if keyword in _NUMBER_BOUNDS:
        return not _is_number(value) or bool(_NUMBER_BOUNDS[keyword](value, rule))
    if isinstance(value, str):
        if keyword == "minLength":
            return bool(len(value) >= rule)
        if keyword == "maxLength":
            return bool(len(value) <= rule)
        if keyword == "pattern":
            return re.search(rule, value) is not None
    if isinstance(value, list):
        if keyword == "items":
            return all(_valid(rule, item, root) for item in value)
        if keyword == "minItems":
            return bool(len(value) >= rule)
    if isinstance(value, dict):
        return _object_keyword(keyword, rule, schema, value, root)
    if keyword in _SCALAR_KEYWORDS:
        return True  # a keyword that does not apply to this kind of value
    raise SchemaUndecided(keyword)


_SCALAR_KEYWORDS = frozenset(
    {
        "minLength",
        "maxLength",
        "pattern",
        "items",
        "minItems",
        "required",
        "properties",
        "additionalProperties",
        "propertyNames",
        "minProperties",
    }
)


def _object_keyword(
    keyword: str, rule: Any, schema: dict[str, Any], value: dict[str, Any], root: Any
) -> bool:
    if keyword == "required":
        return all(name in value for name in rule)
    if keyword == "properties":
        return all(_valid(rule[k], v, root) for k, v in value.items() if k in rule)
    if keyword == "additionalProperties":
        if "patternProperties" in schema:
            raise SchemaUndecided(keyword)
        known = schema.get("properties", {})
        return all(_valid(rule, v, root) for k, v in value.items() if k not in known)
    if keyword == "propertyNames":
        return all(_valid(rule, k, root) for k in value)
    if keyword == "minProperties":
        return bool(len(value) >= rule)
    if keyword in _SCALAR_KEYWORDS:
        return True
    raise SchemaUndecided(keyword)
