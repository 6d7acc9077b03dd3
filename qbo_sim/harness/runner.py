"""Run one scenario against one integration and return a :class:`ScenarioResult`.

No pytest here: the pytest plugin and the CLI are both thin adapters over ``run_scenario``.
Each scenario gets its own simulator, on a frozen clock at ``given.start``, and its own
company built from ``given.seed``, so a run is deterministic.
"""

from __future__ import annotations

import shlex
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qbo_sim.harness.connection import Connection
from qbo_sim.harness.context import Failure, RunContext, StepFailed
from qbo_sim.harness.errors import (
    HarnessError,
    IntegrationError,
    ReuseLeakError,
    ScenarioSchemaError,
    StepError,
    UnsyncedRecordError,
)
from qbo_sim.harness.expectations import check_invariants
from qbo_sim.harness.given_snapshot import (
    SnapshotFileError,
    new_company_from_snapshot,
    resolve_aliases,
)
from qbo_sim.harness.integration import Driver, resolve_factory, spec_of
from qbo_sim.harness.model import Scenario, load_scenario
from qbo_sim.harness.protocol import ProtocolError
from qbo_sim.harness.steps import run_step
from qbo_sim.harness.steps.qbo import qbo_action_failed, run_qbo_action
from qbo_sim.harness.transport import http_server, in_process

if TYPE_CHECKING:
    from qbo_sim.simulator import Simulator

DEFAULT_JOURNAL_TAIL = 8


@dataclass
class ScenarioResult:
    path: str
    name: str
    integration: str
    integration_spec: str
    #: the scenario's own outcome: True when a step, expectation or invariant failed.
    failed: bool
    #: True when the scenario was expected to fail for this integration (negative self-test).
    expected_failure: bool
    failures: list[Failure] = field(default_factory=list)
    journal_tail: list[Any] = field(default_factory=list)
    steps_run: int = 0
    steps_total: int = 0
    integration_stderr: str = ""
    #: a ``cmd:`` integration whose process served earlier scenarios: which one this was.
    integration_process: str = ""

    @property
    def passed(self) -> bool:
        """The verdict: the scenario failed exactly when it was expected to."""
        return self.failed == self.expected_failure

    @property
    def reproduce(self) -> str:
        return (
            f"qbo-sim scenarios run {shlex.quote(self.path)} "
            f"--integration {shlex.quote(self.integration_spec)}"
        )


def _tokens(sim: Simulator, realm: str) -> dict[str, Any]:
    """A fresh OAuth token pair for the company, with the app (client) it was issued to, so
    that an integration can refresh it (grant_type=refresh_token). No ``id_token``: the
    connection does not carry one, and signing it would be most of a scenario's set-up."""
    tokens = sim.oauth.issue_tokens(realm, with_id_token=False)
    client = sim.oauth.default_client
    now = sim.clock.now()
    return {
        "access_token": tokens["access_token"],
        "refresh_token": tokens["refresh_token"],
        "access_token_expires_at": now + timedelta(seconds=int(tokens["expires_in"])),
        "refresh_token_expires_at": now
        + timedelta(seconds=int(tokens["x_refresh_token_expires_in"])),
        "client_id": client.client_id,
        "client_secret": client.client_secret,
    }


def _subscribe_webhooks(
    sim: Simulator, realm: str, driver: Driver, others: list[str] | None = None
) -> str | None:
    """The scenario's webhook verifier token; an integration with ``receive_webhook(headers,
    body)`` (in-process) is subscribed to the company's events, legacy format. A handler that
    raises answers like a failing endpoint (the notification is retried, docs/webhooks.md)."""
    webhooks = sim.webhooks
    verifier = f"qbo-sim-verifier-{realm}"
    if callable(getattr(driver.integration, "receive_webhook", None)):

        def receive(headers: dict[str, str], body: bytes) -> int:
            driver.call("receive_webhook", headers, body)
            return 200

        webhooks.subscribe(
            callback=receive, verifier_token=verifier, realms=[realm, *(others or [])]
        )
    return verifier


def _new_company(scenario: Scenario) -> tuple[Any, str]:
    from qbo_sim import Clock, Simulator

    given = scenario.given
    if given.snapshot is not None:
        return new_company_from_snapshot(given)
    sim = Simulator(
        seed=given.seed,
        clock=Clock(frozen_at=given.start),
        request_seconds=given.request_seconds,
    )
    realm = sim.create_company(
        given.preset,
        seed=given.seed,
        preferences=given.preferences,
        fidelity_settings=given.fidelity,
    )
    return sim, realm


def _other_companies(scenario: Scenario, sim: Simulator) -> dict[str, str]:
    """``given.companies``: more companies in the same simulator, alias → realm."""
    made = {}
    for alias, spec in scenario.given.companies:
        made[alias] = sim.create_company(
            spec.get("preset", "sample"),
            seed=int(spec.get("seed", scenario.given.seed)),
            preferences=spec.get("preferences"),
            fidelity_settings=spec.get("fidelity"),
        )
    return made


def _uses_http(integration: Any) -> bool:
    from qbo_sim.harness.jsonlines import SubprocessIntegration

    return isinstance(integration, SubprocessIntegration) or bool(
        getattr(integration, "needs_http", False)
    )


def _failure_from(exc: BaseException, line: int, where: str) -> Failure:
    if isinstance(exc, ProtocolError):
        return Failure(
            line,
            where,
            f"the integration broke the JSON-lines protocol in {exc.method}()",
            "messages as qbo_sim/harness/protocol.schema.json defines them",
            exc.message,
            "a subprocess integration must speak protocol 1 (docs/harness.md)",
            traceback=exc.traceback,
        )
    if isinstance(exc, ReuseLeakError):
        return Failure(
            line,
            where,
            "the integration kept the scenario's records after reset",
            f"{exc.kind} {exc.key!r} unknown after reset, or pending with no QBO id",
            exc.message,
            "a process that declares 'reuse' serves the next scenario: it must start it as "
            "a fresh process would, or the next scenario sees this one's records (the "
            "helpers reset by making a new object from the factory, so the state lives "
            "outside it: a module global, a shared instance; compare with --fresh-process)",
        )
    if isinstance(exc, IntegrationError):
        return Failure(
            line,
            where,
            f"the integration raised in {exc.method}()",
            "no exception",
            exc.message,
            "an integration must report QBO errors through status(), not crash",
            traceback=exc.traceback,
        )
    if isinstance(exc, UnsyncedRecordError):
        return Failure(
            line,
            where,
            "the step needs a record's QBO id, and the integration reports none",
            "a QBO id for the record",
            f"{exc} (its status: {exc.status})",
            "the integration did not sync that record, or did not report its QBO id, so this "
            "step has nothing to act on",
        )
    if isinstance(exc, StepError):
        return Failure(line, where, "the step could not run", "", str(exc), "scenario error")
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return Failure(
        line,
        where,
        "harness or simulator error",
        "",
        f"{type(exc).__name__}: {exc}",
        "a bug outside the integration",
        traceback=text,
    )


def run_scenario(
    scenario: Scenario | str | Path,
    integration: str | Callable[[], Any],
    *,
    expect_failure: bool | None = None,
    journal_tail: int = DEFAULT_JOURNAL_TAIL,
    fresh_process: bool = False,
) -> ScenarioResult:
    """Run ``scenario`` (a :class:`Scenario` or a file path) against ``integration``
    (a spec string, see :func:`qbo_sim.harness.integration.resolve_factory`, or a factory).
    ``fresh_process``: a ``cmd:`` integration's process is not one kept from an earlier
    scenario, and is not kept for a later one."""
    spec = integration if isinstance(integration, str) else spec_of(integration)
    path = scenario.path if isinstance(scenario, Scenario) else str(scenario)
    result = ScenarioResult(path, Path(path).name, spec.rpartition(":")[2], spec, False, False)
    try:
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
    except ScenarioSchemaError as exc:
        result.failed = True
        result.failures = [Failure(line, "schema", msg) for line, msg in exc.problems]
        return result
    result.name, result.steps_total = scenario.name, len(scenario.steps)
    try:
        factory, name = (
            resolve_factory(spec, fresh_process=fresh_process)
            if isinstance(integration, str)
            else (integration, getattr(integration, "__name__", "integration"))
        )
        instance = factory()
    except Exception as exc:
        result.failed = True
        result.failures = [
            Failure(
                0,
                "integration",
                "could not load the integration",
                spec,
                f"{type(exc).__name__}: {exc}",
                "",
            )
        ]
        return result
    driver = Driver(instance, name)
    result.integration = driver.name
    try:
        _run(scenario, driver, result, journal_tail)
    finally:
        try:
            driver.close()
        except HarnessError as exc:
            result.failures.append(_failure_from(exc, 0, "close"))
        stderr = getattr(instance, "stderr_tail", None)
        result.integration_stderr = stderr() if callable(stderr) else ""
        served = getattr(instance, "scenarios", 1)
        if isinstance(served, int) and served > 1:
            result.integration_process = (
                f"pid {getattr(instance, 'pid', '?')}, kept from {served - 1} earlier "
                "scenario(s) (reuse): if this scenario passes with --fresh-process, the "
                "integration carries state from one scenario to the next"
            )
    result.integration = driver.name
    result.failed = bool(result.failures)
    names = scenario.expect_failure_for
    result.expected_failure = (
        expect_failure
        if expect_failure is not None
        else driver.name in names or result.integration in names or name in names
    )
    if result.expected_failure and not result.failed:
        result.failures.append(
            Failure(
                scenario.line,
                "negative self-test",
                f"scenario passed but must fail for {driver.name}",
                "at least one failure",
                "every step passed",
                "the harness did not catch the integration it should catch",
            )
        )
    return result


def _run(scenario: Scenario, driver: Driver, result: ScenarioResult, tail: int) -> None:
    try:
        sim, realm = _new_company(scenario)
    except SnapshotFileError as exc:
        line = scenario.given.snapshot_line or 1
        result.failures.append(
            Failure(line, "given.snapshot", "the snapshot could not be loaded", "", str(exc))
        )
        return
    except Exception as exc:
        result.failures.append(_failure_from(exc, 1, "given"))
        return
    ctx = RunContext(scenario, sim, realm, driver)
    try:
        ctx.companies = _other_companies(scenario, sim)
        _given(ctx)
        transport = (
            http_server(sim, getattr(driver.integration, "pid", None))
            if _uses_http(driver.integration)
            else in_process(sim, ctx.api_host)
        )
        with transport as opened:
            base, session = opened if isinstance(opened, tuple) else (opened, None)
            verifier = _subscribe_webhooks(sim, realm, driver, list(ctx.companies.values()))

            def connection_to(company: str) -> Connection:
                made = Connection(
                    api_base_url=base,
                    realm_id=company,
                    now=sim.clock.now,
                    sleep=sim.clock.sleep,
                    http=session,
                    webhook_verifier=verifier,
                    **_tokens(sim, company),
                )
                if not base.startswith("https://"):  # served over HTTP: OAuth on the same host
                    made.oauth_token_url = base + "/oauth2/v1/tokens/bearer"
                return made

            connection = connection_to(realm)
            connection.companies = {a: connection_to(r) for a, r in ctx.companies.items()}
            driver.call("connect", connection)
            for step in scenario.steps:
                try:
                    run_step(ctx, step)
                except StepFailed as failed:
                    result.failures.extend(failed.failures)
                    if failed.fatal:
                        return
                except Exception as exc:
                    result.failures.append(_failure_from(exc, step.line, step.label))
                    return
                finally:
                    result.steps_run = step.index + 1
            result.failures.extend(check_invariants(ctx))
    except StepFailed as failed:
        result.failures.extend(failed.failures)
    except Exception as exc:
        result.failures.append(_failure_from(exc, 1, "setup"))
    finally:
        result.journal_tail = ctx.journal_since(0)[-tail:] if tail else []
        for error in getattr(sim, "errors", []):
            result.failures.append(_failure_from(error, 0, "simulator"))


def _given(ctx: RunContext) -> None:
    given = ctx.scenario.given
    resolve_aliases(ctx)  # first: the QBO user's setup may refer to the company's entities
    for index, action in enumerate(given.qbo):
        line = given.qbo_lines[index] if index < len(given.qbo_lines) else 1
        try:
            run_qbo_action(ctx, action)
        except StepError as exc:
            raise StepFailed([_failure_from(exc, line, f"given.qbo[{index}]")]) from exc
        except Exception as exc:
            raise StepFailed([qbo_action_failed(line, f"given.qbo[{index}]", action, exc)]) from exc
    for alias, spec in given.companies:
        for index, action in enumerate(spec.get("qbo") or ()):
            where = f"given.companies.{alias}.qbo[{index}]"
            try:
                with ctx.company(alias):
                    run_qbo_action(ctx, action)
            except StepError as exc:
                raise StepFailed([_failure_from(exc, 1, where)]) from exc
            except Exception as exc:
                raise StepFailed([qbo_action_failed(1, where, action, exc)]) from exc
