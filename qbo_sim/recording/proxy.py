"""The recording proxy of ``qbo-sim record``: a loopback server that forwards every request
to the upstream and writes each exchange, redacted, to a recording.

The user points their integration's base URLs at the proxy (the API base URL, the OAuth token
and authorization URLs, the discovery document); each request is forwarded with the
integration's own credentials, its answer is recorded and returned unchanged. Routing:

- an Intuit API upstream (``https://sandbox-quickbooks.api.intuit.com``): API paths go to it;
  the OAuth 2.0 and discovery paths go to Intuit's hosts for them (``/oauth2/v1/tokens/bearer``
  to ``oauth.platform.intuit.com``, ``/connect/oauth2`` to ``appcenter.intuit.com``, ...), or
  to ``oauth_upstream`` when given;
- any other upstream (a ``qbo-sim serve``, a stub): every path goes to it.

A discovery document's URLs are rewritten to the proxy in the answer the integration gets
(the recording keeps the upstream's), so an integration that reads discovery keeps talking to
the proxy. Redirects are passed back, never followed. The proxy listens on ``127.0.0.1``
only; the production API upstream is refused unless ``allow_production``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import requests

from qbo_sim.clock import Clock
from qbo_sim.hosts import API_HOSTS, PRODUCTION_API
from qbo_sim.oauth import discovery
from qbo_sim.recording.format import Headers, RecordingError, next_path
from qbo_sim.recording.recorder import production_refused
from qbo_sim.recording.redact import Redactor
from qbo_sim.recording.writer import RecordingWriter
from qbo_sim.server import SimServer

#: Intuit's host for each OAuth 2.0 / discovery path (reference §5.11, discovery.py).
INTUIT_OAUTH_ROUTES = {
    discovery.TOKEN_PATH: "https://oauth.platform.intuit.com",
    discovery.JWKS_PATH: "https://oauth.platform.intuit.com",
    discovery.AUTHORIZE_PATH: "https://appcenter.intuit.com",
    discovery.REVOKE_PATH: "https://developer.api.intuit.com",
    discovery.PRODUCTION_DISCOVERY_PATH.rstrip("/"): "https://developer.api.intuit.com",
    discovery.SANDBOX_DISCOVERY_PATH.rstrip("/"): "https://developer.api.intuit.com",
}
USERINFO_HOSTS = {
    "sandbox": "https://sandbox-accounts.platform.intuit.com",
    "production": "https://accounts.platform.intuit.com",
}
#: Headers that belong to one connection, not to the message (RFC 9110 §7.6.1), and framing
#: ``requests`` redoes or undoes.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "content-encoding",
    }
)
TIMEOUT_SECONDS = 120.0

StartResponse = Callable[..., Any]


def check_upstream(url: str, allow_production: bool) -> str:
    """The upstream base URL (no trailing ``/``), or :class:`RecordingError`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RecordingError(f"--upstream {url!r} is not an http(s) URL")
    if parts.hostname.lower() == PRODUCTION_API and not allow_production:
        raise production_refused(parts.hostname)
    return url.rstrip("/")


#: Paths forwarded but never recorded: a qbo-sim upstream's control plane is not QBO traffic.
CONTROL_PREFIX = "/_sim/"


class Router:
    """Where each path goes: the upstream, or Intuit's OAuth hosts for an Intuit upstream."""

    def __init__(self, upstream: str, oauth_upstream: str | None = None) -> None:
        self.upstream = upstream.rstrip("/")
        self.oauth_upstream = oauth_upstream.rstrip("/") if oauth_upstream else None
        host = (urlsplit(self.upstream).hostname or "").lower()
        self.intuit = host in API_HOSTS
        self.environment = "production" if host == PRODUCTION_API else "sandbox"

    def base_for(self, path: str) -> str:
        trimmed = path.rstrip("/") or "/"
        oauth = trimmed in INTUIT_OAUTH_ROUTES or trimmed == discovery.USERINFO_PATH
        if oauth and self.oauth_upstream:
            return self.oauth_upstream
        if oauth and self.intuit:
            if trimmed == discovery.USERINFO_PATH:
                return USERINFO_HOSTS[self.environment]
            return INTUIT_OAUTH_ROUTES[trimmed]
        return self.upstream

    def origins(self) -> list[str]:
        """Every origin the proxy forwards to (rewritten to the proxy in discovery)."""
        found = [self.upstream]
        if self.oauth_upstream:
            found.append(self.oauth_upstream)
        if self.intuit:
            found += sorted(set(INTUIT_OAUTH_ROUTES.values()) | set(USERINFO_HOSTS.values()))
        return [urlsplit(o)._replace(path="").geturl() for o in found]


class ForwardingApp:
    """The WSGI app: forward, record, answer."""

    def __init__(self, router: Router, writer: RecordingWriter | None = None) -> None:
        self.router = router
        self._writer = writer
        #: set once the recording is open: the server binds first (a busy port leaves no
        #: recording file), so a request that arrives sooner waits for it
        self._ready = threading.Event()
        if writer is not None:
            self._ready.set()
        self.session = requests.Session()
        self.session.trust_env = False  # the upstream is the user's choice, not the environment's

    @property
    def writer(self) -> RecordingWriter:
        self._ready.wait()
        assert self._writer is not None
        return self._writer

    def attach(self, writer: RecordingWriter) -> None:
        """The recording the exchanges go to (the server is listening already)."""
        self._writer = writer
        self._ready.set()

    @staticmethod
    def _relay(
        answer: requests.Response, content: bytes, start_response: StartResponse
    ) -> Iterable[bytes]:
        """Pass an answer on unrecorded (``/_sim/`` calls to a qbo-sim upstream)."""
        headers = [(k, v) for k, v in _raw_headers(answer) if k.lower() not in HOP_BY_HOP]
        headers = [
            (k, v) for k, v in headers if k.lower() not in ("content-length", "content-encoding")
        ]
        headers.append(("Content-Length", str(len(content))))
        status = f"{answer.status_code} {answer.reason or _phrase(answer.status_code)}"
        start_response(status, headers)
        return [content]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ["REQUEST_METHOD"])
        target = str(environ.get("REQUEST_URI") or environ.get("PATH_INFO") or "/")
        if "://" in target:  # an absolute-form request target (a client using us as proxy)
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        path = target.split("?", 1)[0]
        url = self.router.base_for(path) + target
        headers = request_headers(environ)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        started = self.writer.now()
        begun = time.perf_counter()
        try:
            answer = self.session.request(
                method,
                url,
                headers=dict(headers),
                data=body or None,
                allow_redirects=False,
                timeout=TIMEOUT_SECONDS,
            )
            content = answer.content
        except requests.RequestException as error:
            reason = f"{type(error).__name__}: {error}"
            self.writer.add(
                method,
                url,
                headers,
                body,
                None,
                started=started,
                duration_ms=(time.perf_counter() - begun) * 1000,
                error=reason,
            )
            text = f"qbo-sim record: the upstream did not answer {method} {url}: {reason}\n"
            start_response("502 Bad Gateway", [("Content-Type", "text/plain; charset=utf-8")])
            return [text.encode("utf-8")]
        answer_headers = [(k, v) for k, v in _raw_headers(answer) if k.lower() not in HOP_BY_HOP]
        if path.startswith(CONTROL_PREFIX):  # a qbo-sim upstream's control plane: not QBO's
            return self._relay(answer, content, start_response)
        self.writer.add(
            method,
            url,
            headers,
            body,
            (answer.status_code, answer_headers, content),
            started=started,
            duration_ms=(time.perf_counter() - begun) * 1000,
        )
        served = self._served_body(path, content, environ)
        reason = answer.reason or _phrase(answer.status_code)
        start_response(
            f"{answer.status_code} {reason}",
            answer_headers + [("Content-Length", str(len(served)))],
        )
        return [served]

    def _served_body(self, path: str, content: bytes, environ: dict[str, Any]) -> bytes:
        if not path.startswith("/.well-known/"):
            return content
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        for origin in self.router.origins():
            content = content.replace(origin.encode("utf-8"), own.encode("utf-8"))
        return content


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _raw_headers(answer: requests.Response) -> Headers:
    raw = getattr(answer.raw, "headers", None)
    items = list(raw.items()) if raw is not None else list(answer.headers.items())
    return [(str(k), str(v)) for k, v in items]


def request_headers(environ: dict[str, Any]) -> Headers:
    """The client's headers from a WSGI environ (names in their usual spelling), without
    hop-by-hop headers."""
    headers: Headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = "-".join(part.capitalize() for part in key[5:].split("_"))
        elif key in ("CONTENT_TYPE",):
            name = "Content-Type"
        else:
            continue
        if name.lower() not in HOP_BY_HOP and value != "":
            headers.append((name, str(value)))
    return headers


class RecordingProxy:
    """``qbo-sim record``: the proxy server and its recording file.

    >>> with RecordingProxy("https://sandbox-quickbooks.api.intuit.com", "recordings") as url:
    ...     ...  # point the integration at url
    """

    def __init__(
        self,
        upstream: str,
        out: str | Path,
        *,
        port: int = 0,
        allow_production: bool = False,
        oauth_upstream: str | None = None,
        clock: Clock | None = None,
        secrets: list[str] | None = None,
        path: str | Path | None = None,
    ) -> None:
        self.router = Router(check_upstream(upstream, allow_production), oauth_upstream)
        if oauth_upstream is not None:
            check_upstream(oauth_upstream, allow_production)
        self.path = Path(path) if path is not None else next_path(out)
        self.port = port
        self.clock = clock
        self.secrets = secrets
        self.writer: RecordingWriter | None = None
        self.server: SimServer | None = None

    def start(self) -> str:
        """Listen, then open the recording; returns the proxy's base URL. A port that cannot
        be bound raises ``OSError`` before any file is made."""
        app = ForwardingApp(self.router)
        server = SimServer(app, port=self.port)
        url = server.start()
        try:
            self.writer = RecordingWriter(
                self.path,
                recorder="proxy",
                upstream=self.router.upstream,
                clock=self.clock,
                redactor=Redactor(self.secrets),
            )
        except BaseException:
            server.stop()
            raise
        app.attach(self.writer)
        self.server = server
        return url

    @property
    def url(self) -> str:
        if self.server is None:
            raise RuntimeError("the proxy is not running")
        return self.server.url

    def wait(self) -> None:
        if self.server is not None:
            self.server.wait()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.writer is not None:
            self.writer.close()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
