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
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

from qbo_sim.harness.errors import ScenarioSchemaError
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
    found = problems(data, lines, scenario_validator())
    if found:
        raise ScenarioSchemaError(filename, found)


def record_problems(change: Any) -> list[str]:
    """Schema violations of one record change (used by the subprocess adapter and tests)."""
    return [
        f"{_where(e.absolute_path)}: {e.message}" for e in records_validator().iter_errors(change)
    ]
