"""ProfitAndLoss and BalanceSheet, from the ledger's postings.

Layout (docs/research/reports.md; Intuit's samples and quickbooks-ruby's captured
``balancesheet.xml``): P&L sections ``Income``, ``COGS``, ``GrossProfit``, ``Expenses``,
``NetOperatingIncome``, ``OtherIncome``, ``OtherExpenses``, ``NetOtherIncome``,
``NetIncome`` (Income and Expenses always; COGS and the other sections only with accounts,
assumed); BalanceSheet ``TotalAssets`` (``CurrentAssets``: ``BankAccounts``, ``AR``,
``OtherCurrentAssets``; ``FixedAssets``; ``OtherAssets``) and ``TotalLiabilitiesAndEquity``
(``Liabilities``: ``CurrentLiabilities`` with ``AP``, ``CreditCards``,
``OtherCurrentLiabilities``; ``LongTermLiabilities``; ``Equity`` with Retained Earnings and a
``NetIncome`` row). An account with postings is a Data row; a parent with sub-accounts a
section "Total <name>". Figures in their natural sign: income, liabilities and equity credit
minus debit, the rest debit minus credit.

The BalanceSheet's account figures are ``Account.CurrentBalance`` less the postings dated
after the column's date, so they reconcile with the accounts (opening balances included);
Net Income is the fiscal year's P&L to that date and Retained Earnings adds the earlier years'.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from qbo_sim.opcontext import OpContext
from qbo_sim.reports import shape
from qbo_sim.reports.books import ACCOUNT, DIMENSIONS, Posting, dimension, ledger_postings
from qbo_sim.reports.params import Params
from qbo_sim.rules.common import money, setting
from qbo_sim.rules.postings import BALANCE_SHEET, CREDIT_NORMAL
from qbo_sim.store import Entity, get_path

__all__ = ["Column", "balance_sheet", "columns_for", "profit_and_loss"]

#: (group, title, account types, credit-normal)
PL_SECTIONS = (
    ("Income", "Income", ("Income",), True),
    ("COGS", "Cost of Goods Sold", ("Cost of Goods Sold",), False),
    ("Expenses", "Expenses", ("Expense",), False),
    ("OtherIncome", "Other Income", ("Other Income",), True),
    ("OtherExpenses", "Other Expenses", ("Other Expense",), False),
)
ALWAYS = frozenset({"Income", "Expenses"})
#: BalanceSheet tree: (group, title, children or account types)
BS_TREE: tuple[tuple[str, str, tuple[object, ...]], ...] = (
    (
        "TotalAssets",
        "ASSETS",
        (
            (
                "CurrentAssets",
                "Current Assets",
                (
                    ("BankAccounts", "Bank Accounts", ("Bank",)),
                    ("AR", "Accounts Receivable", ("Accounts Receivable",)),
                    ("OtherCurrentAssets", "Other current assets", ("Other Current Asset",)),
                ),
            ),
            ("FixedAssets", "Fixed Assets", ("Fixed Asset",)),
            ("OtherAssets", "Other Assets", ("Other Asset",)),
        ),
    ),
    (
        "TotalLiabilitiesAndEquity",
        "LIABILITIES AND EQUITY",
        (
            (
                "Liabilities",
                "Liabilities",
                (
                    (
                        "CurrentLiabilities",
                        "Current Liabilities",
                        (
                            ("AP", "Accounts Payable", ("Accounts Payable",)),
                            ("CreditCards", "Credit Cards", ("Credit Card",)),
                            (
                                "OtherCurrentLiabilities",
                                "Other Current Liabilities",
                                ("Other Current Liability",),
                            ),
                        ),
                    ),
                    ("LongTermLiabilities", "Long-Term Liabilities", ("Long Term Liability",)),
                ),
            ),
            ("Equity", "Equity", ("Equity",)),
        ),
    ),
)
RETAINED = "RetainedEarnings"
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


@dataclass(frozen=True)
class Column:
    title: str
    start: date
    end: date
    #: a list column (summarize by Customers, Classes...): the Id it takes ("" Not Specified)
    member: str | None = None


def _periods(start: date, end: date, by: str, fiscal_month: int) -> list[Column]:
    """The period columns of ``summarize_column_by`` (titles assumed: ``Jan 2026``,
    ``Jan - Mar 2026``, ``2026``, ``Mar 1-7, 2026``, ``2026-03-02``)."""
    out: list[Column] = []
    cursor = start
    while cursor <= end:
        if by == "Days":
            stop, title = cursor, cursor.isoformat()
        elif by == "Week":
            stop = min(end, cursor + timedelta(days=6 - (cursor.weekday() + 1) % 7))
            title = f"{MONTHS[cursor.month - 1]} {cursor.day}-{stop.day}, {stop.year}"
        else:
            months = {"Month": 1, "Quarter": 3, "Year": 12}[by]
            anchor = 1 if by == "Month" else fiscal_month
            offset = (cursor.month - anchor) % months
            first = _month(cursor.year, cursor.month - offset)
            following = _month(first.year, first.month + months)
            stop = min(end, following - timedelta(days=1))
            last = following - timedelta(days=1)
            if by == "Month":
                title = f"{MONTHS[first.month - 1]} {first.year}"
            elif by == "Quarter":
                title = f"{MONTHS[first.month - 1]} - {MONTHS[last.month - 1]} {last.year}"
            else:
                title = str(last.year) if fiscal_month == 1 else f"FY{last.year}"
        out.append(Column(title, cursor, stop))
        cursor = stop + timedelta(days=1)
    return out


def _month(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def columns_for(
    ctx: OpContext, params: Params, fiscal_month: int, members: Iterable[str] = ()
) -> list[Column]:
    """The money columns: one ``Total``, or the periods or list members and a ``Total``."""
    whole = Column("Total", params.start, params.end)
    if params.summarize == "Total":
        return [whole]
    if params.summarize in DIMENSIONS:
        ref_type = DIMENSIONS[params.summarize].removesuffix("Ref")
        named = []
        for member in sorted(set(members), key=lambda m: (m == "", m)):
            stored = ctx.company.get(ref_type, member) if member else None
            title = _name(stored) if stored else "Not Specified"
            named.append(Column(title, params.start, params.end, member))
        return [*named, whole]
    if params.summarize in ("Days", "Week", "Month", "Quarter", "Year"):
        return [*_periods(params.start, params.end, params.summarize, fiscal_month), whole]
    return [whole]  # Vendors, Employees, ProductsAndServices: not modelled (Total)


def _name(entity: Entity) -> str:
    return str(entity.get("DisplayName") or entity.get("FullyQualifiedName") or entity.get("Name"))


def _account_columns(cols: list[Column]) -> list[dict[str, object]]:
    out = [shape.column("", ACCOUNT, "account")]
    for col in cols:
        key = "total" if col.title == "Total" else None
        out.append(shape.column(col.title, "Money", key))
    return out


class Tree:
    """Accounts as rows, nested by ParentRef, with one figure per column."""

    def __init__(self, ctx: OpContext, figures: dict[str, list[float]], width: int) -> None:
        self.ctx = ctx
        self.figures = figures
        self.width = width
        self.accounts = {str(a["Id"]): a for a in ctx.company.all(ACCOUNT)}
        self.children: dict[str, list[str]] = defaultdict(list)
        for account_id, account in self.accounts.items():
            parent = get_path(account, "ParentRef.value")
            if parent not in (None, ""):
                self.children[str(parent)].append(account_id)

    def _shown(self, account_id: str) -> bool:
        return account_id in self.figures or any(
            self._shown(c) for c in self.children.get(account_id, [])
        )

    def rows(
        self, types: Iterable[str], sign: Callable[[Entity], float]
    ) -> tuple[list[shape.Row], list[float]]:
        wanted = set(types)
        tops = [
            a
            for a, account in self.accounts.items()
            if account.get("AccountType") in wanted
            and (
                get_path(account, "ParentRef.value") in (None, "")
                or get_path(account, "ParentRef.value") not in self.accounts
            )
        ]
        return self._level(tops, sign)

    def _level(
        self, ids: list[str], sign: Callable[[Entity], float]
    ) -> tuple[list[shape.Row], list[float]]:
        rows: list[shape.Row] = []
        total = [0.0] * self.width
        for account_id in sorted(ids, key=lambda a: str(self.accounts[a].get("Name", ""))):
            if not self._shown(account_id):
                continue
            account = self.accounts[account_id]
            own = [sign(account) * v for v in self.figures.get(account_id, [0.0] * self.width)]
            name = str(account.get("Name", ""))
            kids = self.children.get(account_id, [])
            if any(self._shown(k) for k in kids):
                inner, sub = self._level(kids, sign)
                if account_id in self.figures:
                    inner.insert(0, shape.data(self.cells(name, own, account_id)))
                figures = [a + b for a, b in zip(own, sub, strict=True)]
                blank = [shape.cell(name, account_id)] + [shape.cell("")] * self.width
                rows.append(shape.section(blank, inner, self.cells(f"Total {name}", figures)))
            else:
                figures = own
                rows.append(shape.data(self.cells(name, own, account_id)))
            total = [a + b for a, b in zip(total, figures, strict=True)]
        return rows, total

    def cells(self, label: str, figures: list[float], ref: str | None = None) -> list[shape.Cell]:
        return [shape.cell(label, ref)] + [shape.cell(shape.money(v)) for v in figures]

    def blank(self, label: str) -> list[shape.Cell]:
        return [shape.cell(label)] + [shape.cell("")] * self.width


def _credit(account: Entity) -> float:
    return -1.0


def _debit(account: Entity) -> float:
    return 1.0


def _natural(account: Entity) -> float:
    return -1.0 if account.get("Classification") in CREDIT_NORMAL else 1.0


def _pl_figures(
    posted: list[Posting], cols: list[Column], summarize: str, pl_ids: set[str]
) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {}
    for p in posted:
        if p.account not in pl_ids:
            continue
        member = (dimension(p.entity, summarize) or "") if summarize in DIMENSIONS else None
        for i, col in enumerate(cols):
            if col.start <= p.day <= col.end and (col.member is None or col.member == member):
                figures.setdefault(p.account, [0.0] * len(cols))[i] += p.amount
    return figures


def _pl_accounts(ctx: OpContext) -> set[str]:
    return {
        str(a["Id"])
        for a in ctx.company.all(ACCOUNT)
        if a.get("Classification") not in BALANCE_SHEET
    }


def profit_and_loss(
    ctx: OpContext, params: Params, fiscal_month: int
) -> tuple[list[dict[str, object]], list[shape.Row], bool]:
    """``(columns, rows, no data)`` of the ProfitAndLoss report."""
    posted = ledger_postings(ctx, params.filters, cash=params.method == "Cash")
    members = (
        {
            (dimension(p.entity, params.summarize) or "")
            for p in posted
            if params.start <= p.day <= params.end
        }
        if params.summarize in DIMENSIONS
        else set()
    )
    cols = columns_for(ctx, params, fiscal_month, members)
    figures = _pl_figures(posted, cols, params.summarize, _pl_accounts(ctx))
    tree = Tree(ctx, figures, len(cols))
    totals: dict[str, list[float]] = {}
    sections: dict[str, shape.Row] = {}
    for group, title, types, credit in PL_SECTIONS:
        rows, total = tree.rows(types, _credit if credit else _debit)
        totals[group] = total
        if rows or group in ALWAYS:
            summary = [shape.cell(f"Total {title}")] + [
                shape.cell(shape.money(v) if rows else "") for v in total
            ]
            sections[group] = shape.section(tree.blank(title), rows or None, summary, group)
    w = len(cols)

    def combine(*parts: tuple[str, float]) -> list[float]:
        return [sum(s * totals[g][i] for g, s in parts) for i in range(w)]

    gross = combine(("Income", 1), ("COGS", -1))
    operating = [g - e for g, e in zip(gross, totals["Expenses"], strict=True)]
    other = combine(("OtherIncome", 1), ("OtherExpenses", -1))
    net = [o + x for o, x in zip(operating, other, strict=True)]

    def summary_row(label: str, figures: list[float], group: str) -> shape.Row:
        return shape.section(None, None, tree.cells(label, figures), group)

    out = [sections["Income"]]
    if "COGS" in sections:
        out.append(sections["COGS"])
    out += [summary_row("Gross Profit", gross, "GrossProfit"), sections["Expenses"]]
    out.append(summary_row("Net Operating Income", operating, "NetOperatingIncome"))
    if "OtherIncome" in sections or "OtherExpenses" in sections:
        out += [sections[g] for g in ("OtherIncome", "OtherExpenses") if g in sections]
        out.append(summary_row("Net Other Income", other, "NetOtherIncome"))
    out.append(summary_row("Net Income", net, "NetIncome"))
    return _account_columns(cols), out, not figures


def _fiscal_start(day: date, fiscal_month: int) -> date:
    year = day.year if day.month >= fiscal_month else day.year - 1
    return date(year, fiscal_month, 1)


def _stored_dmc(ctx: OpContext, account: Entity) -> float:
    """Debits − credits behind an account's ``CurrentBalance`` (the liability_sign undone)."""
    shown = money(account.get("CurrentBalance"))
    natural = setting(ctx, "liability_sign") == "natural"
    return -shown if natural and account.get("Classification") in CREDIT_NORMAL else shown


def balance_sheet(
    ctx: OpContext, params: Params, fiscal_month: int
) -> tuple[list[dict[str, object]], list[shape.Row], bool]:
    """``(columns, rows, no data)`` of the BalanceSheet report (each column as of its end)."""
    cash = params.method == "Cash"
    posted = ledger_postings(ctx, {}, cash=cash)
    cols = columns_for(ctx, params, fiscal_month)
    w = len(cols)
    accounts = {str(a["Id"]): a for a in ctx.company.all(ACCOUNT)}
    sheet = {a for a, acc in accounts.items() if acc.get("Classification") in BALANCE_SHEET}
    figures: dict[str, list[float]] = {}
    active: set[str] = set()
    for account_id in sheet:
        base = 0.0 if cash else _stored_dmc(ctx, accounts[account_id])
        figures[account_id] = [base] * w
        if base:
            active.add(account_id)
    income = [0.0] * w
    prior = [0.0] * w
    for p in posted:
        for i, col in enumerate(cols):
            if p.account in sheet:
                if cash and p.day <= col.end:
                    figures[p.account][i] += p.amount
                elif not cash and p.day > col.end:
                    figures[p.account][i] -= p.amount
                if p.day <= col.end:
                    active.add(p.account)
            elif p.account in accounts and p.day <= col.end:
                if p.day >= _fiscal_start(col.end, fiscal_month):
                    income[i] -= p.amount
                else:
                    prior[i] -= p.amount
    figures = {a: v for a, v in figures.items() if a in active}
    retained = next(
        (a for a, acc in accounts.items() if acc.get("AccountSubType") == RETAINED), None
    )
    tree = Tree(ctx, figures, w)
    rows = [_bs_node(tree, node, income, prior, retained)[0] for node in BS_TREE]
    return _account_columns(cols), rows, not active and not any(income)


def _bs_node(
    tree: Tree,
    node: tuple[str, str, tuple[object, ...]],
    income: list[float],
    prior: list[float],
    retained: str | None,
) -> tuple[shape.Row, list[float], bool]:
    group, title, parts = node
    w = tree.width
    if all(isinstance(p, str) for p in parts):
        rows, total = tree.rows([str(p) for p in parts], _natural)
        if group == "Equity":
            rows = [r for r in rows if _row_id(r) != retained]
            own = [-v for v in tree.figures.get(retained or "", [0.0] * w)]
            earned = [a + b for a, b in zip(own, prior, strict=True)]
            label, ref = "Retained Earnings", retained
            if retained is not None:
                label = str(tree.accounts[retained].get("Name") or label)
            cells = [shape.cell(label, ref)] + [
                shape.cell(shape.money(v) if v else "") for v in earned
            ]
            rows.append(shape.data(cells))
            rows.append(shape.data(tree.cells("Net Income", income), "NetIncome"))
            base = (
                [t - o for t, o in zip(total, own, strict=True)]
                if retained in tree.figures
                else total
            )
            total = [b + e + n for b, e, n in zip(base, earned, income, strict=True)]
            shown = True
        else:
            shown = bool(rows)
    else:
        rows, total, shown = [], [0.0] * w, group.startswith("Total")
        for child in parts:
            row, sub, child_shown = _bs_node(tree, child, income, prior, retained)  # type: ignore[arg-type]
            if child_shown:
                rows.append(row)
                total = [a + b for a, b in zip(total, sub, strict=True)]
                shown = True
    label = title.upper() if group.startswith("Total") else title
    summary = tree.cells(f"TOTAL {label}" if group.startswith("Total") else f"Total {title}", total)
    return shape.section(tree.blank(title), rows, summary, group), total, shown


def _row_id(row: shape.Row) -> str | None:
    cells = row.get("ColData") or (row.get("Header") or {}).get("ColData") or [{}]
    found = cells[0].get("id")
    return str(found) if found is not None else None
