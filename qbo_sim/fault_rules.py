"""Fault-injection rules: the model and THE one parser of every rule dialect.

A rule is three parts:

- a :class:`Matcher`, *which requests*: ``realm``, ``entity`` (URL segment ``invoice`` or entity
  name ``Invoice``; for queries, the entity after ``FROM``), ``operation`` (one of
  :data:`OPERATIONS`), ``method`` and ``path`` (substring). ``match()`` answers ``(matched,
  reason)`` as the ``responses`` library's matchers do; the reason names the field that decided;
- an :class:`Outcome`, *what happens*: a catalogue ``fault`` (optionally in the lower-case
  ``envelope``), a bare ``status``, a ``drop``, ``latency``, ``ambiguous`` (commit, then error);
- a :class:`Budget`, *how often*: ``skip`` (the first N matching requests go through
  untouched), then ``times``, a seeded ``probability``, ``until`` (simulated time).

:func:`parse_rule` reads a rule from a mapping and is used by all three entry points: the Python
API (``sim.injector.add(**kwargs)``), the control plane's JSON body (``POST /_sim/faults``) and
the scenario ``inject`` step. It accepts the scenario spellings too: ``fault`` ``http_500`` ..
``http_504`` (a bare status), ``drop``, ``ambiguous``, and ``latency_seconds`` for ``latency``.
Whatever it refuses raises :class:`RuleError`, which names the offending ``field``.

Envelope variants QBO has been seen to send (docs/control-plane.md, "Envelope variants"):

- ``envelope="lowercase"`` with a standard catalogue fault: the fault in the lower-case body
  ``{"fault":{"error":[{"message","detail","code"}],"type"},"batchItemResponse":[],
  "attachableResponse":[],"time":<epoch ms>,"cdcresponse":[]}``, as captured for 6240 in
  ruckus/quickbooks-ruby PR#612 ("Intuit alternate JSON response", 2024-06-23, an
  intermittent answer of the sandbox); always JSON;
- ``fault="throttled_legacy"``: the older throttle answer, HTTP 403 with the XML SERVICE fault
  3001 ``statusCode=403`` (python-quickbooks#43, quickbooks-ruby#338; catalogue entry);
- ``fault="proxy_timeout"``: a 504 as the XML SERVICE fault 6002 "Timeout occurred while
  proxying request" (quickbooks-ruby PR#175; catalogue entry).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Response

from qbo_sim.clock import check_instant, duration, epoch_millis
from qbo_sim.errors import SimError
from qbo_sim.faults import CATALOGUE, QBOFault
from qbo_sim.serialize import HTML_TYPE, JSON_TYPE, dumps, outage_page
from qbo_sim.web import fault_to_response

#: The longest injected latency, in seconds (assumed bound: an hour of simulated time).
MAX_LATENCY = 3600.0
DROP_HEADER = "X-QBO-Sim-Drop"
DROP_STATUS = 599
OPERATIONS = ("create", "read", "update", "delete", "void", "query", "batch", "cdc", "other")
#: Bare HTTP statuses a rule may answer (``status=`` or the scenario's ``http_<status>``).
STATUSES = (500, 502, 503, 504)
#: Envelopes a catalogue fault may be re-rendered in (``envelope=``).
ENVELOPES = ("lowercase",)
#: Detail of an injected SystemFault (assumed; real ones quote a Java exception, §2.3 10000).
INJECTED_SYSTEM_DETAIL = "java.lang.NullPointerException"
#: The scenario files' ``fault`` spellings of outcomes that are not catalogue faults.
SHORTHANDS = ("drop", "ambiguous", *(f"http_{status}" for status in STATUSES))
#: Every field a rule mapping may have.
FIELDS = (
    "realm", "entity", "operation", "method", "path",
    "fault", "params", "element", "status", "drop", "latency", "latency_seconds", "ambiguous",
    "envelope",
    "skip", "times", "probability", "seed", "until",
)  # fmt: skip


class RuleError(SimError, ValueError):
    """A rule the parser refuses; ``field`` names the offending field (None: the whole rule)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


# --- the model --------------------------------------------------------------------------
@dataclass(frozen=True)
class Matcher:
    """Which requests a rule applies to; a field left None matches anything."""

    realm: str | None = None
    entity: str | None = None
    operation: str | None = None
    method: str | None = None
    path: str | None = None

    def match(
        self, call: Any, entity: str | None, operation: str, now: datetime
    ) -> tuple[bool, str]:
        """``(matched, reason)`` for an API call described as ``entity``/``operation``
        (:func:`qbo_sim.injection.describe`) at simulated time ``now``."""
        del now  # no matcher field depends on time yet; the Budget's ``until`` does
        if self.realm is not None and self.realm != call.realm_id:
            return False, f"realm {call.realm_id!r} is not {self.realm!r}"
        if self.method is not None and self.method != call.method:
            return False, f"method {call.method} is not {self.method}"
        if self.path is not None and self.path not in call.path:
            return False, f"path {call.path!r} does not contain {self.path!r}"
        return self._match_entity(entity, operation)

    def match_batch_item(self, realm: str, entity: str, operation: str) -> tuple[bool, str]:
        """``(matched, reason)`` for one item of a batch: only entity-scoped rules (no
        ``path``, no method but POST) reach into a batch."""
        if self.entity is None:
            return False, "no entity: applies to the batch request itself"
        if self.path is not None or self.method not in (None, "POST"):
            return False, "a path or a method other than POST: the batch request itself"
        if self.realm is not None and self.realm != realm:
            return False, f"realm {realm!r} is not {self.realm!r}"
        return self._match_entity(entity, operation)

    def _match_entity(self, entity: str | None, operation: str) -> tuple[bool, str]:
        if self.operation is not None and self.operation != operation:
            return False, f"operation {operation} is not {self.operation}"
        if self.entity is not None and (entity is None or self.entity.lower() != entity.lower()):
            return False, f"entity {entity!r} is not {self.entity!r}"
        return True, f"matched {self.describe()}"

    def describe(self) -> str:
        named = [f"{k}={v!r}" for k, v in self.to_dict().items() if v is not None]
        return ", ".join(named) if named else "every request"

    def to_dict(self) -> dict[str, Any]:
        return {
            "realm": self.realm,
            "entity": self.entity,
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
        }


@dataclass(frozen=True)
class Outcome:
    """What a firing rule does: at most one of ``fault``/``status``/``drop`` answers;
    ``latency`` advances the clock first; ``ambiguous`` lets the request commit first."""

    fault: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    element: str | None = None
    status: int | None = None
    drop: bool = False
    latency: float = 0.0
    ambiguous: bool = False
    envelope: str | None = None

    @property
    def terminal(self) -> bool:
        """True when the rule answers (False: latency only, the request then runs)."""
        return bool(self.fault or self.status or self.drop or self.ambiguous)

    def qbo_fault(self) -> QBOFault:
        assert self.fault is not None
        return QBOFault(self.fault, element=self.element, **self.params)

    def response(self, now: datetime) -> Response:
        """The response the outcome answers with at simulated time ``now``."""
        if self.drop:
            response = Response(b"", status=DROP_STATUS)
            response.headers[DROP_HEADER] = "1"
            return response
        if self.fault:
            fault = self.qbo_fault()
            if self.envelope == "lowercase":
                return Response(
                    dumps(lowercase_body(fault, now)), status=fault.status, content_type=JSON_TYPE
                )
            return fault_to_response(fault)
        if self.status == 500:
            return fault_to_response(QBOFault("system_fault", detail=INJECTED_SYSTEM_DETAIL))
        status = self.status or 503
        return Response(outage_page(status), status=status, content_type=HTML_TYPE)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "fault": self.fault,
            "params": dict(self.params),
            "element": self.element,
            "status": self.status,
            "drop": self.drop,
            "latency": self.latency,
            "ambiguous": self.ambiguous,
        }
        if self.envelope is not None:  # only when set: older clients see the same keys
            out["envelope"] = self.envelope
        return out


def lowercase_body(fault: QBOFault, now: datetime) -> dict[str, Any]:
    """The lower-case envelope captured for 6240 (ruckus/quickbooks-ruby PR#612):
    ``{"fault":{"error":[{"message":"Duplicate Name Exists Error","detail":"The name supplied
    already exists. : null","code":"6240"}],"type":"ValidationFault"},"batchItemResponse":[],
    "attachableResponse":[],"time":1719142418269,"cdcresponse":[]}``. The capture has no
    ``element``; one is written only when the fault names a field (assumed)."""
    error: dict[str, Any] = {"message": fault.spec.message, "detail": fault.detail}
    error["code"] = fault.code
    if fault.element:
        error["element"] = fault.element
    return {
        "fault": {"error": [error], "type": fault.spec.type},
        "batchItemResponse": [],
        "attachableResponse": [],
        "time": epoch_millis(now),
        "cdcresponse": [],
    }


@dataclass(frozen=True)
class Budget:
    """How often a rule fires: after the first ``skip`` matches (let through untouched, as
    QBO answered the first calls of a recording before it faulted the next), the next
    ``times`` matches, each with a seeded ``probability``, until simulated time ``until``;
    with none of them, on every match until removed."""

    times: int | None = None
    probability: float | None = None
    seed: int | str | None = None
    until: datetime | None = None
    skip: int = 0

    def exhausted(self, fired: int, now: datetime) -> bool:
        if self.times is not None and fired >= self.times:
            return True
        return self.until is not None and now >= self.until

    def remaining(self, fired: int) -> int | None:
        return None if self.times is None else max(0, self.times - fired)

    def rng(self, default_seed: str) -> random.Random | None:
        """The draw of a probability rule (``seed``, else ``default_seed``); None without."""
        if self.probability is None:
            return None
        return random.Random(self.seed if self.seed is not None else default_seed)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "times": self.times,
            "probability": self.probability,
            "seed": self.seed,
            "until": self.until.isoformat() if self.until else None,
        }
        if self.skip:  # only when set: older clients see the same keys
            out["skip"] = self.skip
        return out


@dataclass(frozen=True)
class RuleSpec:
    """A parsed rule, not yet added: its matcher, outcome and budget."""

    matcher: Matcher
    outcome: Outcome
    budget: Budget


@dataclass
class Rule:
    """A rule added to ``sim.injector``: its spec and how often it has fired."""

    rule_id: int
    spec: RuleSpec
    fired: int = 0
    rng: random.Random | None = None
    #: matching requests let through so far because of ``skip``
    skipped: int = 0

    @property
    def matcher(self) -> Matcher:
        return self.spec.matcher

    @property
    def outcome(self) -> Outcome:
        return self.spec.outcome

    @property
    def budget(self) -> Budget:
        return self.spec.budget

    def exhausted(self, now: datetime) -> bool:
        return self.budget.exhausted(self.fired, now)

    def skips(self) -> bool:
        """Whether this matching request is one of the first ``skip`` (counted: it goes
        through untouched, and the rule neither fires nor draws)."""
        if self.skipped < self.budget.skip:
            self.skipped += 1
            return True
        return False

    def draws(self) -> bool:
        """One probability draw (always True for a rule without a probability)."""
        return self.rng is None or self.rng.random() < (self.budget.probability or 0.0)

    def to_dict(self) -> dict[str, Any]:
        """The serialisable form ``rules()`` and the control plane answer."""
        out: dict[str, Any] = {"id": self.rule_id, **self.matcher.to_dict()}
        budget = self.budget.to_dict()
        out.update(times=budget["times"], probability=budget["probability"], seed=budget["seed"])
        out["until"] = budget["until"]
        out.update(self.outcome.to_dict())
        out.update(fired=self.fired, remaining=self.budget.remaining(self.fired))
        if self.budget.skip:  # only when set: older clients see the same keys
            out.update(skip=self.budget.skip, skipped=self.skipped)
        return out


# --- the parser -------------------------------------------------------------------------
def parse_rule(mapping: Mapping[str, Any]) -> RuleSpec:
    """THE parser of a fault rule, from any entry point; :class:`RuleError` when unusable.

    A field that is absent or None takes its default. See the module docstring for the fields.
    """
    if not isinstance(mapping, Mapping):
        raise RuleError(None, f"a rule is a mapping of fields, not {type(mapping).__name__}")
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise RuleError(unknown[0], f"unknown field; a rule takes {', '.join(FIELDS)}")
    rule = {k: v for k, v in mapping.items() if v is not None}
    return RuleSpec(_matcher(rule), _outcome(rule), _budget(rule))


def _of(rule: Mapping[str, Any], name: str, kinds: tuple[type, ...], what: str) -> Any:
    value = rule.get(name)
    if value is None:
        return None
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise RuleError(name, f"must be {what}, not {value!r}")
    return value


def _text(rule: Mapping[str, Any], name: str) -> str | None:
    value: str | None = _of(rule, name, (str,), "a string")
    return value


def _matcher(rule: Mapping[str, Any]) -> Matcher:
    operation = _text(rule, "operation")
    if operation is not None and operation not in OPERATIONS:
        raise RuleError("operation", f"must be one of {OPERATIONS}, not {operation!r}")
    method = _text(rule, "method")
    return Matcher(
        realm=_text(rule, "realm"),
        entity=_text(rule, "entity"),
        operation=operation,
        method=method.upper() if method else None,
        path=_text(rule, "path"),
    )


def _outcome(rule: Mapping[str, Any]) -> Outcome:
    fault = _text(rule, "fault")
    status = rule.get("status")
    if status is not None and (isinstance(status, bool) or status not in STATUSES):
        raise RuleError("status", f"must be 500, 502, 503 or 504, not {status!r}")
    drop = bool(_of(rule, "drop", (bool,), "true or false"))
    ambiguous = bool(_of(rule, "ambiguous", (bool,), "true or false"))
    if fault in SHORTHANDS:  # the scenario files' spellings
        if fault == "drop":
            drop = True
        elif fault == "ambiguous":
            ambiguous = True
        else:
            if status is not None and status != int(fault[5:]):
                raise RuleError("status", f"{status} disagrees with fault {fault!r}")
            status = int(fault[5:])
        fault = None
    status = None if status is None else int(status)
    latency = _latency(rule)
    params = _of(rule, "params", (dict,), "an object of Detail parameters") or {}
    element = _text(rule, "element")
    if "element" in params:
        raise RuleError(
            "params",
            "element is not a Detail param: give it at the rule level "
            f"(element: {params['element']!r}); {{element}} in a Detail is filled from it",
        )
    if fault is not None:
        _check_fault(fault, element, params)
    if sum(bool(x) for x in (fault, status, drop)) > 1:
        raise RuleError(None, "choose one of fault=, status= or drop=")
    if ambiguous and fault is None and not drop:
        status = status or 500
    if not (fault or status or drop or ambiguous or latency):
        raise RuleError(None, "a rule needs an outcome: fault, status, drop, latency or ambiguous")
    return Outcome(
        fault=fault,
        params=dict(params),
        element=element,
        status=status,
        drop=drop,
        latency=latency,
        ambiguous=ambiguous,
        envelope=_envelope(rule, fault),
    )


def _latency(rule: Mapping[str, Any]) -> float:
    if "latency" in rule and "latency_seconds" in rule:
        raise RuleError("latency_seconds", "give latency or latency_seconds, not both")
    name = "latency_seconds" if "latency_seconds" in rule else "latency"
    value: float = _of(rule, name, (int, float), "a number of seconds")
    if not value:
        return 0.0
    try:
        negative = duration(seconds=value) < timedelta(0)
    except ValueError as error:
        raise RuleError(name, str(error)) from None
    if negative or value > MAX_LATENCY:
        raise RuleError(name, f"must be between 0 and {MAX_LATENCY} seconds, not {value!r}")
    return value  # as given (30 stays 30 in rules(), as before)


def _check_fault(fault: str, element: str | None, params: dict[str, Any]) -> None:
    spec = CATALOGUE.get(fault)
    if spec is None:
        raise RuleError(
            "fault",
            f"no fault {fault!r} in the catalogue; use a key of the fault table in "
            f"docs/fidelity.md (e.g. stale_object, duplicate_name), or one of {SHORTHANDS}, "
            "or status/drop/ambiguous",
        )
    # a blank value leaves a hole in QBO's sentence ("You and  were working..."): refused
    missing = [
        name
        for name in spec.params()
        if name not in params or (isinstance(params[name], str) and not params[name].strip())
    ]
    if missing:
        example = ", ".join(f'"{name}": ...' for name in missing)
        raise RuleError(
            "params", f"fault {fault!r} needs params {{{example}}} for its Detail {spec.detail!r}"
        )
    try:
        QBOFault(fault, element=element, **params)
    except (KeyError, TypeError, ValueError) as error:
        raise RuleError("params", str(error.args[0]) if error.args else str(error)) from None


def _envelope(rule: Mapping[str, Any], fault: str | None) -> str | None:
    envelope = _text(rule, "envelope")
    if envelope is None:
        return None
    if envelope not in ENVELOPES:
        raise RuleError("envelope", f"must be one of {ENVELOPES}, not {envelope!r}")
    if fault is None or CATALOGUE[fault].envelope != "standard":
        raise RuleError(
            "envelope", f"{envelope!r} re-renders a standard catalogue fault; give fault="
        )
    return envelope


def _budget(rule: Mapping[str, Any]) -> Budget:
    times = _of(rule, "times", (int,), "a whole number")
    if times is not None and times < 0:
        raise RuleError("times", f"must be 0 or more, not {times}")
    probability = _of(rule, "probability", (int, float), "a number")
    if probability is not None and not 0.0 <= probability <= 1.0:
        raise RuleError("probability", f"must be between 0 and 1, not {probability!r}")
    seed = _of(rule, "seed", (int, str), "a whole number or a string")
    skip = _of(rule, "skip", (int,), "a whole number") or 0
    if skip < 0:
        raise RuleError("skip", f"must be 0 or more, not {skip}")
    return Budget(times=times, probability=probability, seed=seed, until=_until(rule), skip=skip)


def _until(rule: Mapping[str, Any]) -> datetime | None:
    until = _of(rule, "until", (datetime, str), "an ISO-8601 instant")
    if until is None:
        return None
    try:
        if isinstance(until, str):
            until = datetime.fromisoformat(until)
        if until.tzinfo is None:
            until = until.replace(tzinfo=UTC)
        return check_instant(until)
    except ValueError as error:
        raise RuleError("until", str(error)) from None
