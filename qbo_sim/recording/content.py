"""What a recording shows of the company: the QBO entities its answers carry, and its faults.

- :func:`entities_of` reads the entities of one answer body, JSON or XML: an entity envelope
  (``{"Customer": {...}}``), a query's ``QueryResponse``, batch items, CDC answers, upload
  answers. A row with ``"status": "Deleted"`` is a deletion.
- :func:`company_rows` folds every answer of a recording into the company's rows: ``"last"``
  (as the recording left them: the books after the incident) or ``"before"`` (as each was
  first seen, leaving out what the recording itself created: the books before it, which a
  replay starts from).
- :func:`request_entities` reads the entities a recorded write sends (the body of a create or
  update, batch items, the Attachable metadata of an upload), :func:`uploaded_files` the
  files of an upload with their metadata;
- :func:`fault_of` reads the fault of a failed answer (``Fault``, the gateway's lower-case
  ``fault``, XML ``<Fault>``, or a bare status such as an HTML 503 page), and
  :func:`catalogue_match` finds the catalogue entry that answers it, with the Detail's
  parameters (``duplicate_name`` with ``id=58``), so a scenario or a replay can inject it.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from qbo_sim import multipart
from qbo_sim.attachments import ENTITY as ATTACHABLE
from qbo_sim.entities import BY_PATH, ENTITIES
from qbo_sim.fault_rules import STATUSES
from qbo_sim.faults import CATALOGUE, FaultSpec
from qbo_sim.injection import describe
from qbo_sim.multipart import Part
from qbo_sim.recording.format import Exchange, Message
from qbo_sim.xml import entity_from_element, local_name

Row = dict[str, Any]
_COMPANY_PATH = re.compile(r"^/v3/company/[^/]+(/.*)?$")
_XML_CONTAINERS = ("IntuitResponse", "QueryResponse", "BatchItemResponse", "CDCResponse")


# --- entities ----------------------------------------------------------------------------
def entities_of(message: Message) -> list[tuple[str, Row]]:
    """(entity type, row) for every entity the body carries, in order."""
    if not message.body:
        return []
    doc = message.json()
    if doc is not None:
        found: list[tuple[str, Row]] = []
        _json_entities(doc, found)
        return found
    if message.body.lstrip()[:1] == b"<" and "html" not in message.content_type:
        try:
            root = ET.fromstring(message.body)
        except ET.ParseError:
            return []
        return _xml_entities(root)
    return []


def _json_entities(value: Any, found: list[tuple[str, Row]]) -> None:
    if isinstance(value, list):
        for item in value:
            _json_entities(item, found)
        return
    if not isinstance(value, dict):
        return
    for key, inner in value.items():
        if key in ENTITIES:
            rows = inner if isinstance(inner, list) else [inner]
            found += [(key, row) for row in rows if isinstance(row, dict) and "Id" in row]
        elif key in ("QueryResponse", "BatchItemResponse", "CDCResponse", "AttachableResponse"):
            _json_entities(inner, found)


def _xml_entities(element: ET.Element) -> list[tuple[str, Row]]:
    found: list[tuple[str, Row]] = []
    for child in element:
        name = local_name(child.tag)
        if name in ENTITIES:
            row = entity_from_element(child, name)
            if "Id" in row:
                found.append((name, row))
        elif name in _XML_CONTAINERS or name == "AttachableResponse":
            found += _xml_entities(child)
    return found


def is_deleted(row: Row) -> bool:
    return str(row.get("status", "")).lower() == "deleted"


def created_here(exchange: Exchange) -> bool:
    """Whether the exchange is an entity create (its answer's entity did not exist before)."""
    call = api_call(exchange)
    return call is not None and describe(call)[1] == "create"


@dataclass
class CompanyRows:
    """The company a recording shows: rows by type and Id, and what it saw deleted."""

    rows: dict[str, dict[str, Row]] = field(default_factory=dict)
    deleted: dict[str, dict[str, Row]] = field(default_factory=dict)
    #: ``(type, Id)`` of every entity the recording created
    created: set[tuple[str, str]] = field(default_factory=set)

    def count(self) -> int:
        return sum(len(table) for table in self.rows.values())


def company_rows(exchanges: list[Exchange], realm: str, when: str = "last") -> CompanyRows:
    """The rows of ``realm`` the recording's answers show (see the module docstring)."""
    company = CompanyRows()
    seen: set[tuple[str, str]] = set()
    created: set[tuple[str, str]] = set()
    for exchange in exchanges:
        if exchange.realm != realm or exchange.response is None:
            continue
        if (exchange.status or 0) >= 400:
            continue
        creating = created_here(exchange)
        for name, row in entities_of(exchange.response):
            key = (name, str(row["Id"]))
            first = key not in seen
            seen.add(key)
            if creating and first:
                created.add(key)
            if when == "before" and (not first or key in created or is_deleted(row)):
                continue  # only the first sight of what existed before the recording
            if is_deleted(row):
                company.rows.get(name, {}).pop(key[1], None)
                company.deleted.setdefault(name, {})[key[1]] = row
            else:
                company.rows.setdefault(name, {})[key[1]] = row
    company.created = created
    return company


# --- what the integration sent -------------------------------------------------------------
def request_entities(exchange: Exchange) -> list[tuple[str, Row]]:
    """(entity type, row) for every entity a recorded API write sends: the body of a create or
    update (JSON or XML), the items of a batch, the Attachable metadata parts of an upload."""
    call = api_call(exchange)
    if call is None or exchange.method != "POST" or not exchange.request.body:
        return []
    if short_path(exchange) == "/upload":
        return [(ATTACHABLE, metadata) for metadata, _ in uploaded_files(exchange) if metadata]
    entity, _operation = entity_and_operation(exchange)
    doc = exchange.request.json()
    if isinstance(doc, dict) and isinstance(doc.get("BatchItemRequest"), list):
        found: list[tuple[str, Row]] = []
        for item in doc["BatchItemRequest"]:
            if isinstance(item, dict):
                found += [(k, v) for k, v in item.items() if k in ENTITIES and isinstance(v, dict)]
        return found
    if isinstance(doc, dict):
        wrapped = [(k, v) for k, v in doc.items() if k in ENTITIES and isinstance(v, dict)]
        if len(doc) == 1 and wrapped:
            return wrapped
        return [(entity, doc)] if entity in ENTITIES else []
    row = _xml_row(exchange.request.body)
    return [] if row is None else [row]


def _xml_row(body: bytes) -> tuple[str, Row] | None:
    if body.lstrip()[:1] != b"<":
        return None
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    name = local_name(root.tag)
    return (name, entity_from_element(root, name)) if name in ENTITIES else None


def uploaded_files(exchange: Exchange) -> list[tuple[Row | None, Part]]:
    """The files of a recorded ``POST /upload``, in part order: each file part with the
    Attachable its metadata part describes (None when it has none, or one not readable)."""
    try:
        parts = multipart.parse(exchange.request.header("Content-Type"), exchange.request.body)
    except multipart.MultipartError:
        return []
    files: list[tuple[Row | None, Part]] = []
    for _suffix, metadata, content in multipart.pair_files(parts):
        if content is None:
            continue
        files.append((None if metadata is None else _metadata_row(metadata), content))
    return files


def _metadata_row(part: Part) -> Row | None:
    data = part.data.strip()
    if data[:1] == b"<":
        found = _xml_row(data)
        return found[1] if found is not None and found[0] == ATTACHABLE else None
    try:
        doc = json.loads(part.text())
    except ValueError:
        return None
    if isinstance(doc, dict) and isinstance(doc.get(ATTACHABLE), dict):
        return dict(doc[ATTACHABLE])
    return doc if isinstance(doc, dict) else None


# --- the API call of an exchange -----------------------------------------------------------
@dataclass
class ApiCallView:
    """What :func:`qbo_sim.injection.describe` reads of a call: method, path, args, body."""

    method: str
    path: str
    args: dict[str, str]
    body: bytes


def api_call(exchange: Exchange) -> ApiCallView | None:
    """The exchange as an API call below ``/v3/company/<realm>``; None for anything else."""
    parts = urlsplit(exchange.url)
    if not _COMPANY_PATH.match(parts.path):
        return None
    args = dict(parse_qsl(parts.query, keep_blank_values=True))
    return ApiCallView(exchange.method, parts.path, args, exchange.request.body)


def short_path(exchange: Exchange) -> str:
    """The path below ``/v3/company/<realm>`` (``/customer``), or the whole path."""
    path = urlsplit(exchange.url).path
    match = re.match(r"^/v3/company/[^/]+(/.*)?$", path)
    return (match.group(1) or "/") if match else path


def entity_and_operation(exchange: Exchange) -> tuple[str | None, str]:
    """``(Entity name, operation)`` as fault rules match them; (None, "other") off the API."""
    call = api_call(exchange)
    if call is None:
        return None, "other"
    segment, operation = describe(call)
    if segment is None:
        return None, operation
    spec = BY_PATH.get(segment) or ENTITIES.get(segment)
    if spec is None:
        spec = next((s for s in ENTITIES.values() if s.name.lower() == segment.lower()), None)
    return (spec.name if spec else segment), operation


# --- faults --------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordedFault:
    """A failed answer: its status and, when it has a QBO fault, the fault's first error."""

    status: int
    code: str | None = None
    message: str | None = None
    detail: str | None = None
    element: str | None = None
    type: str | None = None
    envelope: str = "none"  # standard, lowercase, xml, none (no fault body: HTML, empty)

    def describe(self) -> str:
        text = f"{self.status}"
        if self.code:
            text += f" {self.code}"
        if self.message:
            text += f" {self.message!r}"
        return text


def fault_of(exchange: Exchange) -> RecordedFault | None:
    """The fault of an answer with status 400 or more (None for a success or no answer)."""
    response = exchange.response
    if response is None or response.status is None or response.status < 400:
        return None
    doc = response.json()
    if isinstance(doc, dict):
        standard = doc.get("Fault")
        if isinstance(standard, dict):
            return _json_fault(response.status, standard, "Error", "standard")
        lower = doc.get("fault")
        if isinstance(lower, dict):
            return _json_fault(response.status, lower, "error", "lowercase")
    if response.body.lstrip()[:1] == b"<" and "html" not in response.content_type:
        try:
            root = ET.fromstring(response.body)
        except ET.ParseError:
            root = None
        fault = None if root is None else _find(root, "Fault")
        if fault is not None:
            error = _find(fault, "Error")
            if error is not None:
                return RecordedFault(
                    response.status,
                    error.get("code"),
                    _text(_find(error, "Message")),
                    _text(_find(error, "Detail")),
                    error.get("element"),
                    fault.get("type"),
                    "xml",
                )
    return RecordedFault(response.status)


def _json_fault(status: int, fault: dict[str, Any], key: str, envelope: str) -> RecordedFault:
    errors = fault.get(key) or fault.get(key.lower()) or []
    first = errors[0] if isinstance(errors, list) and errors else {}
    if not isinstance(first, dict):
        first = {}

    def get(name: str) -> str | None:
        value = first.get(name, first.get(name.lower()))
        return None if value is None else str(value)

    return RecordedFault(
        status,
        get("code"),
        get("Message"),
        get("Detail"),
        get("element"),
        None if fault.get("type") is None else str(fault.get("type")),
        envelope,
    )


def _find(element: ET.Element, name: str) -> ET.Element | None:
    return next((child for child in element.iter() if local_name(child.tag) == name), None)


def _text(element: ET.Element | None) -> str | None:
    return None if element is None else (element.text or "")


@dataclass(frozen=True)
class CatalogueMatch:
    """The injectable equivalent of a recorded fault: a scenario/injector ``fault`` value
    (a catalogue key or ``http_<status>``), its Detail parameters and ``element``; ``exact``
    when the catalogue's Message and Detail reproduce the recorded ones."""

    fault: str
    params: dict[str, str]
    element: str | None
    exact: bool
    envelope: str | None = None


@cache
def _detail_pattern(spec: FaultSpec) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
    if spec.detail is None:
        return None
    names: list[str] = []
    pattern = ""
    for literal, name, _spec, _conv in _formatter_parse(spec.detail):
        pattern += re.escape(literal)
        if name is not None:
            if name in names:
                pattern += f"(?P={name})"
            else:
                names.append(name)
                pattern += f"(?P<{name}>.*?)"
    return re.compile(pattern, re.S), tuple(names)


def _formatter_parse(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    import string

    return list(string.Formatter().parse(text))


def catalogue_match(fault: RecordedFault) -> CatalogueMatch | None:
    """The catalogue entry that answers ``fault`` (see :class:`CatalogueMatch`), or None.

    Entries with the recorded status and code are tried; of those whose Message is the
    recorded Message and whose Detail template matches the recorded Detail, the one with the
    fewest placeholders wins (they give the params); else the first with the same Message;
    else the first with the same code. A failure with no fault body and a status the
    injector answers bare (500, 502, 503, 504) is ``http_<status>``."""
    if fault.code is None:
        if fault.status in STATUSES:
            return CatalogueMatch(f"http_{fault.status}", {}, None, True)
        return None
    same = [s for s in CATALOGUE.values() if s.code == fault.code and s.status == fault.status]
    if not same:
        return None
    element = fault.element or None
    best: CatalogueMatch | None = None
    exact: list[CatalogueMatch] = []
    for spec in same:
        if fault.message is not None and spec.message != fault.message:
            continue
        # the lower-case variant of a standard fault (a gateway fault is lower-case anyway)
        lower = fault.envelope == "lowercase" and spec.envelope == "standard"
        envelope = "lowercase" if lower else None
        params = _params(spec, fault.detail)
        if params is not None:
            exact.append(CatalogueMatch(spec.key, params, element, True, envelope))
        if best is None:
            best = CatalogueMatch(spec.key, _example_params(spec), element, False, envelope)
    if exact:  # the most specific: the Detail with the fewest placeholders
        return min(exact, key=lambda match: len(match.params))
    if best is None:
        spec = same[0]
        lower = fault.envelope == "lowercase" and spec.envelope == "standard"
        envelope = "lowercase" if lower else None
        best = CatalogueMatch(spec.key, _example_params(spec), element, False, envelope)
    return best


def _params(spec: FaultSpec, detail: str | None) -> dict[str, str] | None:
    compiled = _detail_pattern(spec)
    if compiled is None:  # no Detail of its own: the gateway's is the request's (a token)
        return {}
    pattern, _names = compiled
    if detail is None:
        return None
    match = pattern.fullmatch(detail)
    return None if match is None else dict(match.groupdict())


def _example_params(spec: FaultSpec) -> dict[str, str]:
    compiled = _detail_pattern(spec)
    return {name: "FILL IN" for name in compiled[1]} if compiled else {}
