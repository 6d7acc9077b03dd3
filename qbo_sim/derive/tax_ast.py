"""Automated sales tax (AST): an **assumed** rate table standing in for Intuit's engine.

Real AST uses Intuit's jurisdiction database, which is not public (docs/research/sales-tax.md
§2.3), and "Sandbox companies currently do not support the automated sales tax engine"
(US-GUIDE). So qbo-sim's AST is a small table, UNCONFIRMED by design: each jurisdiction is a
``SYSTEM_GENERATED`` TaxCode (named :attr:`Jurisdiction.code_name`) whose rates are TaxRates of
system-generated agencies; the ``us_ast`` preset creates them. The engine picks the
jurisdiction of the destination address: the transaction's ``ShipAddr``, else (fidelity
``ast_destination``) its ``BillAddr``, else the company address (US-GUIDE: "If a shipping
address is not provided, the company address is considered as the destination address"),
matching a postal-code prefix first, then the state (``CountrySubDivisionCode``). A state
the table does not list, or one without sales tax, is charged no tax.

The rates are plausible 2024 combined rates, not authoritative ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Jurisdiction:
    state: str
    #: a postal-code prefix ("940": Mountain View); "" for the whole state.
    postal_prefix: str
    code_name: str
    #: (rate name, rate %, agency name), in TaxOrder.
    rates: tuple[tuple[str, float, str], ...]


CDTFA = "California Department of Tax and Fee Administration"
NYS = "New York State Department of Taxation and Finance"
ADOR = "Arizona Dept. of Revenue"

#: The assumed AST table (a postal-prefix entry wins over its state's entry).
AST_TABLE: tuple[Jurisdiction, ...] = (
    Jurisdiction("CA", "", "California", (("California State", 7.25, CDTFA),)),
    Jurisdiction(
        "CA",
        "940",
        "Mountain View, CA",
        (("California State", 7.25, CDTFA), ("Santa Clara County District", 1.875, CDTFA)),
    ),
    Jurisdiction("NY", "", "New York", (("New York State", 4.0, NYS),)),
    Jurisdiction(
        "NY",
        "100",
        "New York City, NY",
        (("New York State", 4.0, NYS), ("New York City", 4.875, NYS)),
    ),
    Jurisdiction(
        "TX", "", "Texas", (("Texas State", 6.25, "Texas Comptroller of Public Accounts"),)
    ),
    Jurisdiction("AZ", "", "Arizona", (("AZ State tax", 5.6, ADOR),)),
    Jurisdiction(
        "AZ", "857", "Tucson, AZ", (("AZ State tax", 5.6, ADOR), ("Tucson City", 2.6, ADOR))
    ),
    Jurisdiction(
        "WA", "", "Washington", (("Washington State", 6.5, "Washington Department of Revenue"),)
    ),
    Jurisdiction("FL", "", "Florida", (("Florida State", 6.0, "Florida Department of Revenue"),)),
    Jurisdiction(
        "IL", "", "Illinois", (("Illinois State", 6.25, "Illinois Department of Revenue"),)
    ),
)


def jurisdiction(address: Any) -> Jurisdiction | None:
    """The table's entry for an address (None: no tax there, or no state given)."""
    if not isinstance(address, dict):
        return None
    state = str(address.get("CountrySubDivisionCode") or "").strip().upper()
    postal = str(address.get("PostalCode") or "").strip()
    best: Jurisdiction | None = None
    for entry in AST_TABLE:
        if entry.state != state:
            continue
        if entry.postal_prefix and postal.startswith(entry.postal_prefix):
            return entry
        if not entry.postal_prefix:
            best = entry
    return best


def has_state(address: Any) -> bool:
    return isinstance(address, dict) and bool(
        str(address.get("CountrySubDivisionCode") or "").strip()
    )
