"""Job paperwork: the ``attachment`` record kind and the e-mail of invoices (issue 16).

An ``attachment`` record (a job photo, a signed work order) is *in QBO* when exactly one
Attachable linked to its invoice's QBO Id (``AttachableRef.EntityRef`` Invoice, the Id the
integration reports for the invoice record) has the record's ``file_name``, and the file it
serves through its ``TempDownloadUri`` is the record's bytes. Two are a duplicate; none, or
other bytes, once the record says ``synced`` is a lost file. The harness reads QBO the way a
client does: the query ``SELECT * FROM Attachable WHERE AttachableRef.EntityRef.Type =
'Invoice' AND AttachableRef.EntityRef.value = '<id>'`` through the API and the signed link
(both kept out of the journal expectations).

E-mail: ``operate: {action: send}`` asks the integration to e-mail an invoice from QBO
(``POST /invoice/<id>/send``); the simulator's outbox (:mod:`qbo_sim.outbox`) holds what QBO
sent. The ``outbox`` expectation counts an invoice's messages; the invariant says an invoice
is e-mailed no more often than the operator asked, and at least once when asked and synced.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from qbo_sim.harness.context import Failure, RunContext
from qbo_sim.harness.values import show

KIND = "attachment"
#: The record kind attachments belong to, and its QBO entity.
PARENT_KIND, PARENT_ENTITY = "invoice", "Invoice"


@dataclass(frozen=True)
class Linked:
    """One Attachable linked to the invoice with the record's file name."""

    attachable_id: str
    #: the bytes its TempDownloadUri served (None: no link, or the link was refused).
    data: bytes | None


def expected_bytes(data: dict[str, Any]) -> bytes:
    """The record's file: ``content`` as UTF-8 text, or ``content_base64`` decoded."""
    if data.get("content_base64") is not None:
        try:
            return base64.b64decode(str(data["content_base64"]), validate=True)
        except (binascii.Error, ValueError):
            return b""
    return str(data.get("content") or "").encode("utf-8")


def invoice_id(ctx: RunContext, data: dict[str, Any]) -> str | None:
    """The QBO Id of the attachment's invoice, as the integration reports it (or None)."""
    key = data.get("invoice")
    if key is None or (PARENT_KIND, str(key)) not in ctx.records:
        return None
    return ctx.status(PARENT_KIND, str(key)).qbo_id


def _download(ctx: RunContext, uri: Any) -> bytes | None:
    """What the signed link serves (no Authorization: the link is signed), or None."""
    if not isinstance(uri, str) or not uri:
        return None
    parts = urlsplit(uri)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    before = ctx.sim.journal.last_seq()
    res = ctx.sim.app.test_client().get(target)
    ctx.harness_seqs.update(range(before + 1, ctx.sim.journal.last_seq() + 1))
    return res.get_data() if res.status_code == 200 else None


def linked(ctx: RunContext, data: dict[str, Any]) -> list[Linked] | Failure | None:
    """Attachables linked to the record's invoice with its file name (None: the invoice has
    no QBO Id, so nothing can be linked to it; a Failure: the query did not run)."""
    qbo_id = invoice_id(ctx, data)
    if qbo_id is None:
        return None
    text = (
        f"SELECT * FROM Attachable WHERE AttachableRef.EntityRef.Type = '{PARENT_ENTITY}' "
        f"AND AttachableRef.EntityRef.value = '{qbo_id}'"
    )
    rows = ctx.query_all(text)
    if isinstance(rows, Failure):
        return rows
    name = str(data.get("file_name") or "")
    return [
        Linked(str(row.get("Id")), _download(ctx, row.get("TempDownloadUri")))
        for row in rows
        if str(row.get("FileName") or "") == name
    ]


def _describe(found: list[Linked], wanted: bytes) -> str:
    if not found:
        return "none"
    parts = []
    for item in found:
        if item.data is None:
            state = "its file cannot be downloaded"
        elif item.data == wanted:
            state = "bytes intact"
        else:
            state = f"{len(item.data)} byte(s) that differ from the record's {len(wanted)}"
        parts.append(f"Attachable {item.attachable_id} ({state})")
    return "; ".join(parts)


def _title(key: str, data: dict[str, Any]) -> str:
    return f"attachment {key!r} ({show(data.get('file_name'))} on invoice {data.get('invoice')!r})"


def check_attachment(ctx: RunContext, exp: dict[str, Any]) -> list[Failure]:
    spec = ctx.resolve(exp["attachment"])
    key = str(spec["key"])
    change = ctx.records.get((KIND, key))
    if change is None:
        return [Failure(0, "", f"attachment {key!r}", "an applied attachment record", "none")]
    data = change.get("data") or {}
    count = int(spec.get("count", 1))
    intact = bool(spec.get("bytes_intact", True))
    found = linked(ctx, data)
    if isinstance(found, Failure):
        return [found]
    wanted = expected_bytes(data)
    expected = f"{count} Attachable(s) linked to the invoice" + (
        ", bytes intact" if intact and count else ""
    )
    if found is None:
        if count == 0:
            return []
        return [
            Failure(
                0,
                "",
                _title(key, data),
                expected,
                f"invoice {data.get('invoice')!r} has no QBO id",
                "the file cannot be on an invoice that is not in QBO",
            )
        ]
    wrong = []
    if len(found) != count:
        wrong.append(f"{len(found)} Attachable(s) have that file name")
    if intact and any(item.data != wanted for item in found):
        wrong.append("a file QBO serves is not the record's")
    if not wrong:
        return []
    return [Failure(0, "", _title(key, data), expected, _describe(found, wanted), "; ".join(wrong))]


def attachment_invariant(
    ctx: RunContext, key: str, data: dict[str, Any], state: str
) -> list[Failure]:
    """Nothing duplicated (two Attachables for one record), nothing lost (a ``synced``
    record whose file QBO does not serve, intact, on its invoice)."""
    found = linked(ctx, data)
    if isinstance(found, Failure):
        return [found]
    wanted = expected_bytes(data)
    if found is not None and len(found) > 1:
        return [
            Failure(
                1,
                "invariant",
                f"{_title(key, data)} exists {len(found)} times in QBO",
                "at most one Attachable linked to the invoice with that file name",
                _describe(found, wanted),
                "the integration uploaded the file again instead of finding the one QBO "
                "had already stored (a retry after a lost answer)",
            )
        ]
    if state != "synced":
        return []
    if found is None or not found or found[0].data != wanted:
        observed = "its invoice has no QBO id" if found is None else _describe(found, wanted)
        return [
            Failure(
                1,
                "invariant",
                f"{_title(key, data)} is synced but not in QBO",
                "one Attachable linked to the invoice, serving the record's bytes",
                observed,
                "the integration reports the file uploaded while QBO does not serve it on the "
                "invoice: a refused upload (a Fault inside the 200 answer) taken for a "
                "success, or the bytes corrupted on the way",
            )
        ]
    return []


# --- e-mail ------------------------------------------------------------------------------
def messages(ctx: RunContext, *, qbo_id: str | None, doc_number: str | None) -> list[Any]:
    """The outbox messages of one invoice, by its QBO Id or its DocNumber."""
    out = []
    for message in ctx.sim.outbox(ctx.realm):
        if message.get("entity") != PARENT_ENTITY:
            continue
        if qbo_id is not None and str(message.get("entity_id")) == qbo_id:
            out.append(message)
        elif doc_number is not None and message.get("doc_number") == doc_number:
            out.append(message)
    return out


def _listing(found: list[dict[str, Any]]) -> str:
    return "; ".join(f"#{m['id']} to {m['to']} at {m['sent']}" for m in found) or "none"


def check_outbox(ctx: RunContext, exp: dict[str, Any]) -> list[Failure]:
    spec = ctx.resolve(exp["outbox"])
    if "invoice" in spec:
        key = str(spec["invoice"])
        qbo_id = ctx.status(PARENT_KIND, key).qbo_id
        title = f"e-mail of invoice {key!r}"
        if qbo_id is None:
            found: list[dict[str, Any]] = []
        else:
            found = messages(ctx, qbo_id=qbo_id, doc_number=None)
    else:
        title = f"e-mail of invoice DocNumber {show(spec['doc_number'])}"
        found = messages(ctx, qbo_id=None, doc_number=str(spec["doc_number"]))
    wrong = []
    wanted = f"{spec['count']} message(s)"
    if len(found) != spec["count"]:
        wrong.append(f"QBO sent {len(found)} message(s)")
    if spec.get("to") is not None:
        wanted += f" to {spec['to']}"
        if any(m.get("to") != spec["to"] for m in found):
            wrong.append("a message went to another address")
    if not wrong:
        return []
    return [
        Failure(
            0,
            "",
            title,
            wanted,
            f"{len(found)}: {_listing(found)}",
            "; ".join(wrong) + " (the simulated outbox)",
        )
    ]


def outbox_invariant(ctx: RunContext, key: str, state: str) -> list[Failure]:
    """An invoice is e-mailed at most as often as the operator asked (``operate: send``),
    and, once asked and ``synced``, at least once."""
    asked = ctx.sends.get(key, 0)
    qbo_id = ctx.status(PARENT_KIND, key).qbo_id
    if qbo_id is None:
        return []
    found = messages(ctx, qbo_id=qbo_id, doc_number=None)
    if len(found) > asked:
        return [
            Failure(
                1,
                "invariant",
                f"invoice {key!r} was e-mailed {len(found)} time(s)",
                f"at most {asked} (the operator's send actions)",
                _listing(found),
                "the customer got the invoice again: the integration sent it once per sync "
                "pass, or sent again after a send whose answer was lost without checking",
            )
        ]
    if asked and state == "synced" and not found:
        return [
            Failure(
                1,
                "invariant",
                f"invoice {key!r} is synced but was never e-mailed",
                "the e-mail the operator asked for",
                "no message in the outbox",
                "the operator's send was dropped silently",
            )
        ]
    return []
