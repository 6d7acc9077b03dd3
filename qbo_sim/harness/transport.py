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

from qbo_sim.harness.affinity import one_cpu, pin

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
def http_server(sim: Simulator, child_pid: int | None = None) -> Iterator[str]:
    """A base URL served over real HTTP for the length of the block, by the loopback server
    (qbo_sim/loopback_server.py): one client, one request at a time, answered in the thread
    that read it (waitress's hand-offs doubled the cost of a subprocess integration's
    request, bench/bench_languages.py). With the integration's ``child_pid``, the calling
    thread, the server's threads and the child share one CPU for the block
    (qbo_sim/harness/affinity.py)."""
    from qbo_sim.loopback_server import LoopbackServer
    from qbo_sim.server import server_app

    with one_cpu(child_pid) as cpus:
        on_thread = None if cpus is None else (lambda: pin(0, cpus))
        with LoopbackServer(server_app(sim.app), on_thread=on_thread) as url:
            yield url
