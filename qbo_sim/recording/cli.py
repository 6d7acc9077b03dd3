"""``qbo-sim record`` and ``qbo-sim scenarios from-recording``: thin shells over
:mod:`qbo_sim.recording.proxy` and :mod:`qbo_sim.recording.scenario` (``qbo_sim/cli.py``
adds them to the command line)."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

import click

#: ``-h`` as well as ``--help``.
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


@click.command("record", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--upstream",
    required=True,
    help="Where requests go: https://sandbox-quickbooks.api.intuit.com, or a qbo-sim server.",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder of the recording (recording-<n>.jsonl, the first n not taken).",
)
@click.option(
    "--port",
    default=8099,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port on 127.0.0.1 (0 picks a free one). The proxy listens on loopback only.",
)
@click.option(
    "--allow-production",
    is_flag=True,
    help="Allow the production API upstream (https://quickbooks.api.intuit.com): a "
    "customer's real books. Refused without it.",
)
@click.option(
    "--oauth-upstream",
    default=None,
    help="Where OAuth 2.0 and discovery paths go [default: Intuit's OAuth hosts for an "
    "Intuit upstream, else the upstream].",
)
@click.option(
    "--redact",
    "secrets",
    multiple=True,
    help="A value to redact wherever it appears, besides the tokens, secrets, codes and "
    "cookies found by their place (repeatable).",
)
def record_command(
    upstream: str,
    out: str,
    port: int,
    allow_production: bool,
    oauth_upstream: str | None,
    secrets: tuple[str, ...],
) -> None:
    """Record an integration's traffic: a proxy on 127.0.0.1 forwards every API, OAuth and
    discovery request to --upstream with the integration's own credentials and writes each
    exchange (request, response, timing, intuit_tid) to a recording, every token, secret,
    authorization code and cookie replaced by a placeholder before it is written.

    Point the integration's base URLs (API, OAuth token and authorization URLs, discovery)
    at the printed URL; Ctrl-C or SIGTERM stops. Then: qbo-sim scenarios from-recording
    FILE, qbo-sim parity FILE.
    """
    from qbo_sim.recording.format import RecordingError
    from qbo_sim.recording.proxy import RecordingProxy

    try:
        proxy = RecordingProxy(
            upstream,
            out,
            port=port,
            allow_production=allow_production,
            oauth_upstream=oauth_upstream,
            secrets=list(secrets),
        )
    except RecordingError as error:
        raise click.UsageError(str(error)) from None
    try:
        url = proxy.start()
    except OSError as error:
        reason = error.strerror or str(error)
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {reason}") from None
    click.echo(f"qbo-sim recording proxy on {url}")
    click.echo(f"  forwarding to:  {proxy.router.upstream}")
    click.echo(f"  recording to:   {proxy.path}")
    click.echo(f"  API base URL:   {url}  (instead of {proxy.router.upstream})")
    click.echo(f"  token URL:      {url}/oauth2/v1/tokens/bearer")
    click.echo("  stop with Ctrl-C (or SIGTERM)")
    sys.stdout.flush()
    try:
        with _stop_on_sigterm():
            proxy.wait()
    except KeyboardInterrupt:
        pass
    finally:
        proxy.stop()
    count = proxy.writer.count if proxy.writer is not None else 0
    click.echo(f"recorded {count} exchange(s) in {proxy.path}")
    click.echo(f"next: qbo-sim scenarios from-recording {proxy.path} --out DIR")


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM stops the proxy as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@click.command("from-recording", context_settings=CONTEXT_SETTINGS)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for <name>.scenario.yaml and fixtures/<name>.json.",
)
@click.option("--name", default=None, help="The scenario's name [default: from the file name].")
@click.option("--realm", default=None, help="The company (needed when the recording has several).")
@click.option("--source", default="", help="The ticket (number, link).")
@click.option(
    "--state",
    type=click.Choice(["before", "after"]),
    default="before",
    show_default=True,
    help="The snapshot's books: before the recording (without what it created, so the "
    "integration makes its calls again) or as it left them.",
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def from_recording_command(
    file: str,
    out: str,
    name: str | None,
    realm: str | None,
    source: str,
    state: str,
    force: bool,
) -> None:
    """Build a scenario from a recording (qbo-sim record): a snapshot of the QBO entities the
    recording read or wrote, and a skeleton that starts from it, injects each failed call's
    fault in order and expects the faulted calls, with TODO lines for the expectation."""
    from pathlib import Path

    from qbo_sim.recording.format import RecordingError, read_recording
    from qbo_sim.recording.scenario import from_recording, write
    from qbo_sim.snapshot import SnapshotError

    stem = Path(file).name.removesuffix(".jsonl")
    scenario_path = Path(out) / f"{stem}.scenario.yaml"
    if scenario_path.exists() and not force:
        raise click.UsageError(f"{scenario_path} exists (use --force to overwrite)")
    try:
        when = "last" if state == "after" else "before"
        recorded = from_recording(read_recording(file), realm, when=when)
        written, fixture = write(
            recorded,
            scenario_path,
            name=name or f"recorded: {stem}",
            source=source,
        )
    except (RecordingError, SnapshotError) as error:
        # a file that cannot be read or used: exit 2, as ``qbo-sim parity`` and ``scenarios
        # run`` exit on bad input (1 is theirs for a difference or a failed scenario)
        refusal = click.ClickException(str(error))
        refusal.exit_code = 2  # type: ignore[misc]  # click reads it per instance too
        raise refusal from None
    tables = recorded.snapshot["companies"][0].get("entities", {})
    rows = sum(len(t) for t in tables.values())
    click.echo(f"wrote {fixture} (realm {recorded.realm}, {rows} entities)")
    click.echo(f"wrote {written} ({len(recorded.faults)} fault step(s))")
    for step in recorded.faults:
        how = step.match.fault if step.match else "no catalogue fault: left as a comment"
        seqs = ", ".join(f"#{n}" for n in step.seqs)
        click.echo(f"  {seqs} {step.method} {step.path} -> {step.fault.describe()}: {how}")
    click.echo(
        f"next: fill in the FILL IN and TODO lines, then qbo-sim scenarios validate {written}"
    )
