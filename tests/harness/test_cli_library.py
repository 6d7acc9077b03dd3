"""The bundled scenario library from the CLI (``--library``, ``copy-library``), and the exit
codes of ``scenarios run`` when nothing can run (2, reported once, as ``validate`` does)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from qbo_sim.cli import main
from qbo_sim.scenarios import LIBRARY_DIR, library_files

INTEGRATION = str(Path(__file__).with_name("minimal_integration.py"))
BAD_SCENARIO = "name: bad\nsteps:\n  - sync: {}\n  - teleport: {}\n"


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["scenarios", *args])
    return result.exit_code, result.output


def test_the_library_ships_inside_the_package() -> None:
    files = library_files()
    assert LIBRARY_DIR.parent.name == "qbo_sim"
    assert {p.parent.name for p in files} >= {"article", "operations", "selftest", "support"}
    assert all(str(p).startswith(str(LIBRARY_DIR)) for p in files)


def test_list_and_validate_the_library_without_paths() -> None:
    code, out = _invoke("list", "--library")
    assert code == 0, out
    for path in library_files():
        assert str(path) in out
    code, out = _invoke("validate", "--library")
    assert code == 0, out
    assert out.strip().endswith(f"{len(library_files())} valid, 0 invalid")


def test_no_paths_and_no_library_is_a_usage_error() -> None:
    code, out = _invoke("validate")
    assert code == 2
    assert "give scenario files or directories, or --library" in out


def test_library_and_paths_combine_without_running_a_file_twice() -> None:
    one = str(library_files()[0])
    code, out = _invoke("list", "--library", one)
    assert code == 0
    assert out.count(f"{one}\n") == 1


def test_copy_library_copies_every_scenario_and_fixture(tmp_path: Path) -> None:
    target = tmp_path / "lib"
    code, out = _invoke("copy-library", str(target))
    assert code == 0, out
    copied = sorted(p.relative_to(target) for p in target.rglob("*.scenario.yaml"))
    assert copied == sorted(p.relative_to(LIBRARY_DIR) for p in library_files())
    assert (target / "support" / "fixtures" / "ticket_invoice_1042_deleted.json").is_file()
    assert not list(target.rglob("*.py")), "the package's __init__.py is not library content"
    assert f"copied {len(copied)} scenario(s) to {target}" in out
    code, out = _invoke("validate", str(target))
    assert code == 0, out


def test_copy_library_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    code, out = _invoke("copy-library", str(tmp_path))
    assert code == 2
    assert "is not empty (use --force" in out
    assert not list(tmp_path.rglob("*.scenario.yaml"))
    code, _ = _invoke("copy-library", str(tmp_path), "--force")
    assert code == 0
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_run_with_an_invalid_file_reports_it_once_and_runs_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.scenario.yaml"
    bad.write_text(BAD_SCENARIO)
    good = LIBRARY_DIR / "article" / "invoice_deleted_in_qbo.scenario.yaml"
    code, out = _invoke("run", str(tmp_path), str(good), "-i", f"{INTEGRATION}:minimal")
    assert code == 2
    assert out.count(f"{bad}:4: steps[1]: expected exactly one of") == 1
    assert "1 invalid scenario file(s): nothing was run" in out
    assert "PASSED" not in out and "passed," not in out


def test_run_with_an_integration_that_raises_on_import_exits_2_once(tmp_path: Path) -> None:
    broken = tmp_path / "boom.py"
    broken.write_text("raise RuntimeError('no database configured')\n")
    code, out = _invoke("run", "--library", "-i", f"{broken}:make")
    assert code == 2
    assert out.count("RuntimeError: no database configured") == 1
    assert "scenario(s)" not in out
