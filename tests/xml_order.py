"""Checking XML answers against the committed XSD order (``qbo_sim/schemas/xml_order.json``).

:func:`order_errors` walks a document: every element whose type the table knows must have its
children in the table's order, and children the table does not know only after the known ones.
The suite-wide hook in ``tests/conftest.py`` runs it on every XML document the app writes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from qbo_sim import xml

ENTITY_CONTAINERS = frozenset(
    {"IntuitResponse", "QueryResponse", "BatchItemResponse", "CDCResponse"}
)


def order_errors(document: str) -> list[str]:
    """What is out of XSD order in ``document`` (empty: all in order)."""
    root = ET.fromstring(document.encode("utf-8"))
    errors: list[str] = []
    _walk_containers(root, errors)
    return errors


def _walk_containers(element: ET.Element, errors: list[str]) -> None:
    for child in element:
        tag = xml.local_name(child.tag)
        if tag in ENTITY_CONTAINERS:
            _walk_containers(child, errors)
        elif tag in xml.order_table()["entities"]:
            _check(child, xml.order_table()["entities"][tag], tag, errors)


def _check(element: ET.Element, type_name: str | None, path: str, errors: list[str]) -> None:
    types = xml.order_table()["types"]
    if type_name is None or type_name not in types:
        return
    positions = {name: i for i, (name, _) in enumerate(types[type_name]["children"])}
    last = -1
    unknown_seen = None
    for child in element:
        tag = xml.local_name(child.tag)
        where = f"{path}.{tag}"
        if tag in positions:
            if unknown_seen is not None:
                errors.append(f"{where} after {unknown_seen}, which {type_name} does not know")
            elif positions[tag] < last:
                errors.append(f"{where} out of {type_name}'s order")
            last = positions[tag]
            _check(child, xml.child_type(type_name, tag), where, errors)
        else:
            unknown_seen = unknown_seen or tag
