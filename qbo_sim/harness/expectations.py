"""Expectations of ``expect`` steps and the always-on invariants.

Every check returns a list of :class:`~qbo_sim.harness.context.Failure` (empty when it holds), each
saying what was expected, what was observed and why that matters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qbo_sim.harness.context import Failure, RunContext, dig
from qbo_sim.harness.errors import StepError
from qbo_sim.harness.paperwork import (
    attachment_invariant,
    check_attachment,
    check_outbox,
    outbox_invariant,
)
from qbo_sim.harness.values import show, show_id

#: How a record is recognised in QBO: (entity, field, record data field).
IDENTITY: dict[str, tuple[str, str, str]] = {
    "customer": ("Customer", "DisplayName", "name"),
    "property": ("Customer", "DisplayName", "name"),
    "vendor": ("Vendor", "DisplayName", "name"),
    "item": ("Item", "Name", "name"),
    "class": ("Class", "Name", "name"),
    "invoice": ("Invoice", "DocNumber", "number"),
    "receipt": ("Bill", "DocNumber", "vendor_document_number"),
}
#: Payments have no unique name (a reference number such as "CASH" or a reused check number
#: repeats): a payment record is recognised by the integration's own record → QBO id mapping
#: (``status().qbo_id``), its amount and its invoice, never by ``PaymentRefNum`` alone.
RETRYABLE = (0, 429, 500, 502, 503, 504)


def same(observed: Any, expected: Any) -> bool:
    if observed == expected:
        return True
    if isinstance(observed, (str, int, float)) and isinstance(expected, (str, int, float)):
        return str(observed) == str(expected) or _num(observed) == _num(expected) is not None
    return False


def _num(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _fields_mismatch(row: dict[str, Any], fields: dict[str, Any]) -> list[str]:
    out = []
    for path, expected in fields.items():
        try:
            value = dig(row, path.split("."))
        except StepError:
            value = "<missing>"
        if not same(value, expected):
            out.append(f"{path}={show(value)} (expected {show(expected)})")
    return out


#: Page size of the harness's own paged reads (QBO's MAXRESULTS limit).
def check_query(ctx: RunContext, exp: dict[str, Any]) -> list[Failure]:
    text = ctx.resolve(exp["query"])
    rows = ctx.query_all(text)
    if isinstance(rows, Failure):
        return [rows]
    failures = []
    if "count" in exp and len(rows) != exp["count"]:
        ids = ", ".join(str(r.get("Id")) for r in rows) or "none"
        failures.append(
            Failure(
                0,
                "",
                f"{text} returned {len(rows)} row(s)",
                f"{exp['count']} row(s)",
                f"{len(rows)} row(s) (Ids: {ids})",
                "QBO does not hold the expected number of matching entities",
            )
        )
    fields = ctx.resolve(exp.get("fields") or {})
    if fields:
        bad = [(r.get("Id"), m) for r in rows if (m := _fields_mismatch(r, fields))]
        if not rows or bad:
            observed = (
                "no rows" if not rows else "; ".join(f"Id {i}: {', '.join(m)}" for i, m in bad)
            )
            failures.append(
                Failure(
                    0,
                    "",
                    f"{text}: field values differ",
                    show(fields),
                    observed,
                    "QBO's data does not match what the integration should send",
                )
            )
    return failures


def check_status(ctx: RunContext, exp: dict[str, Any]) -> list[Failure]:
    spec = ctx.resolve(exp["status"])
    kind, key = spec["kind"], spec["key"]
    st = ctx.status(kind, key)
    wrong: list[str] = []
    wanted: list[str] = []
    if "is" in spec:
        states = spec["is"] if isinstance(spec["is"], list) else [spec["is"]]
        wanted.append(" or ".join(states))
        if st.state not in states:
            wrong.append(f"its state is {st.state}, not {' or '.join(states)}")
    if "error_code" in spec:
        wanted.append(f"error code {spec['error_code']}")
        if not same(st.error_code, spec["error_code"]):
            wrong.append(f"the surfaced error code is {st.error_code or 'none'}")
    if "error_message_contains" in spec:
        wanted.append(f"message containing {show(spec['error_message_contains'])}")
        if spec["error_message_contains"] not in (st.error_message or ""):
            wrong.append("the surfaced error message lacks the expected text")
    if "qbo_id" in spec:
        wanted.append(f"qbo id {show_id(spec['qbo_id'])}")
        if not same(st.qbo_id, spec["qbo_id"]):
            wrong.append(f"it points at QBO id {show_id(st.qbo_id)}, not {show_id(spec['qbo_id'])}")
    if "qbo_id_not" in spec:
        wanted.append(f"qbo id other than {spec['qbo_id_not']}")
        if same(st.qbo_id, spec["qbo_id_not"]):
            wrong.append(f"it still points at QBO id {show_id(st.qbo_id)}")
    if "attempts" in spec:
        wanted.append(f"{spec['attempts']} attempt(s)")
        if st.attempts != spec["attempts"]:
            wrong.append(f"it made {st.attempts} attempt(s)")
    if "min_attempts" in spec:
        wanted.append(f"at least {spec['min_attempts']} attempt(s)")
        if st.attempts < spec["min_attempts"]:
            wrong.append(f"it made only {st.attempts} attempt(s)")
    if not wrong:
        return []
    return [
        Failure(
            0, "", f"status of {kind} {key!r}", ", ".join(wanted), st.describe(), "; ".join(wrong)
        )
    ]


def check_qbo_entity(ctx: RunContext, exp: dict[str, Any]) -> list[Failure]:
    ref = ctx.resolve(exp["qbo_entity"])
    entity = ctx.sim.company(ctx.realm).get(ref["entity"], str(ref["id"]))
    label = f"QBO {ref['entity']} {ref['id']}"
    exists = exp.get("exists", True)
    if (entity is not None) != exists:
        return [
            Failure(
                0,
                "",
                label,
                "exists" if exists else "absent (deleted or never created)",
                "exists" if entity is not None else "absent",
                "",
            )
        ]
    bad = _fields_mismatch(entity, ctx.resolve(exp.get("fields") or {})) if entity else []
    if bad:
        return [
            Failure(0, "", label, show(exp.get("fields")), "; ".join(bad), "field values differ")
        ]
    return []


def _report_rows(rows: Any) -> list[list[dict[str, Any]]]:
    """The ``ColData`` of every Data row of a report body's ``Rows``, sections opened."""
    out: list[list[dict[str, Any]]] = []
    found = rows.get("Row") if isinstance(rows, dict) else None
    for row in found if isinstance(found, list) else []:
        if not isinstance(row, dict):
            continue
        if row.get("type") == "Data" and isinstance(row.get("ColData"), list):
            out.append(row["ColData"])
        out.extend(_report_rows(row.get("Rows")))
    return out


def _cell_matches(cell: Any, expected: Any) -> bool:
    """A report cell shows ``expected`` as its value, or names it as its ``id``."""
    if not isinstance(cell, dict):
        return False
    return same(cell.get("value"), expected) or (
        cell.get("id") is not None and same(cell.get("id"), expected)
    )


def check_report(ctx: RunContext, exp: dict[str, Any]) -> list[Failure]:
    """A QBO report (``GET /reports/<name>``, docs/harness.md): its Data rows whose cells,
    by column title, match ``rows`` (at least one, or exactly ``count``); the cells in
    ``fields`` of each; the last cell of the grand total row (``total``)."""
    name = str(exp["report"])
    params = ctx.resolve(exp.get("params") or {})
    label = f"report {name}" + (f" ({show(params)})" if params else "")
    status, body = ctx.report(name, params)
    if status != 200 or not isinstance(body, dict) or "Rows" not in body:
        return [
            Failure(
                0,
                "",
                f"{label} failed",
                "HTTP 200 with Rows",
                f"HTTP {status}: {str(body)[:300]}",
                "the QBO report could not run",
            )  # fmt: skip
        ]
    titles = [str(c.get("ColTitle", "")) for c in (body.get("Columns") or {}).get("Column", [])]
    wanted = ctx.resolve(exp.get("rows") or {})
    unknown = [t for t in [*wanted, *(exp.get("fields") or {})] if t not in titles]
    if unknown:
        raise StepError(f"{label} has no column {', '.join(map(repr, unknown))}: {titles}")

    def cells(row: list[dict[str, Any]]) -> dict[str, Any]:
        return dict(zip(titles, row, strict=False))

    matched = [
        row
        for row in map(cells, _report_rows(body.get("Rows")))
        if all(_cell_matches(row.get(t), v) for t, v in wanted.items())
    ]
    failures: list[Failure] = []
    where = f"rows with {show(wanted)}" if wanted else "Data rows"
    shown = "; ".join(
        ", ".join(f"{t}={show(c.get('value'))}" for t, c in row.items() if c.get("value"))
        for row in matched[:5]
    )
    count = exp.get("count")
    if (count is None and wanted and not matched) or (count is not None and len(matched) != count):
        failures.append(
            Failure(
                0,
                "",
                f"{label}: {where}",
                f"{count} row(s)" if count is not None else "at least one row",
                f"{len(matched)} row(s)" + (f": {shown}" if shown else ""),
                "the report does not show what the books should hold",
            )
        )
    fields = ctx.resolve(exp.get("fields") or {})
    bad = [
        ", ".join(
            f"{t}={show((row.get(t) or {}).get('value'))} (expected {show(v)})"
            for t, v in fields.items()
            if not _cell_matches(row.get(t), v)
        )
        for row in matched
    ]
    bad = [b for b in bad if b]
    if fields and bad:
        failures.append(
            Failure(0, "", f"{label}: {where}", show(fields), "; ".join(bad), "values differ")
        )
    if "total" in exp:
        total = next(
            (
                r["Summary"]["ColData"]
                for r in (body.get("Rows") or {}).get("Row") or []
                if isinstance(r, dict) and r.get("group") == "GrandTotal" and r.get("Summary")
            ),
            None,
        )
        value = total[-1].get("value") if total else None
        if not same(value, ctx.resolve(exp["total"])):
            failures.append(
                Failure(0, "", f"{label}: grand total", show(exp["total"]), show(value), "")
            )
    return failures


def _matching(ctx: RunContext, flt: dict[str, Any]) -> list[Any]:
    flt = ctx.resolve(flt)
    entries = ctx.journal_since(ctx.since_seq(flt.get("since")))
    return [
        e
        for e in entries
        if (not flt.get("method") or e.method == flt["method"].upper())
        and (not flt.get("path_contains") or flt["path_contains"] in e.path)
        and ("status" not in flt or e.status == flt["status"])
        and (not flt.get("fault_code") or str(e.fault_code) == str(flt["fault_code"]))
    ]


def short(entry: Any) -> str:
    requestid = f" requestid={entry.requestid}" if entry.requestid else ""
    fault = f" fault {entry.fault_code}" if entry.fault_code else ""
    return f"#{entry.seq} {entry.method} {entry.path} -> {entry.status}{fault}{requestid}"


def check_no_request(ctx: RunContext, exp: dict[str, Any]) -> list[Failure]:
    found = _matching(ctx, exp["no_request"])
    if not found:
        return []
    return [
        Failure(
            0,
            "",
            f"unexpected request(s) matching {exp['no_request']}",
            "none",
            "; ".join(short(e) for e in found),
            "the integration sent what it must not",
        )
    ]


def check_requests(ctx: RunContext, exp: dict[str, Any]) -> list[Failure]:
    found = _matching(ctx, exp["requests"])
    n = len(found)
    if "count" in exp and n != exp["count"]:
        wanted = f"{exp['count']} request(s)"
    elif "min_count" in exp and n < exp["min_count"]:
        wanted = f"at least {exp['min_count']} request(s)"
    elif "max_count" in exp and n > exp["max_count"]:
        wanted = f"at most {exp['max_count']} request(s)"
    else:
        return []
    listing = "; ".join(short(e) for e in found[:10]) or "none"
    return [Failure(0, "", f"requests matching {exp['requests']}", wanted, f"{n}: {listing}", "")]


def check_requestid_reuse(ctx: RunContext, exp: dict[str, Any]) -> list[Failure]:
    posts = [e for e in ctx.journal_since(ctx.since_seq(exp.get("since"))) if e.method == "POST"]
    failures = []
    for i, failed in enumerate(posts):
        if failed.status not in RETRYABLE:
            continue
        # the retry is the same write again: the same body to the same path (the next POST
        # of another record to that path is not a retry of this one)
        retry = next(
            (p for p in posts[i + 1 :] if p.path == failed.path and p.body == failed.body), None
        )
        if retry is None:
            continue
        if failed.requestid is None or retry.requestid != failed.requestid:
            failures.append(
                Failure(
                    0,
                    "",
                    f"retry of {failed.method} {failed.path}",
                    f"requestid {failed.requestid or '(one set on the first try)'}",
                    f"{short(failed)} then {short(retry)}",
                    "a retry with a new requestid can create a duplicate when "
                    "the first attempt was written but its answer was lost",
                )
            )
    return failures


def check_inbound(ctx: RunContext, exp: dict[str, Any]) -> list[Failure]:
    spec = ctx.resolve(exp["inbound"])
    kind, key, wanted = spec["kind"], str(spec["key"]), spec["fields"]
    title = f"inbound view of {kind} {key!r}"
    assert ctx.driver is not None
    if not callable(getattr(ctx.driver.integration, "inbound", None)):
        return [
            Failure(
                0,
                "",
                title,
                ", ".join(f"{k}={v!r}" for k, v in wanted.items()),
                "the integration has no inbound(kind, key): nothing comes back from QBO",
                "a change made in QBO must reach the field-service record",
            )
        ]
    view = ctx.driver.call("inbound", kind, key) or {}
    if not isinstance(view, dict):
        return [Failure(0, "", title, "a mapping", repr(view), "inbound() must return a dict")]
    wrong = [
        f"{k}={view.get(k, '<missing>')!r} (expected {v!r})"
        for k, v in wanted.items()
        if not same(view.get(k), v)
    ]
    if not wrong:
        return []
    return [
        Failure(
            0,
            "",
            title,
            ", ".join(f"{k}={v!r}" for k, v in wanted.items()),
            "; ".join(wrong),
            "the field-service record does not show what QBO holds now",
        )
    ]


CHECKS: dict[str, Callable[[RunContext, dict[str, Any]], list[Failure]]] = {
    "inbound": check_inbound,
    "query": check_query,
    "status": check_status,
    "qbo_entity": check_qbo_entity,
    "report": check_report,
    "no_request": check_no_request,
    "requests": check_requests,
    "retries_reuse_requestid": check_requestid_reuse,
    "attachment": check_attachment,
    "outbox": check_outbox,
}


def evaluate(ctx: RunContext, exp: dict[str, Any]) -> list[Failure]:
    kind = next(k for k in CHECKS if k in exp)
    with ctx.company(exp.get("company")):  # query, qbo_entity, report, journal: that company
        failures = CHECKS[kind](ctx, exp)
    for failure in failures:
        failure.because = exp.get("because", "")
    return failures


def _identity_matches(ctx: RunContext, kind: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    entity, field, source = IDENTITY[kind]
    wanted = data.get(source)
    if not wanted:
        return []
    wanted = str(wanted).strip().lower()
    rows = [
        e
        for e in ctx.sim.company(ctx.realm).all(entity)
        if str(e.get(field) or "").strip().lower() == wanted
    ]
    if kind == "receipt":  # vendor document numbers are per vendor
        vendor = ctx.status("vendor", data["vendor"]).qbo_id
        rows = [r for r in rows if vendor is None or str(dig(r, ["VendorRef", "value"])) == vendor]
    return rows


def _amount(value: Any) -> float | None:
    number = _num(value)
    return None if number is None else round(number, 2)


def _links_invoice(payment: dict[str, Any], invoice_id: str) -> bool:
    return any(
        str(link.get("TxnId")) == invoice_id and link.get("TxnType", "Invoice") == "Invoice"
        for line in payment.get("Line") or []
        for link in line.get("LinkedTxn") or []
    )


def _payment_claims(ctx: RunContext) -> dict[str, str]:
    """payment record key → the QBO Payment id the integration says it is."""
    claims = {}
    for kind, key in ctx.records:
        if kind == "payment" and ctx.records[(kind, key)].get("action") != "delete":
            qbo_id = ctx.status(kind, key).qbo_id
            if qbo_id:
                claims[key] = qbo_id
    return claims


def _payment_matches(
    ctx: RunContext, key: str, data: dict[str, Any], claims: dict[str, str]
) -> list[dict[str, Any]]:
    """Live QBO payments that can only be this record's: same amount, linked to its invoice
    (when that is in QBO), and not claimed by another payment record of the integration."""
    amount = _amount(data.get("amount"))
    if amount is None:
        return []
    invoice_id = None
    if data.get("invoice") is not None and ("invoice", str(data["invoice"])) in ctx.records:
        invoice_id = ctx.status("invoice", str(data["invoice"])).qbo_id
    company = _company_of(ctx, key)
    others = {
        qbo_id
        for other, qbo_id in claims.items()
        if other != key and _company_of(ctx, other) == company
    }
    return [
        p
        for p in ctx.sim.company(ctx.realm).all("Payment")
        if _amount(p.get("TotalAmt")) == amount
        and (invoice_id is None or _links_invoice(p, invoice_id))
        and str(p.get("Id")) not in others
    ]


def _company_of(ctx: RunContext, key: str) -> str | None:
    """The ``company`` of payment record ``key`` (None: the scenario's own)."""
    return (ctx.records.get(("payment", key)) or {}).get("company")


def _payment_failures(ctx: RunContext, claims: dict[str, str]) -> list[Failure]:
    """Two payment records the integration maps to the same QBO Payment: one payment is lost
    (e.g. two partial payments with the same reference number linked as one)."""
    by_id: dict[tuple[str | None, str], list[str]] = {}
    for key, qbo_id in claims.items():
        by_id.setdefault((_company_of(ctx, key), qbo_id), []).append(key)
    return [
        Failure(
            1,
            "invariant",
            f"payments {', '.join(repr(k) for k in keys)} are one QBO Payment",
            "each payment record its own QBO Payment",
            f"all point at Payment Id {qbo_id}",
            "the integration linked a payment to another record's QBO payment (same "
            "reference number and amount is not the same payment): a payment is missing",
        )
        for (_, qbo_id), keys in by_id.items()
        if len(keys) > 1
    ]


def _duplicate(
    ctx: RunContext, kind: str, key: str, data: dict[str, Any], claims: dict[str, str]
) -> list[Failure]:
    """The record found more than once among QBO's live entities (see ``IDENTITY``)."""
    if kind == "payment":
        rows = _payment_matches(ctx, key, data, claims)
        expected = (
            f"at most one Payment of {show(data.get('amount'))} on invoice "
            f"{show(data.get('invoice'))} that no other payment record claims"
        )
        entity = "Payment"
    else:
        rows = _identity_matches(ctx, kind, data)
        entity, field, source = IDENTITY[kind]
        expected = f"at most one {entity} with {field} = {show(data.get(source))}"
    if len(rows) <= 1:
        return []
    ids = ", ".join(str(r["Id"]) for r in rows)
    return [
        Failure(
            1,
            "invariant",
            f"{kind} {key!r} exists {len(rows)} times in QBO",
            expected,
            f"{entity} Ids {show(ids)}",
            "the integration created a duplicate instead of finding or "
            "reusing the entity it had already created",
        )
    ]


def check_invariants(ctx: RunContext) -> list[Failure]:
    """No record created twice in QBO; every record ends synced, bypassed or failed visibly."""
    kept = [
        (record, change)
        for record, change in ctx.records.items()
        if change.get("action") != "delete"
    ]
    with ctx.statuses_read([record for record, _ in kept]):  # they only read: one request
        return _invariants(ctx, kept)


def _invariants(
    ctx: RunContext, kept: list[tuple[tuple[str, str], dict[str, Any]]]
) -> list[Failure]:
    claims = _payment_claims(ctx)
    failures = _payment_failures(ctx, claims)
    for (kind, key), change in kept:
        st = ctx.status(kind, key)
        data = change.get("data") or {}
        with ctx.company(change.get("company")):  # the record's own QBO company
            if kind == "attachment":  # an Attachable on its invoice (paperwork.py)
                failures.extend(attachment_invariant(ctx, key, data, st.state))
            else:
                failures.extend(_duplicate(ctx, kind, key, data, claims))
            if kind == "invoice":  # e-mailed as often as the operator asked
                failures.extend(outbox_invariant(ctx, key, st.state))
        from qbo_sim.harness.steps.records import waiting

        if waiting(ctx, kind, key):
            continue
        ok = st.state in ("synced", "bypassed") or (
            st.state == "failed" and (st.error_code or st.error_message)
        )
        if not ok:
            failures.append(
                Failure(
                    1,
                    "invariant",
                    f"{kind} {key!r} ended {st.state}",
                    "synced, bypassed, or failed with a surfaced error",
                    st.describe(),
                    "an operator cannot act on a record whose failure is hidden",
                )
            )
    return failures
