"""The simulated outbox: the e-mail QBO would have sent for ``/<txn>/<id>/send``.

Messages live in the company (``company.extras["outbox"]``, one entry per send, keyed by
its number), so they are written in the send's unit of work (a failed send leaves none),
kept in snapshots and cleared by a reset. Read them with :func:`messages`
(``sim.outbox(realm)``, ``GET /_sim/outbox?realm=``).
"""

from __future__ import annotations

import copy
from typing import Any

from qbo_sim.store import Company

#: ``company.extras`` key of the outbox: ``{"<n>": message}``.
OUTBOX = "outbox"


def record(
    company: Company, *, entity: str, entity_id: str, to: str, doc_number: str | None, sent: str
) -> dict[str, Any]:
    """Add one sent message (undoably, inside the caller's unit of work) and return it."""
    box: dict[str, Any] = company.extras.get(OUTBOX, {})
    number = str(len(box) + 1)
    message = {
        "id": number,
        "entity": entity,
        "entity_id": entity_id,
        "doc_number": doc_number,
        "to": to,
        "sent": sent,
    }
    company.set_extra_item(OUTBOX, number, message)
    return copy.deepcopy(message)


def messages(company: Company) -> list[dict[str, Any]]:
    """Every message sent from ``company``, oldest first (copies)."""
    with company.lock:
        box: dict[str, Any] = company.extras.get(OUTBOX, {})
        return [copy.deepcopy(box[key]) for key in sorted(box, key=int)]
