"""``qbo-sim parity FILE``: a thin shell over :mod:`qbo_sim.parity.replay` (``qbo_sim/cli.py``
adds it to the command line)."""

from __future__ import annotations

import json
import sys

import click


@click.command("parity", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--realm", default=None, help="The company (needed when a recording has several).")
@click.option("--json", "as_json", is_flag=True, help="The report as JSON on standard output.")
def parity_command(files: tuple[str, ...], realm: str | None, as_json: bool) -> None:
    """Replay recordings (qbo-sim record) against a fresh simulator seeded from each and
    report, per exchange, the structural differences between QBO's recorded answer and the
    simulator's: status, fault code/type/element, keys, value types, formats, XML element
    order. Faults the recorded books do not explain are injected (marked). Exit 1 when any
    exchange differs, 2 when a file cannot be read."""
    from qbo_sim.parity.replay import run
    from qbo_sim.recording.format import RecordingError, read_recording
    from qbo_sim.snapshot import SnapshotError

    reports = []
    for file in files:
        try:
            reports.append(run(read_recording(file), realm))
        except (RecordingError, SnapshotError) as error:
            click.echo(f"{file}: {error}", err=True)
            sys.exit(2)
    if as_json:
        docs = [r.to_dict() for r in reports]
        click.echo(json.dumps(docs[0] if len(docs) == 1 else docs, indent=1))
    else:
        for report in reports:
            click.echo(f"{report.recording} (realm {report.realm})")
            click.echo(report.render())
    sys.exit(1 if any(r.differing for r in reports) else 0)
