"""One exception hierarchy per package, and its tree drawn in the base's module docstring.

The classes are found by importing every module of ``qbo_sim`` (not from a hand list), so a new
exception that forgets its package's base fails here, and so does a tree that no longer matches
the code.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
from types import ModuleType

import pytest

import qbo_sim
from qbo_sim.connectors.fieldservice_sync.client import ConnectorError
from qbo_sim.errors import SimError
from qbo_sim.harness.errors import HarnessError

#: package → the base every exception class defined in it derives from (the longest prefix
#: of a module's name picks its package).
BASES: dict[str, type[BaseException]] = {
    "qbo_sim": SimError,
    "qbo_sim.harness": HarnessError,
    "qbo_sim.connectors.fieldservice_sync": ConnectorError,
}

#: A line of a drawn tree (a literal block, so indented): marker (``*``, ``+``, ``-``), class
#: name and module.
_TREE_LINE = re.compile(r"^(?P<indent> {4,})[*+-] (?P<name>\w+)(?: +(?P<module>[\w.]+))?")
_ALSO = re.compile(r"\(also an? (\w+)\)")


def package_of(module: str) -> str:
    """The package of BASES a module belongs to."""
    package = max((p for p in BASES if module == p or module.startswith(p + ".")), key=len)
    assert package != "qbo_sim" or not module.startswith("qbo_sim.connectors."), (
        f"{module}: each connector has its own exception base; add it to BASES"
    )
    return package


def all_modules() -> list[ModuleType]:
    modules = [qbo_sim]
    for info in pkgutil.walk_packages(qbo_sim.__path__, "qbo_sim."):
        modules.append(importlib.import_module(info.name))
    return modules


def defined_exceptions() -> list[type[BaseException]]:
    """Every exception class defined at the top level of a module of ``qbo_sim``."""
    found: list[type[BaseException]] = []
    for module in all_modules():
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def drawn_tree(base: type[BaseException]) -> dict[str, tuple[str | None, str, set[str]]]:
    """The tree of ``base``'s module docstring: name → (parent name, module, "also" bases)."""
    doc = sys.modules[base.__module__].__doc__ or ""
    tree: dict[str, tuple[str | None, str, set[str]]] = {}
    stack: list[tuple[int, str]] = []  # (indent, name) of the open ancestors
    last = ""
    for line in doc.splitlines():
        match = _TREE_LINE.match(line)
        if match is None:
            also = _ALSO.search(line)
            if also and last:
                tree[last][2].add(also.group(1))
            if not line.strip():
                last = ""
            continue
        indent, name = len(match["indent"]), match["name"]
        while stack and stack[-1][0] >= indent:
            stack.pop()
        tree[name] = (stack[-1][1] if stack else None, match["module"] or "", set())
        also = _ALSO.search(line)
        if also:
            tree[name][2].add(also.group(1))
        stack.append((indent, name))
        last = name
    return tree


def test_the_walk_finds_the_known_exceptions():
    names = {cls.__name__ for cls in defined_exceptions()}
    assert {"QBOFault", "OAuthError", "StepFailed", "ScenarioFailed", "Blocked"} <= names


@pytest.mark.parametrize("cls", defined_exceptions(), ids=lambda cls: cls.__qualname__)
def test_every_exception_derives_from_its_package_base(cls: type[BaseException]) -> None:
    base = BASES[package_of(cls.__module__)]
    assert issubclass(cls, base), (
        f"{cls.__module__}.{cls.__qualname__} must derive from {base.__module__}.{base.__name__}"
        " (keep a built-in base too if callers catch it)"
    )


@pytest.mark.parametrize("package", sorted(BASES))
def test_the_base_docstring_draws_the_package_tree(package: str) -> None:
    base = BASES[package]
    tree = drawn_tree(base)
    classes = [c for c in defined_exceptions() if package_of(c.__module__) == package]
    assert sorted(tree) == sorted(c.__name__ for c in classes), (
        f"the tree in {base.__module__}'s docstring lists other classes than {package} defines"
    )
    by_name = {c.__name__: c for c in classes}
    for name, (parent, module, also) in tree.items():
        cls = by_name[name]
        if cls is base:
            assert parent is None, f"{name} is the root of the tree"
            continue
        in_tree = [b for b in cls.__bases__ if b in classes]
        assert parent is not None and [b.__name__ for b in in_tree] == [parent], (
            f"{name} is drawn under {parent} but derives from {in_tree}"
        )
        assert f"{package}.{module}" == cls.__module__, (
            f"{name} is drawn in {module} but lives in {cls.__module__}"
        )
        builtin = {b.__name__ for b in cls.__bases__ if b.__module__ == "builtins"}
        assert also == builtin, f"{name}: drawn as also {also or 'nothing'}, derives from {builtin}"


def test_kept_builtin_bases_still_catch():
    """Callers catch these by their built-in base (``except ValueError`` in the CLI)."""
    from qbo_sim.harness.given_checks import SnapshotFileError
    from qbo_sim.persistence import PersistenceError
    from qbo_sim.snapshot import SnapshotError

    assert issubclass(SnapshotError, ValueError)
    assert issubclass(SnapshotFileError, ValueError)
    assert issubclass(PersistenceError, RuntimeError)


def test_sim_error_is_public():
    assert qbo_sim.SimError is SimError
    assert issubclass(qbo_sim.QBOFault, qbo_sim.SimError)
