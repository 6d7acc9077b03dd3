"""Fault injection (``sim.injector``): make chosen API requests fail the ways QBO fails.

A rule matches requests by ``realm``, ``entity`` (URL segment ``invoice`` or entity name
``Invoice``; for queries, the entity after ``FROM``), ``operation`` (create, read, update,
delete, void, query, batch, cdc, other), ``method`` and ``path`` (substring). It fires for the
next ``times`` matching requests, and/or with a seeded ``probability``; with neither, on every
match until removed. ``until`` bounds it in simulated time (outages). ``skip=N`` lets the first
N matching requests through untouched first (a recording whose third call to an endpoint
faulted: ``skip=2, times=1``); a request another rule answered before this one was reached is
not counted.

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

- ``envelope="lowercase"`` with a standard catalogue fault: the fault in the lower-case body
  QBO has been seen to send (ruckus/quickbooks-ruby PR#612); ``fault="throttled_legacy"`` (the
  older 403 throttle) and ``fault="proxy_timeout"`` (504 as XML 6002) are catalogue faults.

Matching rules are taken in the order they were added: latency-only rules accumulate, the first
rule with another outcome answers. ``rules()`` gives serialisable dicts for the control plane.

The rule model (:class:`Matcher`, :class:`Outcome`, :class:`Budget`) and THE parser of every
rule dialect, :func:`parse_rule`, live in :mod:`qbo_sim.fault_rules`; ``add(**kwargs)``, the
control plane's ``POST /_sim/faults`` and the scenario ``inject`` step all go through it.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote_plus

from flask import Response

from qbo_sim.clock import check_instant, duration
from qbo_sim.fault_rules import (
    DROP_HEADER,
    DROP_STATUS,
    INJECTED_SYSTEM_DETAIL,
    MAX_LATENCY,
    OPERATIONS,
    Budget,
    Matcher,
    Outcome,
    Rule,
    RuleError,
    RuleSpec,
    parse_rule,
)
from qbo_sim.faults import QBOFault
from qbo_sim.interfaces import SimulatorLike, Stage

__all__ = [
    "DEFAULT_OUTAGE_MINUTES",
    "DROP_HEADER",
    "DROP_STATUS",
    "INJECTED_SYSTEM_DETAIL",
    "MAX_LATENCY",
    "OPERATIONS",
    "Budget",
    "FaultInjector",
    "Matcher",
    "Outcome",
    "Rule",
    "RuleError",
    "RuleSpec",
    "describe",
    "error_response",
    "install",
    "parse_rule",
]

#: How long an outage lasts when neither minutes nor seconds are given.
DEFAULT_OUTAGE_MINUTES = 10
_ENTITY_PATH = re.compile(r"^/v3/company/[^/]+/(?P<segment>[^/]+)(?:/(?P<id>[^/]+))?/?$")
_QUERY_FROM = re.compile(r"\bfrom\s+(\w+)", re.IGNORECASE)


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
        skip: int | None = None,
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
        envelope: str | None = None,
    ) -> int:
        """Add a rule; returns its id. Raises :class:`RuleError` (a ValueError naming the
        field) for an unusable rule: the keywords are :func:`parse_rule`'s fields.

        ``until`` (a datetime or an ISO-8601 string) ends the rule in simulated time.
        """
        given = {name: value for name, value in locals().items() if name != "self"}
        return self.add_rule(given)

    def add_rule(self, rule: Mapping[str, Any]) -> int:
        """Add a rule given as a mapping (a control-plane body, a scenario ``inject`` step,
        with its ``http_5xx``/``drop``/``ambiguous``/``latency_seconds`` spellings)."""
        return self.add_spec(parse_rule(rule))

    def add_spec(self, spec: RuleSpec) -> int:
        """Add a rule :func:`parse_rule` has read; returns its id."""
        with self._lock:
            rule_id = next(self._ids)
            rng = spec.budget.rng(f"{self.sim.seed}:{rule_id}")
            self._rules.append(Rule(rule_id=rule_id, spec=spec, rng=rng))
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
    def idle(self, call: Any) -> bool:
        """No rule is configured: nothing can fire (nor add latency)."""
        return not self._rules

    def before(self, call: Any) -> Response | None:
        now = self.sim.clock.now()
        entity, operation = describe(call)
        latency = 0.0
        chosen: Rule | None = None
        reason = ""
        with self._lock:
            for rule in self._rules:
                if rule.exhausted(now):
                    continue
                matched, reason = rule.matcher.match(call, entity, operation, now)
                if not matched or rule.skips() or not rule.draws():
                    continue
                rule.fired += 1
                latency += rule.outcome.latency
                if rule.outcome.terminal:
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
        call.extras["injected_reason"] = f"rule {chosen.rule_id}: {reason}"
        if chosen.outcome.ambiguous:
            call.extras["ambiguous_rule"] = chosen
            return None
        return error_response(chosen, now)

    def after(self, call: Any, response: Response) -> Response:
        rule = call.extras.pop("ambiguous_rule", None)
        if rule is None:
            return response
        return error_response(rule, self.sim.clock.now())

    def batch_item_fault(self, realm: str, entity: str, operation: str) -> QBOFault | None:
        """The catalogue fault an entity-scoped rule injects into one batch item, or None.

        A rule naming an ``entity`` (and no ``method`` other than POST, no ``path``) that
        answers a catalogue ``fault`` applies to each matching item of a batch as to the same
        write sent alone: the item gets the fault as its ``Fault``, the other items run. Whole-
        request outcomes (HTTP statuses, drops, latency, commit-then-error) apply to the batch
        request itself, as rules without an entity do. (A batch item's Fault is always the
        standard one: a rule's ``envelope`` applies to whole responses only.)
        """
        now = self.sim.clock.now()
        with self._lock:
            for rule in self._rules:
                outcome = rule.outcome
                if not outcome.fault or outcome.ambiguous or rule.exhausted(now):
                    continue
                matched, _ = rule.matcher.match_batch_item(realm, entity, operation)
                if not matched or rule.skips() or not rule.draws():
                    continue
                rule.fired += 1
                return outcome.qbo_fault()
        return None


def error_response(rule: Rule, now: datetime | None = None) -> Response:
    """The response a firing rule answers with (``now``: the simulated time of the answer,
    used by the lower-case envelope's epoch-millisecond ``time``)."""
    if now is None:
        from qbo_sim.web import sim

        now = sim().clock.now()
    return rule.outcome.response(now)


def install(sim: SimulatorLike) -> FaultInjector:
    """A new ``sim.injector``, added to the gateway's hooks (its stage: ``injection``)."""
    injector = FaultInjector(sim)
    sim.hooks.add(injector)
    return injector
