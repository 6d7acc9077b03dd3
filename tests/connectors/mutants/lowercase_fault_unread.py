"""Mutant, bug class *lower-case fault envelope not read*: only the documented
``{"Fault": {"Error": [...]}}`` body is parsed, so a fault QBO answers in the lower-case
envelope (``{"fault": {"error": [...]}, "batchItemResponse": [], ...}``) loses its code: a
duplicate name (6240) is surfaced as a bare HTTP 400. Shipped as ruckus/quickbooks-ruby before
PR#612 ("Intuit alternate JSON response", 2024: the sandbox answered 6240 lower-case);
qbo-reference §1.3 (the lower-case envelope of gateway faults)."""

from __future__ import annotations

from typing import Any

import requests

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient, QboFault
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


def documented_envelope_only(response: requests.Response) -> QboFault | None:
    try:
        body = response.json()
    except ValueError:
        return None
    fault = body.get("Fault") if isinstance(body, dict) else None  # the bug: no "fault"
    if not fault:
        return None
    first = (fault.get("Error") or [{}])[0]
    return QboFault(
        code=str(first.get("code") or response.status_code),
        message=str(first.get("Message") or ""),
        detail=str(first.get("Detail") or ""),
        element=str(first.get("element") or ""),
    )


class EnvelopeBlindClient(QboClient):
    parse_fault = staticmethod(documented_envelope_only)


class Mutant(FieldServiceSync):
    name = "mutant-lowercase-fault-unread"

    def connect(self, connection: Any) -> None:
        self.client = EnvelopeBlindClient(connection)
        self.engine = SyncEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
