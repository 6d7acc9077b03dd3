"""QBO's XML wire format: entity dicts ↔ XML, and the XML documents of every API answer.

A codec only: a request body read here becomes the same dict the JSON path produces, so
validation, derived fields and rules are shared. Shapes are those of QBO's XML samples
(reference §1.4, §4.6, §5.2, §5.7, §5.8; Intuit's entity docs' "XML example" sections and the
XSDs ``IntuitBaseTypes.xsd``/``IntuitRestServiceDef.xsd`` of intuit/QuickBooks-V3-Java-SDK):

- ``<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="...">`` wraps every answer;
- ``domain``, ``status`` and ``sparse`` are attributes of the entity element
  (``<Customer domain="QBO" sparse="false">``; a delete answer is
  ``<Invoice domain="QBO" status="Deleted"><Id>33</Id></Invoice>``);
- children are in the XSD's order (:func:`ordered_keys`, from the committed table
  ``schemas/xml_order.json`` that ``tools/gen_xml_order.py`` writes from Intuit's XSD:
  ``IntuitEntity``'s ``Id``, ``SyncToken``, ``MetaData`` first, then each extension's sequence);
  fields the table does not know follow the known ones in the order of the JSON entity;
- references and memos are simple content with attributes: ``<CustomerRef name="x">1</CustomerRef>``
  ↔ ``{"value": "1", "name": "x"}``, ``<CustomerMemo>Thanks</CustomerMemo>`` ↔ ``{"value": ...}``;
- lists are repeated elements (``<Line>...</Line><Line>...</Line>``); an empty list has no
  XML form and is left out;
- booleans are ``true``/``false``; money amounts carry two decimals when not zero
  (``<Amount>87.50</Amount>``, ``<Balance>0</Balance>``, ``<UnitPrice>35</UnitPrice>`` as in the
  samples; which fields are money is assumed, :data:`MONEY_FIELDS`);
- query answers ``<QueryResponse startPosition="1" maxResults="2" totalCount="2">``, an empty
  one ``<QueryResponse/>``; batch items ``<BatchItemResponse bId="...">``; CDC
  ``<CDCResponse><QueryResponse .../></CDCResponse>``.

Reading a request: types come from the entity's JSON Schema (:func:`validation.schema_node`):
an array-typed property becomes a list even with one element, ``number``/``integer``/``boolean``
text becomes a number/bool (text that is not one is kept as a string, so validation answers
the 2010 fault the JSON path gives for it). Elements the schema does not know are kept (and
refused by validation like an unknown JSON property); inside open objects (Preferences
sections) ``true``/``false`` become booleans and other text stays text (assumed). A repeated
element that is not a list keeps its last value, as a duplicate JSON key does.

Unreadable bodies (not well-formed, carrying a ``<!DOCTYPE`` (no DTDs, so no entity
expansion), declaring an unknown encoding, or nested deeper than :data:`MAX_DEPTH`) answer 2010
``malformed_json``: no capture of QBO's answer to malformed XML was
found, the JSON "failed to parse" fault is reused (assumed).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from qbo_sim.faults import QBOFault
from qbo_sim.validation import MAX_BODY_DEPTH, XML_ILLEGAL, XML_NAME, Node, schema_node

NAMESPACE = "http://schema.intuit.com/finance/v3"
PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MEDIA_TYPES = ("application/xml", "text/xml")
#: Attributes of every entity element (XSD ``IntuitEntity``).
ENTITY_ATTRIBUTES = ("domain", "status", "sparse")
#: The XSD element order table (``tools/gen_xml_order.py`` writes it).
ORDER_TABLE = Path(__file__).parent / "schemas" / "xml_order.json"
REF_KEYS = frozenset({"value", "name", "type"})
#: Amounts QBO writes with two decimals (``87.50``) unless zero (``0``): observed for Amount,
#: TotalAmt, Balance, NetAmountTaxable, RemainingCredit (tests/parity); assumed for the rest.
MONEY_FIELDS = frozenset(
    {
        "Amount",
        "TotalAmt",
        "HomeTotalAmt",
        "Balance",
        "HomeBalance",
        "BalanceWithJobs",
        "OpenBalance",
        "TotalTax",
        "NetAmountTaxable",
        "UnappliedAmt",
        "HomeAmount",
        "Deposit",
        "TaxAmount",
        "TaxInclusiveAmt",
        "DiscountAmt",
        "CurrentBalance",
        "CurrentBalanceWithSubAccounts",
        "OpeningBalance",
        "RemainingCredit",
    }
)
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.\d*|\.\d+)$")
_DOCTYPE = re.compile(rb"<!\s*doctype|<!\s*entity", re.IGNORECASE)
#: How deep request elements may nest (assumed; QBO's deepest entities nest about 8 levels).
#: Deeper bodies answer ``malformed_json``, as JSON nested too deep does
#: (:data:`qbo_sim.validation.MAX_BODY_DEPTH` is the same bound).
MAX_DEPTH = MAX_BODY_DEPTH
#: Bytes fed to the parser at a time, so a body too deep is refused early.
_CHUNK = 64 * 1024


# --- writing -----------------------------------------------------------------------------
def document(inner: str, time: str) -> str:
    """``inner`` wrapped in ``<IntuitResponse>`` with the response time."""
    opening = f"<IntuitResponse xmlns={_attr(NAMESPACE)} time={_attr(time)}>"
    return f"{PROLOG}{opening}{inner}</IntuitResponse>"


def entity_document(name: str, entity: dict[str, Any], time: str) -> str:
    """A single-entity answer (read, create, update, delete, void)."""
    return document(entity_xml(name, entity), time)


def query_document(query_response: dict[str, Any], time: str) -> str:
    """A query answer: the ``QueryResponse`` object of the JSON body."""
    return document(query_response_xml(query_response), time)


def batch_document(items: list[dict[str, Any]], time: str) -> str:
    """A batch answer: one ``<BatchItemResponse bId>`` per item, entity, query or fault."""
    return document("".join(batch_item_xml(item) for item in items), time)


def upload_document(items: list[dict[str, Any]], time: str) -> str:
    """An upload answer: one ``<AttachableResponse>`` per file, its Attachable or its Fault
    (recorded: quickbooks-ruby spec/fixtures/upload_create_response.xml)."""
    parts = []
    for item in items:
        if "Fault" in item:
            inner = fault_xml(item["Fault"])
        else:
            inner = "".join(entity_xml(k, v) for k, v in item.items() if isinstance(v, dict))
        parts.append(f"<AttachableResponse>{inner}</AttachableResponse>")
    return document("".join(parts), time)


def cdc_document(cdc_response: list[dict[str, Any]], time: str) -> str:
    """A CDC answer: the ``CDCResponse`` array of the JSON body."""
    parts = []
    for block in cdc_response:
        responses = block.get("QueryResponse") or [{}]
        inner = "".join(query_response_xml(r) for r in responses)
        parts.append(f"<CDCResponse>{inner}</CDCResponse>")
    return document("".join(parts), time)


def fault_document(fault: dict[str, Any], time: str) -> str:
    """A standard fault (the ``Fault`` object of the JSON body) as QBO's XML (§1.4)."""
    return document(fault_xml(fault), time)


def entity_xml(name: str, entity: dict[str, Any]) -> str:
    attrs = "".join(
        f" {key}={_attr(_scalar(entity[key], key))}"
        for key in ENTITY_ATTRIBUTES
        if entity.get(key) is not None
    )
    type_name = order_table()["entities"].get(name)
    keys = ordered_keys(type_name, [k for k in entity if k not in ENTITY_ATTRIBUTES])
    children = "".join(_field(key, entity[key], child_type(type_name, key)) for key in keys)
    return f"<{name}{attrs}>{children}</{name}>" if children else f"<{name}{attrs}/>"


def query_response_xml(query_response: dict[str, Any]) -> str:
    attrs = "".join(
        f' {key}="{int(query_response[key])}"'
        for key in ("startPosition", "maxResults", "totalCount")
        if key in query_response
    )
    rows: list[str] = []
    for key, value in query_response.items():
        if isinstance(value, list):
            rows.extend(entity_xml(key, row) for row in value)
    inner = "".join(rows)
    return f"<QueryResponse{attrs}>{inner}</QueryResponse>" if inner else f"<QueryResponse{attrs}/>"


def batch_item_xml(item: dict[str, Any]) -> str:
    bid = item.get("bId")
    attrs = f" bId={_attr(str(bid))}" if bid is not None else ""
    parts = []
    for key, value in item.items():
        if key == "bId":
            continue
        if key == "Fault":
            parts.append(fault_xml(value))
        elif key == "QueryResponse":
            parts.append(query_response_xml(value))
        elif isinstance(value, dict):
            parts.append(entity_xml(key, value))
    return f"<BatchItemResponse{attrs}>{''.join(parts)}</BatchItemResponse>"


def fault_xml(fault: dict[str, Any]) -> str:
    """``<Fault type><Error code element><Message/><Detail/></Error></Fault>``; ``element`` is
    written when the JSON body has it (also empty, as §1.4 shows), left out when it is absent."""
    errors = []
    for error in fault.get("Error", []):
        attrs = f" code={_attr(str(error.get('code', '')))}"
        if error.get("element") is not None:
            attrs += f" element={_attr(str(error['element']))}"
        message = f"<Message>{_text(str(error.get('Message', '')))}</Message>"
        detail = error.get("Detail")
        detail_xml = f"<Detail>{_text(str(detail))}</Detail>" if detail is not None else ""
        errors.append(f"<Error{attrs}>{message}{detail_xml}</Error>")
    return f"<Fault type={_attr(str(fault.get('type', '')))}>{''.join(errors)}</Fault>"


@cache
def order_table() -> dict[str, Any]:
    """``{"entities": {element: type}, "types": {type: {"children": [[name, type]], ...}}}``."""
    table: dict[str, Any] = json.loads(ORDER_TABLE.read_text(encoding="utf-8"))
    return table


@cache
def _positions(type_name: str) -> dict[str, tuple[int, str | None]]:
    children = order_table()["types"][type_name]["children"]
    return {name: (index, child) for index, (name, child) in enumerate(children)}


def ordered_keys(type_name: str | None, keys: list[str]) -> list[str]:
    """``keys`` in the XSD order of ``type_name``; unknown keys after, in their own order."""
    if type_name is None or type_name not in order_table()["types"]:
        return list(keys)
    positions = _positions(type_name)
    known = sorted((k for k in keys if k in positions), key=lambda k: positions[k][0])
    return known + [k for k in keys if k not in positions]


def child_type(type_name: str | None, key: str) -> str | None:
    """The XSD type of child ``key`` of ``type_name`` (None: simple, or not in the table)."""
    if type_name is None or type_name not in order_table()["types"]:
        return None
    entry = _positions(type_name).get(key)
    return entry[1] if entry is not None else None


def _field(tag: str, value: Any, type_name: str | None = None) -> str:
    if value is None or not XML_NAME.match(tag):  # a key no element can be named after
        return ""
    if isinstance(value, list):
        return "".join(_field(tag, item, type_name) for item in value)
    if isinstance(value, dict):
        if _is_ref(value):
            attrs = "".join(
                f" {key}={_attr(_scalar(value[key], key))}"
                for key in ("name", "type")
                if value.get(key) is not None
            )
            return f"<{tag}{attrs}>{_text(_scalar(value['value'], 'value'))}</{tag}>"
        keys = ordered_keys(type_name, list(value))
        inner = "".join(_field(key, value[key], child_type(type_name, key)) for key in keys)
        return f"<{tag}>{inner}</{tag}>" if inner else f"<{tag}/>"
    return f"<{tag}>{_text(_scalar(value, tag))}</{tag}>"


def _is_ref(value: dict[str, Any]) -> bool:
    """``{"value": ..., "name": ..., "type": ...}``: ReferenceType or MemoRef, simple content."""
    return "value" in value and set(value) <= REF_KEYS and not isinstance(value["value"], dict)


def _scalar(value: Any, tag: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _decimal(value, money=tag in MONEY_FIELDS)
    return str(value)


def _decimal(value: float, *, money: bool) -> str:
    """Plain decimal notation (no exponent, as ``xs:decimal``); money keeps two decimals."""
    number = Decimal(repr(value))
    if money and number == 0:
        return "0"
    if money and number.as_tuple().exponent > -2:  # type: ignore[operator]
        number = number.quantize(Decimal("0.01"))
    return format(number, "f")


def _text(value: str) -> str:
    """Character data; ``\\r`` as a reference so a parser does not fold it into ``\\n``."""
    return escape(_legal(value)).replace("\r", "&#13;")


def _attr(value: str) -> str:
    """A quoted attribute value."""
    return quoteattr(_legal(value))


def _legal(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot carry (control characters, U+FFFE,
    U+FFFF, lone surrogates). Writes refuse them (2040, :data:`validation.XML_ILLEGAL`); this
    keeps every answer well-formed whatever reached the store (snapshots, Python edits)."""
    return XML_ILLEGAL.sub("", value)


# --- reading -----------------------------------------------------------------------------
def is_xml(content_type: str | None) -> bool:
    """Whether a ``Content-Type``/media type names XML."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media in MEDIA_TYPES


def parse_document(raw: bytes) -> ET.Element:
    """The root element of a request body, or the fault for a body QBO cannot read.

    Bytes that are not UTF-8 answer ``invalid_utf8`` (QBO's Xerces message); a DTD or entity
    declaration, an encoding declaration the parser does not know (``encoding="ebcdic"``),
    elements nested deeper than :data:`MAX_DEPTH`, or anything not well-formed answers
    ``malformed_json`` (assumed), as a JSON body nested too deep does.
    """
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise QBOFault("invalid_utf8") from None
    if _DOCTYPE.search(raw):
        raise QBOFault("malformed_json")
    parser: ET.XMLPullParser[Any] = ET.XMLPullParser(events=("start", "end"))
    root: ET.Element | None = None
    depth = 0
    try:
        for start in range(0, len(raw), _CHUNK):
            parser.feed(raw[start : start + _CHUNK])
            root, depth = _follow(parser, root, depth)
        parser.close()
        root, depth = _follow(parser, root, depth)
    except (ET.ParseError, LookupError, ValueError):  # LookupError: unknown encoding
        raise QBOFault("malformed_json") from None
    if root is None:
        raise QBOFault("malformed_json")
    return root


def _follow(
    parser: ET.XMLPullParser[Any], root: ET.Element | None, depth: int
) -> tuple[ET.Element | None, int]:
    """Read the parser's pending events: the root element and the current depth, refusing
    a document nested deeper than :data:`MAX_DEPTH` before the rest is read."""
    for event, element in parser.read_events():  # type: ignore[misc]
        if event == "start":
            depth += 1
            if depth > MAX_DEPTH:
                raise QBOFault("malformed_json")
            if root is None:
                root = element  # type: ignore[assignment]
        else:
            depth -= 1
    return root, depth


def parse_entity(raw: bytes, expected: str) -> dict[str, Any]:
    """An entity request body (``<Customer sparse="true">...</Customer>``) as its JSON dict."""
    root = parse_document(raw)
    if local_name(root.tag) != expected:
        raise QBOFault("malformed_json")
    return entity_from_element(root, expected)


def entity_from_element(element: ET.Element, name: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key in ENTITY_ATTRIBUTES:
        if key in element.attrib:
            raw = element.attrib[key]
            body[key] = _boolean(raw) if key == "sparse" else raw
    body.update(_object(element, schema_node(name)))
    return body


def parse_batch(raw: bytes) -> dict[str, Any]:
    """``<IntuitBatchRequest><BatchItemRequest bId operation optionsData>`` as the JSON body."""
    from qbo_sim.entities import ENTITIES

    root = parse_document(raw)
    if local_name(root.tag) != "IntuitBatchRequest":
        raise QBOFault("malformed_json")
    items = []
    for child in root:
        if local_name(child.tag) != "BatchItemRequest":
            continue
        item: dict[str, Any] = {
            key: value for key, value in child.attrib.items() if not key.startswith("{")
        }
        for part in child:
            tag = local_name(part.tag)
            if tag in ENTITIES:
                item[tag] = entity_from_element(part, tag)
            elif len(part) == 0:
                item[tag] = part.text or ""
            else:
                item[tag] = _object(part, None)
        items.append(item)
    return {"BatchItemRequest": items}


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _object(element: ET.Element, node: Node | None) -> dict[str, Any]:
    props = node.props if node is not None and node.props is not None else None
    body: dict[str, Any] = {}
    for child in element:
        tag = local_name(child.tag)
        child_node = props.get(tag) if props is not None else None
        if child_node is not None and child_node.type == "array":
            body.setdefault(tag, [])
            if not isinstance(body[tag], list):
                body[tag] = []
            body[tag].append(_value(child, child_node.items))
        else:
            body[tag] = _value(child, child_node)
    return body


def _value(element: ET.Element, node: Node | None) -> Any:
    kind = node.type if node is not None else None
    if len(element) > 0:
        return _object(element, node)
    attrs = {k: v for k, v in element.attrib.items() if k in ("name", "type")}
    text = element.text or ""
    if kind == "object" or (kind is None and attrs):
        if _ref_node(node) or attrs or text.strip():
            return {"value": text, **attrs}
        return {}
    if kind in ("number", "integer"):
        return _number(text)
    if kind == "boolean":
        return _boolean(text)
    if kind is None and text.strip() in ("true", "false"):
        return text.strip() == "true"
    return text


def _ref_node(node: Node | None) -> bool:
    if node is None or node.props is None:
        return False
    return "value" in node.props and set(node.props) <= REF_KEYS


def _number(text: str) -> Any:
    stripped = text.strip()
    if _INTEGER.match(stripped):
        return int(stripped)
    if _DECIMAL.match(stripped):
        return float(stripped)
    return text  # not a number: validation answers the 2010 the JSON path gives


def _boolean(text: str) -> Any:
    stripped = text.strip()
    if stripped in ("true", "1"):
        return True
    if stripped in ("false", "0"):
        return False
    return text
