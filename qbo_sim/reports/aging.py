"""AgedReceivables, AgedReceivableDetail, AgedPayables, CustomerBalance, VendorBalance.

Open items as of the report date (docs/research/reports.md): each invoice or bill dated on or
before it with its open ``Balance`` plus what payments dated after it apply; credit memos and
vendor credits with their remaining credit, and payments with their unapplied amount, as
negative items (as ``Customer.Balance`` and ``Vendor.Balance`` count them,
qbo_sim/rules/balances.py, so the totals reconcile). Aged by days past ``DueDate`` (a credit
or a payment by its date, assumed): ``Current`` (not yet due), then ``aging_period``-day
buckets, ``num_periods`` of them, the last "and over" (Intuit's sample: Current, 1 - 30,
31 - 60, 61 - 90, 91 and over). One row per party with a balance, by name (jobs are not nested
under their parent: assumed simplification), then the ``GrandTotal`` section.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from qbo_sim.entities import ENTITIES, EntitySpec
from qbo_sim.opcontext import OpContext
from qbo_sim.reports import shape
from qbo_sim.reports.books import party_name, txn_date
from qbo_sim.reports.params import Params
from qbo_sim.rules.common import cents, money
from qbo_sim.rules.links import BY_PARTY, BY_PAYER, applications, open_balance, unapplied
from qbo_sim.store import Entity

__all__ = ["OpenItem", "aged_detail", "aged_summary", "balance_summary", "open_items"]


@dataclass(frozen=True)
class OpenItem:
    spec: EntitySpec
    entity: Entity
    party: tuple[str, str]
    day: date
    due: date
    #: the signed amount and open balance (credits and payments negative)
    amount: float
    open: float


def open_items(
    ctx: OpContext, party_type: str, params: Params, party_filter: str
) -> list[OpenItem]:
    """What the parties of ``party_type`` owe (or are owed) as of ``params.end``."""
    company = ctx.company
    as_of = params.end
    wanted = params.filters.get(party_filter)
    links = BY_PARTY.get(party_type, ())
    payers = {link.payer for link in links}
    later: dict[str, float] = defaultdict(float)  # target id → applied by later payments
    items: list[OpenItem] = []
    for payer_type in payers:
        payer_spec = ENTITIES[payer_type]
        for payer in company.all(payer_type):
            day = txn_date(payer)
            if day is None:
                continue
            if day > as_of:
                for link in BY_PAYER[payer_type]:
                    for target_id, amount in applications(link, payer).items():
                        later[f"{link.target}:{target_id}"] += amount
                continue
            rest = unapplied(BY_PAYER[payer_type], payer)
            party = party_name(ctx, payer_spec, payer)
            if rest > 0.005 and party and (not wanted or party[1] in wanted):
                items.append(
                    OpenItem(
                        payer_spec, payer, party, day, day, -money(payer.get("TotalAmt")), -rest
                    )
                )
    for link in links:
        spec = ENTITIES[link.target]
        for target in company.all(link.target):
            day = txn_date(target)
            if day is None or day > as_of:
                continue
            balance = cents(open_balance(target) + later.get(f"{link.target}:{target['Id']}", 0.0))
            party = party_name(ctx, spec, target)
            if abs(balance) < 0.005 or party is None or (wanted and party[1] not in wanted):
                continue
            sign = -1.0 if link.credit else 1.0
            due = day if link.credit else _due(target, day)
            total = money(target.get("TotalAmt"))
            items.append(OpenItem(spec, target, party, day, due, sign * total, sign * balance))
    return items


def _due(entity: Entity, day: date) -> date:
    try:
        return date.fromisoformat(str(entity.get("DueDate")))
    except ValueError:
        return day


def bucket_titles(params: Params) -> list[str]:
    p, n = params.aging_period, params.num_periods
    titles = ["Current"]
    titles += [f"{(k - 1) * p + 1} - {k * p}" for k in range(1, n)]
    titles.append(f"{(n - 1) * p + 1} and over")
    return titles


def bucket(item: OpenItem, params: Params) -> int:
    days = (params.end - item.due).days
    if days <= 0:
        return 0
    return min(params.num_periods, (days - 1) // params.aging_period + 1)


def _by_party(items: list[OpenItem]) -> list[tuple[tuple[str, str], list[OpenItem]]]:
    grouped: dict[tuple[str, str], list[OpenItem]] = defaultdict(list)
    for item in items:
        grouped[item.party].append(item)
    return sorted(grouped.items(), key=lambda kv: (kv[0][0].lower(), kv[0][1]))


def aged_summary(
    items: list[OpenItem], params: Params, party_col: str
) -> tuple[list[dict[str, object]], list[shape.Row]]:
    titles = bucket_titles(params)
    columns = [shape.column("", party_col)] + [shape.column(t, "Money") for t in titles]
    columns.append(shape.column("Total", "Money"))
    rows: list[shape.Row] = []
    grand = [0.0] * (len(titles) + 1)
    for (name, party_id), own in _by_party(items):
        figures = [0.0] * (len(titles) + 1)
        for item in own:
            figures[bucket(item, params)] += item.open
            figures[-1] += item.open
        if abs(figures[-1]) < 0.005 and all(abs(v) < 0.005 for v in figures):
            continue
        grand = [a + b for a, b in zip(grand, figures, strict=True)]
        cells = [shape.cell(name, party_id)]
        cells += [shape.cell(shape.money(v) if abs(v) >= 0.005 else "") for v in figures]
        rows.append({"ColData": cells})
    total_cells = [shape.cell("TOTAL")] + [shape.cell(shape.money(v)) for v in grand]
    rows.append(shape.section(None, None, total_cells, "GrandTotal"))
    return columns, rows


def balance_summary(
    items: list[OpenItem], party_col: str
) -> tuple[list[dict[str, object]], list[shape.Row]]:
    """CustomerBalance / VendorBalance (Intuit's sample: the party and its ``Total``)."""
    columns = [shape.column("", party_col), shape.column("Total", "Money")]
    rows: list[shape.Row] = []
    grand = 0.0
    for (name, party_id), own in _by_party(items):
        total = sum(i.open for i in own)
        if abs(total) < 0.005:
            continue
        grand += total
        rows.append({"ColData": [shape.cell(name, party_id), shape.cell(shape.money(total))]})
    rows.append(
        shape.section(
            None, None, [shape.cell("TOTAL"), shape.cell(shape.money(grand))], "GrandTotal"
        )
    )
    return columns, rows


DETAIL_COLUMNS = (
    ("Date", "Date", "tx_date"),
    ("Transaction Type", "String", "txn_type"),
    ("Num", "String", "doc_num"),
    ("{party}", "String", "{key}_name"),
    ("Due Date", "Date", "due_date"),
    ("Past Due", "String", "past_due"),
    ("Amount", "Money", "subt_amount"),
    ("Open Balance", "Money", "subt_open_bal"),
)


def aged_detail(
    items: list[OpenItem], params: Params, party_col: str, key: str
) -> tuple[list[dict[str, object]], list[shape.Row]]:
    """The open items, in sections by bucket, oldest first (Intuit's sample order), then
    ``TOTAL`` (the captured AgedPayableDetail's layout)."""
    columns = [
        shape.column(t.format(party=party_col), c, k.format(key=key)) for t, c, k in DETAIL_COLUMNS
    ]
    titles = bucket_titles(params)
    sections: dict[int, list[OpenItem]] = defaultdict(list)
    for item in items:
        sections[bucket(item, params)].append(item)
    rows: list[shape.Row] = []
    amount_total = open_total = 0.0
    blanks = [shape.cell("")] * 5
    for index in sorted(sections, reverse=True):
        own = sorted(sections[index], key=lambda i: (i.day, i.party[0], str(i.entity.get("Id"))))
        title = titles[index] if index == 0 else f"{titles[index]} days past due"
        data = [_detail_row(i, params) for i in own]
        amount = sum(i.amount for i in own)
        balance = sum(i.open for i in own)
        amount_total += amount
        open_total += balance
        summary = [shape.cell(f"Total for {title}"), *blanks]
        summary += [shape.cell(shape.money(amount)), shape.cell(shape.money(balance))]
        header = [shape.cell(title)] + [shape.cell("")] * 7
        rows.append(shape.section(header, data, summary))
    total = [shape.cell("TOTAL"), *blanks]
    total += [shape.cell(shape.money(amount_total)), shape.cell(shape.money(open_total))]
    rows.append(shape.section(None, None, total, "GrandTotal"))
    return columns, rows


def _detail_row(item: OpenItem, params: Params) -> shape.Row:
    past_due = max(0, (params.end - item.due).days)
    return shape.data(
        [
            shape.cell(item.day.isoformat()),
            shape.cell(item.spec.txn_label, str(item.entity.get("Id"))),
            shape.cell(str(item.entity.get("DocNumber") or "")),
            shape.cell(item.party[0], item.party[1]),
            shape.cell(item.due.isoformat()),
            shape.cell(str(past_due)),
            shape.cell(shape.money(item.amount)),
            shape.cell(shape.money(item.open)),
        ]
    )
