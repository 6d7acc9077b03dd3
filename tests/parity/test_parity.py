"""The parity corpus (tests/parity/corpus): real QBO response bodies replayed against the
simulator and compared by structure. Every difference must be explained in the index, every
explanation must still explain something, and the figures in docs/fidelity.md must be the ones
this corpus gives."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.parity.corpus_run import (
    CORPUS,
    RESULTS,
    explanations,
    figures,
    load_index,
    run_all,
    shape,
)
from tests.parity.replay import literal

INDEX = load_index()
NAMES = [entry["name"] for entry in INDEX["entries"]]
KINDS = {"read", "create", "update", "delete", "void", "query", "cdc", "fault", "batch"}


def test_the_corpus_has_forty_real_bodies_of_every_kind_in_json_and_xml():
    entries = INDEX["entries"]
    real = [e for e in entries if e["captured"].startswith("real capture")]
    assert len(real) >= 40
    assert {"read", "create", "query", "cdc", "batch", "fault"} <= {e["kind"] for e in real}
    assert {e["format"] for e in real} == {"json", "xml"}
    assert len(NAMES) == len(set(NAMES))
    for entry in entries:
        assert entry["kind"] in KINDS, entry["name"]
        source = entry["source"]
        assert source.get("url") or (source["repo"] and source["path"] and source["commit"])
        assert (CORPUS / f"{entry['name']}.json").is_file(), entry["name"]
    stored = {p.stem for p in CORPUS.glob("*.json")}
    assert stored == set(NAMES), "a shape without an index entry, or the reverse"


@pytest.mark.parametrize("name", NAMES)
def test_every_difference_from_the_real_body_is_explained(name):
    (outcome,) = [o for o in run_all() if o.entry["name"] == name]
    assert outcome.status < 500, f"the replay of {name} failed: {outcome.status}"
    assert not outcome.unexplained, "\n".join(
        [f"{name}: {len(outcome.unexplained)} unexplained structural differences"]
        + [f"  {diff}" for diff in outcome.unexplained]
    )


def fault_codes(shape: Any) -> list[str]:
    """The error codes a shape keeps (``code`` is a literal field: ``id=6240``)."""
    if isinstance(shape, dict):
        found = [literal(v) for k, v in shape.items() if k == "code" and isinstance(v, str)]
        return found + [c for k, v in shape.items() if k != "code" for c in fault_codes(v)]
    if isinstance(shape, list):
        if len(shape) == 3 and isinstance(shape[0], str) and isinstance(shape[1], dict):
            own = [literal(shape[1]["code"])] if "code" in shape[1] else []
            inner = shape[2] if isinstance(shape[2], list) else []
            return own + [c for child in inner for c in fault_codes(child)]
        return [c for v in shape for c in fault_codes(v)]
    return []


def test_faults_and_batch_items_answer_with_the_real_error_codes():
    """Beyond structure, a fault agrees on its code: the value a client branches on."""
    for outcome in run_all():
        if outcome.entry["kind"] in ("fault", "batch"):
            real = fault_codes(shape(outcome.entry["name"]))
            assert real, outcome.entry["name"]
            assert fault_codes(outcome.sim_shape) == real, outcome.entry["name"]


def test_every_explanation_still_explains_a_difference():
    common = explanations(INDEX["explained"])
    outcomes = {o.entry["name"]: o for o in run_all()}
    used_common = {(e.path, e.what) for o in outcomes.values() for _, e in o.explained}
    stale = [f"top level: {e.what} {e.path}" for e in common if (e.path, e.what) not in used_common]
    for entry in INDEX["entries"]:
        covered = {(e.path, e.what) for _, e in outcomes[entry["name"]].explained}
        for own in explanations(entry.get("explained")):
            if (own.path, own.what) not in covered:
                stale.append(f"{entry['name']}: {own.what} {own.path}")
    assert not stale, "explanations that explain nothing (remove them):\n" + "\n".join(stale)


def test_the_reported_figures_are_the_corpus_figures():
    """tests/parity/results.json (rendered into docs/fidelity.md) is what the corpus gives now:
    run ``python3 tests/parity/corpus_run.py --write`` and ``python3 docs/gen_fidelity.py``."""
    assert json.loads(RESULTS.read_text(encoding="utf-8")) == figures(run_all())
