"""The only place that knows QBO's wire shapes: entity envelopes and fault bodies.

Sources: ``shared/qbo-reference.md`` §1.1 (standard ``Fault``), §1.3 (lower-case gateway
envelope), §1.4 and §2.3 3001 (XML), §1.5 (HTML outage pages), §5.2 (entity wrapper).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from qbo_sim.clock import epoch_millis, response_time
from qbo_sim.faults import QBOFault
from qbo_sim.xml import MONEY_FIELDS

JSON_TYPE = "application/json;charset=UTF-8"
XML_TYPE = "application/xml;charset=UTF-8"
HTML_TYPE = "text/html"


def dumps(body: Any) -> str:
    """Compact JSON as QBO sends it (non-ASCII kept as UTF-8); money amounts that are zero
    are written ``0``, not ``0.0`` (:func:`wire_numbers`)."""
    return json.dumps(wire_numbers(body), ensure_ascii=False, separators=(",", ":"))


def wire_numbers(value: Any, key: str = "") -> Any:
    """``value`` with zero money amounts (:data:`qbo_sim.xml.MONEY_FIELDS`) as the integer 0:
    QBO writes ``"Balance":0``, ``"TotalTax":0``, ``"Deposit":0`` (§5.12, DOC-ENT samples) and
    keeps other amounts as computed (``"TotalAmt":35.0``). Copies only what it changes (every
    answer goes through here: scalars are looked at in place, not by a call each)."""
    if isinstance(value, dict):
        changed: dict[Any, Any] | None = None
        for k, v in value.items():
            kind = type(v)
            if kind is str or kind is bool or kind is int or v is None:
                continue
            if kind is float:
                if v != 0 or k not in MONEY_FIELDS:
                    continue
                new = 0
            elif isinstance(v, dict | list):
                new = wire_numbers(v, k)
            else:
                continue
            if new is not v:
                if changed is None:
                    changed = dict(value)
                changed[k] = new
        return value if changed is None else changed
    if isinstance(value, list):
        items: list[Any] | None = None
        for i, v in enumerate(value):
            kind = type(v)
            if kind is str or kind is bool or kind is int or v is None:
                continue
            if kind is float:
                if v != 0 or key not in MONEY_FIELDS:
                    continue
                new = 0
            elif isinstance(v, dict | list):
                new = wire_numbers(v, key)
            else:
                continue
            if new is not v:
                if items is None:
                    items = list(value)
                items[i] = new
        return value if items is None else items
    if type(value) is float and value == 0 and key in MONEY_FIELDS:
        return 0
    return value


def entity_body(
    name: str, entity: dict[str, Any], instant: datetime, offset: int
) -> dict[str, Any]:
    return {name: entity, "time": response_time(instant, offset)}


def negotiated(body: dict[str, Any], as_xml: bool) -> tuple[str, str]:
    """``(content type, text)`` of an API answer: JSON, or QBO's XML when the client asked
    for it (§1.4; :mod:`qbo_sim.xml` writes the documents)."""
    if not as_xml:
        return JSON_TYPE, dumps(body)
    return XML_TYPE, xml_answer(body)


def xml_answer(body: dict[str, Any]) -> str:
    """The XML document of a JSON answer body (entity, query, batch, CDC or fault)."""
    from qbo_sim import xml

    time = str(body.get("time", ""))
    if "QueryResponse" in body:
        return xml.query_document(body["QueryResponse"], time)
    if "BatchItemResponse" in body:
        return xml.batch_document(body["BatchItemResponse"], time)
    if "CDCResponse" in body:
        return xml.cdc_document(body["CDCResponse"], time)
    if "AttachableResponse" in body:
        return xml.upload_document(body["AttachableResponse"], time)
    if "Fault" in body:
        return xml.fault_document(body["Fault"], time)
    entries = [(k, v) for k, v in body.items() if k != "time"]
    if not entries:  # an empty answer (exchangerate of a currency the company has no rate for)
        return xml.document("", time)
    ((name, entity),) = entries
    return xml.entity_document(name, entity, time)


def fault_response(
    faults: QBOFault | list[QBOFault], instant: datetime, offset: int, *, as_xml: bool = False
) -> tuple[int, str, str]:
    """Render one fault (or several of the same envelope) as ``(status, content type, body)``.

    ``as_xml``: the client asked for XML, so a standard fault is written as QBO's XML ``Fault``
    (§1.4); gateway, throttle and outage bodies keep their own forms."""
    group = faults if isinstance(faults, list) else [faults]
    first = group[0]
    envelope = first.spec.envelope
    if envelope == "gateway":
        return first.status, JSON_TYPE, dumps(gateway_body(group, instant))
    if envelope == "xml":
        return first.status, XML_TYPE, xml_fault(group, instant, offset)
    if envelope == "html":
        return first.status, HTML_TYPE, outage_page(first.status)
    if envelope == "s3":
        return first.status, XML_TYPE, s3_error(first, instant)
    body = fault_body(group, instant, offset)
    if as_xml:
        return first.status, XML_TYPE, xml_answer(body)
    return first.status, JSON_TYPE, dumps(body)


def fault_error(fault: QBOFault) -> dict[str, Any]:
    error: dict[str, Any] = {
        "Message": fault.spec.message,
        "Detail": fault.detail,
        "code": fault.code,
    }
    if fault.element is not None:
        error["element"] = fault.element
    return error


def fault_object(group: list[QBOFault]) -> dict[str, Any]:
    """The ``Fault`` object alone (also used inside batch item responses)."""
    return {"Error": [fault_error(f) for f in group], "type": group[0].spec.type}


def fault_body(group: list[QBOFault], instant: datetime, offset: int) -> dict[str, Any]:
    return {"Fault": fault_object(group), "time": response_time(instant, offset)}


def gateway_body(group: list[QBOFault], instant: datetime) -> dict[str, Any]:
    """The lower-case envelope with its null siblings (§1.3)."""
    return {
        "warnings": None,
        "intuitObject": None,
        "fault": {
            "error": [
                {"message": f.spec.message, "detail": f.detail, "code": f.code, "element": None}
                for f in group
            ],
            "type": group[0].spec.type,
        },
        "report": None,
        "queryResponse": None,
        "batchItemResponse": [],
        "attachableResponse": [],
        "syncErrorResponse": None,
        "requestId": None,
        "time": epoch_millis(instant),
        "status": None,
        "cdcresponse": [],
    }


def s3_error(fault: QBOFault, instant: datetime) -> str:
    """Amazon S3's error document (AWS S3 API reference, "Error responses")."""
    request_id = f"{epoch_millis(instant):016X}"[-16:]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(fault.code)}</Code><Message>{escape(fault.spec.message)}</Message>"
        f"<RequestId>{request_id}</RequestId><HostId>qbo-sim</HostId></Error>"
    )


def xml_fault(group: list[QBOFault], instant: datetime, offset: int) -> str:
    """``<IntuitResponse>`` with a ``<Fault>`` (§1.4, §2.3 3001)."""
    errors = []
    for f in group:
        attrs = f"code={quoteattr(f.code)}"
        if f.element:
            attrs += f" element={quoteattr(f.element)}"
        detail = f"<Detail>{escape(f.detail)}</Detail>" if f.detail is not None else ""
        errors.append(f"<Error {attrs}><Message>{escape(f.spec.message)}</Message>{detail}</Error>")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" '
        f'time="{response_time(instant, offset)}">'
        f"<Fault type={quoteattr(group[0].spec.type)}>{''.join(errors)}</Fault>"
        "</IntuitResponse>"
    )


_OUTAGE_TITLES = {
    502: "502 Bad Gateway",
    503: "503 Service Temporarily Unavailable",
    504: "504 Gateway Time-out",
}


def outage_page(status: int) -> str:
    """The nginx-style HTML page QBO's load balancer serves during outages (§1.5)."""
    title = _OUTAGE_TITLES.get(status, f"{status} Error")
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    )
