"""The fidelity profile: one named setting per behaviour qbo-sim assumes where QBO is
unconfirmed (reference §8). Each company carries a copy; tests, scenarios and the control plane
change it to match what a user observes in a real sandbox. ``docs/fidelity.md`` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    description: str
    source: str
    confidence: str = "assumed"


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting(
            "inactive_reference_fault",
            "610",
            "Fault for a reference to an inactive list object: '610' (Object Not Found, "
            "made inactive) or '2500' (Invalid Reference Id, same detail).",
            "§8, §2.3 610/2500 (both observed)",
        ),
        Setting(
            "name_match_case_insensitive",
            True,
            "DisplayName/Name uniqueness ignores case and surrounding whitespace.",
            "§8 name uniqueness (UI behaviour)",
        ),
        Setting(
            "bill_docnumber_scope",
            "vendor",
            "Duplicate Bill/Purchase DocNumber scope when WarnDuplicateBillNumber is on: "
            "'vendor' or 'company'.",
            "§8 Bill / Purchase DocNumber",
        ),
        Setting(
            "requestid_retention_hours",
            24,
            "How long a requestid is remembered for replay (simulated hours).",
            "§8 requestid",
        ),
        Setting(
            "query_start_position_zero_as_one", True, "STARTPOSITION 0 is served as 1.", "§8 query"
        ),
        Setting(
            "query_case_insensitive_values",
            True,
            "String comparison in queries ignores case for =, IN and LIKE.",
            "§8 query",
        ),
    ]
}


def defaults() -> dict[str, Any]:
    return {name: s.default for name, s in SETTINGS.items()}


def get(profile: dict[str, Any], name: str) -> Any:
    """A company's value for a setting (its default when the company does not override it)."""
    if name not in SETTINGS:
        raise KeyError(f"unknown fidelity setting {name!r}")
    return profile.get(name, SETTINGS[name].default)
