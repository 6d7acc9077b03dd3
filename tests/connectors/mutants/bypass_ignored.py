"""Mutant, bug class *payments against paid invoices posted again after a bypass*: the
operator's bypass only clears the error and re-queues the record, so a payment already in
QBO (the invoice is paid there) is posted again on every pass. The article's §3
pre-existing payments and §7 "Invoice Already Marked as Paid"; census #33."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync


class Mutant(FieldServiceSync):
    name = "mutant-bypass-ignored"

    def operate(self, action: str, kind: str, key: str, **params: Any) -> None:
        if action == "bypass":
            action = "retry"  # the bug: "bypass" just syncs it again
        super().operate(action, kind, key, **params)


def make_integration() -> Mutant:
    return Mutant()
