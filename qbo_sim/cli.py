"""The ``qbo-sim`` command line."""

from __future__ import annotations

import click

from qbo_sim.auth import DEV_TOKEN


@click.group()
@click.version_option(package_name="qbo-sim")
def main() -> None:
    """qbo-sim: a QuickBooks Online Accounting API v3 simulator."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8080, show_default=True, type=int, help="0 picks a free port.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the sample data.")
@click.option(
    "--preset",
    default="sample",
    show_default=True,
    type=click.Choice(["sample", "empty"]),
    help="The company to start with.",
)
@click.option("--threads", default=8, show_default=True, type=int, help="Server threads.")
def serve(host: str, port: int, seed: int, preset: str, threads: int) -> None:
    """Run the simulator as an HTTP server (waitress, threaded) with one company."""
    from waitress.server import create_server

    from qbo_sim.simulator import Simulator

    sim = Simulator(seed=seed)
    realm = sim.create_company(preset, seed=seed)
    server = create_server(sim.app, host=host, port=port, threads=threads)
    base = f"http://{host}:{server.effective_port}"  # type: ignore[union-attr]
    click.echo(f"qbo-sim serving on {base}")
    click.echo(f"  realm id:     {realm}")
    click.echo(f"  API base URL: {base}/v3/company/{realm}")
    click.echo(f"  auth header:  Authorization: Bearer {DEV_TOKEN}")
    click.echo(
        f"  try:          curl -H 'Authorization: Bearer {DEV_TOKEN}' "
        f"-H 'Accept: application/json' {base}/v3/company/{realm}/companyinfo/{realm}"
    )
    try:
        server.run()
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        pass
