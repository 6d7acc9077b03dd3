"""Write ``qbo_sim/schemas/xml_order.json``: QBO's XML element order, from Intuit's XSD.

Usage (from the repository root)::

    git clone --depth 1 https://github.com/intuit/QuickBooks-V3-Java-SDK /tmp/sdk
    PYTHONPATH=$PWD python3 tools/gen_xml_order.py /tmp/sdk/ipp-v3-java-data/src/main/xsd

The argument is a directory holding Intuit's ``*.xsd`` files (``Finance.xsd``,
``IntuitBaseTypes.xsd``, ``IntuitRestServiceDef.xsd``, ...: module ``ipp-v3-java-data``,
``src/main/xsd/`` of intuit/QuickBooks-V3-Java-SDK). ``--out`` writes elsewhere (default: the
committed table); ``--check`` compares instead of writing and exits 1 when the table differs.

The table has, for every complex type reachable from the served entities (the root elements
of :data:`qbo_sim.entities.ENTITIES`, and :data:`EXTRA_ROOTS`: ``TaxService``, the answer of
``POST /taxservice/taxcode``), its child elements in schema order, each with its type,
and its attributes; the base type's elements come first along ``xs:extension`` chains
(``IntuitEntity`` → ``Transaction`` → ``SalesTransaction`` → ``Invoice``), ``xs:sequence`` and
``xs:choice`` contribute their elements in document order, ``ref=`` and ``xs:group`` are
resolved. Types with simple content (``ReferenceType``) have no children, only attributes.
Anonymous complex types are named ``<Parent>.<element>``. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

XS = "{http://www.w3.org/2001/XMLSchema}"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "qbo_sim" / "schemas" / "xml_order.json"
SOURCE = "intuit/QuickBooks-V3-Java-SDK ipp-v3-java-data/src/main/xsd"
#: Answer roots that are not entities (SalesTax.xsd ``TaxService``).
EXTRA_ROOTS = ["TaxService"]


def _local(name: str | None) -> str | None:
    """``xs:string`` stays ``xs:string``; ``tns:Foo``/``Foo`` become ``Foo``."""
    if name is None:
        return None
    prefix, _, local = name.rpartition(":")
    return name if prefix == "xs" else local


class Schema:
    """The named complex types, global elements and groups of every ``*.xsd`` in a folder."""

    def __init__(self, xsd_dir: Path) -> None:
        self.types: dict[str, ET.Element] = {}
        self.elements: dict[str, ET.Element] = {}
        self.groups: dict[str, ET.Element] = {}
        self.anonymous: dict[str, ET.Element] = {}
        for path in sorted(xsd_dir.glob("*.xsd")):
            root = ET.parse(path).getroot()
            for child in root:
                name = child.get("name")
                if name is None:
                    continue
                if child.tag == f"{XS}complexType":
                    self.types[name] = child
                elif child.tag == f"{XS}element":
                    self.elements[name] = child
                elif child.tag == f"{XS}group":
                    self.groups[name] = child

    def element_type(self, element: ET.Element, owner: str) -> str | None:
        """The type name of an element declaration (``ref=`` resolved; anonymous named)."""
        if element.get("ref") is not None:
            target = self.elements.get(str(_local(element.get("ref"))))
            return self.element_type(target, owner) if target is not None else None
        if element.get("type") is not None:
            return _local(element.get("type"))
        inline = element.find(f"{XS}complexType")
        if inline is not None:
            name = f"{owner}.{element.get('name')}"
            self.anonymous[name] = inline
            return name
        return None

    def definition(self, name: str) -> ET.Element | None:
        return self.types.get(name) or self.anonymous.get(name)

    def describe(self, name: str) -> dict[str, Any]:
        """``{"children": [[element, type], ...], "attributes": [...]}`` of a complex type."""
        node = self.definition(name)
        assert node is not None, name
        children: list[list[Any]] = []
        attributes: list[str] = []
        self._content(node, name, children, attributes)
        seen: set[str] = set()
        unique = []
        for child in children:  # a name repeated down an extension chain counts once
            if child[0] not in seen:
                seen.add(child[0])
                unique.append(child)
        return {"children": unique, "attributes": attributes}

    def _content(
        self, node: ET.Element, owner: str, children: list[list[Any]], attributes: list[str]
    ) -> None:
        for part in node:
            tag = part.tag
            if tag in (f"{XS}complexContent", f"{XS}simpleContent"):
                self._content(part, owner, children, attributes)
            elif tag in (f"{XS}extension", f"{XS}restriction"):
                base = _local(part.get("base"))
                if tag == f"{XS}extension" and base is not None and self.definition(base):
                    base_description = self.describe(base)
                    children.extend(base_description["children"])
                    attributes.extend(base_description["attributes"])
                self._content(part, owner, children, attributes)
            elif tag in (f"{XS}sequence", f"{XS}choice", f"{XS}all"):
                self._content(part, owner, children, attributes)
            elif tag == f"{XS}group":
                group = self.groups.get(str(_local(part.get("ref"))))
                if group is not None:
                    self._content(group, owner, children, attributes)
            elif tag == f"{XS}element":
                name = part.get("name") or _local(part.get("ref"))
                children.append([name, self.element_type(part, owner)])
            elif tag == f"{XS}attribute":
                attributes.append(str(part.get("name") or _local(part.get("ref"))))


def build_table(xsd_dir: Path, roots: list[str]) -> dict[str, Any]:
    """The order table of the types reachable from the root elements ``roots``."""
    schema = Schema(xsd_dir)
    entities: dict[str, str] = {}
    for root in roots:
        element = schema.elements.get(root)
        type_name = schema.element_type(element, root) if element is not None else None
        if type_name is None and root in schema.types:
            type_name = root
        if type_name is not None:
            entities[root] = type_name
    types: dict[str, Any] = {}
    pending = sorted(set(entities.values()))
    while pending:
        name = pending.pop()
        if name in types or schema.definition(name) is None:
            continue
        types[name] = schema.describe(name)
        for _, child_type in types[name]["children"]:
            if child_type is not None and schema.definition(child_type) is not None:
                pending.append(child_type)
    for description in types.values():  # simple children: no type to recurse into
        for child in description["children"]:
            if child[1] not in types:
                child[1] = None
    return {
        "source": SOURCE,
        "entities": dict(sorted(entities.items())),
        "types": dict(sorted(types.items())),
    }


def dumps(table: dict[str, Any]) -> str:
    return json.dumps(table, indent=1, sort_keys=False) + "\n"


def served_entities() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from qbo_sim.entities import ENTITIES

    return sorted(ENTITIES) + EXTRA_ROOTS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("xsd_dir", type=Path, help="folder with Intuit's *.xsd files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    text = dumps(build_table(args.xsd_dir, served_entities()))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale: run {Path(__file__).name} {args.xsd_dir}")
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
