"""``qbo-sim scenarios run|list|validate``: a thin shell over :mod:`harness.runner`."""

from __future__ import annotations

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
    """Run scenario files (or directories of them); exit 1 if any fails."""
    from harness.reporting import render, summary
    from harness.runner import run_scenario

    results = []
    for path in _files(paths):
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


main = scenarios
