"""Mutant, bug class *deletes made in the field-service app never reach QBO*: the connector
only handles creates and updates; a deleted record is dropped from its queue, so the
invoice is still billed, the payment still counted, the customer still active in QBO.
Shipped as singer-io/tap-quickbooks#28 ("deleted objects don't seem to be synchronized")
in the other direction, help.housecallpro.com 6293215; census #18, #31."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync


class Mutant(FieldServiceSync):
    name = "mutant-field-deletes-ignored"

    def apply(self, change: dict[str, Any]) -> None:
        if change.get("action", "upsert") == "delete":
            return  # the bug: nothing to push, the record keeps its last state
        super().apply(change)


def make_integration() -> Mutant:
    return Mutant()
