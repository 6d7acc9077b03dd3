"""TransactionList and GeneralLedger: one row per transaction, or per posting by account.

Default columns as Intuit documents them (the Reports API reference, docs/research/reports.md):
TransactionList ``tx_date``, ``txn_type``, ``doc_num``, ``is_no_post`` (Posting), ``name``,
``memo``, ``account_name``, ``other_account`` (Split), ``subt_nat_amount``; GeneralLedger, per
account section, ``tx_date``, ``txn_type``, ``doc_num``, ``name``, ``memo``, ``split_acc``,
``subt_nat_amount``, ``rbal_nat_amount`` with a ``Beginning Balance`` row and "Total for
<account>". Amounts in the account's natural sign (income, liabilities and equity credit minus
debit). ``columns=``, ``sort_by`` and ``group_by`` are not modelled (the default layout).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from qbo_sim.entities import ENTITIES, EntitySpec
from qbo_sim.opcontext import OpContext
from qbo_sim.reports import shape
from qbo_sim.reports.books import ACCOUNT, Posting, ledger_postings, matches, party_name, txn_date
from qbo_sim.reports.params import Params
from qbo_sim.rules import inventory
from qbo_sim.rules.common import money
from qbo_sim.rules.postings import postings
from qbo_sim.store import Entity

__all__ = ["general_ledger", "transaction_list"]

CREDIT_NATURAL = frozenset({"Liability", "Equity", "Revenue"})
SPLIT = "-Split-"


def _natural(account: Entity | None) -> float:
    return -1.0 if account is not None and account.get("Classification") in CREDIT_NATURAL else 1.0


def _account_cell(ctx: OpContext, account_id: str | None) -> shape.Cell:
    account = ctx.company.get(ACCOUNT, account_id) if account_id else None
    if account is None:
        return shape.cell("", "")
    return shape.cell(str(account.get("FullyQualifiedName") or account.get("Name")), account_id)


def _party_cell(ctx: OpContext, spec_name: str, entity: Entity) -> shape.Cell:
    found = party_name(ctx, ENTITIES[spec_name], entity)
    return shape.cell(found[0], found[1]) if found else shape.cell("")


def transaction_list(
    ctx: OpContext, params: Params
) -> tuple[list[dict[str, object]], list[shape.Row]]:
    columns = [
        shape.column("Date", "Date", "tx_date"),
        shape.column("Transaction Type", "String", "txn_type"),
        shape.column("Num", "String", "doc_num"),
        shape.column("Posting", "String", "is_no_post"),
        shape.column("Name", "String", "name"),
        shape.column("Memo/Description", "String", "memo"),
        shape.column(ACCOUNT, "String", "account_name"),
        shape.column("Split", "String", "other_account"),
        shape.column("Amount", "Money", "subt_nat_amount"),
    ]
    found: list[tuple[str, int, str, int, shape.Row]] = []
    for spec, entity, day, moved, amount in _listed(ctx):
        if not params.start <= day <= params.end or not matches(entity, params.filters):
            continue
        header = _header(ctx, spec.name, entity, moved)
        others = [a for a in moved if a != header]
        split = _account_cell(ctx, others[0]) if len(others) == 1 else shape.cell(SPLIT, "")
        row = shape.data(
            [
                shape.cell(day.isoformat()),
                shape.cell(spec.txn_label, str(entity.get("Id"))),
                shape.cell(str(entity.get("DocNumber") or "")),
                shape.cell("Yes" if moved or spec.ledger else "No"),
                _party_cell(ctx, spec.name, entity),
                shape.cell(str(entity.get("PrivateNote") or "")),
                _account_cell(ctx, header),
                split,
                shape.cell(shape.money(amount)),
            ]
        )
        first = 0 if spec.is_list else 1  # a starting value opens its day
        found.append((day.isoformat(), first, spec.txn_label, _id_key(entity), row))
    found.sort(key=lambda f: f[:4])
    return columns, [f[4] for f in found]


def _listed(
    ctx: OpContext,
) -> Iterator[tuple[EntitySpec, Entity, date, dict[str, float], float]]:
    """Every transaction (its postings and amount) and every Inventory item's starting
    value (QBO's "Inventory Starting Value" row, on its InvStartDate)."""
    for spec in ENTITIES.values():
        if spec.kind != "transaction":
            continue
        for entity in ctx.company.all(spec.name):
            day = txn_date(entity)
            if day is None:
                continue
            moved = postings(ctx, spec, entity) if spec.ledger else {}
            amount = money(entity.get(spec.ledger.amount if spec.ledger else "TotalAmt"))
            yield spec, entity, day, moved, amount
    item_spec = ENTITIES[inventory.ITEM]
    for item, moved in inventory.item_postings(ctx):
        try:
            day = date.fromisoformat(str(item.get("InvStartDate")))
        except ValueError:
            continue
        yield item_spec, item, day, moved, sum(v for v in moved.values() if v > 0)


def _id_key(entity: Entity) -> int:
    try:
        return int(str(entity.get("Id")))
    except ValueError:
        return 0


def _header(ctx: OpContext, spec_name: str, entity: Entity, moved: dict[str, float]) -> str | None:
    """The transaction's own account: its ledger header (A/R, the bank...), else the first."""
    ledger = ENTITIES[spec_name].ledger
    for path in ledger.header if ledger else ():
        ref = entity.get(path.split(".")[0])
        for part in path.split(".")[1:]:
            ref = ref.get(part) if isinstance(ref, dict) else None
        if isinstance(ref, dict) and ref.get("value") in moved:
            return str(ref["value"])
    if ledger and ledger.header_type:
        for account_id in moved:
            account = ctx.company.get(ACCOUNT, account_id)
            if account is not None and account.get("AccountType") == ledger.header_type:
                return account_id
    return next(iter(moved), None)


def general_ledger(
    ctx: OpContext, params: Params
) -> tuple[list[dict[str, object]], list[shape.Row]]:
    columns = [
        shape.column("Date", "Date", "tx_date"),
        shape.column("Transaction Type", "String", "txn_type"),
        shape.column("Num", "String", "doc_num"),
        shape.column("Name", "String", "name"),
        shape.column("Memo/Description", "String", "memo"),
        shape.column("Split", "String", "split_acc"),
        shape.column("Amount", "Money", "subt_nat_amount"),
        shape.column("Balance", "Money", "rbal_nat_amount"),
    ]
    posted = ledger_postings(ctx, params.filters, cash=params.method == "Cash")
    by_txn: dict[int, set[str]] = defaultdict(set)
    for p in posted:
        by_txn[id(p.entity)].add(p.account)
    opening: dict[str, float] = defaultdict(float)
    lines: dict[str, list[Posting]] = defaultdict(list)
    for p in posted:
        if p.day < params.start:
            opening[p.account] += p.amount
        elif p.day <= params.end:
            lines[p.account].append(p)
    rows: list[shape.Row] = []
    blank5 = [shape.cell("")] * 5
    for account_id in sorted(
        set(lines) | {a for a, v in opening.items() if abs(v) >= 0.005},
        key=lambda a: _sort_name(ctx, a),
    ):
        account = ctx.company.get(ACCOUNT, account_id)
        sign = _natural(account)
        name_cell = _account_cell(ctx, account_id)
        balance = sign * opening.get(account_id, 0.0)
        data: list[shape.Row] = []
        if account is not None and account.get("Classification") in (
            "Asset",
            "Liability",
            "Equity",
        ):
            data.append(
                shape.data(
                    [
                        shape.cell("Beginning Balance"),
                        *blank5,
                        shape.cell(""),
                        shape.cell(shape.money(balance)),
                    ]
                )
            )
        total = 0.0
        for p in sorted(lines.get(account_id, []), key=lambda q: (q.day, _id_key(q.entity))):
            amount = sign * p.amount
            total += amount
            balance += amount
            others = sorted(by_txn[id(p.entity)] - {account_id})
            split = _account_cell(ctx, others[0]) if len(others) == 1 else shape.cell(SPLIT, "")
            data.append(
                shape.data(
                    [
                        shape.cell(p.day.isoformat()),
                        shape.cell(p.spec.txn_label, str(p.entity.get("Id"))),
                        shape.cell(str(p.entity.get("DocNumber") or "")),
                        _party_cell(ctx, p.spec.name, p.entity),
                        shape.cell(str(p.entity.get("PrivateNote") or "")),
                        split,
                        shape.cell(shape.money(amount)),
                        shape.cell(shape.money(balance)),
                    ]
                )
            )
        header = [name_cell] + [shape.cell("")] * 7
        summary = [
            shape.cell(f"Total for {name_cell['value']}"),
            *blank5,
            shape.cell(shape.money(total)),
            shape.cell(""),
        ]
        rows.append(shape.section(header, data, summary))
    return columns, rows


def _sort_name(ctx: OpContext, account_id: str) -> str:
    account = ctx.company.get(ACCOUNT, account_id)
    return str((account or {}).get("FullyQualifiedName") or (account or {}).get("Name") or "")
