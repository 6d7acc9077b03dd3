"""Running the parity corpus: every entry replayed and compared, its differences split into
explained and unexplained, and the match rates (:func:`figures`) that docs/fidelity.md reports.

    python3 tests/parity/corpus_run.py           # print every difference, then the figures
    python3 tests/parity/corpus_run.py --write   # also rewrite tests/parity/results.json
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from qbo_sim.parity.compare import Diff, Explained, Result, compare  # noqa: E402
from qbo_sim.parity.shape import shape_of  # noqa: E402
from tests.parity.replay import Replayer, replay  # noqa: E402

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
INDEX = CORPUS / "index.yaml"
RESULTS = HERE / "results.json"


@dataclass
class Outcome:
    """One entry replayed: the simulator's status, the comparison, and which differences are
    explained (by which explanation) and which are not."""

    entry: dict[str, Any]
    status: int
    result: Result
    sim_shape: Any
    explained: list[tuple[Diff, Explained]] = field(default_factory=list)
    unexplained: list[Diff] = field(default_factory=list)


def load_index() -> dict[str, Any]:
    index: dict[str, Any] = yaml.safe_load(INDEX.read_text(encoding="utf-8"))
    return index


def explanations(raw: list[dict[str, str]] | None) -> list[Explained]:
    return [Explained(e["path"], e["what"], e["reason"]) for e in raw or []]


def shape(name: str) -> Any:
    return json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))


def run_entry(entry: dict[str, Any], common: list[Explained]) -> Outcome:
    real = shape(entry["name"])
    status, text = replay(Replayer(), entry, real)
    answer = shape_of(text, entry["format"])
    result = compare(real, answer, entry["format"])
    outcome = Outcome(entry, status, result, answer)
    own = explanations(entry.get("explained"))
    for diff in result.diffs:
        by = next((e for e in own + common if e.covers(diff)), None)
        if by is None:
            outcome.unexplained.append(diff)
        else:
            outcome.explained.append((diff, by))
    return outcome


@cache
def run_all() -> tuple[Outcome, ...]:
    """Every entry of the corpus, replayed once per process."""
    index = load_index()
    common = explanations(index["explained"])
    return tuple(run_entry(entry, common) for entry in index["entries"])


def figures(outcomes: tuple[Outcome, ...]) -> dict[str, Any]:
    """The match rates: bodies with no difference at all, and leaf fields that matched, of the
    whole corpus and per kind and format."""

    def block(chosen: list[Outcome]) -> dict[str, int]:
        return {
            "bodies": len(chosen),
            "identical": sum(not o.result.diffs for o in chosen),
            "fields_compared": sum(o.result.compared for o in chosen),
            "fields_matched": sum(o.result.matched for o in chosen),
            "differences": sum(len(o.result.diffs) for o in chosen),
            "unexplained": sum(len(o.unexplained) for o in chosen),
        }

    every = list(outcomes)
    kinds = sorted({o.entry["kind"] for o in every})
    formats = sorted({o.entry["format"] for o in every})
    return {
        "total": block(every),
        "by_kind": {k: block([o for o in every if o.entry["kind"] == k]) for k in kinds},
        "by_format": {f: block([o for o in every if o.entry["format"] == f]) for f in formats},
    }


def main(argv: list[str]) -> int:
    outcomes = run_all()
    for o in outcomes:
        print(
            f"{o.entry['name']}: {o.status}, {len(o.result.diffs)} differences, "
            f"{o.result.matched}/{o.result.compared} fields"
        )
        for diff in o.unexplained:
            print(f"  UNEXPLAINED {diff}")
        for diff, _ in o.explained:
            print(f"  explained   {diff}")
    numbers = figures(outcomes)
    print(json.dumps(numbers["total"], indent=1))
    if "--write" in argv:
        RESULTS.write_text(json.dumps(numbers, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
