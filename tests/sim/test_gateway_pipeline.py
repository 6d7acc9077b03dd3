"""The gateway pipeline (``sim.hooks``): one stated order (``interfaces.STAGES``), ``before`` in
that order, ``after`` in reverse, whatever order the hooks are added in."""

from __future__ import annotations

from typing import Any

import pytest

from qbo_sim import idempotency, injection, throttle, webhooks
from qbo_sim.interfaces import STAGES, ApiCall, Pipeline
from qbo_sim.throttle import Throttle
from qbo_sim.webhooks.hub import AutoDeliverHook


class Recorder:
    """A hook that logs its calls; wraps a real hook (passing everything on) or stands alone."""

    def __init__(self, stage: str, log: list[str], inner: Any = None, name: str = "") -> None:
        self.stage = stage
        self.log = log
        self.inner = inner
        self.name = name or stage

    def before(self, call: Any) -> Any:
        self.log.append(f"before {self.name}")
        return self.inner.before(call) if self.inner is not None else None

    def after(self, call: Any, response: Any) -> Any:
        self.log.append(f"after {self.name}")
        return self.inner.after(call, response) if self.inner is not None else response


def _call() -> ApiCall:
    return ApiCall(
        method="GET", path="/v3/company/1/x", args={}, body=b"", host="h", intuit_tid="t"
    )


def test_the_order_is_stated_once_and_a_simulator_has_one_hook_per_built_in_stage(sim):
    assert STAGES == ("throttle", "injection", "idempotency", "webhooks", "custom")
    assert sim.hooks.stages() == ["throttle", "injection", "idempotency", "webhooks"]
    hooks = list(sim.hooks)
    assert hooks[:3] == [sim.throttle, sim.injector, sim.idempotency]
    assert isinstance(hooks[3], AutoDeliverHook) and hooks[3].webhooks is sim.webhooks


def test_a_request_runs_before_in_stage_order_and_after_in_reverse(sim, api):
    log: list[str] = []
    spied = Pipeline()
    for hook in reversed(list(sim.hooks)):  # added last stage first: still placed in order
        spied.add(Recorder(hook.stage, log, inner=hook))
    spied.add(Recorder("custom", log))
    sim.hooks = spied
    assert api.get(f"companyinfo/{api.realm}").status_code == 200
    order = [*STAGES]
    assert log == [f"before {s}" for s in order] + [f"after {s}" for s in reversed(order)]


def test_a_hook_answering_in_before_stops_later_befores_but_every_after_runs():
    log: list[str] = []
    pipeline = Pipeline()
    answering = Recorder("injection", log)
    answering.before = lambda call: log.append("before injection") or "answer"
    for hook in (Recorder("idempotency", log), answering, Recorder("throttle", log)):
        pipeline.add(hook)
    assert pipeline.before(_call()) == "answer"
    assert log == ["before throttle", "before injection"]
    log.clear()
    assert pipeline.after(_call(), "response") == "response"
    assert log == ["after idempotency", "after injection", "after throttle"]


def test_hooks_added_out_of_order_are_placed_by_stage_custom_ones_in_the_order_added():
    log: list[str] = []
    pipeline = Pipeline()
    for stage, name in [
        ("custom", "first custom"),
        ("webhooks", "webhooks"),
        ("throttle", "throttle"),
        ("custom", "second custom"),
        ("idempotency", "idempotency"),
        ("injection", "injection"),
    ]:
        pipeline.add(Recorder(stage, log, name=name))
    assert pipeline.stages() == [
        "throttle",
        "injection",
        "idempotency",
        "webhooks",
        "custom",
        "custom",
    ]
    assert [h.name for h in pipeline][-2:] == ["first custom", "second custom"]


def test_features_installed_in_reverse_order_still_run_in_stage_order(sim):
    sim.hooks = Pipeline()
    hub = webhooks.install(sim)
    memory = idempotency.install(sim)
    injector = injection.install(sim)
    limiter = throttle.install(sim)
    assert list(sim.hooks)[:3] == [limiter, injector, memory]
    assert sim.hooks.stages() == ["throttle", "injection", "idempotency", "webhooks"]
    assert list(sim.hooks)[3].webhooks is hub


def test_a_second_hook_at_a_built_in_stage_is_refused(sim):
    with pytest.raises(ValueError, match="already has a throttle hook"):
        sim.hooks.add(Throttle(sim))
    assert sim.hooks.stages() == ["throttle", "injection", "idempotency", "webhooks"]


@pytest.mark.parametrize("stage", [None, "late", "Throttle"])
def test_a_hook_without_a_known_stage_is_refused(sim, stage):
    class Hook:
        def before(self, call: Any) -> None:
            return None

        def after(self, call: Any, response: Any) -> Any:
            return response

    hook = Hook()
    if stage is not None:
        hook.stage = stage
    with pytest.raises(ValueError, match="a hook declares one of"):
        sim.hooks.add(hook)
    assert len(sim.hooks) == 4


def test_remove_takes_a_hook_out(sim):
    custom = Recorder("custom", [])
    sim.hooks.add(custom)
    assert sim.hooks.stages()[-1] == "custom"
    sim.hooks.remove(custom)
    assert sim.hooks.stages() == ["throttle", "injection", "idempotency", "webhooks"]


class Idler(Recorder):
    """A recorder that says it is idle while ``idle_now`` is True."""

    idle_now = True

    def idle(self, call: Any) -> bool:
        self.log.append(f"idle? {self.name}")
        return self.idle_now


def test_an_idle_hook_is_skipped_before_and_after_and_the_choice_holds_for_the_call():
    log: list[str] = []
    pipeline = Pipeline()
    quiet, busy = Idler("throttle", log, name="quiet"), Recorder("custom", log, name="busy")
    pipeline.add(quiet)
    pipeline.add(busy)
    call = _call()
    assert pipeline.before(call) is None
    quiet.idle_now = False  # becoming busy mid-call: its after still does not run
    assert pipeline.after(call, "response") == "response"
    assert log == ["idle? quiet", "before busy", "after busy"]
    log.clear()
    call = _call()
    pipeline.before(call)
    quiet.idle_now = True  # idle again mid-call: its before ran, so its after runs too
    pipeline.after(call, "response")
    assert log == ["idle? quiet", "before quiet", "before busy", "after busy", "after quiet"]


def test_after_without_before_runs_every_hook_idle_or_not():
    log: list[str] = []
    pipeline = Pipeline()
    pipeline.add(Idler("throttle", log, name="quiet"))
    assert pipeline.after(_call(), "response") == "response"
    assert log == ["after quiet"]


def test_every_hook_of_an_unconfigured_simulator_is_idle_and_wakes_when_configured(sim, api):
    call = ApiCall(
        method="POST",
        path=f"/v3/company/{api.realm}/customer",
        args={},
        body=b"{}",
        host="h",
        intuit_tid="t",
        realm_id=api.realm,
        company=sim.company(api.realm),
    )
    sim.throttle.set_enabled(False)
    hooks = list(sim.hooks)
    assert [h.idle(call) for h in hooks] == [True, True, True, True]
    sim.throttle.set_enabled(True)
    sim.injector.add(entity="Customer", status=500)
    call.requestid = "r-1"
    sim.webhooks.auto_deliver = True
    assert [h.idle(call) for h in hooks] == [False, False, False, False]


def test_configured_hooks_still_act_through_the_gateway(sim, api):
    """With hooks idle by default, configuring one makes it act on the next request."""
    sim.throttle.set_enabled(False)
    assert api.get(f"companyinfo/{api.realm}").status_code == 200
    sim.injector.add(path="companyinfo", status=503)
    assert api.get(f"companyinfo/{api.realm}").status_code == 503
    sim.injector.clear()
    assert api.get(f"companyinfo/{api.realm}").status_code == 200
