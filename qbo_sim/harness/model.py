"""Typed scenarios: a validated scenario file turned into :class:`Scenario` and :class:`Step`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qbo_sim.fault_rules import RuleError, parse_rule
from qbo_sim.harness.errors import ScenarioSchemaError
from qbo_sim.harness.given_checks import check_given, resolve_snapshot_path
from qbo_sim.harness.loader import LineMap, load_file, load_yaml
from qbo_sim.harness.schema import validate_scenario

#: The step keywords, in the order the schema lists them.
STEP_KINDS = (
    "apply",
    "sync",
    "qbo_user",
    "advance_clock",
    "inject",
    "outage",
    "operate",
    "expect",
    "deliver_webhooks",
)
DEFAULT_START = datetime(2026, 3, 2, 17, 0, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Step:
    index: int
    kind: str
    params: Any
    line: int
    id: str | None = None
    name: str | None = None
    #: line of each expectation of an ``expect`` step (same order as ``params``).
    item_lines: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return f"step {self.index + 1} ({self.kind}{': ' + self.name if self.name else ''})"


#: A realistic QBO round trip: a sequential integration makes about 4 requests a second, as
#: against production, instead of all of them at one frozen instant (which would hit the
#: 10 requests/second throttle on the 11th call).
DEFAULT_REQUEST_SECONDS = 0.25


@dataclass(frozen=True)
class Given:
    preset: str = "sample"
    seed: int = 0
    start: datetime = DEFAULT_START
    preferences: dict[str, Any] | None = None
    fidelity: dict[str, Any] | None = None
    #: simulated seconds each API request takes on the frozen clock (see Simulator).
    request_seconds: float = DEFAULT_REQUEST_SECONDS
    qbo: tuple[dict[str, Any], ...] = ()
    qbo_lines: tuple[int, ...] = ()
    #: a snapshot file (resolved against the scenario's folder) to start from instead of a preset.
    snapshot: str | None = None
    #: the snapshot's company to run in (None: the file's only company).
    realm: str | None = None
    #: False when ``start`` was not written: a snapshot's frozen clock is kept.
    start_explicit: bool = True
    #: alias → ``{"entity", "query"|"id"}``, resolved when the scenario starts.
    aliases: tuple[tuple[str, dict[str, Any]], ...] = ()
    alias_lines: tuple[int, ...] = ()
    snapshot_line: int = 0
    #: other companies of the scenario: (alias, {preset, seed, preferences, fidelity, qbo}).
    companies: tuple[tuple[str, dict[str, Any]], ...] = ()


@dataclass(frozen=True)
class Scenario:
    path: str
    name: str
    steps: tuple[Step, ...]
    given: Given = field(default_factory=Given)
    description: str = ""
    tags: tuple[str, ...] = ()
    source: str = ""
    expect_failure_for: tuple[str, ...] = ()
    line: int = 1


def _start(value: str | None) -> datetime:
    if not value:
        return DEFAULT_START
    instant = datetime.fromisoformat(value)
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def build(data: dict[str, Any], lines: LineMap, path: str) -> Scenario:
    """Turn an already validated document into a :class:`Scenario`."""
    given_data = data.get("given") or {}
    qbo = tuple(given_data.get("qbo") or ())
    aliases = tuple((given_data.get("aliases") or {}).items())
    given = Given(
        preset=given_data.get("preset", "sample"),
        seed=int(given_data.get("seed", 0)),
        start=_start(given_data.get("start")),
        preferences=given_data.get("preferences"),
        fidelity=given_data.get("fidelity"),
        request_seconds=float(given_data.get("request_seconds", DEFAULT_REQUEST_SECONDS)),
        qbo=qbo,
        qbo_lines=tuple(lines.line_of(("given", "qbo", i)) for i in range(len(qbo))),
        snapshot=resolve_snapshot_path(given_data.get("snapshot"), path),
        realm=None if given_data.get("realm") is None else str(given_data["realm"]),
        start_explicit=bool(given_data.get("start")) or not given_data.get("snapshot"),
        aliases=aliases,
        alias_lines=tuple(lines.line_of(("given", "aliases", name)) for name, _ in aliases),
        snapshot_line=lines.line_of(("given", "snapshot")),
        companies=tuple((given_data.get("companies") or {}).items()),
    )
    steps = []
    for index, raw in enumerate(data["steps"]):
        kind = next(k for k in STEP_KINDS if k in raw)
        params = raw[kind]
        item_lines: tuple[int, ...] = ()
        if kind == "expect":
            item_lines = tuple(lines.line_of(("steps", index, kind, i)) for i in range(len(params)))
        steps.append(
            Step(
                index=index,
                kind=kind,
                params=params,
                line=lines.line_of(("steps", index)),
                id=raw.get("id"),
                name=raw.get("name"),
                item_lines=item_lines,
            )
        )
    return Scenario(
        path=path,
        name=data["name"],
        steps=tuple(steps),
        given=given,
        description=data.get("description", ""),
        tags=tuple(data.get("tags") or ()),
        source=data.get("source", ""),
        expect_failure_for=tuple(data.get("expect_failure_for") or ()),
    )


def _has_reference(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_reference(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_reference(v) for v in value)
    return isinstance(value, str) and "$" in value


def check_injects(data: Any, lines: LineMap, filename: str) -> None:
    """Every ``inject`` step's rule through THE rule parser (:func:`parse_rule`), as the run
    will read it: an unknown fault, missing Detail params or a bad field is a file:line error
    at load time, not a failure at run. A rule naming a ``$`` reference (resolved only when
    the scenario runs) is left to the run."""
    steps = data.get("steps") if isinstance(data, dict) else None
    if not isinstance(steps, list):
        return
    problems: list[tuple[int, str]] = []
    for index, raw in enumerate(steps):
        rule = raw.get("inject") if isinstance(raw, dict) else None
        if not isinstance(rule, dict) or _has_reference(rule):
            continue
        try:
            parse_rule({k: v for k, v in rule.items() if k != "company"})
        except RuleError as error:
            path: tuple[str | int, ...] = ("steps", index, "inject")
            if error.field is not None and error.field in rule:
                path = (*path, error.field)
            problems.append(
                (lines.line_of(path), f"steps[{index}].inject: the rule is refused: {error}")
            )
    if problems:
        raise ScenarioSchemaError(filename, problems)


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate (file:line errors) and build one scenario file."""
    data, lines = load_file(path)
    validate_scenario(data, lines, str(path))
    check_given(data, lines, str(path))
    check_injects(data, lines, str(path))
    return build(data, lines, str(path))


def parse_scenario(text: str, path: str = "<string>") -> Scenario:
    data, lines = load_yaml(text, path)
    validate_scenario(data, lines, path)
    check_given(data, lines, path)
    check_injects(data, lines, path)
    return build(data, lines, path)


def discover(paths: list[str | Path]) -> list[Path]:
    """Scenario files under ``paths`` (files as given, directories searched recursively)."""
    found: list[Path] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            found.extend(sorted(p.rglob("*.scenario.yaml")) + sorted(p.rglob("*.scenario.yml")))
        else:
            found.append(p)
    return found
