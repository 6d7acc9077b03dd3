"""Per-request access to the simulator, the company and the request's parsed body."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from flask import current_app, g, request

from qbo_sim import fidelity
from qbo_sim import xml as xml_codec
from qbo_sim.faults import QBOFault
from qbo_sim.operations import OpContext
from qbo_sim.store import Company
from qbo_sim.validation import too_deep

if TYPE_CHECKING:
    from qbo_sim.simulator import Simulator


def sim() -> Simulator:
    return current_app.extensions["qbo_sim"]


def company() -> Company:
    """The company of the realm in the URL (the gateway has checked it exists)."""
    found = sim().store.get(g.realm_id)
    if found is None:  # the gateway rejects unknown realms before views run
        raise QBOFault("auth_general")
    return found


def include_options() -> frozenset[str]:
    raw = ",".join(request.args.getlist("include"))
    return frozenset(part.strip().lower() for part in raw.split(",") if part.strip())


def op_context() -> OpContext:
    return OpContext(company(), sim().clock, options=include_options())


def wants_xml(target: Company | None = None) -> bool:
    """Whether the answer is QBO's XML (§1.4): the best ``Accept`` entry naming JSON or XML
    decides; with none (no header, ``*/*``) the company's ``default_content_type`` does
    (QBO answers XML; qbo-sim's default is JSON, a convenience)."""
    for value, quality in request.accept_mimetypes:
        media = value.lower()
        if quality <= 0:
            continue
        if media in xml_codec.MEDIA_TYPES:
            return True
        if media == "application/json":
            return False
    found = target or sim().store.get(g.get("realm_id") or "")
    if found is None:
        return False
    return fidelity.get(found.fidelity, "default_content_type") == "xml"


def sends_xml() -> bool:
    """Whether the request body is XML (``Content-Type: application/xml`` or ``text/xml``)."""
    return xml_codec.is_xml(request.content_type)


def entity_body(entity: str) -> dict[str, Any]:
    """The body of an entity write as a dict: XML ``<Entity>...</Entity>`` or a JSON object."""
    if sends_xml():
        return xml_codec.parse_entity(request.get_data(cache=True), entity)
    return json_body()


def batch_body() -> dict[str, Any]:
    """The body of a batch request: ``<IntuitBatchRequest>`` XML or a JSON object."""
    if sends_xml():
        return xml_codec.parse_batch(request.get_data(cache=True))
    return json_body()


def json_body() -> dict[str, Any]:
    """The request body as a JSON object, or the fault QBO gives for what it cannot read."""
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise QBOFault("invalid_utf8") from None
    body = parse_json(text) if text.strip() else None
    if not isinstance(body, dict):
        raise QBOFault("malformed_json")
    return body


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard token {name}")


def parse_json(text: str) -> Any:
    """Strict JSON as Jackson reads it, or 2010 ``malformed_json``.

    Refused (assumed, §2.3 2010 "failed to parse json object"): ``NaN``/``Infinity`` (not
    JSON), nesting deeper than ``validation.MAX_BODY_DEPTH``, and ``\\u`` escapes that leave
    a lone surrogate (not text that can be stored or sent back).
    """
    try:
        body = json.loads(text, parse_constant=_reject_constant)
        if too_deep(body):
            raise ValueError("nested too deep")
        if "\\u" in text:
            json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        raise QBOFault("malformed_json") from None
    return body
