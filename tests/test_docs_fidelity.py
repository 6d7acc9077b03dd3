"""docs/fidelity.md is generated from the code and must be committed up to date."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from qbo_sim.faults import CATALOGUE
from qbo_sim.fidelity import SETTINGS
from qbo_sim.mechanics import MECHANICS
from qbo_sim.rules import BEHAVIOURS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_fidelity", DOCS / "gen_fidelity.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_fidelity_table_is_up_to_date():
    generator = load_generator()
    committed = (DOCS / "fidelity.md").read_text(encoding="utf-8")
    assert committed == generator.render(), "run: python docs/gen_fidelity.py"


def test_every_fault_and_setting_has_a_row():
    committed = (DOCS / "fidelity.md").read_text(encoding="utf-8")
    for key in CATALOGUE:
        assert f"| `{key}` |" in committed
    for name in SETTINGS:
        assert f"| `{name}` |" in committed


def test_behaviours_name_real_settings_and_confidences():
    for behaviour in BEHAVIOURS + MECHANICS:
        assert behaviour.confidence in ("official", "observed", "assumed")
        assert not behaviour.setting or behaviour.setting in SETTINGS
    for spec in CATALOGUE.values():
        assert spec.confidence in ("official", "observed", "assumed")
