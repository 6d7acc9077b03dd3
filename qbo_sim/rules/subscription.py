"""A company whose QBO subscription ended (or whose trial ran out) takes no new data (6190).

QBO answers every API write of such a company with 6190 Invalid Company Status (§2.3, observed
PHP-SDK#211; there QBO even sent it with HTTP 200, which Intuit staff called a bug: qbo-sim
answers 400). Reads keep working (assumed). The state is set with
``Simulator.set_subscription(realm, "ended")`` or the control plane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qbo_sim.faults import QBOFault

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext
    from qbo_sim.store import Company

#: ``company.extras`` key of the subscription state.
EXTRAS_KEY = "subscription"
STATES = ("active", "ended")


def state(company: Company) -> str:
    return str(company.extras.get(EXTRAS_KEY, "active"))


def check(ctx: OpContext) -> None:
    if state(ctx.company) != "active":
        raise QBOFault("invalid_company_status")
