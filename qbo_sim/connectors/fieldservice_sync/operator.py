"""Operator actions (what support staff do from the field-service UI, article §1–§7)."""

from __future__ import annotations

from typing import Any

from qbo_sim.connectors.fieldservice_sync.paperwork import SEND
from qbo_sim.connectors.fieldservice_sync.store import BYPASSED, PENDING, SyncRecord

ACTIONS = ("bypass", "reset_ref", "retry", "post_payment", "edit", "send")


def operate(record: SyncRecord, action: str, **params: Any) -> None:
    """Apply one operator action to ``record``.

    - ``bypass``: never sync this record again (it already exists in QBO, article §3);
    - ``reset_ref``: forget the QBO id (the RefID) so the next pass creates it anew (§1, §6);
    - ``retry``: sync again ("Edit, make no changes, Save", §2); a record waiting after an
      outage keeps its requestid so the retry still cannot duplicate;
    - ``post_payment``: "Save & Post Payment" (§7);
    - ``edit``: the record's fields changed (``fields``), e.g. a shorter name (§8);
    - ``send``: e-mail the invoice from QBO (to ``to``, or the invoice's own address) once,
      on the next pass that has it in QBO (:mod:`.paperwork`).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown operator action {action!r}; expected one of {ACTIONS}")
    if action == "bypass":
        record.state, record.error_code, record.error_message = BYPASSED, None, None
        record.requestid = None
        return
    if action == "reset_ref":
        record.qbo_id = record.sync_token = None
        record.extra.pop("customer_ref", None)
    elif action == "post_payment":
        record.data["posted"] = True
    elif action == "edit":
        record.data.update(params.get("fields") or {})
    elif action == "send":
        if record.kind != "invoice":
            raise ValueError(f"only invoices are e-mailed, not a {record.kind}")
        record.extra[SEND] = {"to": params.get("to")}
    if action in ("retry", "send") and record.state == PENDING:
        return  # already due; keep the requestid of a write whose answer was lost
    record.mark_pending()
