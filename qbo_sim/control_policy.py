"""Who may drive the ``/_sim/`` control plane: a web page the developer opens must not.

The control plane can reset the simulator, import companies and inject faults, and it has no
login of its own: by default anything that can reach the port may use it. Three checks keep a
browser from being used against it (checked on every ``/_sim/`` request except
``/_sim/health``):

- **Host** must be one of ``allowed_hosts`` (loopback names by default), so a DNS-rebinding
  page (``evil.example`` resolving to 127.0.0.1) is refused: 403 ``unexpected Host``.
- **Origin** (sent by browsers on cross-origin requests), or ``Sec-Fetch-Site: cross-site``,
  must name an allowed host unless ``allow_cross_origin``: 403 ``cross-origin request refused``.
- **Bodies are JSON only**: a request with a body must say ``Content-Type: application/json``
  (a form or ``text/plain`` POST, which a page can send without asking, gets 415).

Optionally a ``token``: every control request (but the dashboard page itself, ``PAGE_PATHS``)
then carries ``Authorization: Bearer <token>`` or ``X-QBO-Sim-Token: <token>`` (401 ``control
token required`` otherwise).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from qbo_sim.hosts import ALL_HOSTS

#: Host names a local server answers to without configuration: loopback, and Intuit's own
#: hostnames (what in-process interception answers to; no web page can point them at us).
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", *ALL_HOSTS})
#: ``allowed_hosts`` value that accepts any Host header.
ANY_HOST = "*"
#: The one control-plane path every check leaves open (health checks from probes and Docker).
OPEN_PATHS = frozenset({"/_sim/health"})
#: Pages a browser opens by address (no header of its own): Host and Origin are checked, the
#: token is not; the page holds no data, and its own calls send the token.
PAGE_PATHS = frozenset({"/_sim/ui"})
TOKEN_HEADER = "X-QBO-Sim-Token"
#: The request headers :func:`check` reads (pass them with these spellings).
HEADERS_READ = ("Origin", "Sec-Fetch-Site", "Authorization", TOKEN_HEADER)


@dataclass
class ControlPolicy:
    """The control plane's request checks (see the module docstring)."""

    allowed_hosts: frozenset[str] = field(default=LOOPBACK_HOSTS)
    allow_cross_origin: bool = False
    token: str | None = None

    def allows_any_host(self) -> bool:
        return ANY_HOST in self.allowed_hosts

    def host_allowed(self, host: str) -> bool:
        return self.allows_any_host() or _hostname(host) in self.allowed_hosts


@dataclass(frozen=True)
class Refusal:
    """Why a control request is refused: HTTP status, error and detail."""

    status: int
    error: str
    detail: str


#: The environment variable clients (``qbo-sim export|import``, ``scenarios capture``) and the
#: server read the control token from.
TOKEN_ENV = "QBO_SIM_CONTROL_TOKEN"


def client_headers(token: str | None = None) -> dict[str, str]:
    """Headers a control-plane client sends: the token given, else ``$QBO_SIM_CONTROL_TOKEN``."""
    token = token or os.environ.get(TOKEN_ENV)
    return {TOKEN_HEADER: token} if token else {}


def parse_hosts(text: str) -> frozenset[str]:
    """``"a.example, 10.0.0.5"`` → the set of names, loopback names included; ``*`` = any."""
    names = {part.strip().lower().strip("[]") for part in text.split(",") if part.strip()}
    return frozenset(names | LOOPBACK_HOSTS)


def _hostname(host: str) -> str:
    """``Host`` header → bare lower-case name: ``[::1]:8080`` → ``::1``, ``a:80`` → ``a``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


def check(
    policy: ControlPolicy,
    *,
    path: str,
    host: str,
    headers: Mapping[str, str],
    has_body: bool,
    mimetype: str,
) -> Refusal | None:
    """The refusal of one control request, or None when it may go ahead."""
    if path in OPEN_PATHS:
        return None
    if not policy.host_allowed(host):
        return Refusal(
            403,
            "unexpected Host",
            f"Host {host!r} is not one this server answers to; start it with "
            "--allow-host NAME (or QBO_SIM_ALLOWED_HOSTS) to add it",
        )
    if not policy.allow_cross_origin:
        origin = headers.get("Origin")
        origin_host = urlsplit(origin).netloc if origin and origin != "null" else None
        same = origin_host is not None and (
            _hostname(origin_host) == _hostname(host)
            or (not policy.allows_any_host() and policy.host_allowed(origin_host))
        )
        if (origin and not same) or headers.get("Sec-Fetch-Site") == "cross-site":
            return Refusal(
                403,
                "cross-origin request refused",
                f"the control plane does not take requests from web pages of other origins "
                f"(Origin {origin!r}); start the server with --allow-cross-origin to allow it",
            )
    if policy.token is not None and path not in PAGE_PATHS:
        given = headers.get(TOKEN_HEADER) or ""
        auth = headers.get("Authorization") or ""
        if auth.lower().startswith("bearer "):
            given = given or auth[7:].strip()
        if not hmac.compare_digest(given.encode(), policy.token.encode()):
            return Refusal(
                401,
                "control token required",
                f"send the control token as 'Authorization: Bearer <token>' or '{TOKEN_HEADER}'",
            )
    if has_body and mimetype != "application/json":
        return Refusal(
            415,
            "unsupported media type",
            f"control-plane bodies are JSON: send Content-Type: application/json "
            f"(got {mimetype or 'none'!r})",
        )
    return None
