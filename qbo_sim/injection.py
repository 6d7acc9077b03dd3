"""Fault injection (``sim.injector``): make chosen API requests fail the ways QBO fails.

A rule matches requests by ``realm``, ``entity`` (URL segment ``invoice`` or entity name
``Invoice``; for queries, the entity after ``FROM``), ``operation`` (create, read, update,
delete, void, query, batch, cdc, other), ``method`` and ``path`` (substring). It fires for the
next ``times`` matching requests, and/or with a seeded ``probability``; with neither, on every
match until removed. ``until`` bounds it in simulated time (outages).

Outcomes (one per rule):

- ``fault="stale_object", params={...}``: any catalogue fault, rendered in its envelope;
- ``status=500``: SystemFault 10000 (HTTP 500, §8); ``status=502|503|504``: the load balancer's
  HTML page (§1.5), still with ``intuit_tid``;
- ``drop=True``: a dropped connection. The app answers status 599 (assumed, for the journal)
  with header ``X-QBO-Sim-Drop: 1`` and no body; the in-process transport turns it into
  ``requests.exceptions.ConnectionError``, and the waitress server (``qbo_sim.server``) shuts
  the socket so the client gets no response at all;
- ``latency=N``: advance ``sim.clock`` by N seconds before answering (alone: the request then
  runs normally; with another outcome: before it);
- ``ambiguous=True`` with ``status`` (default 500) or ``drop``: the request executes and
  commits, then the client receives the error instead of the success. The idempotency hook runs
  inside this one, so the real success is stored under the ``requestid`` and a retry with the
  same id gets it.

Matching rules are taken in the order they were added: latency-only rules accumulate, the first
rule with another outcome answers. ``rules()`` gives serialisable dicts for the control plane.
"""

from __future__ import annotations

import itertools
import random
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote_plus

from flask import Response

from qbo_sim.clock import check_instant, duration
from qbo_sim.faults import QBOFault
from qbo_sim.interfaces import SimulatorLike, Stage
from qbo_sim.serialize import HTML_TYPE, outage_page
from qbo_sim.web import fault_to_response

#: How long an outage lasts when neither minutes nor seconds are given.
DEFAULT_OUTAGE_MINUTES = 10
#: The longest injected latency, in seconds (assumed bound: an hour of simulated time).
MAX_LATENCY = 3600.0
DROP_HEADER = "X-QBO-Sim-Drop"
DROP_STATUS = 599
OPERATIONS = ("create", "read", "update", "delete", "void", "query", "batch", "cdc", "other")
#: Detail of an injected SystemFault (assumed; real ones quote a Java exception, §2.3 10000).
INJECTED_SYSTEM_DETAIL = "java.lang.NullPointerException"
_ENTITY_PATH = re.compile(r"^/v3/company/[^/]+/(?P<segment>[^/]+)(?:/(?P<id>[^/]+))?/?$")
_QUERY_FROM = re.compile(r"\bfrom\s+(\w+)", re.IGNORECASE)


@dataclass
class Rule:
    rule_id: int
    realm: str | None = None
    entity: str | None = None
    operation: str | None = None
    method: str | None = None
    path: str | None = None
    times: int | None = None
    probability: float | None = None
    seed: int | None = None
    until: datetime | None = None
    fault: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    element: str | None = None
    status: int | None = None
    drop: bool = False
    latency: float = 0.0
    ambiguous: bool = False
    fired: int = 0
    rng: random.Random | None = None

    @property
    def terminal(self) -> bool:
        return bool(self.fault or self.status or self.drop or self.ambiguous)

    def exhausted(self, now: datetime) -> bool:
        if self.times is not None and self.fired >= self.times:
            return True
        return self.until is not None and now >= self.until

    def to_dict(self) -> dict[str, Any]:
        keys = ("realm", "entity", "operation", "method", "path", "times", "probability", "seed")
        out: dict[str, Any] = {"id": self.rule_id}
        out.update({k: getattr(self, k) for k in keys})
        out.update(
            until=self.until.isoformat() if self.until else None,
            fault=self.fault,
            params=dict(self.params),
            element=self.element,
            status=self.status,
            drop=self.drop,
            latency=self.latency,
            ambiguous=self.ambiguous,
            fired=self.fired,
            remaining=None if self.times is None else max(0, self.times - self.fired),
        )
        return out


def describe(call: Any) -> tuple[str | None, str]:
    """``(entity segment or name, operation)`` of an API call, as rules match them."""
    match = _ENTITY_PATH.match(call.path)
    if match is None:
        return None, "other"
    segment, entity_id = match.group("segment"), match.group("id")
    args = {k.lower(): (v or "").lower() for k, v in call.args.items()}
    if segment == "query":
        text = call.args.get("query") or unquote_plus(call.body.decode("utf-8", "replace"))
        found = _QUERY_FROM.search(text or "")
        return (found.group(1) if found else None), "query"
    if segment in ("batch", "cdc"):
        return None, segment
    if call.method == "GET":
        return segment, "read"
    operation = args.get("operation", "")
    if operation == "delete":
        return segment, "delete"
    if operation == "void" or (operation == "update" and "void" in args.get("include", "")):
        return segment, "void"
    if operation == "update" or (entity_id is None and b'"Id"' in call.body):
        return segment, "update"
    return segment, "create"


class FaultInjector:
    """``sim.injector``: the gateway hook of stage ``injection`` (the order of the hooks is
    :data:`qbo_sim.interfaces.STAGES`)."""

    stage: Stage = "injection"

    def __init__(self, sim: SimulatorLike) -> None:
        self.sim = sim
        self._lock = threading.Lock()
        self._rules: list[Rule] = []
        self._ids = itertools.count(1)

    # --- Python API ---------------------------------------------------------------------
    def add(
        self,
        *,
        realm: str | None = None,
        entity: str | None = None,
        operation: str | None = None,
        method: str | None = None,
        path: str | None = None,
        times: int | None = None,
        probability: float | None = None,
        seed: int | None = None,
        until: datetime | str | None = None,
        fault: str | None = None,
        params: dict[str, Any] | None = None,
        element: str | None = None,
        status: int | None = None,
        drop: bool = False,
        latency: float = 0.0,
        ambiguous: bool = False,
    ) -> int:
        """Add a rule; returns its id. Raises ValueError/KeyError for an unusable rule.

        ``until`` (a datetime or an ISO-8601 string) ends the rule in simulated time.
        """
        if isinstance(until, str):
            until = datetime.fromisoformat(until)
            if until.tzinfo is None:
                until = until.replace(tzinfo=UTC)
        if operation is not None and operation not in OPERATIONS:
            raise ValueError(f"operation must be one of {OPERATIONS}")
        if isinstance(until, datetime):
            until = check_instant(until)
        if latency and (duration(seconds=latency) < timedelta(0) or latency > MAX_LATENCY):
            raise ValueError(f"latency must be between 0 and {MAX_LATENCY} seconds")
        if probability is not None and not 0.0 <= probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        if status is not None and status not in (500, 502, 503, 504):
            raise ValueError("status must be 500, 502, 503 or 504")
        if fault is not None:
            QBOFault(fault, element=element, **(params or {}))  # unknown key / missing params
        outcomes = sum(bool(x) for x in (fault, status, drop))
        if outcomes > 1:
            raise ValueError("choose one of fault=, status= or drop=")
        if ambiguous and fault is None and not drop:
            status = status or 500
        if not outcomes and not ambiguous and not latency:
            raise ValueError("a rule needs an outcome: fault, status, drop, latency or ambiguous")
        with self._lock:
            rule_id = next(self._ids)
            rng = None
            if probability is not None:
                rng = random.Random(seed if seed is not None else f"{self.sim.seed}:{rule_id}")
            self._rules.append(
                Rule(
                    rule_id=rule_id,
                    realm=realm,
                    entity=entity,
                    operation=operation,
                    method=method.upper() if method else None,
                    path=path,
                    times=times,
                    probability=probability,
                    seed=seed,
                    until=until,
                    fault=fault,
                    params=dict(params or {}),
                    element=element,
                    status=status,
                    drop=drop,
                    latency=latency,
                    ambiguous=ambiguous,
                    rng=rng,
                )
            )
            return rule_id

    def outage(
        self,
        minutes: float | None = None,
        status: int = 503,
        realm: str | None = None,
        seconds: float | None = None,
    ) -> int:
        """Every API request (of ``realm``, or all) fails with ``status`` for ``minutes`` plus
        ``seconds`` of simulated time from now; 10 minutes when neither is given
        (``outage(seconds=30)`` lasts 30 seconds)."""
        if minutes is None and seconds is None:
            minutes = DEFAULT_OUTAGE_MINUTES
        length = duration(minutes=minutes or 0, seconds=seconds or 0)
        if length < timedelta(0):
            raise ValueError("an outage cannot last a negative time")
        until = check_instant(self.sim.clock.now(), length)
        return self.add(realm=realm, status=status, until=until)

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.rule_id != rule_id]
            return len(self._rules) != before

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r.to_dict() for r in self._rules]

    # --- gateway hook -------------------------------------------------------------------
    def before(self, call: Any) -> Response | None:
        now = self.sim.clock.now()
        entity, operation = describe(call)
        latency = 0.0
        chosen: Rule | None = None
        with self._lock:
            for rule in self._rules:
                if not self._matches(rule, call, entity, operation, now) or not self._fires(rule):
                    continue
                rule.fired += 1
                latency += rule.latency
                if rule.terminal:
                    chosen = rule
                    break
        if latency:
            try:
                self.sim.clock.advance(latency)
            except ValueError:  # the clock is at the end of its years: it stays there
                pass
        if chosen is None:
            return None
        call.extras["injected_rule"] = chosen.rule_id
        if chosen.ambiguous:
            call.extras["ambiguous_rule"] = chosen
            return None
        return error_response(chosen)

    def after(self, call: Any, response: Response) -> Response:
        rule = call.extras.pop("ambiguous_rule", None)
        if rule is None:
            return response
        return error_response(rule)

    def batch_item_fault(self, realm: str, entity: str, operation: str) -> QBOFault | None:
        """The catalogue fault an entity-scoped rule injects into one batch item, or None.

        A rule naming an ``entity`` (and no ``method`` other than POST, no ``path``) that
        answers a catalogue ``fault`` applies to each matching item of a batch as to the same
        write sent alone: the item gets the fault as its ``Fault``, the other items run. Whole-
        request outcomes (HTTP statuses, drops, latency, commit-then-error) apply to the batch
        request itself, as rules without an entity do.
        """
        now = self.sim.clock.now()
        with self._lock:
            for rule in self._rules:
                if (
                    not rule.fault
                    or rule.ambiguous
                    or rule.entity is None
                    or rule.entity.lower() != entity.lower()
                    or rule.path is not None
                    or rule.method not in (None, "POST")
                    or (rule.realm is not None and rule.realm != realm)
                    or (rule.operation is not None and rule.operation != operation)
                    or rule.exhausted(now)
                    or not self._fires(rule)
                ):
                    continue
                rule.fired += 1
                return QBOFault(rule.fault, element=rule.element, **rule.params)
        return None

    # --- internals ------------------------------------------------------------------------
    @staticmethod
    def _matches(rule: Rule, call: Any, entity: str | None, operation: str, now: datetime) -> bool:
        if rule.exhausted(now):
            return False
        if rule.realm is not None and rule.realm != call.realm_id:
            return False
        if rule.method is not None and rule.method != call.method:
            return False
        if rule.path is not None and rule.path not in call.path:
            return False
        if rule.operation is not None and rule.operation != operation:
            return False
        if rule.entity is not None and (entity is None or rule.entity.lower() != entity.lower()):
            return False
        return True

    @staticmethod
    def _fires(rule: Rule) -> bool:
        return rule.rng is None or rule.rng.random() < (rule.probability or 0.0)


def error_response(rule: Rule) -> Response:
    """The response a firing rule answers with."""
    if rule.drop:
        response = Response(b"", status=DROP_STATUS)
        response.headers[DROP_HEADER] = "1"
        return response
    if rule.fault:
        return fault_to_response(QBOFault(rule.fault, element=rule.element, **rule.params))
    if rule.status == 500:
        return fault_to_response(QBOFault("system_fault", detail=INJECTED_SYSTEM_DETAIL))
    status = rule.status or 503
    return Response(outage_page(status), status=status, content_type=HTML_TYPE)


def install(sim: SimulatorLike) -> FaultInjector:
    """A new ``sim.injector``, added to the gateway's hooks (its stage: ``injection``)."""
    injector = FaultInjector(sim)
    sim.hooks.add(injector)
    return injector
