"""pytest plugin (``pytest11`` entry point ``qbo_sim_scenarios``): scenario files as tests.

It does nothing unless enabled: give an integration (``--qbo-integration`` or the ini option
``qbo_scenarios_integration``) and/or scenario paths (``--qbo-scenarios`` or ini
``qbo_scenarios_paths``). Then every ``*.scenario.yaml`` pytest collects (under those paths,
when given) becomes one test item. Without an integration the items only validate the files
against the schema. Reports come from :mod:`qbo_sim.harness.reporting`; ``--junitxml`` works as
usual.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qbo_sim.harness.errors import HarnessError, ScenarioSchemaError

SUFFIXES = (".scenario.yaml", ".scenario.yml")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("qbo-sim scenarios")
    group.addoption(
        "--qbo-integration",
        dest="qbo_integration",
        default=None,
        help="integration to run scenarios against: package.module:factory, "
        "path/to/file.py:factory or 'cmd:<command line>'",
    )
    group.addoption(
        "--qbo-scenarios",
        dest="qbo_scenarios",
        action="append",
        default=[],
        help="collect *.scenario.yaml only under this path (repeatable)",
    )
    group.addoption(
        "--qbo-expect-failure",
        dest="qbo_expect_failure",
        action="store_true",
        help="negative self-test: every scenario must fail against the integration",
    )
    group.addoption(
        "--qbo-fresh-process",
        dest="qbo_fresh_process",
        action="store_true",
        help="cmd: integrations: a new process for every scenario, even when the "
        "integration declares 'reuse'",
    )
    parser.addini("qbo_scenarios_integration", "integration spec for scenario files", default="")
    parser.addini("qbo_scenarios_paths", "paths holding scenario files", type="paths", default=[])


def _integration(config: pytest.Config) -> str | None:
    return config.getoption("qbo_integration") or config.getini("qbo_scenarios_integration") or None


def _roots(config: pytest.Config) -> list[Path]:
    given = [Path(p).resolve() for p in config.getoption("qbo_scenarios")]
    return given + [Path(p).resolve() for p in config.getini("qbo_scenarios_paths")]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if not file_path.name.endswith(SUFFIXES):
        return None
    config = parent.config
    roots = _roots(config)
    if not roots and not _integration(config):
        return None
    resolved = file_path.resolve()
    if roots and not any(resolved == r or r in resolved.parents for r in roots):
        return None
    return ScenarioFile.from_parent(parent, path=file_path)


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from qbo_sim.harness.model import load_scenario

        path = Path(os.path.relpath(self.path, self.config.invocation_params.dir))
        if str(path).startswith(".."):
            path = self.path
        try:
            scenario: Any = load_scenario(path)
            name = scenario.name
        except ScenarioSchemaError as exc:
            scenario, name = exc, self.path.name
        yield ScenarioItem.from_parent(self, name=name, scenario=scenario)


class ScenarioFailed(HarnessError):
    """The scenario failed (or passed when it had to fail); carries the result."""

    def __init__(self, result: Any) -> None:
        super().__init__(result.name)
        self.result = result


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario

    def runtest(self) -> None:
        from qbo_sim.harness.runner import run_scenario

        if isinstance(self.scenario, ScenarioSchemaError):
            raise self.scenario
        integration = _integration(self.config)
        if integration is None:
            return  # validation only: the file loaded and matched the schema
        expect_failure = True if self.config.getoption("qbo_expect_failure") else None
        result = run_scenario(
            self.scenario,
            integration,
            expect_failure=expect_failure,
            fresh_process=bool(self.config.getoption("qbo_fresh_process")),
        )
        self.user_properties.append(("integration", result.integration))
        if not result.passed:
            raise ScenarioFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        from qbo_sim.harness.reporting import render

        if isinstance(excinfo.value, ScenarioFailed):
            return render(excinfo.value.result)
        if isinstance(excinfo.value, ScenarioSchemaError):
            return "scenario file does not match the schema:\n" + excinfo.value.render()
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, 0, f"scenario: {self.name}"
