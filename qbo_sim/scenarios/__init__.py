"""The bundled scenario library: YAML scenario files (and their snapshot fixtures) shipped with
the package, so ``qbo-sim scenarios run --library`` works from any installed copy.

``article/`` reproduces each section of the sync-troubleshooting article, ``operations/`` the
transport failures (tokens, throttling, outages, stale SyncTokens), ``support/`` worked
tickets, and ``selftest/`` the harness's own negative checks.
"""

from __future__ import annotations

from pathlib import Path

#: The folder holding the library's ``*.scenario.yaml`` files.
LIBRARY_DIR = Path(__file__).resolve().parent


def library_files() -> list[Path]:
    """Every scenario file of the bundled library, sorted."""
    return sorted(LIBRARY_DIR.rglob("*.scenario.yaml"))
