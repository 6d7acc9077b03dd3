"""Generate the module map of ``docs/architecture.md`` from the code.

    python docs/gen_architecture.py          # rewrite the map in docs/architecture.md
    python docs/gen_architecture.py --check  # exit 1 when the committed map is out of date

The map sits between ``<!-- modules:start -->`` and ``<!-- modules:end -->``. It lists every
module of ``qbo_sim`` (every ``.py`` file, packages as their ``__init__.py``) under the layer
the layer table of the same document gives it, with the first paragraph of the module's own
docstring as its role. So the module docstring is the one place a module's role is written,
and a new, moved or renamed module shows up in the doc, or the check fails.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "qbo_sim"
TARGET = ROOT / "docs" / "architecture.md"
START, END = "<!-- modules:start -->", "<!-- modules:end -->"
ROOT_UNIT = "qbo_sim"


def layers(text: str) -> list[tuple[int, str, list[str]]]:
    """The layer table of the doc: [(number, name, [units])], bottom layer first."""
    match = re.search(r"<!-- layers:start -->(.*?)<!-- layers:end -->", text, re.S)
    if match is None:
        raise SystemExit("docs/architecture.md has no layers table")
    found = []
    for line in match.group(1).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].isdigit():
            units = [
                u.removeprefix("qbo_sim/").strip("/") for u in re.findall(r"`([^`]+)`", cells[2])
            ]
            found.append((int(cells[0]), cells[1], units))
    return found


def unit_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    if len(parts) == 1 and parts[0] == "__init__.py":
        return ROOT_UNIT
    return parts[0].removesuffix(".py")


def role(path: Path) -> str:
    """The first paragraph of a module's docstring, on one line."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    if not doc:
        raise SystemExit(f"{path.relative_to(ROOT)} has no docstring: say what the module is for")
    return " ".join(doc.split("\n\n")[0].split()).replace("|", "\\|")


def shown(path: Path) -> str:
    rel = path.relative_to(ROOT).as_posix()
    return rel.removesuffix("__init__.py") if path.name == "__init__.py" else rel


def data_files(unit_dir: Path) -> list[Path]:
    """Package data that is not Python (JSON Schemas, scenario files), for a count per folder."""
    return [p for p in unit_dir.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]


def render_map(text: str) -> str:
    modules: dict[str, list[Path]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" not in path.parts:
            modules.setdefault(unit_of(path), []).append(path)
    out = [START, ""]
    placed: set[str] = set()
    for number, name, units in layers(text):
        out += [f"### {number}. {name}", "", "| Module | Role |", "| --- | --- |"]
        for unit in units:
            placed.add(unit)
            for path in modules.get(unit, []):
                out.append(f"| `{shown(path)}` | {role(path)} |")
            unit_dir = PACKAGE / unit
            if unit != ROOT_UNIT and unit_dir.is_dir():
                data = data_files(unit_dir)
                if data:
                    kinds = sorted({p.suffix or p.name for p in data})
                    out.append(
                        f"| `qbo_sim/{unit}/` (data) | {len(data)} package-data files "
                        f"({', '.join(kinds)}) shipped in the wheel. |"
                    )
        out.append("")
    missing = sorted(set(modules) - placed)
    if missing:
        raise SystemExit(f"add these to the layer table of docs/architecture.md: {missing}")
    out.append(END)
    return "\n".join(out)


def render(text: str | None = None) -> str:
    """The whole doc with its module map regenerated."""
    text = TARGET.read_text(encoding="utf-8") if text is None else text
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"docs/architecture.md has no {START} ... {END} section")
    fresh = render_map(text)
    return pattern.sub(lambda _m: fresh, text)


def main(argv: list[str]) -> int:
    current = TARGET.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in argv:
        if fresh != current:
            print("docs/architecture.md is out of date: run python docs/gen_architecture.py")
            return 1
        return 0
    TARGET.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
