"""Per-request access to the simulator, the company and the request's parsed body.

:func:`sim` gives the simulator as a :class:`ServedSimulator`: a ``SimulatorLike`` whose
features are typed by their classes, so mypy checks every ``sim().injector.add(...)``.
"""

from __future__ import annotations

import json
from typing import Any, Protocol, cast

from flask import g, request

from qbo_sim import attachments, web
from qbo_sim import xml as xml_codec
from qbo_sim.faults import QBOFault
from qbo_sim.idempotency import RequestIdMemory
from qbo_sim.injection import FaultInjector
from qbo_sim.interfaces import SimulatorLike
from qbo_sim.oauth import OAuthServer
from qbo_sim.opcontext import OpContext
from qbo_sim.serialize import negotiated
from qbo_sim.store import Company
from qbo_sim.throttle import Throttle
from qbo_sim.validation import too_deep
from qbo_sim.web import wants_xml
from qbo_sim.webhooks import Webhooks

__all__ = [
    "ServedSimulator",
    "answer",
    "batch_body",
    "company",
    "entity_body",
    "include_options",
    "json_body",
    "op_context",
    "parse_json",
    "sends_xml",
    "sim",
    "wants_xml",
]


class ServedSimulator(SimulatorLike, Protocol):
    """What the blueprints use of a simulator: ``SimulatorLike`` and the features each
    ``install`` gives it (``qbo_sim.simulator.Simulator`` is one; mypy checks it)."""

    oauth: OAuthServer
    throttle: Throttle
    injector: FaultInjector
    idempotency: RequestIdMemory
    webhooks: Webhooks


def sim() -> ServedSimulator:
    """The simulator behind the app handling the current request, with its features."""
    return cast(ServedSimulator, web.sim())


def company() -> Company:
    """The company of the realm in the URL (the gateway has checked it exists)."""
    found = sim().store.get(g.realm_id)
    if found is None:  # the gateway rejects unknown realms before views run
        raise QBOFault("auth_general")
    return found


def answer(body: dict[str, Any], target: Company) -> tuple[str, str]:
    """``(content type, text)`` of an API answer of ``target``'s: JSON or QBO's XML, as the
    client asked, with the download links of its Attachables signed now
    (:func:`qbo_sim.attachments.present`)."""
    if target.extras.get(attachments.FILES):
        base = attachments.download_base(request.host, request.host_url)
        body = attachments.present(body, target, base, sim().clock.now())
    return negotiated(body, wants_xml(target))


def include_options() -> frozenset[str]:
    raw = ",".join(request.args.getlist("include"))
    return frozenset(part.strip().lower() for part in raw.split(",") if part.strip())


def op_context() -> OpContext:
    return OpContext(company(), sim().clock, options=include_options())


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
        problem = jackson_utf8_problem(raw)
        if problem is None:  # bytes Jackson would read but are not text (overlong, surrogate)
            raise QBOFault("malformed_json") from None
        raise QBOFault("invalid_utf8_json", problem=problem) from None
    body = parse_json(text) if text.strip() else None
    if not isinstance(body, dict):
        raise QBOFault("malformed_json")
    return body


def jackson_utf8_problem(raw: bytes) -> str | None:
    """What Jackson (QBO's JSON reader) says about the first byte it cannot read as UTF-8.

    Lead bytes 0xC0-0xDF, 0xE0-0xEF and 0xF0-0xF7 open a 2-, 3- or 4-byte sequence; any other
    byte of 0x80 or more is an invalid start byte, and a following byte not of the form
    10xxxxxx an invalid middle byte (captured: ``Invalid UTF-8 middle byte 0x6d``,
    QuickBooks-V3-Java-SDK#181). None when Jackson would find nothing (a sequence cut off by
    the end of the body, which is then not a whole JSON document either, or overlong forms
    and surrogates, which Jackson does not check).
    """
    i, size = 0, len(raw)
    while i < size:
        lead = raw[i]
        if lead < 0x80:
            i += 1
            continue
        if 0xC0 <= lead <= 0xDF:
            follow = 1
        elif 0xE0 <= lead <= 0xEF:
            follow = 2
        elif 0xF0 <= lead <= 0xF7:
            follow = 3
        else:
            return f"Invalid UTF-8 start byte 0x{lead:x}"
        for middle in raw[i + 1 : i + 1 + follow]:
            if middle & 0xC0 != 0x80:
                return f"Invalid UTF-8 middle byte 0x{middle:x}"
        i += 1 + follow
    return None


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
