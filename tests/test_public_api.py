"""The public surface of ``qbo_sim`` and the cost of loading its pytest plugin."""

from __future__ import annotations

import subprocess
import sys

import qbo_sim


def test_every_public_name_resolves():
    for name in qbo_sim.__all__:
        assert getattr(qbo_sim, name) is not None
    assert set(qbo_sim.__all__) == {
        "CATALOGUE",
        "Clock",
        "QBOFault",
        "SimError",
        "SimMock",
        "SimServer",
        "Simulator",
        "create_app",
        "mock",
    }


def test_loading_the_pytest_plugins_does_not_import_flask():
    code = (
        "import sys, qbo_sim.pytest_plugin, qbo_sim.harness.pytest_plugin; "
        "print('flask' in sys.modules, 'responses' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_all_matches_the_lazy_table():
    assert sorted(qbo_sim.__all__) == sorted(qbo_sim._HOMES)
