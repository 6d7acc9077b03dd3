"""Mutant, bug class *duplicate property names linked to another customer's property*: a
property (sub-customer) is looked up by DisplayName alone, so a second customer's "Unit 4B"
is linked to the first customer's and billed to the wrong customer. The article's §2
(duplicate property names); help.servicetitan.com sub-customers by location; census #4,
#15."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync import FieldServiceSync
from qbo_sim.connectors.fieldservice_sync.client import QboClient
from qbo_sim.connectors.fieldservice_sync.engine import SyncEngine


class NameEngine(SyncEngine):
    @staticmethod
    def _is_ours(kind: str, row: dict[str, Any], body: dict[str, Any]) -> bool:
        if kind == "property":
            return bool(row.get("Job"))  # the bug: the parent customer is not compared
        return SyncEngine._is_ours(kind, row, body)


class Mutant(FieldServiceSync):
    name = "mutant-property-linked-by-name"

    def connect(self, connection: Any) -> None:
        self.client = QboClient(connection)
        self.engine = NameEngine(self.store, self.client)


def make_integration() -> Mutant:
    return Mutant()
