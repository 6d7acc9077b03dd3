"""Time tracking (DOC-ENT TimeActivity, reference §2.3 2170)."""

from __future__ import annotations

from qbo_sim.entities.spec import EntitySpec

SPECS: tuple[EntitySpec, ...] = (
    # NameOf picks the party (EmployeeRef or VendorRef): both are indexed, neither is
    # "the" party reference; no DocNumber, no TotalAmt, no CurrencyRef (DOC-ENT); not in CDC
    # (§5.8). BillableStatus NotBillable when omitted: assumed (QBO's default).
    EntitySpec(
        "TimeActivity",
        "transaction",
        doc_number=False,
        indexed=("EmployeeRef.value", "VendorRef.value", "CustomerRef.value"),
        cdc=False,
        defaults={"BillableStatus": "NotBillable"},
        name_of_refs={"Employee": "EmployeeRef", "Vendor": "VendorRef"},
    ),
)
