"""Structural comparison of two shapes (:mod:`qbo_sim.parity.shape`): a real QBO body's and the
simulator's answer to the same request.

:func:`compare` walks the real shape and reports every :class:`Diff`:

- ``missing``: the real body has the field (or element, or attribute), the simulator's not;
- ``extra``: the simulator sends a field the real body does not have;
- ``format``: both have it, with a different kind or format (``dec2`` against ``dec1``, a
  date-time with milliseconds against one without, a number against a string);
- ``order``: an XML element's children that both have, in a different order.

Format rules: a ``zero`` number matches any number (``0`` is how QBO writes every zero, so the
written form says nothing about the format of other values); an empty string matches any
string; in XML an ``id`` (digits) matches an ``int``. Literal values (``string=Service``) are
compared by their token only: the values are the request's, not a structural fact.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Any

_INDEX = re.compile(r"\[\d+\]")
_NUMBERS = frozenset({"zero", "int", "dec1", "dec2", "decN"})


@dataclass(frozen=True)
class Diff:
    """One structural difference at ``path`` (``Invoice.Line[0].Amount``, ``Customer@domain``)."""

    path: str
    what: str
    expected: str
    actual: str

    @property
    def pattern_path(self) -> str:
        """The path without list indices, as ``explained`` entries name it."""
        return _INDEX.sub("", self.path)

    def __str__(self) -> str:
        return f"{self.what:8} {self.path}: real {self.expected}, simulator {self.actual}"


@dataclass
class Result:
    """The differences of one body, and how many of its leaf fields matched."""

    diffs: list[Diff] = field(default_factory=list)
    compared: int = 0
    matched: int = 0


@dataclass(frozen=True)
class Explained:
    """A known, justified difference: ``path`` is an fnmatch pattern over index-free paths."""

    path: str
    what: str
    reason: str

    def covers(self, diff: Diff) -> bool:
        return self.what == diff.what and fnmatch.fnmatchcase(diff.pattern_path, self.path)


def token_kind(token: str) -> str:
    return token.split("=", 1)[0]


def compatible(real: str, sim: str, *, xml: bool) -> bool:
    a, b = token_kind(real), token_kind(sim)
    if xml:
        a, b = ("int" if a == "id" else a), ("int" if b == "id" else b)
    if a == b:
        return True
    if (a == "zero" and b in _NUMBERS) or (b == "zero" and a in _NUMBERS):
        return True
    return "empty" in (a, b) and {a, b} <= {"empty", "string", "id"}


def compare(real: Any, sim: Any, fmt: str) -> Result:
    """Every structural difference between the real shape and the simulator's."""
    result = Result()
    if fmt == "xml":
        _xml(real, sim, real[0], result)
    else:
        _json(real, sim, "", result)
    return result


def leaves(shape: Any, fmt: str) -> int:
    """How many leaf fields (and XML attributes) a shape has."""
    if fmt == "xml":
        tag, attrs, content = shape
        inner = sum(leaves(c, fmt) for c in content) if isinstance(content, list) else 1
        return len(attrs) + inner
    if isinstance(shape, dict):
        return sum(leaves(v, fmt) for v in shape.values())
    if isinstance(shape, list):
        return sum(leaves(v, fmt) for v in shape)
    return 1


def _describe(shape: Any) -> str:
    if isinstance(shape, dict):
        return "object"
    if isinstance(shape, list):
        return "array"
    return str(shape)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _json(real: Any, sim: Any, path: str, result: Result) -> None:
    if isinstance(real, dict) or isinstance(real, list):
        if type(sim) is not type(real):
            result.compared += leaves(real, "json")
            result.diffs.append(Diff(path, "format", _describe(real), _describe(sim)))
            return
    if isinstance(real, dict):
        for key, value in real.items():
            where = _join(path, key)
            if key not in sim:
                result.compared += leaves(value, "json")
                result.diffs.append(Diff(where, "missing", _describe(value), "absent"))
            else:
                _json(value, sim[key], where, result)
        for key, value in sim.items():
            if key not in real:
                result.compared += leaves(value, "json")
                result.diffs.append(Diff(_join(path, key), "extra", "absent", _describe(value)))
        return
    if isinstance(real, list):
        for i, value in enumerate(real):
            where = f"{path}[{i}]"
            if i < len(sim):
                _json(value, sim[i], where, result)
            else:
                result.compared += leaves(value, "json")
                result.diffs.append(Diff(where, "missing", _describe(value), "absent"))
        for i in range(len(real), len(sim)):
            result.compared += leaves(sim[i], "json")
            result.diffs.append(Diff(f"{path}[{i}]", "extra", "absent", _describe(sim[i])))
        return
    result.compared += 1
    if isinstance(sim, dict | list) or not compatible(real, sim, xml=False):
        result.diffs.append(Diff(path, "format", str(real), _describe(sim)))
    else:
        result.matched += 1


def _xml(real: list[Any], sim: list[Any], path: str, result: Result) -> None:
    _, real_attrs, real_content = real
    _, sim_attrs, sim_content = sim
    for name, token in real_attrs.items():
        result.compared += 1
        where = f"{path}@{name}"
        if name not in sim_attrs:
            result.diffs.append(Diff(where, "missing", token, "absent"))
        elif not compatible(token, sim_attrs[name], xml=True):
            result.diffs.append(Diff(where, "format", token, sim_attrs[name]))
        else:
            result.matched += 1
    for name, token in sim_attrs.items():
        if name not in real_attrs:
            result.compared += 1
            result.diffs.append(Diff(f"{path}@{name}", "extra", "absent", token))
    real_list, sim_list = isinstance(real_content, list), isinstance(sim_content, list)
    if not real_list and not sim_list:
        result.compared += 1
        if compatible(real_content, sim_content, xml=True):
            result.matched += 1
        else:
            result.diffs.append(Diff(path, "format", real_content, sim_content))
        return
    if real_list != sim_list:
        result.compared += leaves(real, "xml") - len(real_attrs)
        result.diffs.append(Diff(path, "format", _content(real_content), _content(sim_content)))
        return
    _xml_children(real_content, sim_content, path, result)


def _content(content: Any) -> str:
    return "elements" if isinstance(content, list) else str(content)


def _xml_children(real: list[Any], sim: list[Any], path: str, result: Result) -> None:
    sim_by_tag: dict[str, list[list[Any]]] = {}
    for child in sim:
        sim_by_tag.setdefault(child[0], []).append(child)
    seen: dict[str, int] = {}
    for child in real:
        tag = child[0]
        n = seen.get(tag, 0)
        seen[tag] = n + 1
        where = f"{path}.{tag}[{n}]" if _repeated(real, sim, tag) else f"{path}.{tag}"
        others = sim_by_tag.get(tag, [])
        if n < len(others):
            _xml(child, others[n], where, result)
        else:
            result.compared += leaves(child, "xml")
            result.diffs.append(Diff(where, "missing", "element", "absent"))
    for tag, others in sim_by_tag.items():
        for n in range(seen.get(tag, 0), len(others)):
            where = f"{path}.{tag}[{n}]" if _repeated(real, sim, tag) else f"{path}.{tag}"
            result.compared += leaves(others[n], "xml")
            result.diffs.append(Diff(where, "extra", "absent", "element"))
    common = {c[0] for c in real} & set(sim_by_tag)
    real_order = _sequence(real, common)
    sim_order = _sequence(sim, common)
    if real_order != sim_order:
        result.diffs.append(Diff(path, "order", " ".join(real_order), " ".join(sim_order)))


def _repeated(real: list[Any], sim: list[Any], tag: str) -> bool:
    count: int = max(sum(c[0] == tag for c in real), sum(c[0] == tag for c in sim))
    return count > 1


def _sequence(children: list[Any], common: set[str]) -> list[str]:
    """The order of first appearance of the tags both sides have."""
    order: list[str] = []
    for child in children:
        if child[0] in common and child[0] not in order:
            order.append(child[0])
    return order
