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


#: ISO 4217 codes QBO knows, with the names it gives them (``CompanyCurrency.Name`` and
#: ``CurrencyRef.name``). Sourced (docs/research/currency-and-ledger.md A2.5, DOC-CC sample;
#: issue 14's captures): USD, EUR, GBP, CAD, JPY, AUD and ANG ("Dutch Guilder", sic). The
#: others are assumed from QBO's currency list.
CURRENCY_NAMES = {
    "USD": "United States Dollar",
    "CAD": "Canadian Dollar",
    "GBP": "British Pound Sterling",
    "EUR": "Euro",
    "AUD": "Australian Dollar",
    "JPY": "Japanese Yen",
    "ANG": "Dutch Guilder",
    "INR": "Indian Rupee",
    "HKD": "Hong Kong Dollar",
    "NZD": "New Zealand Dollar",
    "CHF": "Swiss Franc",
    "MXN": "Mexican Peso",
    "SEK": "Swedish Krona",
    "NOK": "Norwegian Krone",
    "DKK": "Danish Krone",
    "SGD": "Singapore Dollar",
    "ZAR": "South African Rand",
    "CNY": "Chinese Yuan Renminbi",
    "KES": "Kenyan Shilling",
    "PHP": "Philippine Peso",
    "BRL": "Brazilian Real",
    "PLN": "Polish Zloty",
}


def currency_code(value: object) -> str:
    """A currency code as QBO compares it: trimmed, upper case (case-insensitive: assumed)."""
    return str(value or "").strip().upper()


def home_currency(prefs: dict[str, Any]) -> str:
    """``CurrencyPrefs.HomeCurrency`` (``USD`` when the company does not say)."""
    home = preference_value(prefs, "CurrencyPrefs.HomeCurrency")
    if isinstance(home, dict):
        home = home.get("value")
    return currency_code(home) or "USD"


def multicurrency_enabled(prefs: dict[str, Any]) -> bool:
    """``CurrencyPrefs.MultiCurrencyEnabled`` (off by default, as QBO's)."""
    return preference_value(prefs, "CurrencyPrefs.MultiCurrencyEnabled") is True
