"""Reports (``GET /v3/company/<realm>/reports/<Name>``) computed from the books.

ProfitAndLoss, BalanceSheet, AgedReceivables, AgedReceivableDetail, AgedPayables,
AgedPayableDetail, CustomerBalance, VendorBalance, TransactionList and GeneralLedger, in QBO's
report shape (:mod:`qbo_sim.reports.shape`), from the ledger behind ``Account.CurrentBalance``
(:mod:`qbo_sim.reports.books`) and the open balances behind ``Customer.Balance``
(:mod:`qbo_sim.reports.aging`). Sources and confidence: docs/research/reports.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qbo_sim.clock import local_date
from qbo_sim.entities import ref_target
from qbo_sim.faults import QBOFault
from qbo_sim.opcontext import OpContext
from qbo_sim.preferences import home_currency
from qbo_sim.reports import aging, financial, lists, shape
from qbo_sim.reports.params import Params, parse
from qbo_sim.rules.common import preference

__all__ = ["REPORTS", "ReportDef", "run"]

CUSTOMER = ref_target("CustomerRef") or ""
VENDOR = ref_target("VendorRef") or ""
MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()

Body = tuple[list[dict[str, object]], list[shape.Row], bool]
Runner = Callable[[OpContext, Params, int], Body]


@dataclass(frozen=True)
class ReportDef:
    name: str
    runner: Runner
    default_macro: str
    #: dated by one ``report_date`` (aging and balance reports) rather than a range
    as_of: bool = False
    #: Header fields this report carries (beyond Time, ReportName, Currency, Option)
    basis: bool = False
    summarize: bool = False
    period: bool = True
    #: the filter the Header echoes (``Customer``/``Vendor``) and its parameter
    party_filter: str | None = None
    gaap: bool = False


def _pl(ctx: OpContext, params: Params, fiscal: int) -> Body:
    return financial.profit_and_loss(ctx, params, fiscal)


def _bs(ctx: OpContext, params: Params, fiscal: int) -> Body:
    return financial.balance_sheet(ctx, params, fiscal)


def _aged(party_type: str, col: str, flt: str, detail: str | None = None) -> Runner:
    def run(ctx: OpContext, params: Params, fiscal: int) -> Body:
        items = aging.open_items(ctx, party_type, params, flt)
        if detail is not None:
            columns, rows = aging.aged_detail(items, params, col, detail)
        else:
            columns, rows = aging.aged_summary(items, params, col)
        return columns, rows, not items

    return run


def _balance(party_type: str, col: str, flt: str) -> Runner:
    def run(ctx: OpContext, params: Params, fiscal: int) -> Body:
        items = aging.open_items(ctx, party_type, params, flt)
        columns, rows = aging.balance_summary(items, col)
        return columns, rows, not items

    return run


def _txn_list(ctx: OpContext, params: Params, fiscal: int) -> Body:
    columns, rows = lists.transaction_list(ctx, params)
    return columns, rows, not rows


def _gl(ctx: OpContext, params: Params, fiscal: int) -> Body:
    columns, rows = lists.general_ledger(ctx, params)
    return columns, rows, not rows


FYTD = "This Fiscal Year-to-date"
REPORTS: dict[str, ReportDef] = {
    d.name.lower(): d
    for d in (
        ReportDef("ProfitAndLoss", _pl, FYTD, basis=True, summarize=True, gaap=True),
        ReportDef("BalanceSheet", _bs, FYTD, basis=True, summarize=True, gaap=True),
        ReportDef(
            "AgedReceivables",
            _aged(CUSTOMER, CUSTOMER, "customer"),
            "Today",
            as_of=True,
            party_filter="customer",
        ),
        ReportDef(
            "AgedReceivableDetail",
            _aged(CUSTOMER, CUSTOMER, "customer", "cust"),
            "Today",
            as_of=True,
            party_filter="customer",
        ),
        ReportDef(
            "AgedPayables",
            _aged(VENDOR, VENDOR, "vendor"),
            "Today",
            as_of=True,
            party_filter="vendor",
        ),
        ReportDef(
            "AgedPayableDetail",
            _aged(VENDOR, VENDOR, "vendor", "vend"),
            "Today",
            as_of=True,
            party_filter="vendor",
        ),
        ReportDef(
            "CustomerBalance",
            _balance(CUSTOMER, CUSTOMER, "customer"),
            "All",
            as_of=True,
            period=False,
            party_filter="customer",
        ),
        ReportDef(
            "VendorBalance",
            _balance(VENDOR, VENDOR, "vendor"),
            "All",
            as_of=True,
            period=False,
            party_filter="vendor",
        ),
        ReportDef("TransactionList", _txn_list, "This Month-to-date"),
        ReportDef("GeneralLedger", _gl, FYTD, basis=True),
    )
}


def fiscal_month(ctx: OpContext) -> int:
    """The first month of the fiscal year (``AccountingInfoPrefs.FirstMonthOfFiscalYear``,
    January when the company does not say)."""
    raw = preference(ctx, "AccountingInfoPrefs.FirstMonthOfFiscalYear")
    name = str(raw or "January").capitalize()
    return MONTH_NAMES.index(name) + 1 if name in MONTH_NAMES else 1


def run(
    ctx: OpContext, name: str, args: Mapping[str, str], now: datetime, path: str, url: str
) -> dict[str, Any]:
    """The report ``name`` (case-insensitive, assumed) as QBO's JSON body."""
    found = REPORTS.get(name.lower())
    if found is None:
        raise QBOFault("unknown_resource", path=path, url=url)
    offset = ctx.company.utc_offset_minutes
    fiscal = fiscal_month(ctx)
    params = parse(
        args, local_date(now, offset), fiscal, default_macro=found.default_macro, as_of=found.as_of
    )
    columns, rows, empty = found.runner(ctx, params, fiscal)
    currency = home_currency(
        {"CurrencyPrefs": {"HomeCurrency": preference(ctx, "CurrencyPrefs.HomeCurrency")}}
    )
    options: list[tuple[str, str]] = []
    if found.as_of:
        options.append(("report_date", params.end.isoformat()))
    if found.gaap:
        options.append(("AccountingStandard", "GAAP"))
    filters: dict[str, str] = {}
    if found.party_filter and params.filters.get(found.party_filter):
        key = found.party_filter.capitalize()
        filters[key] = ",".join(sorted(params.filters[found.party_filter]))
    dated = found.period and (params.macro is not None or not found.as_of)
    head = shape.header(
        found.name,
        now,
        offset,
        currency=currency,
        macro=params.macro,
        basis=params.method if found.basis else None,
        start=params.start.isoformat() if dated else None,
        end=params.end.isoformat() if found.period else None,
        summarize=params.summarize if found.summarize else None,
        options=options,
        no_data=empty,
        **filters,
    )
    return shape.report(head, columns, rows)
