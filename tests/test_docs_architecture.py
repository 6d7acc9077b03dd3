"""docs/architecture.md lists every module of qbo_sim, from the code, and is up to date."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"


def load_generator():
    spec = importlib.util.spec_from_file_location(
        "gen_architecture", ROOT / "docs" / "gen_architecture.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_module_map_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == load_generator().render(), (
        "run: python docs/gen_architecture.py"
    )


def test_every_module_of_the_package_is_in_the_map():
    text = DOC.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(qbo_sim/[^`]*)` \|", text, re.M))
    for path in (ROOT / "qbo_sim").rglob("*.py"):
        if "__pycache__" in path.parts:
            continue
        rel = path.relative_to(ROOT).as_posix()
        shown = rel.removesuffix("__init__.py") if path.name == "__init__.py" else rel
        assert shown in listed, f"{shown} is not in the module map of docs/architecture.md"


def test_map_shows_each_module_under_its_layer():
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("<!-- modules:start -->") :]
    assert section.index("`qbo_sim/clock.py`") < section.index("### 2.")
    for module, layer in [
        ("qbo_sim/harness/runner.py", "harness"),
        ("qbo_sim/api/gateway.py", "web and transports"),
    ]:
        before = section[: section.index(f"`{module}`")]
        assert re.findall(r"^### \d+\. (.+)$", before, re.M)[-1] == layer


def test_a_module_without_a_docstring_is_refused(tmp_path):
    generator = load_generator()
    bare = tmp_path / "bare.py"
    bare.write_text("X = 1\n", encoding="utf-8")
    generator.ROOT = tmp_path
    with pytest.raises(SystemExit, match="bare.py has no docstring"):
        generator.role(bare)


def test_a_unit_missing_from_the_layer_table_is_refused(monkeypatch):
    generator = load_generator()
    text = DOC.read_text(encoding="utf-8").replace("`clock`, ", "")
    with pytest.raises(SystemExit, match="clock"):
        generator.render(text)
