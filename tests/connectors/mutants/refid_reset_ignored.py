"""Mutant, bug class *deleted-invoice RefID reset ignored*: the operator's "reset RefID" only
re-queues the record; it keeps pointing at the invoice deleted in QBO and fails with 610
again, for ever. The article's §1 ("If the invoice was deleted in QuickBooks") and §6;
node-quickbooks#21 (re-creating deleted sales receipts); census #11."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync


class Mutant(FieldServiceSync):
    name = "mutant-refid-reset-ignored"

    def operate(self, action: str, kind: str, key: str, **params: Any) -> None:
        if action == "reset_ref":
            action = "retry"  # the bug: the RefID is kept
        super().operate(action, kind, key, **params)


def make_integration() -> Mutant:
    return Mutant()
