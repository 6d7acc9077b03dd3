"""The scenario library in-process against the same connector logic as a JSON-lines
subprocess (issue 21), in one run: the reference connector in-process, the same Python
connector as ``cmd:python3 -m qbo_sim.connectors.fieldservice_sync``, and its Node port
(``clients/node/example/fieldservice-sync``). Both helpers declare ``reuse``: one process
serves every scenario (``reset`` and the leak check between them), over the loopback server,
pinned with the harness to one CPU (docs/harness.md §6). ``--fresh`` adds both with
``fresh_process=True`` (a new process per scenario, the next one started while the current
scenario runs: revision 1's way).

Runs are interleaved (A, B, C, A, B, C, ...) so the machine's load hits each alike; medians
and the ratios to in-process are printed. Not a test: nothing here asserts a time.

Run: ``python3 bench/bench_languages.py [--rounds N] [--fresh]`` (default 3; needs ``node``).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qbo_sim.harness.model import load_scenario  # noqa: E402
from qbo_sim.harness.session import run_all  # noqa: E402
from qbo_sim.scenarios import LIBRARY_DIR  # noqa: E402

NODE = shutil.which("node") or "node"
PYTHON = f"cmd:{sys.executable} -m qbo_sim.connectors.fieldservice_sync"
NODE_EXAMPLE = f"cmd:{NODE} {ROOT / 'clients/node/example/fieldservice-sync/index.js'}"
#: label → (integration spec, fresh_process)
MODES = {
    "in-process (Python)": ("qbo_sim.connectors.fieldservice_sync:make_integration", False),
    "subprocess (Python)": (PYTHON, False),
    "subprocess (Node)": (NODE_EXAMPLE, False),
}
FRESH = {
    "fresh process (Python)": (PYTHON, True),
    "fresh process (Node)": (NODE_EXAMPLE, True),
}


def main() -> None:
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
    scenarios = [load_scenario(p) for p in sorted(LIBRARY_DIR.rglob("*.scenario.yaml"))]
    modes = {**MODES, **(FRESH if "--fresh" in sys.argv else {})}
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    for _ in range(rounds):
        for mode, (spec, fresh) in modes.items():
            started = time.perf_counter()
            results = run_all(scenarios, spec, fresh_process=fresh)
            times[mode].append(time.perf_counter() - started)
            failed = [t.result.path for t in results if not t.result.passed]
            if failed:
                raise SystemExit(f"{mode}: {len(failed)} scenario(s) failed: {failed[:3]}")
    base = statistics.median(times["in-process (Python)"])
    print(f"{len(scenarios)} scenarios, {rounds} round(s), medians (all passed):")
    for mode, values in times.items():
        median = statistics.median(values)
        print(f"  {mode:24} {median:6.2f} s   {median / base:5.2f}x in-process")


if __name__ == "__main__":
    main()
