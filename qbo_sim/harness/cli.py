"""``qbo-sim scenarios run|list|validate|new|capture|copy-library``: a thin shell over
:mod:`qbo_sim.harness.runner`, :mod:`qbo_sim.harness.scaffold` and :mod:`qbo_sim.harness.capture`.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from qbo_sim.harness.errors import ScenarioSchemaError
from qbo_sim.harness.model import Scenario, discover, load_scenario
from qbo_sim.scenarios import LIBRARY_DIR

F = TypeVar("F", bound=Callable[..., Any])


def _paths_and_library(command: F) -> F:
    """The PATHS argument and ``--library`` (the scenario library shipped in the package)."""
    command = click.option(
        "--library",
        is_flag=True,
        help=f"Also take the bundled scenario library ({LIBRARY_DIR}).",
    )(command)
    return click.argument("paths", nargs=-1, type=click.Path(exists=True))(command)


def _files(paths: tuple[str, ...], library: bool = False) -> list[str]:
    if not paths and not library:
        raise click.UsageError("give scenario files or directories, or --library")
    found = [str(p) for p in discover(list(paths))]
    if library:
        found += [str(p) for p in discover([str(LIBRARY_DIR)]) if str(p) not in found]
    if not found:
        raise click.UsageError("no *.scenario.yaml files under the given paths")
    return found


def _load_all(files: list[str]) -> tuple[list[Scenario], int]:
    """Every file parsed and checked against the schema; each invalid one reported once."""
    loaded, bad = [], 0
    for path in files:
        try:
            loaded.append(load_scenario(path))
        except ScenarioSchemaError as exc:
            bad += 1
            click.echo(exc.render())
    return loaded, bad


# -h too, also when this group is invoked on its own (click caches a command's help option)
@click.group("scenarios", context_settings={"help_option_names": ["-h", "--help"]})
def scenarios() -> None:
    """Run scenario files against a sync integration."""


@scenarios.command("run")
@_paths_and_library
@click.option(
    "--integration",
    "-i",
    required=True,
    envvar="QBO_INTEGRATION",
    help="package.module:factory, path/to/file.py:factory, or 'cmd:<command line>'.",
)
@click.option(
    "--expect-failure",
    is_flag=True,
    help="Negative self-test: every scenario must FAIL against this integration.",
)
@click.option("--journal-tail", default=8, show_default=True, help="API calls shown on failure.")
@click.option("--verbose", "-v", is_flag=True, help="Print the report of passing scenarios too.")
@click.option(
    "-k",
    "keyword",
    default=None,
    help="Only scenarios whose path or name contains this (case-insensitive; 'not X' excludes).",
)
@click.option("--tag", "tags", multiple=True, help="Only scenarios with this tag (repeatable).")
@click.option(
    "--random-order",
    is_flag=True,
    help="Shuffle the scenarios; the seed is printed (see --seed) so the order reproduces.",
)
@click.option("--seed", type=int, default=None, help="Seed of --random-order (implies it).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(0, 64),
    default=0,
    show_default=True,
    help="Worker processes; each scenario then runs in a fresh process of its own "
    "(0: all in this process, one after another). A cmd: integration then starts once per "
    "scenario: slower than one kept process.",
)
@click.option(
    "--junitxml",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write a JUnit XML report to this file.",
)
@click.option(
    "--fresh-process",
    is_flag=True,
    help="cmd: integrations: a new process for every scenario, even when the integration "
    "declares 'reuse' (slower; rules out state kept between scenarios).",
)
def run(
    paths: tuple[str, ...],
    library: bool,
    integration: str,
    expect_failure: bool,
    journal_tail: int,
    verbose: bool,
    keyword: str | None,
    tags: tuple[str, ...],
    random_order: bool,
    seed: int | None,
    jobs: int,
    junitxml: str | None,
    fresh_process: bool,
) -> None:
    """Run scenario files (or directories of them, or --library); exit 1 if any fails, 2 if a
    file is invalid or the integration cannot be loaded (nothing runs then)."""
    import random

    from qbo_sim.harness.errors import IntegrationLoadError
    from qbo_sim.harness.integration import resolve_factory
    from qbo_sim.harness.reporting import (
        integration_load_hint,
        render,
        summary,
        summary_details,
    )
    from qbo_sim.harness.session import TimedResult, run_all, select, shuffled, write_junit

    loaded, bad = _load_all(_files(paths, library))
    if bad:
        click.echo(f"{bad} invalid scenario file(s): nothing was run", err=True)
        sys.exit(2)
    chosen = select(loaded, keyword, tags)
    if not chosen:
        raise click.UsageError(f"no scenario of {len(loaded)} matches -k/--tag")
    if random_order or seed is not None:
        seed = random.randrange(10**6) if seed is None else seed
        chosen = shuffled(chosen, seed)
        click.echo(f"random order, seed {seed} (repeat it with --seed {seed})")
    try:
        resolve_factory(integration)  # once, so a typo is one error rather than one per file
    except IntegrationLoadError as exc:
        hint = integration_load_hint(str(exc))
        raise click.BadParameter(
            f"{exc}" + (f"; {hint}" if hint else ""), param_hint="'--integration'"
        ) from None
    except Exception as exc:  # noqa: BLE001 - the integration's module raised on import
        raise click.BadParameter(
            f"importing {integration} raised {type(exc).__name__}: {exc}",
            param_hint="'--integration'",
        ) from None

    def show(n: int, total: int, timed: TimedResult) -> None:
        result = timed.result
        took = f"({timed.seconds:.2f} s)"
        if result.passed and not verbose:
            note = " (failed as expected)" if result.expected_failure else ""
            click.echo(f"[{n}/{total}] PASSED {result.path}: {result.name}{note} {took}")
        else:
            click.echo(f"[{n}/{total}] {render(result)}\n  took {took[1:-1]}")

    started = time.perf_counter()
    timed = run_all(
        chosen,
        integration,
        expect_failure=True if expect_failure else None,
        journal_tail=journal_tail,
        jobs=jobs,
        on_result=show,
        fresh_process=fresh_process,
    )
    results = [t.result for t in timed]
    if junitxml:
        write_junit(timed, junitxml, render)
    click.echo(summary_details(results, time.perf_counter() - started))  # wall, not a sum
    click.echo(summary(results))
    sys.exit(0 if all(r.passed for r in results) else 1)


@scenarios.command("list")
@_paths_and_library
def list_scenarios(paths: tuple[str, ...], library: bool) -> None:
    """List scenarios: file, name, tags and source (exit 2 if a file is invalid)."""
    bad = 0
    for path in _files(paths, library):
        try:
            sc = load_scenario(path)
        except ScenarioSchemaError:
            bad += 1
            click.echo(f"{path}: INVALID (run 'validate')")
            continue
        tags = ", ".join(sc.tags) or "-"
        click.echo(f"{path}\n    {sc.name}\n    tags: {tags}\n    source: {sc.source or '-'}")
    sys.exit(2 if bad else 0)


@scenarios.command("validate")
@_paths_and_library
def validate(paths: tuple[str, ...], library: bool) -> None:
    """Check scenario files against the schema; errors name file and line (exit 2)."""
    loaded, bad = _load_all(_files(paths, library))
    click.echo(f"{len(loaded)} valid, {bad} invalid")
    sys.exit(2 if bad else 0)


@scenarios.command("copy-library")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Copy into a directory that already has files.")
def copy_library(directory: str, force: bool) -> None:
    """Copy the bundled scenario library (with its fixtures) into DIRECTORY, to edit and run."""
    target = Path(directory)
    if target.exists() and any(target.iterdir()) and not force:
        raise click.UsageError(f"{directory} is not empty (use --force to copy into it)")
    shutil.copytree(
        LIBRARY_DIR,
        target,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__init__.py", "__pycache__", "*.pyc"),
    )
    count = len(list(target.rglob("*.scenario.yaml")))
    click.echo(f"copied {count} scenario(s) to {directory}")
    click.echo(f"next: qbo-sim scenarios run {directory} --integration mypkg.sync:make")


@scenarios.command("new")
@click.option("--name", required=True, help="The scenario's name (one line).")
@click.option(
    "--article-section",
    type=click.IntRange(1, 10),
    default=None,
    help="Pre-fill source and the steps typical of this section of the troubleshooting article.",
)
@click.option(
    "--snapshot",
    "snapshot",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Start from this snapshot file (qbo-sim export) instead of the empty preset.",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(
    name: str, article_section: int | None, snapshot: str | None, output: str, force: bool
) -> None:
    """Write a scenario file to fill in (FILL IN comments say what); it validates as is."""
    from pathlib import Path

    from qbo_sim.harness.scaffold import relative_to_scenario, render_new

    target = Path(output)
    if target.exists() and not force:
        raise click.UsageError(f"{output} exists (use --force to overwrite)")
    ref = relative_to_scenario(snapshot, target) if snapshot else None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_new(name, article_section, ref), encoding="utf-8")
    click.echo(f"wrote {output}")
    click.echo(f"next: fill in the FILL IN comments, then qbo-sim scenarios validate {output}")


@scenarios.command("capture")
@click.option("--url", default=None, help="Base URL of a running qbo-sim (qbo-sim serve).")
@click.option(
    "--snapshot",
    "snapshot",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A snapshot file: the company to start from (with --url: instead of the server's "
    "current state, e.g. the books exported before the incident).",
)
@click.option("--realm", default=None, help="The company (needed when there are several).")
@click.option("--name", required=True, help="The scenario's name (one line).")
@click.option("--source", default="", help="The ticket (number, link) and article section.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File.")
@click.option(
    "--fixture",
    type=click.Path(dir_okay=False),
    default=None,
    help="Where the snapshot goes [default: fixtures/<scenario name>.json next to the file].",
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def capture(
    url: str | None,
    snapshot: str | None,
    realm: str | None,
    name: str,
    source: str,
    output: str,
    fixture: str | None,
    force: bool,
) -> None:
    """Freeze a running simulator's company (or a snapshot file) and the faulted API calls of
    its journal as a snapshot fixture and a scenario skeleton."""
    from qbo_sim.harness.capture import CaptureError, from_snapshot, from_url, read_snapshot_file
    from qbo_sim.harness.capture import write_capture as write

    if not url and not snapshot:
        raise click.UsageError("give --url (a running qbo-sim) or --snapshot FILE, or both")
    if os.path.exists(output) and not force:
        raise click.UsageError(f"{output} exists (use --force to overwrite)")
    try:
        if url:
            books = read_snapshot_file(snapshot) if snapshot else None
            captured = from_url(url, realm, books)
        else:
            assert snapshot is not None
            captured = from_snapshot(snapshot, realm)
        scenario_file, fixture_file = write(
            captured, output, name=name, fixture_path=fixture, source=source
        )
    except CaptureError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {fixture_file} (snapshot of realm {captured.realm})")
    click.echo(f"wrote {scenario_file} ({len(captured.faults)} faulted call(s) expected)")
    for call in captured.faults:
        click.echo(f"  {call.count} x {call.example}")
    click.echo(f"next: fill in the FILL IN comments, then qbo-sim scenarios validate {output}")


main = scenarios
