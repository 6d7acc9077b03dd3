"""``OpContext``: who is doing what, where and when, for every write and rule.

It lives below :mod:`qbo_sim.operations`, :mod:`qbo_sim.derive`, :mod:`qbo_sim.rules` and
:mod:`qbo_sim.presets`, which all take it, so none of them imports the layer above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qbo_sim.clock import Clock, meta_time
from qbo_sim.store import Company

#: The editor named in 5010 details for changes made through the API (observed ``API API``).
API_USER = "API API"

#: ``company.extras`` key of the last editor of each entity (``"<type>:<id>"`` → name).
EDITORS = "editors"


@dataclass
class OpContext:
    """Who is doing what, where and when."""

    company: Company
    clock: Clock
    #: the display name of the editor (5010 names the *other* editor).
    actor: str = API_USER
    #: True for edits made as the QBO user through the control plane.
    user_edit: bool = False
    #: ``include=`` options of the request (``allowduplicatedocnum``, ``void``, ...).
    options: frozenset[str] = field(default_factory=frozenset)

    def now_meta(self) -> str:
        return meta_time(self.clock.now(), self.company.utc_offset_minutes)


def editor_of(company: Company, type_name: str, entity_id: str) -> str | None:
    """Who last changed an entity (named by 5010 to the next stale writer)."""
    editors: dict[str, str] = company.extras.get(EDITORS, {})
    return editors.get(f"{type_name}:{entity_id}")
