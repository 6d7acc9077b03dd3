"""The ``qbo-sim`` command line."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from qbo_sim.auth import DEV_TOKEN

#: ``-h`` as well as ``--help``, on every command and group (inherited by sub-commands).
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CONTEXT_SETTINGS)
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
@click.option(
    "--state",
    type=click.Path(exists=True, dir_okay=False),
    help="Start from a snapshot file (qbo-sim export) instead of a new company.",
)
def serve(host: str, port: int, seed: int, preset: str, threads: int, state: str | None) -> None:
    """Run the simulator as an HTTP server (waitress, threaded) with one company."""
    from waitress.server import create_server

    from qbo_sim.server import server_app
    from qbo_sim.simulator import Simulator

    sim = Simulator(seed=seed)
    if state:
        try:
            with open(state, encoding="utf-8") as handle:
                realms = sim.import_state(json.load(handle))
        except ValueError as error:  # not JSON, or not a snapshot this version reads
            raise click.ClickException(f"cannot load {state}: {error}") from None
        realm = realms[0] if realms else sim.create_company(preset, seed=seed)
    else:
        realm = sim.create_company(preset, seed=seed)
    server = create_server(server_app(sim.app), host=host, port=port, threads=threads)
    base = f"http://{host}:{server.effective_port}"
    click.echo(f"qbo-sim serving on {base}")
    click.echo(f"  control:      {base}/_sim/")
    for other in sim.store.realm_ids():
        if other != realm:
            click.echo(f"  realm id:     {other}")
    click.echo(f"  realm id:     {realm}")
    click.echo(f"  API base URL: {base}/v3/company/{realm}")
    click.echo(f"  auth header:  Authorization: Bearer {DEV_TOKEN}")
    click.echo(
        f"  try:          curl -H 'Authorization: Bearer {DEV_TOKEN}' "
        f"-H 'Accept: application/json' {base}/v3/company/{realm}/companyinfo/{realm}"
    )
    _echo_oauth(sim, realm, base)
    try:
        server.run()
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        pass


def _echo_oauth(sim: Any, realm: str, base: str) -> None:
    """Ready OAuth 2.0 credentials: the default client and a fresh token pair for ``realm``."""
    from qbo_sim.oauth.discovery import TOKEN_PATH

    oauth = sim.oauth
    tokens = oauth.issue_tokens(realm)
    kind = "sandbox_" if sim.company(realm).environment == "sandbox" else ""
    click.echo(f"  OAuth discovery: {base}/.well-known/openid_{kind}configuration/")
    click.echo(f"  token URL:     {base}{TOKEN_PATH}  (POST grant_type=refresh_token, Basic auth)")
    click.echo(f"  client id:     {oauth.default_client.client_id}")
    click.echo(f"  client secret: {oauth.default_client.client_secret}")
    click.echo(f"  access token:  {tokens['access_token']}  (expires in 3600 s)")
    click.echo(f"  refresh token: {tokens['refresh_token']}")


@main.command("export")
@click.option("--url", required=True, help="Base URL of a running qbo-sim server.")
@click.option("--realm", default=None, help="Export one company only.")
def export_command(url: str, realm: str | None) -> None:
    """Print a running server's snapshot (JSON) to standard output."""
    from qbo_sim.snapshot import dumps

    params = {"realm": realm} if realm else None
    doc = _control_call("GET", url, "/_sim/snapshot", params=params)
    click.echo(dumps(doc))


@main.command("import")
@click.option("--url", required=True, help="Base URL of a running qbo-sim server.")
@click.option("--replace", is_flag=True, help="Drop the server's other companies first.")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def import_command(url: str, replace: bool, file: click.utils.LazyFile) -> None:
    """Load a snapshot FILE (qbo-sim export) into a running server ('-' reads stdin)."""
    try:
        doc = json.load(file)
    except ValueError as error:
        raise click.ClickException(f"{file.name} is not JSON: {error}") from None
    params = {"replace": "true"} if replace else None
    result = _control_call("POST", url, "/_sim/snapshot", params=params, json_body=doc)
    for realm in result.get("imported", []):
        click.echo(f"imported realm {realm}")


def _control_call(
    method: str,
    url: str,
    path: str,
    *,
    params: dict[str, str] | None = None,
    json_body: object = None,
) -> dict:
    """One control-plane request; its JSON error becomes a clear CLI error."""
    import requests

    try:
        response = requests.request(
            method, url.rstrip("/") + path, params=params, json=json_body, timeout=60
        )
    except requests.RequestException as error:
        raise click.ClickException(f"cannot reach qbo-sim at {url}: {error}") from None
    try:
        body = response.json()
    except ValueError:
        body = {"error": response.text}
    if response.status_code >= 400:
        detail = body.get("detail")
        message = f"{response.status_code} {body.get('error')}" + (f": {detail}" if detail else "")
        raise click.ClickException(message)
    return body


def _add_scenarios_group() -> None:
    """``qbo-sim scenarios run|list|validate|new|capture`` (the harness, harness/cli.py)."""
    from qbo_sim.harness.cli import scenarios

    main.add_command(scenarios)


_add_scenarios_group()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
