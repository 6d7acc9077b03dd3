"""Dependencies run one way: no import cycles in ``qbo_sim``, and no layer imports one above it.

The graph is built from the source (``ast``), not from what happens to be imported at run
time: every ``import`` counts, including those inside functions and ``if TYPE_CHECKING:``
blocks, so a cycle cannot be hidden behind a late import. The layer order is the table in
``docs/architecture.md`` (between the ``layers`` markers), so the doc and the code cannot
drift apart.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "qbo_sim"
ARCHITECTURE = ROOT / "docs" / "architecture.md"

#: The unit name of the package's own ``__init__.py`` (``import qbo_sim``) in the layer table.
ROOT_UNIT = "qbo_sim"


# --- the import graph ------------------------------------------------------------------
def module_files() -> dict[str, Path]:
    """Every module of the package: dotted name → file (a package is its ``__init__.py``)."""
    modules: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imported(node: ast.Import | ast.ImportFrom, module: str, path: Path) -> Iterable[str]:
    """The dotted names an import statement may refer to (modules or names in modules)."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    if node.level:
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        base = package.split(".")
        if node.level > 1:
            base = base[: -(node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    yield target
    for alias in node.names:
        yield f"{target}.{alias.name}"


def import_graph() -> dict[str, dict[str, int]]:
    """module → {imported module of the package: line of the first such import}.

    ``from a import b`` depends on ``a.b`` when that is a module, else on ``a``; ``import a.b``
    depends on ``a.b``. Importing ``a.b`` runs ``a/__init__.py`` too, but that is the package
    importing its own parts, not a dependency of the importer, so it is not an edge.
    """
    modules = module_files()
    graph: dict[str, dict[str, int]] = {name: {} for name in modules}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            names = list(_imported(node, module, path))
            if isinstance(node, ast.ImportFrom):
                submodules = [n for n in names[1:] if n in modules]
                targets = submodules or [n for n in names[:1] if n in modules]
            else:
                targets = [n for n in names if n in modules]
            for target in targets:
                if target != module:
                    graph[module].setdefault(target, node.lineno)
    return graph


def find_cycle(graph: dict[str, Iterable[str]]) -> list[str] | None:
    """One cycle of ``graph`` as ``[a, b, ..., a]``, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def unit_of(module: str) -> str:
    """The layer-table unit of a module: ``qbo_sim.api.gateway`` → ``api``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT_UNIT


def top_level_units() -> set[str]:
    """Every top-level module and subpackage of ``qbo_sim`` (data folders included)."""
    units = {ROOT_UNIT}
    for child in PACKAGE.iterdir():
        if child.name.startswith(".") or child.name in ("__init__.py", "__pycache__", "py.typed"):
            continue
        if child.is_dir() and child.name != "__pycache__":
            units.add(child.name)
        elif child.suffix == ".py":
            units.add(child.stem)
    return units


# --- the declared layers ---------------------------------------------------------------
def declared_layers() -> list[tuple[str, list[str]]]:
    """The layer table of docs/architecture.md, bottom layer first: [(layer, [units])]."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    match = re.search(r"<!-- layers:start -->(.*?)<!-- layers:end -->", text, re.S)
    assert match, "docs/architecture.md has no <!-- layers:start --> ... <!-- layers:end --> table"
    layers: list[tuple[str, list[str]]] = []
    for line in match.group(1).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].isdigit():
            continue  # header, separator, prose
        units = re.findall(r"`([^`]+)`", cells[2])
        layers.append((cells[1], [u.removeprefix("qbo_sim/").strip("/") for u in units]))
    assert [int(n) for n in re.findall(r"^\|\s*(\d+)\s*\|", match.group(1), re.M)] == list(
        range(1, len(layers) + 1)
    ), "number the layers 1, 2, 3, ... from the bottom"
    return layers


def layer_index() -> dict[str, int]:
    index: dict[str, int] = {}
    for number, (_name, units) in enumerate(declared_layers()):
        for unit in units:
            assert unit not in index, f"{unit} is in two layers of docs/architecture.md"
            index[unit] = number
    return index


# --- the tests -------------------------------------------------------------------------
def test_graph_sees_function_level_and_type_checking_imports():
    graph = import_graph()
    assert "qbo_sim.simulator" in graph["qbo_sim.app"]  # a top-level import
    assert "qbo_sim.presets.sample" in graph["qbo_sim.presets"]  # inside a function
    assert "qbo_sim.opcontext" in graph["qbo_sim.rules.names"]  # inside TYPE_CHECKING
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": ["b"], "b": []}) is None


def test_no_import_cycles():
    graph = import_graph()
    cycle = find_cycle(graph)
    if cycle:
        pairs = zip(cycle, cycle[1:], strict=False)
        steps = [f"  {a} imports {b} (line {graph[a][b]})" for a, b in pairs]
        raise AssertionError(
            "import cycle in qbo_sim (move the shared type to a module below both, "
            "see docs/architecture.md):\n" + "\n".join(steps)
        )


def test_no_cycles_between_top_level_modules_and_subpackages():
    units: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        for target in targets:
            if unit_of(module) != unit_of(target):
                units.setdefault(unit_of(module), set()).add(unit_of(target))
    cycle = find_cycle(units)
    assert cycle is None, f"the top-level parts of qbo_sim import each other: {' → '.join(cycle)}"


def test_every_top_level_unit_has_a_layer():
    index = layer_index()
    units = top_level_units()
    missing = sorted(units - set(index))
    assert not missing, f"add these to the layer table of docs/architecture.md: {missing}"
    unknown = sorted(set(index) - units)
    assert not unknown, f"the layer table of docs/architecture.md names no such module: {unknown}"


def test_no_layer_imports_a_layer_above_it():
    layers = declared_layers()
    index = layer_index()
    wrong = []
    for module, targets in sorted(import_graph().items()):
        for target, line in sorted(targets.items()):
            low, high = unit_of(module), unit_of(target)
            if index[high] > index[low]:
                wrong.append(
                    f"  {module} (layer {index[low] + 1}, {layers[index[low]][0]}) imports "
                    f"{target} (layer {index[high] + 1}, {layers[index[high]][0]}) at line {line}"
                )
    assert not wrong, (
        "a lower layer imports a higher one (docs/architecture.md, Layers); move what it needs "
        "down, or take it as a parameter typed by a Protocol below:\n" + "\n".join(wrong)
    )


# --- the architecture doc names every part of the package --------------------------------
def test_architecture_doc_mentions_every_top_level_module_and_subpackage():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    missing = []
    for unit in sorted(top_level_units() - {ROOT_UNIT}):
        is_dir = (PACKAGE / unit).is_dir()
        spelled = f"qbo_sim/{unit}/" if is_dir else f"qbo_sim/{unit}.py"
        if spelled not in text:
            missing.append(spelled)
    assert not missing, f"docs/architecture.md does not mention: {missing}"


def test_architecture_doc_names_only_paths_that_exist():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    named = set(re.findall(r"`(qbo_sim/[\w/.]*)`", text)) | set(
        re.findall(r"`(docs/[\w/.-]*)`", text)
    )
    missing = sorted(p for p in named if not (ROOT / p.rstrip("/")).exists())
    assert not missing, f"docs/architecture.md names paths that do not exist: {missing}"
