"""Redaction: every secret of an exchange replaced by a stable placeholder before it is written.

A secret becomes ``<redacted:KIND:N>``: ``KIND`` says what it was (``access_token``,
``refresh_token``, ``id_token``, ``client_secret``, ``basic_auth``, ``code``, ``cookie``,
``intuit_signature``, ``jwt``, ...), ``N`` counts the secrets of that kind in the file. One
:class:`Redactor` serves one file, so the same secret is the same placeholder everywhere in it
(the refresh token a token answer issued and the refresh request that later sends it), and a
reader can still follow which token was used where.

Where secrets are found:

- headers: ``Authorization`` (``Bearer``, ``Basic``, any other scheme), ``Proxy-Authorization``,
  ``Cookie`` and ``Set-Cookie`` values, ``intuit-signature``, and any header whose name says
  token, secret, signature, password or api key (``X-QBO-Sim-Token``);
- query strings (request URLs, ``Location`` redirects) and form bodies: ``code``,
  ``access_token``, ``refresh_token``, ``id_token``, ``client_secret``, ``token``,
  ``code_verifier``, ``password``, ``client_assertion``; JSON bodies: the same names except
  ``code`` (a QBO ``Fault`` has a ``code`` that is no secret), plus verifier tokens;
- then every secret found so far is replaced wherever else it appears (as it is, URL-quoted,
  base64-encoded in Basic credentials, JSON-escaped), bytes bodies included, and anything
  shaped like a JWT (``eyJ...``) is replaced too.

Secrets shorter than :data:`MIN_SWEEP` characters are replaced only where they were found, so
that a one-letter cookie does not rewrite every ``a`` of the file.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Callable
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from qbo_sim.recording.format import Exchange, Headers, Message

#: Query-string and form fields whose values are secrets, and their kind.
FORM_SECRETS = {
    "code": "code",
    "access_token": "access_token",
    "refresh_token": "refresh_token",
    "id_token": "id_token",
    "client_secret": "client_secret",
    "token": "token",
    "code_verifier": "code_verifier",
    "password": "password",
    "client_assertion": "client_assertion",
}
#: JSON keys whose string values are secrets (not ``code``: every QBO fault has one).
JSON_SECRETS = {
    **{k: v for k, v in FORM_SECRETS.items() if k != "code"},
    "verifier": "verifier_token",
    "verifierToken": "verifier_token",
    "verifier_token": "verifier_token",
    "webhook_verifier": "verifier_token",
    "clientSecret": "client_secret",
    "accessToken": "access_token",
    "refreshToken": "refresh_token",
}
_SECRET_HEADER = re.compile(r"token|secret|signature|password|api[-_]?key|session", re.I)
_JWT = re.compile(rb"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+")
_PLACEHOLDER = re.compile(r"<redacted:[a-z_]+:\d+>")
#: the signature of a presigned download link (an Attachable's TempDownloadUri: S3 SigV4
#: ``X-Amz-Signature`` or SigV2 ``Signature``): a working 15-minute link to a customer's file
_LINK_SIGNATURE = re.compile(rb"((?:X-Amz-Signature|[?&]Signature)=)([0-9A-Za-z%+/=_-]{16,})")
#: The start of a token cut short with an ellipsis.
_ELIDED = re.compile(rb"([A-Za-z0-9._~+/=-]{12,})(\.\.\.|\xe2\x80\xa6)")
#: The shortest secret replaced wherever it appears.
MIN_SWEEP = 8


class Redactor:
    """The placeholders of one recording file (thread-safe)."""

    def __init__(self, extra_secrets: list[str] | None = None) -> None:
        self._lock = threading.Lock()
        self._by_secret: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        for secret in extra_secrets or []:
            self.placeholder("secret", secret)

    def placeholder(self, kind: str, secret: str) -> str:
        """The placeholder of ``secret`` (made on first sight, as ``kind``)."""
        if not secret or _PLACEHOLDER.fullmatch(secret):
            return secret
        with self._lock:
            known = self._by_secret.get(secret)
            if known is None:
                self._counts[kind] = self._counts.get(kind, 0) + 1
                known = self._by_secret[secret] = f"<redacted:{kind}:{self._counts[kind]}>"
            return known

    def secrets(self) -> list[tuple[str, str]]:
        """(secret, placeholder), longest secret first (so no secret's part is replaced first)."""
        with self._lock:
            pairs = list(self._by_secret.items())
        return sorted(pairs, key=lambda pair: -len(pair[0]))

    # --- an exchange ----------------------------------------------------------------------
    def exchange(self, exchange: Exchange) -> Exchange:
        """A copy of ``exchange`` with every secret replaced."""
        url = self._url(exchange.url)
        request = self._message(exchange.request)
        response = None if exchange.response is None else self._message(exchange.response)
        swept = Exchange(
            seq=exchange.seq,
            method=exchange.method,
            url=self._sweep_text(url),
            request=self._sweep(request),
            response=None if response is None else self._sweep(response),
            started=exchange.started,
            duration_ms=exchange.duration_ms,
            realm=exchange.realm,
            intuit_tid=exchange.intuit_tid,
            error=None if exchange.error is None else self._sweep_text(exchange.error),
        )
        return swept

    def _message(self, message: Message) -> Message:
        headers = [(name, self._header(name, value)) for name, value in message.headers]
        body = message.body
        kind = message.content_type
        if body and kind == "application/x-www-form-urlencoded":
            body = self._form(body.decode("latin1")).encode("latin1")
        elif body and (kind.endswith("json") or body.lstrip()[:1] in (b"{", b"[")):
            body = self._json(body)
        return Message(headers, body, message.status)

    def _header(self, name: str, value: str) -> str:
        lowered = name.lower()
        if lowered in ("authorization", "proxy-authorization"):
            scheme, _, credentials = value.partition(" ")
            if not credentials:
                return self.placeholder("authorization", value)
            if scheme.lower() == "bearer":
                return f"{scheme} {self.placeholder('access_token', credentials.strip())}"
            if scheme.lower() == "basic":
                self._basic_parts(credentials.strip())
                return f"{scheme} {self.placeholder('basic_auth', credentials.strip())}"
            return f"{scheme} {self.placeholder('authorization', credentials.strip())}"
        if lowered == "cookie":
            return ";".join(self._cookie(part) for part in value.split(";"))
        if lowered == "set-cookie":
            first, sep, attributes = value.partition(";")
            return self._cookie(first) + sep + attributes
        if lowered == "location":
            return self._url(value)
        if lowered == "intuit-signature":
            return self.placeholder("intuit_signature", value)
        if _SECRET_HEADER.search(lowered):
            return self.placeholder("header_secret", value)
        return value

    def _basic_parts(self, credentials: str) -> None:
        """Remember the client secret inside Basic credentials (sent elsewhere too)."""
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except ValueError:
            return
        _client_id, colon, secret = decoded.partition(":")
        if colon and secret:
            self.placeholder("client_secret", secret)

    def _cookie(self, pair: str) -> str:
        name, eq, value = pair.partition("=")
        if not eq:
            return pair
        return f"{name}={self.placeholder('cookie', value.strip())}" if value.strip() else pair

    def _form(self, text: str) -> str:
        """``a=1&code=XYZ`` with the secret values replaced (the rest byte for byte)."""
        parts = []
        for pair in text.split("&"):
            key, eq, value = pair.partition("=")
            kind = FORM_SECRETS.get(unquote_plus(key))
            if eq and kind and value:
                pair = f"{key}={self.placeholder(kind, unquote_plus(value))}"
            parts.append(pair)
        return "&".join(parts)

    def _url(self, url: str) -> str:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:  # user:password@host
            userinfo, _, host = netloc.rpartition("@")
            netloc = f"{self.placeholder('userinfo', userinfo)}@{host}"
        query = self._form(parts.query) if parts.query else parts.query
        fragment = self._form(parts.fragment) if "=" in parts.fragment else parts.fragment
        return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))

    def _json(self, body: bytes) -> bytes:
        """Collect the secrets of a JSON body; the sweep replaces them (so the body's text,
        number formats included, is otherwise kept exactly)."""
        try:
            doc = json.loads(body)
        except ValueError:
            return body
        short: list[tuple[str, str]] = []
        self._collect(doc, short)
        text = body.decode("utf-8")
        for key, secret in short:  # too short for the sweep: replace where it stands
            pattern = re.compile(rf'("{re.escape(key)}"\s*:\s*){re.escape(json.dumps(secret))}')
            placeholder = self.placeholder(JSON_SECRETS[key], secret)
            text = pattern.sub(_keep_key(placeholder), text)
        return text.encode("utf-8")

    def _collect(self, value: object, short: list[tuple[str, str]]) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                kind = JSON_SECRETS.get(key)
                if kind and isinstance(inner, str) and inner:
                    self.placeholder(kind, inner)
                    if len(inner) < MIN_SWEEP:
                        short.append((key, inner))
                else:
                    self._collect(inner, short)
        elif isinstance(value, list):
            for inner in value:
                self._collect(inner, short)

    # --- the sweep ----------------------------------------------------------------------
    def _forms(self) -> list[tuple[bytes, bytes]]:
        """Every spelling of every known secret (long enough), longest first."""
        forms: list[tuple[bytes, bytes]] = []
        for secret, placeholder in self.secrets():
            if len(secret) < MIN_SWEEP:
                continue
            spellings = {secret, quote(secret, safe=""), quote(secret), json.dumps(secret)[1:-1]}
            for spelling in spellings:
                forms.append((spelling.encode("utf-8"), placeholder.encode("utf-8")))
        return sorted(forms, key=lambda pair: -len(pair[0]))

    def _sweep_bytes(self, data: bytes) -> bytes:
        for secret, placeholder in self._forms():
            data = data.replace(secret, placeholder)
        data = _JWT.sub(lambda m: self.placeholder("jwt", m.group(0).decode()).encode(), data)
        data = _LINK_SIGNATURE.sub(
            lambda m: m.group(1) + self.placeholder("link_signature", m.group(2).decode()).encode(),
            data,
        )
        return _ELIDED.sub(self._elided, data)

    def _elided(self, match: re.Match[bytes]) -> bytes:
        """``Token expired: eyJlbmMiOiJBMTI4Q0JD...``: the start of a known secret, cut short
        (QBO's 401 Detail quotes the token so), is that secret's placeholder."""
        start = match.group(1).decode("latin1")
        for secret, placeholder in self.secrets():
            if len(secret) > len(start) and secret.startswith(start):
                return placeholder.encode("utf-8") + match.group(2)
        return match.group(0)

    def _sweep_text(self, text: str) -> str:
        return self._sweep_bytes(text.encode("utf-8")).decode("utf-8")

    def _sweep(self, message: Message) -> Message:
        headers: Headers = [(name, self._sweep_text(value)) for name, value in message.headers]
        return Message(headers, self._sweep_bytes(message.body), message.status)


def _keep_key(placeholder: str) -> Callable[[re.Match[str]], str]:
    """A substitution keeping ``"key": `` and putting the placeholder as the value."""

    def sub(match: re.Match[str]) -> str:
        return f'{match.group(1)}"{placeholder}"'

    return sub
