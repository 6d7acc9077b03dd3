"""The structure of a QBO response body, with its values left out: what the parity corpus keeps.

A *shape* is the body with every leaf replaced by a token naming its kind and format:

- ``bool``, ``null``; numbers ``zero``, ``int``, ``dec1``, ``dec2``, ``decN`` (digits after the
  point as written: ``80.00`` is ``dec2``; a JSON ``15`` is ``int``, ``15.0`` is ``dec1``);
- strings ``id`` (digits only), ``date`` (``2013-11-15``), ``datetime`` (with offset),
  ``datetime.ms`` (with milliseconds), ``decstr`` (a decimal in a string, ``"36.95"``),
  ``empty``, ``string``.

Values of enumeration fields (:data:`LITERAL_KEYS`: ``DetailType``, ``Type``, ...) are kept
after the token, ``string=SalesItemLineDetail``: the replay needs them to rebuild a valid
request. Nothing else of the body is kept.

Booleans keep their value too (``bool=true``). JSON shapes mirror the body (objects and
arrays); XML shapes are element nodes ``[tag, {attribute: token}, token or [children]]``, so
element order is kept.

    python3 -m qbo_sim.parity.shape RAW_BODY_FILE   # print the shape of a captured body
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

#: Fields whose value the shape keeps: enumerations the replay needs to build a valid request.
LITERAL_KEYS = frozenset(
    {
        "DetailType",
        "Type",
        "AccountType",
        "AccountSubType",
        "Classification",
        "PaymentType",
        "PreferredDeliveryMethod",
        "BillableStatus",
        "GlobalTaxCalculation",
        "PrintStatus",
        "EmailStatus",
        "PostingType",
        "TxnType",
        "NameOf",
        "status",
        "PayType",
        "type",
        "TaxCodeRef",
        "CurrencyRef",
        "code",
        "ItemCategoryType",
        "domain",
    }
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
_DATETIME_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+(Z|[+-]\d{2}:\d{2})$")
_ID = re.compile(r"^\d+$")
_DECIMAL = re.compile(r"^-?\d*\.(\d+)$")
_NUMBER_TEXT = re.compile(r"^-?\d+(\.\d+)?$")


def number_token(text: str) -> str:
    """``zero``, ``int`` or ``dec<digits>`` of a number as written."""
    if float(text) == 0 and "." not in text:
        return "zero"
    if "." not in text and "e" not in text.lower():
        return "int"
    digits = len(text.split(".", 1)[1]) if "." in text else 0
    return f"dec{digits}" if digits <= 2 else "decN"


def string_token(text: str) -> str:
    if text == "":
        return "empty"
    if _ID.match(text):
        return "id"
    if _DATE.match(text):
        return "date"
    if _DATETIME.match(text):
        return "datetime"
    if _DATETIME_MS.match(text):
        return "datetime.ms"
    if _DECIMAL.match(text):
        return "decstr"
    return "string"


def json_shape(value: Any, key: str = "") -> Any:
    """The shape of a parsed JSON body (numbers must be parsed with their text kept: see
    :func:`parse_json`)."""
    if isinstance(value, dict):
        if key in LITERAL_KEYS and "value" in value:  # e.g. TaxCodeRef {"value": "NON"}
            return {
                k: _literal(v, k) if k == "value" else json_shape(v, k) for k, v in value.items()
            }
        return {k: json_shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [json_shape(v, key) for v in value]
    if isinstance(value, bool):
        return f"bool={str(value).lower()}"
    if value is None:
        return "null"
    if isinstance(value, _Number):
        return number_token(value.text)
    if isinstance(value, int | float):
        return number_token(json.dumps(value))
    return _literal(value, key) if key in LITERAL_KEYS else string_token(value)


def _literal(value: Any, key: str) -> str:
    return f"{string_token(str(value))}={value}"


class _Number(float):
    """A JSON number that remembers how it was written (``15`` or ``15.0``)."""

    text: str

    def __new__(cls, text: str) -> _Number:
        number = super().__new__(cls, float(text))
        number.text = text
        return number


def parse_json(text: str) -> Any:
    """JSON with every number as a :class:`_Number` (its written form kept)."""
    return json.loads(text, parse_int=_Number, parse_float=_Number)


def xml_shape(element: ET.Element) -> list[Any]:
    """The shape of an XML element, ``[tag, {attribute: token}, token or [children]]``
    (namespace dropped)."""
    tag = local(element.tag)
    attrs = {local(name): _xml_token(v, local(name)) for name, v in element.attrib.items()}
    children = [xml_shape(child) for child in element]
    if children:
        return [tag, attrs, children]
    return [tag, attrs, _xml_token((element.text or "").strip(), tag)]


def _xml_token(text: str, key: str) -> str:
    token = text_token(text)
    if key in LITERAL_KEYS or token == "bool":
        return f"{token}={text}"
    return token


def text_token(text: str) -> str:
    """The token of an XML text or attribute: XML has no types, so numbers and booleans are
    recognised by their form."""
    if text in ("true", "false"):
        return "bool"
    if text in ("0", "-0"):
        return "zero"
    if _NUMBER_TEXT.match(text) and not _ID.match(text):
        return number_token(text)
    return string_token(text)


def local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def shape_of(text: str, fmt: str) -> Any:
    """The shape of a body in ``fmt`` (``json`` or ``xml``)."""
    if fmt == "json":
        return json_shape(parse_json(text))
    return xml_shape(ET.fromstring(text.strip().encode("utf-8")))


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    fmt = "xml" if path.suffix == ".xml" else "json"
    print(json.dumps(shape_of(path.read_text(encoding="utf-8"), fmt), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
