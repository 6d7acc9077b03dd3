"""Reading company Preferences: typed sections and ``OtherPrefs`` name/value pairs.

Below the rules, derivations and presets that read preferences (:mod:`qbo_sim.presets.base`
re-exports :func:`preference_value`).
"""

from __future__ import annotations

from typing import Any


def preference_value(prefs: dict[str, Any], dotted: str) -> Any:
    """Read a typed preference (``SalesFormsPrefs.CustomTxnNumbers``) or an OtherPrefs
    NameValue (``VendorAndPurchasesPrefs.WarnDuplicateBillNumber``, returned as a bool)."""
    section, _, key = dotted.partition(".")
    typed = prefs.get(section, {})
    if isinstance(typed, dict) and key in typed:
        return typed[key]
    for pair in prefs.get("OtherPrefs", {}).get("NameValue", []):
        if pair.get("Name") == dotted:
            value = pair.get("Value")
            return {"true": True, "false": False}.get(str(value).lower(), value)
    return None
