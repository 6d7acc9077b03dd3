"""Steps on the QBO side: ``qbo_user`` edits, ``advance_clock``, ``inject`` and ``outage``."""

from __future__ import annotations

import copy
import re
from typing import Any

from qbo_sim.harness.context import Failure, RunContext, StepFailed
from qbo_sim.harness.errors import StepError
from qbo_sim.harness.model import Step

_NUMBER = re.compile(r"\{n(?::(\d+))?\}")


def numbered(value: Any, n: int) -> Any:
    """``value`` with every ``{n}`` / ``{n:4}`` in its strings replaced by ``n`` (padded)."""
    if isinstance(value, str):
        return _NUMBER.sub(lambda m: str(n).zfill(int(m.group(1) or 0)), value)
    if isinstance(value, dict):
        return {k: numbered(v, n) for k, v in value.items()}
    if isinstance(value, list):
        return [numbered(v, n) for v in value]
    return value


def run_qbo_action(ctx: RunContext, action: dict[str, Any]) -> Any:
    """Carry out one QBO user action (in its ``company``); remember the result's alias."""
    with ctx.company(action.get("company")):
        return _run_qbo_action(ctx, action)


def _run_qbo_action(ctx: RunContext, action: dict[str, Any]) -> Any:
    params = ctx.resolve(copy.deepcopy(action))
    user = ctx.sim.as_user(ctx.realm)
    kind, entity = params["action"], params.get("entity") or "Invoice"
    entity_id = None if params.get("id") is None else str(params["id"])
    if kind == "set_subscription":
        if params.get("status") not in ("ended", "active"):
            raise StepError("qbo_user set_subscription needs status: ended or active")
        ctx.sim.set_subscription(ctx.realm, params["status"])
        return None
    if kind not in ("create", "record_payment", "move") and entity_id is None:
        raise StepError(f"qbo_user {kind} needs an id")
    given_id = entity_id or ""  # every action that reaches a record has one (checked above)
    if kind == "create":
        if "body" not in params or "entity" not in params:
            raise StepError("qbo_user create needs entity and body")
        for n in range(1, int(params.get("count") or 1) + 1):  # `count`: bulk set-up
            body = numbered(params["body"], n) if "count" in params else params["body"]
            result = user.create(entity, body)
    elif kind == "edit":
        result = user.sparse_update(entity, given_id, **(params.get("fields") or {}))
    elif kind in ("delete", "void", "deactivate", "reactivate"):
        result = getattr(user, kind)(entity, entity_id)
    elif kind == "move":
        if entity_id is None or params.get("customer") is None:
            raise StepError("qbo_user move needs id (the invoice) and customer")
        result = user.move_invoice(entity_id, str(params["customer"]))
    elif kind == "merge":
        if params.get("into") is None or "entity" not in params:
            raise StepError("qbo_user merge needs entity, id (merged away) and into (survivor)")
        result = user.merge(entity, given_id, str(params["into"]))
    elif kind == "record_payment":
        if entity_id is None:
            raise StepError("qbo_user record_payment needs id (the invoice)")
        result = user.record_payment(entity_id, params.get("amount"))
    else:  # the schema lists the actions; keep the error explicit anyway
        raise StepError(f"unknown qbo_user action {kind!r}")
    if params.get("alias"):
        ctx.aliases[params["alias"]] = result
    return result


def qbo_action_failed(line: int, where: str, action: dict[str, Any], exc: Exception) -> Failure:
    code = getattr(exc, "code", None)
    message = getattr(exc, "message", None) or str(exc)
    return Failure(
        line=line,
        where=where,
        title=f"QBO user action {action.get('action')} {action.get('entity', '')} was rejected",
        expected="the QBO user's edit succeeds",
        observed=f"QBO fault {code}: {message}" if code else f"{type(exc).__name__}: {exc}",
        reason="the scenario's QBO-side setup is inconsistent with the company",
    )


def qbo_user_step(ctx: RunContext, step: Step) -> None:
    try:
        run_qbo_action(ctx, step.params)
    except StepError:
        raise
    except Exception as exc:
        raise StepFailed([qbo_action_failed(step.line, step.label, step.params, exc)]) from exc


def advance_clock(ctx: RunContext, step: Step) -> None:
    p = step.params
    seconds = (
        float(p.get("seconds", 0))
        + 60 * float(p.get("minutes", 0))
        + 3600 * float(p.get("hours", 0))
        + 86400 * float(p.get("days", 0))
    )
    ctx.sim.clock.advance(seconds)


def deliver_webhooks(ctx: RunContext, step: Step) -> None:
    """``sim.webhooks.deliver()``: send every due webhook notification now (docs/webhooks.md);
    ``drop`` / ``reverse`` / ``duplicate`` (counts) first apply ``drop_next`` (lost for good),
    ``reverse_next`` (events newest first) and ``duplicate_next`` (sent twice) to the next
    notifications."""
    webhooks = getattr(ctx.sim, "webhooks", None)
    if webhooks is None:
        raise StepError("webhooks are not available in this qbo-sim (no sim.webhooks)")
    p = step.params or {}
    if p.get("drop"):
        webhooks.drop_next(int(p["drop"]))
    if p.get("reverse"):
        webhooks.reverse_next(int(p["reverse"]))
    if p.get("duplicate"):
        webhooks.duplicate_next(int(p["duplicate"]))
    webhooks.deliver()


def _injector(ctx: RunContext) -> Any:
    injector = getattr(ctx.sim, "injector", None)
    if injector is None:
        raise StepError("fault injection is not available in this qbo-sim (no sim.injector)")
    return injector


def inject(ctx: RunContext, step: Step) -> None:
    """``sim.injector.add_rule``: the one rule parser reads the step as written (``fault`` a
    catalogue key, ``http_500``..``http_504``, ``drop`` or ``ambiguous``; ``latency_seconds``;
    ``envelope``), for the step's ``company`` (default: the scenario's)."""
    params = ctx.resolve(copy.deepcopy(step.params))
    with ctx.company(params.pop("company", None)):
        try:
            _injector(ctx).add_rule({**params, "realm": ctx.realm})
        except (KeyError, TypeError, ValueError) as exc:
            raise StepError(f"the injector refused the rule {step.params}: {exc}") from exc


def outage(ctx: RunContext, step: Step) -> None:
    params = dict(step.params)
    with ctx.company(params.pop("company", None)):
        _injector(ctx).outage(realm=ctx.realm, **params)
