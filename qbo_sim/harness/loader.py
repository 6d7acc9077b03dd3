"""Load scenario YAML keeping the line of every key and list item, for file:line reports.

``load_yaml(text)`` returns ``(data, lines)``: ``data`` as ``yaml.safe_load`` gives it and
``lines`` mapping a path tuple (``("steps", 3, "expect", 0)``) to its 1-based line number.

The text is parsed once: the node tree gives the lines and is then constructed into ``data``,
with libyaml's ``CSafeLoader`` when PyYAML was built with it (``SafeLoader`` otherwise; both
keep the marks the lines come from).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from qbo_sim.harness.errors import ScenarioSchemaError

PathKey = tuple[Any, ...]

#: libyaml's safe loader when present, the pure-Python one otherwise (same documents, faster).
LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineMap:
    """Line numbers of the nodes of one YAML document."""

    def __init__(self, lines: dict[PathKey, int]) -> None:
        self._lines = lines

    def line_of(self, path: PathKey) -> int:
        """The line of ``path``, or of its nearest ancestor that has one (0 if none)."""
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), 0)

    def __len__(self) -> int:
        return len(self._lines)


def _walk(node: yaml.Node, path: PathKey, out: dict[PathKey, int]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            out[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            out[path + (index,)] = item.start_mark.line + 1
            _walk(item, path + (index,), out)


def _parse(text: str, loader: type[yaml.SafeLoader]) -> tuple[Any, yaml.Node | None]:
    """``(data, node)`` of one document, from a single parse with ``loader``."""
    parser = loader(text)
    try:
        node = parser.get_single_node()
        data = parser.construct_document(node) if node is not None else None
    finally:
        parser.dispose()
    return data, node


def load_yaml(
    text: str, filename: str = "<string>", *, loader: type[yaml.SafeLoader] = LOADER
) -> tuple[Any, LineMap]:
    """Parse one YAML document; YAML syntax errors become :class:`ScenarioSchemaError`."""
    try:
        data, node = _parse(text, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise ScenarioSchemaError(filename, [(line, f"invalid YAML: {exc.problem}")]) from exc
    except yaml.YAMLError as exc:
        raise ScenarioSchemaError(filename, [(0, f"invalid YAML: {exc}")]) from exc
    lines: dict[PathKey, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, LineMap(lines)


def load_file(path: str | Path) -> tuple[Any, LineMap]:
    return load_yaml(Path(path).read_text(encoding="utf-8"), str(path))
