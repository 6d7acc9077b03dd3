"""How an integration's HTTP requests reach the simulator: through the simulator's own two
transports, never a routing table of the harness's.

In-process, ``sim.mock()`` (qbo_sim/intercept.py) routes ``requests`` calls to Intuit's hosts
into the app. Subprocess integrations need a real socket: ``sim.serve(port=0)``
(qbo_sim/server.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import requests

if TYPE_CHECKING:
    from qbo_sim.simulator import Simulator

SANDBOX_BASE_URL = "https://sandbox-quickbooks.api.intuit.com"


@contextmanager
def in_process(
    sim: Simulator, base_url: str = SANDBOX_BASE_URL
) -> Iterator[tuple[str, requests.Session]]:
    """(base URL, session) for an in-process integration; ``base_url`` is the API host of the
    company's environment (sandbox unless a snapshot's company is a production one).

    The session reaches nothing but the simulator, so it reads no proxy, ``.netrc`` or CA
    settings from the environment (``trust_env=False``): that lookup was about a fifth of
    every in-process request (README, bench/bench_all.py)."""
    with requests.Session() as session, sim.mock():
        session.trust_env = False
        yield base_url, session


@contextmanager
def http_server(sim: Simulator) -> Iterator[str]:
    """A base URL served over real HTTP for the length of the block. Four threads: the
    integration makes one request at a time (16, the server's default, was a tenth of a
    subprocess scenario's set-up)."""
    with sim.serve(port=0, threads=4) as served:
        yield str(served).rstrip("/")
