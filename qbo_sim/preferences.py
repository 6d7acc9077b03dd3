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


#: Names QBO gives currencies in ``CurrencyRef.name`` (``United States Dollar``: issue 14's
#: captures; the others assumed, from QBO's currency list).
CURRENCY_NAMES = {
    "USD": "United States Dollar",
    "CAD": "Canadian Dollar",
    "GBP": "British Pound Sterling",
    "EUR": "Euro",
    "AUD": "Australian Dollar",
    "INR": "Indian Rupee",
}


def home_currency(prefs: dict[str, Any]) -> str:
    """``CurrencyPrefs.HomeCurrency`` (``USD`` when the company does not say)."""
    home = preference_value(prefs, "CurrencyPrefs.HomeCurrency")
    if isinstance(home, dict):
        home = home.get("value")
    return str(home or "USD").upper()


def multicurrency_enabled(prefs: dict[str, Any]) -> bool:
    """``CurrencyPrefs.MultiCurrencyEnabled`` (off by default, as QBO's)."""
    return preference_value(prefs, "CurrencyPrefs.MultiCurrencyEnabled") is True
