"""The ``qbo-sim`` command line."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

import click

from qbo_sim.auth import DEV_TOKEN

if TYPE_CHECKING:  # imported late at run time: `qbo-sim --help` stays fast
    from qbo_sim.persistence import Persistence
    from qbo_sim.simulator import Simulator

#: ``-h`` as well as ``--help``, on every command and group (inherited by sub-commands).
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="qbo-sim")
def main() -> None:
    """qbo-sim: a QuickBooks Online Accounting API v3 simulator."""


#: ``qbo-sim serve``'s default simulated duration of one API request (docs/server.md): the
#: pytest fixture's 0.25 s, a typical QBO round trip. A sequential client then makes at most
#: 4 requests per simulated second and 240 per minute, under QBO's 10/s per app and 500/min
#: per realm; over loopback a call takes a few ms, so without it the 11th call in a second
#: answers 429.
DEFAULT_REQUEST_SECONDS = 0.25


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="QBO_SIM_HOST",
    show_envvar=True,
    help="Interface to bind (0.0.0.0: every interface, e.g. in a container).",
)
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    envvar="QBO_SIM_PORT",
    show_envvar=True,
    help="0 picks a free port.",
)
@click.option(
    "--state",
    type=click.Path(exists=True, dir_okay=False),
    envvar="QBO_SIM_STATE",
    show_envvar=True,
    help="Start from a snapshot file (qbo-sim export) instead of a new company.",
)
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=int,
    envvar="QBO_SIM_SEED",
    show_envvar=True,
    help="Seed of the sample data.",
)
@click.option(
    "--preset",
    default="sample",
    show_default=True,
    type=click.Choice(
        ["sample", "empty", "sample_multicurrency", "us_tax", "us_ast", "uk", "ca", "au"]
    ),
    envvar="QBO_SIM_PRESET",
    show_envvar=True,
    help="The company to start with.",
)
@click.option(
    "--request-seconds",
    default=DEFAULT_REQUEST_SECONDS,
    show_default=True,
    type=click.FloatRange(min=0),
    envvar="QBO_SIM_REQUEST_SECONDS",
    show_envvar=True,
    help="Simulated time each API request takes at least (0: none; see docs/server.md).",
)
@click.option(
    "--throttle/--no-throttle",
    default=True,
    show_default=True,
    envvar="QBO_SIM_THROTTLE",
    show_envvar=True,
    help="QBO's rate limits (429 ThrottleExceeded); env on/off.",
)
@click.option(
    "--dev-token/--no-dev-token",
    default=True,
    show_default=True,
    envvar="QBO_SIM_DEV_TOKEN",
    show_envvar=True,
    help=f"Accept the never-expiring bearer token {DEV_TOKEN!r}; env on/off.",
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["info", "warning", "error"]),
    envvar="QBO_SIM_LOG_LEVEL",
    show_envvar=True,
    help="info: an access-log line per request on stderr; warning/error: server problems only.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    envvar="QBO_SIM_QUIET",
    show_envvar=True,
    help="No access log (same as --log-level warning).",
)
@click.option(
    "--log-format",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json"]),
    envvar="QBO_SIM_LOG_FORMAT",
    show_envvar=True,
    help="Access-log lines as text or as one JSON object per line.",
)
@click.option(
    "--persist",
    "persist",
    type=click.Path(dir_okay=False),
    default=None,
    envvar="QBO_SIM_PERSIST",
    show_envvar=True,
    help="Keep every company in this SQLite file: each acknowledged write survives a restart "
    "or kill -9; a file that has state is restored (and --state/--preset are ignored).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    envvar="QBO_SIM_ALLOWED_HOSTS",
    show_envvar=True,
    help="A Host name the control plane /_sim/ answers to besides loopback and --host "
    "(repeatable; env: comma-separated; '*' any).",
)
@click.option(
    "--allow-cross-origin",
    is_flag=True,
    envvar="QBO_SIM_ALLOW_CROSS_ORIGIN",
    show_envvar=True,
    help="Let web pages of other origins drive /_sim/ (refused by default).",
)
@click.option(
    "--control-token",
    default=None,
    envvar="QBO_SIM_CONTROL_TOKEN",
    show_envvar=True,
    help="Require this token on /_sim/ (Authorization: Bearer or X-QBO-Sim-Token).",
)
@click.option(
    "--upload-limit",
    default=None,
    type=click.IntRange(min=1),
    envvar="QBO_SIM_UPLOAD_LIMIT",
    show_envvar=True,
    help="Largest POST /upload body in bytes, above it 6030 [default: QBO's 100 MB].",
)
@click.option(
    "--threads",
    default=16,
    show_default=True,
    type=click.IntRange(min=1),
    envvar="QBO_SIM_THREADS",
    show_envvar=True,
    help="Server threads.",
)
def serve(
    host: str,
    port: int,
    state: str | None,
    seed: int,
    preset: str,
    request_seconds: float,
    throttle: bool,
    dev_token: bool,
    log_level: str,
    quiet: bool,
    log_format: str,
    persist: str | None,
    allow_hosts: tuple[str, ...],
    allow_cross_origin: bool,
    control_token: str | None,
    upload_limit: int | None,
    threads: int,
) -> None:
    """Run the simulator as an HTTP server (waitress, threaded) with one company.

    Every option can also be set by its environment variable (docs/server.md). The port is
    bound first; GET /_sim/ready answers 503 until the company exists, then 200. SIGTERM or
    Ctrl-C stops the server cleanly.
    """
    import logging

    from qbo_sim.server import SimServer
    from qbo_sim.simulator import Simulator

    access = not quiet and log_level == "info"
    sim = Simulator(seed=seed, request_seconds=request_seconds)
    sim.throttle.set_enabled(throttle)
    sim.oauth.allow_dev_token = dev_token
    if upload_limit is not None:
        sim.upload_limit = upload_limit
    sim.control_policy = _control_policy(host, allow_hosts, allow_cross_origin, control_token)
    sim.starting = True
    server = SimServer(
        sim.app,
        host=host,
        port=port,
        threads=threads,
        access_log=sys.stderr if access else None,
        log_format=log_format,
    )
    try:
        base = server.start()
    except OSError as error:  # a busy port, an address not on this machine, a bad host name
        reason = error.strerror or str(error)
        raise click.ClickException(f"cannot listen on {host}:{port}: {reason}") from None
    logging.getLogger("waitress").setLevel(
        logging.ERROR if log_level == "error" else logging.WARNING
    )
    # queued requests are normal for a simulator under a parallel test suite, not a problem
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    durable = None
    try:
        with _stop_on_sigterm():
            durable = _open_persistence(sim, persist) if persist else None
            if durable is not None and sim.store.realm_ids():
                realm = sim.store.realm_ids()[0]
            else:
                realm = _startup_company(sim, state, preset, seed)
            sim.starting = False
            sim.default_realm = realm
            _echo_banner(sim, realm, base, dev_token)
            if durable is not None:
                click.echo(f"  persisted in:  {persist}")
            server.wait()
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (docker stop)
        pass
    finally:
        server.stop()
        if durable is not None:
            durable.close()  # compaction: the log folded into the snapshot


def _control_policy(
    host: str, allow_hosts: tuple[str, ...], cross_origin: bool, token: str | None
) -> Any:
    """Who may drive /_sim/: loopback (and Intuit's names), the bound host, --allow-host."""
    from qbo_sim.control_policy import ControlPolicy, parse_hosts

    names = ",".join([*allow_hosts, "" if host in ("0.0.0.0", "::", "") else host])
    return ControlPolicy(
        allowed_hosts=parse_hosts(names), allow_cross_origin=cross_origin, token=token or None
    )


def _open_persistence(sim: Simulator, path: str) -> Persistence:
    from qbo_sim.persistence import PersistenceError

    try:
        return sim.persist(path)
    except (PersistenceError, OSError) as error:
        raise click.ClickException(f"cannot keep state in {path}: {error}") from None


def _startup_company(sim: Simulator, state: str | None, preset: str, seed: int) -> str:
    from qbo_sim import snapshot

    if not state:
        return str(sim.create_company(preset, seed=seed))
    try:
        with open(state, encoding="utf-8") as handle:
            realms = snapshot.import_state(sim, snapshot.loads(handle.read()), adopt=True)
    except (ValueError, OSError) as error:  # not JSON, not a snapshot this version reads
        raise click.ClickException(f"cannot load {state}: {error}") from None
    return str(realms[0]) if realms else str(sim.create_company(preset, seed=seed))


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM stops the server as Ctrl-C does (a container's PID 1 gets no default one)."""
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


def _echo_banner(sim: Simulator, realm: str, base: str, dev_token: bool) -> None:
    click.echo(f"qbo-sim serving on {base}")
    click.echo(f"  control:      {base}/_sim/  (health: {base}/_sim/health)")
    click.echo(f"  dashboard:    {base}/_sim/ui")
    for other in sim.store.realm_ids():
        if other != realm:
            click.echo(f"  realm id:     {other}")
    click.echo(f"  realm id:     {realm}")
    click.echo(f"  API base URL: {base}/v3/company/{realm}")
    if dev_token:
        click.echo(f"  auth header:  Authorization: Bearer {DEV_TOKEN}")
        click.echo(
            f"  try:          curl -H 'Authorization: Bearer {DEV_TOKEN}' "
            f"-H 'Accept: application/json' {base}/v3/company/{realm}/companyinfo/{realm}"
        )
    _echo_oauth(sim, realm, base)
    sys.stdout.flush()


def _echo_oauth(sim: Simulator, realm: str, base: str) -> None:
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
@click.option("--compact", is_flag=True, help="No indent: smaller and much faster to write.")
def export_command(url: str, realm: str | None, compact: bool) -> None:
    """Print a running server's snapshot (JSON, sorted keys, two-space indent unless
    --compact) to standard output."""
    from qbo_sim.snapshot import dumps

    params = {"realm": realm} if realm else None
    doc = _control_call("GET", url, "/_sim/snapshot", params=params)
    click.echo(dumps(doc, pretty=not compact))


@main.command("import")
@click.option("--url", required=True, help="Base URL of a running qbo-sim server.")
@click.option("--replace", is_flag=True, help="Drop the server's other companies first.")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def import_command(url: str, replace: bool, file: IO[str]) -> None:
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
) -> dict[str, Any]:
    """One control-plane request (with ``$QBO_SIM_CONTROL_TOKEN`` if set); its JSON error
    becomes a clear CLI error."""
    import requests

    from qbo_sim.control_policy import client_headers

    try:
        response = requests.request(
            method,
            url.rstrip("/") + path,
            params=params,
            json=json_body,
            headers=client_headers(),
            timeout=60,
        )
    except requests.RequestException as error:
        raise click.ClickException(f"cannot reach qbo-sim at {url}: {error}") from None
    try:
        body: dict[str, Any] = response.json()
    except ValueError:
        body = {"error": response.text}
    if response.status_code >= 400:
        detail = body.get("detail")
        message = f"{response.status_code} {body.get('error')}" + (f": {detail}" if detail else "")
        raise click.ClickException(message)
    return body


def _add_groups() -> None:
    """``qbo-sim scenarios run|list|validate|new|capture|copy-library`` (harness/cli.py) and
    ``from-recording``, ``qbo-sim record`` (recording/cli.py), ``qbo-sim parity``
    (parity/cli.py)."""
    from qbo_sim.harness.cli import scenarios
    from qbo_sim.parity.cli import parity_command
    from qbo_sim.recording.cli import from_recording_command, record_command

    scenarios.add_command(from_recording_command)
    main.add_command(scenarios)
    main.add_command(record_command)
    main.add_command(parity_command)


_add_groups()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
