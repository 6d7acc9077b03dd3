"""``bench/bench_all.py`` at tiny sizes: every row of the table is produced, with positive
numbers. No timing is asserted (the ratios are for people, on quiet machines)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "bench_all.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_all", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_all"] = module
    spec.loader.exec_module(module)
    return module


def test_every_row_of_the_bench_table_is_produced_with_positive_numbers():
    bench = load_bench()
    tiny = bench.Config(
        small=30, big=60, rounds=6, repeats=2, snapshot_size=20, snapshot_repeats=1,
        server_ops=8, library_runs=1, library_filter="happy",
    )  # fmt: skip
    notes: list[str] = []
    rows = bench.collect(tiny, notes.append)
    names = [row.what for row in rows]
    expected = [
        "in-process create+read+query (qbo_sim.mock)",
        "  qbo_sim.mock with requests.Session(trust_env=False)",
        "Flask test client create+read+query",
        "qbo-sim serve: server CPU per create+get",
        *(f"{what}, 60 vs 30 customers" for what in [*bench.GROWTH, "CDC few changes"]),
        *(f"{what}, 60 vs 30 customers" for what in ("create", "read", "update")),
        "snapshot write",
        "snapshot import (parse + import_state)",
        "scenario library from the CLI (-k happy)",
    ]
    for name in expected:
        assert name in names, (name, names, notes)
    try:
        import moto  # noqa: F401
    except ImportError:
        assert any("moto" in note for note in notes)
    else:
        assert any("moto_server" in name for name in names)
    for row in rows:
        assert row.value > 0 and row.baseline > 0, row
    table = bench.table(rows)
    assert table.count("\n") == len(rows) + 1
    assert all(f"{row.ratio:.2f}x" in table for row in rows)
