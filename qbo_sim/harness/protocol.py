"""The JSON-lines protocol's schema (version 1) and the check of every line an integration writes.

``qbo_sim/harness/protocol.schema.json`` (draft 2020-12) defines each message in both
directions: the harness's requests (``hello`` handshake, ``connect``, ``apply``, ``sync``,
``status``, ``operate``, ``inbound``, ``webhook``, ``close``, and from revision 2 ``reset``
and ``statuses``) and its replies to the
integration's clock calls; the integration's responses (a result of the method's shape, or an
error) and its ``now`` / ``sleep`` calls. :func:`check_line` is what the subprocess adapter
runs on each stdout line: a line that breaks the schema is a :class:`ProtocolError` naming the
line (its number on stdout and its text) and what is wrong with it. ``docs/harness.md`` renders
the schema (``python3 docs/gen_protocol.py``, tested up to date).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

from qbo_sim.harness.errors import IntegrationError
from qbo_sim.harness.schema import records_schema

PROTOCOL_SCHEMA_PATH = Path(__file__).resolve().parent / "protocol.schema.json"
#: The version this harness speaks (the schema's ``x-protocol-version``).
PROTOCOL_VERSION = 1
#: What an integration may declare in its ``hello`` result.
CAPABILITIES = ("webhooks", "inbound", "companies", "reuse", "statuses")
#: The schema's ``x-protocol-revision``: additions within version 1 (2: ``reset``, ``statuses``).
PROTOCOL_REVISION = 2
#: How much of an offending line a report quotes.
QUOTE_CHARS = 300


class ProtocolError(IntegrationError):
    """A line on the integration's stdout that breaks the protocol (``protocol.schema.json``)."""

    def __init__(self, method: str, line_number: int, line: str, problem: str) -> None:
        self.line_number = line_number
        self.line = line
        self.problem = problem
        quoted = line if len(line) <= QUOTE_CHARS else line[:QUOTE_CHARS] + "..."
        super().__init__(
            method,
            f"protocol error: stdout line {line_number}: {problem}\n    the line: {quoted}",
        )


@cache
def protocol_schema() -> dict[str, Any]:
    """The protocol's JSON Schema (its ``$defs`` are the messages)."""
    schema: dict[str, Any] = json.loads(PROTOCOL_SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def _registry() -> Registry[dict[str, Any]]:
    records = records_schema()
    protocol = protocol_schema()
    registry: Registry[dict[str, Any]] = Registry().with_resources(
        [
            (records["$id"], Resource.from_contents(records)),
            (protocol["$id"], Resource.from_contents(protocol)),
        ]
    )
    return registry


@cache
def validator(*path: str) -> Draft202012Validator:
    """A validator for ``$defs/<path...>`` (e.g. ``validator("results", "status")``)."""
    ref = "/".join(("#/$defs", *path))
    return Draft202012Validator({"$ref": protocol_schema()["$id"] + ref}, registry=_registry())


def _branch(error: ValidationError) -> list[ValidationError]:
    """The errors of the ``oneOf``/``anyOf`` branch the author most likely meant: the one
    missing fewest required keys, then with fewest errors, then the first in the schema."""
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context or ():
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)

    def score(item: tuple[Any, list[ValidationError]]) -> tuple[int, int, Any]:
        index, errors = item
        missing = sum(e.validator == "required" and not e.relative_path for e in errors)
        return (missing, len(errors), index)

    return min(branches.items(), key=score)[1]


def _describe(error: ValidationError) -> str:
    best = error
    while best.context:  # a oneOf/anyOf: within the meant branch, the deepest error
        best = min(_branch(best), key=lambda e: (-len(e.absolute_path), len(e.message)))
    where = ".".join(str(p) for p in best.absolute_path)
    return f"{where}: {best.message}" if where else best.message


def problem_with(message: Any, definition: tuple[str, ...]) -> str | None:
    """What is wrong with ``message`` against ``$defs/<definition>``, or None."""
    errors = sorted(validator(*definition).iter_errors(message), key=lambda e: e.path)
    return _describe(errors[0]) if errors else None


#: Verdicts already reached: a message that passed, keyed by what its validity depends on
#: (:func:`_verdict_key`). Only passes are kept (a problem's text quotes the values). Bounded.
_PASSED: set[tuple[Any, ...]] = set()
_PASSED_LIMIT = 20_000


def _id_class(ident: Any) -> tuple[Any, ...]:
    """What the schema can tell apart in an ``id``: its JSON type and, for a number, whether
    it is whole and not negative (``minimum: 0``)."""
    if isinstance(ident, bool) or not isinstance(ident, int | float):
        return (type(ident).__name__,)
    return ("number", float(ident).is_integer(), ident >= 0)


def _verdict_key(message: dict[str, Any], method: str) -> tuple[Any, ...]:
    rest = {k: v for k, v in message.items() if k != "id"}
    return (method, _id_class(message.get("id")), json.dumps(rest, sort_keys=True))


def _passes(message: dict[str, Any], method: str) -> bool:
    """Whether the message is valid, by the one branch of ``integration_message`` it can
    match (a ``response`` allows no ``method``, a ``call`` requires it: the ``oneOf`` is
    decided by that key) and its result's shape; quick, without describing a problem."""
    if "method" in message:
        return bool(validator("call").is_valid(message))
    if not validator("response").is_valid(message):
        return False
    return "result" not in message or bool(validator("results", method).is_valid(message["result"]))


def check_line(line_number: int, line: str, method: str) -> dict[str, Any] | None:
    """The message on one stdout line, checked; None for a line that is not a message
    (it does not start with ``{``: print debugging). ``method`` is the request being answered:
    a response's ``result`` must have that method's shape (``$defs/results/<method>``).

    A harness sends thousands of alike lines (``{"id": 7, "result": null}``), so a message
    equal to one that passed, but for its id's value, passes without the schema being run
    again; anything else is validated, and a problem is described in full."""
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        message = json.loads(text)
    except ValueError as exc:
        raise ProtocolError(method, line_number, text, f"not JSON ({exc})") from None
    except RecursionError:
        raise ProtocolError(method, line_number, text, "nested too deeply to read") from None
    if not isinstance(message, dict):  # a JSON text that starts with "{" is an object
        raise ProtocolError(method, line_number, text, "not a JSON object")
    try:
        key = _verdict_key(message, method)
        if key in _PASSED:
            return message
        if _passes(message, method):
            if len(_PASSED) >= _PASSED_LIMIT:
                _PASSED.clear()
            _PASSED.add(key)
            return message
    except RecursionError:
        raise ProtocolError(method, line_number, text, "nested too deeply to check") from None
    # described against the one branch it can be (see _passes), not the oneOf of both
    problem = problem_with(message, ("call",) if "method" in message else ("response",))
    if problem is None and "result" in message and "method" not in message:
        result_problem = problem_with(message["result"], ("results", method))
        if result_problem is not None:
            problem = f"the result of {method}: {result_problem}"
    if problem is None:  # the quick check and the full one disagree: never expected
        problem = "does not match integration_message"
    raise ProtocolError(method, line_number, text, problem)
