"""``schema.surely_valid``: the fast confirmation of valid scenario files never confirms a
document jsonschema rejects, and confirms every file of the library (which then skips
jsonschema)."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any

import pytest

from qbo_sim.harness.loader import load_file
from qbo_sim.harness.model import discover
from qbo_sim.harness.schema import scenario_validator, surely_valid
from qbo_sim.scenarios import LIBRARY_DIR

LIBRARY = [load_file(path)[0] for path in discover([LIBRARY_DIR])]
VALUES: list[Any] = [None, True, False, 0, 1, 1.0, 1.5, -1, 0.0, "", "x", "a.b", "bad name"]
VALUES += ["Customer", "sync", "2026-01-01", [], [1], [True], {}, {"a": 1}, {"Id": "1"}]
KEYS = ["extra", "id", "name", "sync", "expect", "max_passes", "kind", "Amount", "qbo"]


def test_every_library_file_is_confirmed() -> None:
    validator = scenario_validator()
    for doc in LIBRARY:
        assert validator.is_valid(doc)
        assert surely_valid(doc)


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, (*path, index))


def _mutant(doc: Any, rng: random.Random) -> Any:
    """``doc`` with one random change: a value replaced, a key or item removed or added."""
    doc = copy.deepcopy(doc)
    places = list(_nodes(doc))[1:]
    path, node = rng.choice(places)
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    roll = rng.random()
    if roll < 0.35:
        parent[path[-1]] = copy.deepcopy(rng.choice(VALUES))
    elif roll < 0.55:
        del parent[path[-1]]
    elif roll < 0.7 and isinstance(node, dict):
        node[rng.choice(KEYS)] = copy.deepcopy(rng.choice(VALUES))
    elif roll < 0.85 and isinstance(node, list):
        node.append(copy.deepcopy(rng.choice(places)[1]))
    else:
        parent[path[-1]] = copy.deepcopy(rng.choice(places)[1])
    return doc


@pytest.mark.parametrize("seed", range(4))
def test_never_confirms_what_jsonschema_rejects(seed: int) -> None:
    rng = random.Random(seed)
    validator = scenario_validator()
    confirmed = rejected = 0
    for _ in range(300):
        doc = rng.choice(LIBRARY)
        for _ in range(rng.randint(1, 3)):
            doc = _mutant(doc, rng)
        valid = validator.is_valid(doc)
        if surely_valid(doc):
            assert valid, doc
            confirmed += 1
        rejected += not valid
    assert confirmed and rejected  # both kinds were met
