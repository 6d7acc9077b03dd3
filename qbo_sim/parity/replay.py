"""``qbo-sim parity FILE``: replay a recording against a fresh simulator and compare, per
exchange, QBO's recorded answer with the simulator's by structure.

The simulator starts from the company as the recording first saw it
(:func:`qbo_sim.recording.scenario.build_snapshot` with ``when="before"``: the entities its
answers show, as first seen, without those the recording itself created), with throttling
off and the clock at each exchange's recorded start. Each request is then sent in order,
in process, as recorded, with three substitutions a replay needs:

- secrets: a redacted bearer token becomes a token the simulator issued for the realm, a
  redacted refresh token one it issued (or the one its own answer to a recorded token call
  gave in the same place), Basic credentials its default client's;
- Ids: an entity the recording created gets the simulator's Id; later requests naming the
  recorded Id (paths, ``Id``, ``value`` of references, ``TxnId``) name the simulator's;
- SyncTokens of updates QBO accepted: the simulator's current one.

A recorded fault the simulator does not produce from that state (an outage, a throttle, an
expired token, anything the recorded books do not explain) is injected for that one request,
when the catalogue answers it (:func:`qbo_sim.recording.content.catalogue_match`): the
company is put back as it was before the first try, and the report marks the exchange
``injected``, so what is compared is the shape of the fault's body. A dropped connection is
replayed as a drop.

Differences per exchange: ``status``; ``fault`` (code, type or element of the first error);
then the body's structure (:mod:`qbo_sim.parity.compare`: ``missing``, ``extra``, ``format``,
``order``) for JSON and XML bodies.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from qbo_sim import multipart, snapshot
from qbo_sim.auth import DEV_TOKEN
from qbo_sim.intercept import call_app
from qbo_sim.parity.compare import Diff, compare
from qbo_sim.parity.shape import shape_of
from qbo_sim.recording.content import (
    api_call,
    catalogue_match,
    created_here,
    entities_of,
    fault_of,
)
from qbo_sim.recording.format import Exchange, Message, Recording
from qbo_sim.recording.scenario import build_snapshot, pick_realm
from qbo_sim.simulator import Simulator

_PLACEHOLDER = re.compile(r"<redacted:([a-z_]+):\d+>")
_ID_KEYS = frozenset({"Id", "value", "TxnId"})
_SKIP_HEADERS = frozenset({"content-length", "host", "connection", "transfer-encoding"})
_DROP = "X-QBO-Sim-Drop"
#: A query condition on an Id field, and the quoted Ids it names (``= '12'``, ``IN ('1', '2')``)
_ID_CONDITION = re.compile(
    r"(\b(?:Id|TxnId|[A-Za-z]*Ref(?:\.[A-Za-z]+)*)\s*(?:=|in\b)\s*)(\([^)]*\)|'[^']*')",
    re.IGNORECASE,
)
_QUOTED_ID = re.compile(r"'(\d+)'")
#: Fields holding a signed file link, signed anew on every read (qbo_sim.attachments)
_LINK_KEYS = frozenset({"TempDownloadUri", "ThumbnailTempDownloadUri"})


@dataclass
class ExchangeReport:
    """One exchange replayed: both statuses, how it was replayed, and the differences."""

    seq: int
    method: str
    url: str
    recorded_status: int | None
    sim_status: int | None
    injected: str | None = None
    diffs: list[Diff] = field(default_factory=list)
    compared: int = 0
    matched: int = 0
    note: str | None = None

    @property
    def differs(self) -> bool:
        return bool(self.diffs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "method": self.method,
            "url": self.url,
            "recorded_status": self.recorded_status,
            "sim_status": self.sim_status,
            "injected": self.injected,
            "note": self.note,
            "fields_compared": self.compared,
            "fields_matched": self.matched,
            "differences": [
                {"what": d.what, "path": d.path, "recorded": d.expected, "simulator": d.actual}
                for d in self.diffs
            ],
        }


@dataclass
class ParityReport:
    """Every exchange of a recording replayed."""

    recording: str
    realm: str
    exchanges: list[ExchangeReport]

    @property
    def differing(self) -> list[ExchangeReport]:
        return [e for e in self.exchanges if e.differs]

    def to_dict(self) -> dict[str, Any]:
        return {
            "recording": self.recording,
            "realm": self.realm,
            "exchanges": len(self.exchanges),
            "differing": len(self.differing),
            "injected": sum(1 for e in self.exchanges if e.injected),
            "fields_compared": sum(e.compared for e in self.exchanges),
            "fields_matched": sum(e.matched for e in self.exchanges),
            "results": [e.to_dict() for e in self.exchanges],
        }

    def render(self) -> str:
        lines = []
        for e in self.exchanges:
            verdict = "DIFFERS" if e.differs else "same"
            how = f" (injected {e.injected})" if e.injected else ""
            lines.append(
                f"#{e.seq} {e.method} {_short(e.url)}: recorded {e.recorded_status}, "
                f"simulator {e.sim_status}{how}: {verdict}"
            )
            if e.note:
                lines.append(f"    note: {e.note}")
            lines += [f"    {d}" for d in e.diffs]
        total = self.to_dict()
        lines.append(
            f"{total['exchanges']} exchanges, {total['differing']} differ, "
            f"{total['injected']} faults injected; fields {total['fields_matched']}/"
            f"{total['fields_compared']} matched"
        )
        return "\n".join(lines)


def _short(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Replayer:
    """A fresh simulator seeded from a recording, and what the replay has learnt so far."""

    def __init__(self, recording: Recording, realm: str | None = None) -> None:
        self.recording = recording
        self.realm = pick_realm(recording, realm)
        self.sim = Simulator()
        self.sim.import_state(build_snapshot(recording, self.realm, when="before"))
        self.sim.throttle.set_enabled(False)
        times = [t for t in map(answer_time, recording.exchanges[:1]) if t is not None]
        if times:  # the snapshot's clock is after the recording: go back to its start
            self.sim.clock.set(times[0])
        self.secrets: dict[str, str] = {}
        self.ids: dict[str, str] = {}
        #: a signed file link QBO gave (TempDownloadUri, /download's answer) → the simulator's
        self.links: dict[str, str] = {}
        client = self.sim.oauth.default_client
        self.basic = base64.b64encode(f"{client.client_id}:{client.client_secret}".encode())

    # --- secrets and ids ----------------------------------------------------------------
    def _secret(self, placeholder: str, kind: str) -> str:
        known = self.secrets.get(placeholder)
        if known is not None:
            return known
        if kind == "basic_auth":
            value = self.basic.decode("ascii")
        elif kind in ("access_token", "refresh_token", "jwt", "id_token"):
            tokens = self.sim.oauth.issue_tokens(self.realm)
            value = str(tokens.get(kind if kind != "jwt" else "access_token") or DEV_TOKEN)
        else:
            return placeholder
        self.secrets[placeholder] = value
        return value

    def _unredact(self, text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: self._secret(m.group(0), m.group(1)), text)

    def _map_ids(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self._map_ids(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self._map_ids(v, key) for v in value]
        if isinstance(value, str) and key in _ID_KEYS:
            return self.ids.get(value, value)
        return value

    def _url(self, url: str) -> str:
        url = self._unredact(url)
        if url in self.links:  # a signed link: the one the simulator signed in its place
            return self.links[url]
        parts = urlsplit(url)
        segments = [self.ids.get(s, s) if s.isdigit() else s for s in parts.path.split("/")]
        if "/v3/company/" in parts.path:
            segments = [self.realm if i == 3 else s for i, s in enumerate(segments)]
        query = parts.query
        if "query=" in query:
            pairs = parse_qsl(query, keep_blank_values=True)
            query = urlencode([(k, self._query(v) if k == "query" else v) for k, v in pairs])
        return urlunsplit(parts._replace(path="/".join(segments), query=query))

    def _query(self, text: str) -> str:
        """A query with the simulator's Ids where it compares an Id field (``Id``,
        ``CustomerRef``, ``AttachableRef.EntityRef.value``, ``TxnId``) with a recorded Id."""

        def one(match: re.Match[str]) -> str:
            return match.group(1) + _QUOTED_ID.sub(
                lambda m: f"'{self.ids.get(m.group(1), m.group(1))}'", match.group(2)
            )

        return _ID_CONDITION.sub(one, text)

    def _body(self, exchange: Exchange, current: dict[str, str]) -> bytes:
        body = exchange.request.body
        if not body:
            return b""
        kind = exchange.request.content_type
        if kind == "multipart/form-data":
            return self._multipart(exchange)
        if kind == "application/x-www-form-urlencoded":
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
            return urlencode([(k, self._unredact(v)) for k, v in pairs]).encode("utf-8")
        doc = exchange.request.json()
        if doc is None:
            text = self._unredact(body.decode("utf-8", "replace"))
            if _entity_of(exchange) == "query":  # POST /query: the query is the body
                text = self._query(text)
            return text.encode("utf-8")
        doc = self._map_ids(doc)
        if current and isinstance(doc, dict):
            for name, row in doc.items():
                if isinstance(row, dict) and "SyncToken" in row and "Id" in row:
                    row["SyncToken"] = current.get(f"{name}:{row['Id']}", row["SyncToken"])
            if "SyncToken" in doc and "Id" in doc:
                name = _entity_of(exchange)
                doc["SyncToken"] = current.get(f"{name}:{doc['Id']}", doc["SyncToken"])
        return json.dumps(doc).encode("utf-8")

    def _multipart(self, exchange: Exchange) -> bytes:
        """An upload as recorded, its file bytes untouched, each JSON metadata part (the
        Attachable: its ``AttachableRef`` names entities by Id) with the simulator's Ids."""
        body = exchange.request.body
        try:
            parts = multipart.parse(exchange.request.header("Content-Type"), body)
        except multipart.MultipartError:
            return body  # as recorded: the simulator answers it as QBO did
        for part in parts:
            if not (part.name or "").startswith(multipart.METADATA):
                continue
            try:
                doc = json.loads(part.data)
            except ValueError:
                continue  # XML metadata is replayed as recorded
            mapped = json.dumps(self._map_ids(doc)).encode("utf-8")
            if doc != json.loads(mapped) and part.data in body:
                body = body.replace(part.data, mapped, 1)
        return body

    def _current_tokens(self, exchange: Exchange) -> dict[str, str]:
        """``Entity:Id`` → the simulator's SyncToken, for an update QBO accepted."""
        if (exchange.status or 0) >= 400 or api_call(exchange) is None:
            return {}
        company = self.sim.company(self.realm)
        found = {}
        for name, table in company.entities.items():
            for entity_id, row in table.items():
                found[f"{name}:{entity_id}"] = str(row.get("SyncToken", "0"))
        return found

    def _learn(self, exchange: Exchange, answer: Message | None) -> None:
        """Secrets and Ids the simulator's answer gives where the recorded one has them."""
        recorded = exchange.response
        if recorded is None or answer is None:
            return
        ours, theirs = recorded.json(), answer.json()
        if ours is not None and theirs is not None:
            self._learn_json(ours, theirs)
        if recorded.content_type == answer.content_type == "text/plain":
            self._learn_link(recorded.text.strip(), answer.text.strip())  # GET /download
        location, own = recorded.header("Location"), answer.header("Location")
        if location and own:
            mine = dict(parse_qsl(urlsplit(own).query))
            for key, value in parse_qsl(urlsplit(location).query):
                if _PLACEHOLDER.fullmatch(value) and key in mine:
                    self.secrets[value] = mine[key]
        if created_here(exchange) and (exchange.status or 0) < 400:
            for (name, row), (other, mine_row) in zip(
                entities_of(recorded), entities_of(answer), strict=False
            ):
                if name == other and str(row["Id"]) != str(mine_row["Id"]):
                    self.ids[str(row["Id"])] = str(mine_row["Id"])

    def _learn_json(self, ours: Any, theirs: Any) -> None:
        if isinstance(ours, dict) and isinstance(theirs, dict):
            for key, value in ours.items():
                if key not in theirs:
                    continue
                if isinstance(value, str) and _PLACEHOLDER.fullmatch(value):
                    if isinstance(theirs[key], str):
                        self.secrets[value] = theirs[key]
                elif key in _LINK_KEYS and isinstance(value, str):
                    if isinstance(theirs[key], str):
                        self._learn_link(value, theirs[key])
                else:
                    self._learn_json(value, theirs[key])
        elif isinstance(ours, list) and isinstance(theirs, list):
            for a, b in zip(ours, theirs, strict=False):
                self._learn_json(a, b)

    def _learn_link(self, ours: str, theirs: str) -> None:
        """A signed link of QBO's and the simulator's own in its place: a later request for
        QBO's link (the integration fetching the file) fetches the simulator's."""
        if ours != theirs and urlsplit(ours).scheme in ("http", "https"):
            self.links[ours] = theirs

    # --- one exchange -------------------------------------------------------------------
    def _send(self, exchange: Exchange) -> Message | None:
        headers = {
            name: self._unredact(value)
            for name, value in exchange.request.headers
            if name.lower() not in _SKIP_HEADERS
        }
        request = requests.Request(
            exchange.method,
            self._url(exchange.url),
            headers=headers,
            data=self._body(exchange, self._current_tokens(exchange)) or None,
        ).prepare()
        status, answer_headers, body = call_app(self.sim.app, request)
        if any(k.lower() == _DROP.lower() and v == "1" for k, v in answer_headers):
            return None
        return Message(list(answer_headers), body, status)

    def _move_clock(self, exchange: Exchange) -> None:
        instant = answer_time(exchange)
        if instant is not None and (not self.sim.clock.frozen or instant > self.sim.clock.now()):
            self.sim.clock.set(instant)

    def replay(self, exchange: Exchange) -> ExchangeReport:
        self._move_clock(exchange)
        recorded = exchange.response
        fault = fault_of(exchange)
        checkpoint = self.sim.export_state(self.realm) if fault or recorded is None else None
        answer = self._send(exchange)
        injected = None
        if checkpoint is not None and not _agrees(recorded, answer):
            rule = self._rule_for(exchange)
            if rule is not None:
                snapshot.import_state(self.sim, checkpoint, restore_clock=False)
                # the first try's requestid answer must not answer the retry (assumed: the
                # realm's older requestids are not retried after a fault)
                self.sim.idempotency.forget(self.realm)
                self.sim.injector.add(**rule, times=1)
                answer = self._send(exchange)
                injected = _label(rule)
        self._learn(exchange, answer)
        report = ExchangeReport(
            exchange.seq,
            exchange.method,
            exchange.url,
            exchange.status,
            None if answer is None else answer.status,
            injected,
        )
        _compare(recorded, answer, report)
        return report

    def _rule_for(self, exchange: Exchange) -> dict[str, Any] | None:
        call = api_call(exchange)
        path = urlsplit(self._url(exchange.url)).path
        if exchange.response is None:
            return {"drop": True, "method": exchange.method, "path": path}
        fault = fault_of(exchange)
        match = None if fault is None else catalogue_match(fault)
        if match is None or call is None:
            return None
        if any(v == "FILL IN" for v in match.params.values()):
            return None
        rule: dict[str, Any] = {"method": exchange.method, "path": path}
        if match.fault.startswith("http_"):
            rule["status"] = int(match.fault[5:])
        else:
            rule.update(fault=match.fault, params=dict(match.params))
            if match.element:
                rule["element"] = match.element
            if match.envelope:
                rule["envelope"] = match.envelope
        return rule


def answer_time(exchange: Exchange) -> datetime | None:
    """When QBO answered: the answer's own ``time`` (its server's clock: ISO 8601, or epoch
    milliseconds in the gateway's body), else when the request was sent."""
    doc = None if exchange.response is None else exchange.response.json()
    stamp = doc.get("time") if isinstance(doc, dict) else None
    try:
        if isinstance(stamp, int | float) and not isinstance(stamp, bool):
            return datetime.fromtimestamp(stamp / 1000, UTC)
        if isinstance(stamp, str):
            return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        return datetime.fromisoformat(exchange.started.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None


def _entity_of(exchange: Exchange) -> str:
    path = urlsplit(exchange.url).path.split("/")
    segment = path[4] if len(path) > 4 else ""
    from qbo_sim.entities import BY_PATH

    spec = BY_PATH.get(segment)
    return spec.name if spec else segment


def _label(rule: dict[str, Any]) -> str:
    if rule.get("fault"):
        return str(rule["fault"])
    return f"http_{rule['status']}" if rule.get("status") else "drop"


def _agrees(recorded: Message | None, answer: Message | None) -> bool:
    """Same status (or both without an answer) and, for faults, the same code."""
    if recorded is None or answer is None:
        return recorded is None and answer is None
    if recorded.status != answer.status:
        return False
    return _code(recorded) == _code(answer)


def _code(message: Message) -> str | None:
    fake = Exchange(0, "GET", "/", Message(), message, "", 0.0)
    fault = fault_of(fake)
    return None if fault is None else fault.code


def _format(message: Message) -> str | None:
    kind = message.content_type
    if kind.endswith("json") or (not kind and message.json() is not None):
        return "json"
    if "xml" in kind:
        return "xml"
    return None


def _compare(recorded: Message | None, answer: Message | None, report: ExchangeReport) -> None:
    if recorded is None or answer is None:
        if recorded is not answer and (recorded is None) != (answer is None):
            report.diffs.append(
                Diff(
                    "",
                    "status",
                    "no answer" if recorded is None else str(recorded.status),
                    "no answer" if answer is None else str(answer.status),
                )
            )
        return
    if recorded.status != answer.status:
        report.diffs.append(Diff("", "status", str(recorded.status), str(answer.status)))
    ours = fault_of(Exchange(0, "GET", "/", Message(), recorded, "", 0.0))
    theirs = fault_of(Exchange(0, "GET", "/", Message(), answer, "", 0.0))
    if ours is not None and theirs is not None:
        for name in ("code", "type", "element"):
            a, b = getattr(ours, name), getattr(theirs, name)
            if (a or "") != (b or ""):
                report.diffs.append(Diff(f"Fault.Error[0].{name}", "fault", str(a), str(b)))
    fmt, other = _format(recorded), _format(answer)
    if fmt is None or other is None:
        if recorded.content_type != answer.content_type:
            report.diffs.append(
                Diff("Content-Type", "format", recorded.content_type, answer.content_type)
            )
        return
    if fmt != other:
        report.diffs.append(Diff("Content-Type", "format", fmt, other))
        return
    try:
        real = shape_of(recorded.text, fmt)
        sim = shape_of(answer.text, fmt)
    except (ValueError, SyntaxError) as error:  # a body not of the type it says (XML: SyntaxError)
        report.note = f"body not comparable: {error}"
        return
    result = compare(real, sim, fmt)
    report.diffs += result.diffs
    report.compared, report.matched = result.compared, result.matched


def run(recording: Recording, realm: str | None = None) -> ParityReport:
    """Replay every exchange of ``recording`` (see the module docstring)."""
    replayer = Replayer(recording, realm)
    reports = [replayer.replay(exchange) for exchange in recording.exchanges]
    return ParityReport(str(recording.path or ""), replayer.realm, reports)
