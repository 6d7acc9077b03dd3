"""``qbo-sim scenarios run|list|validate|new|capture``: a thin shell over :mod:`harness.runner`,
:mod:`harness.scaffold` and :mod:`harness.capture`."""

from __future__ import annotations

import os
import sys

import click

from harness.errors import ScenarioSchemaError
from harness.model import discover, load_scenario


def _files(paths: tuple[str, ...]) -> list[str]:
    found = [str(p) for p in discover(list(paths))]
    if not found:
        raise click.UsageError("no *.scenario.yaml files under the given paths")
    return found


@click.group("scenarios")
def scenarios() -> None:
    """Run scenario files against a sync integration."""


@scenarios.command("run")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
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
def run(
    paths: tuple[str, ...], integration: str, expect_failure: bool, journal_tail: int, verbose: bool
) -> None:
    """Run scenario files (or directories of them); exit 1 if any fails, 2 if there are no
    scenario files or the integration cannot be loaded."""
    from harness.errors import IntegrationLoadError
    from harness.integration import resolve_factory
    from harness.reporting import integration_load_hint, render, summary
    from harness.runner import run_scenario

    files = _files(paths)
    try:
        resolve_factory(integration)  # once, so a typo is one error rather than one per file
    except IntegrationLoadError as exc:
        hint = integration_load_hint(str(exc))
        raise click.BadParameter(
            f"{exc}" + (f"; {hint}" if hint else ""), param_hint="'--integration'"
        ) from None
    except Exception:  # noqa: BLE001 - the module raised on import: each report shows it
        pass
    results = []
    for path in files:
        result = run_scenario(
            path,
            integration,
            expect_failure=True if expect_failure else None,
            journal_tail=journal_tail,
        )
        results.append(result)
        if result.passed and not verbose:
            note = " (failed as expected)" if result.expected_failure else ""
            click.echo(f"PASSED {path}: {result.name}{note}")
        else:
            click.echo(render(result))
    click.echo(summary(results))
    sys.exit(0 if all(r.passed for r in results) else 1)


@scenarios.command("list")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def list_scenarios(paths: tuple[str, ...]) -> None:
    """List scenarios: file, name, tags and source."""
    bad = 0
    for path in _files(paths):
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
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def validate(paths: tuple[str, ...]) -> None:
    """Check scenario files against the schema; errors name file and line (exit 2)."""
    bad = 0
    files = _files(paths)
    for path in files:
        try:
            load_scenario(path)
        except ScenarioSchemaError as exc:
            bad += 1
            click.echo(exc.render())
    click.echo(f"{len(files) - bad} valid, {bad} invalid")
    sys.exit(2 if bad else 0)


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

    from harness.scaffold import relative_to_scenario, render_new

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
    from harness.capture import CaptureError, from_snapshot, from_url, read_snapshot_file
    from harness.capture import write_capture as write

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
