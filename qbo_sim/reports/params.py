"""Report query parameters: dates, date macros, accounting method, filters, columns.

Sources in docs/research/reports.md: the parameter names and the ``date_macro`` values are
Intuit's (the Reports API reference, quoted in MicrosoftDocs/powerbi-docs#812); the defaults
(``This Fiscal Year-to-date``, quickbooks-ruby#432; ``today`` for the aging reports, the
captured AgedPayableDetail of quickbooks-ruby) are observed; the faults for bad values
(2070 for a date, 2170 for an enumeration, ``element`` = the parameter) are assumed.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from qbo_sim.faults import QBOFault

__all__ = ["METHODS", "SUMMARIZE", "Params", "macro_range", "parse"]

METHODS = {"accrual": "Accrual", "cash": "Cash"}
#: ``summarize_column_by`` values QBO documents for ProfitAndLoss and BalanceSheet.
SUMMARIZE = {
    v.lower(): v
    for v in (
        "Total",
        "Year",
        "Quarter",
        "Month",
        "Week",
        "Days",
        "Customers",
        "Vendors",
        "Employees",
        "Classes",
        "Departments",
        "ProductsAndServices",
    )
}
#: the filters a report may take: parameter → what it names (comma-separated Ids)
FILTERS = ("customer", "vendor", "class", "department", "account", "item")


@dataclass(frozen=True)
class Params:
    """What a report request asked for, resolved against the company's today."""

    start: date
    end: date
    #: the ``date_macro`` as the Header echoes it (lower case), or None for explicit dates
    macro: str | None
    method: str = "Accrual"
    summarize: str = "Total"
    filters: Mapping[str, frozenset[str]] = field(default_factory=dict)
    aging_period: int = 30
    num_periods: int = 4


def parse(
    args: Mapping[str, str],
    today: date,
    fiscal_month: int,
    *,
    default_macro: str,
    as_of: bool = False,
) -> Params:
    """``args`` (the query string) as :class:`Params`. ``as_of`` reports (the aging and
    balance reports) read ``report_date`` as their one date."""
    macro: str | None = None
    if as_of:
        raw = args.get("report_date") or args.get("end_date")
        if raw:
            end = _date(raw, "report_date" if args.get("report_date") else "end_date")
            start = end
        else:
            raw_macro = args.get("date_macro") or default_macro
            start, end = macro_range(raw_macro, today, fiscal_month, "date_macro")
            macro = raw_macro.lower()
    else:
        start_raw, end_raw = args.get("start_date"), args.get("end_date")
        if start_raw or end_raw:
            default_start, default_end = macro_range(default_macro, today, fiscal_month, "")
            start = _date(start_raw, "start_date") if start_raw else default_start
            end = _date(end_raw, "end_date") if end_raw else default_end
        else:
            raw_macro = args.get("date_macro") or default_macro
            start, end = macro_range(raw_macro, today, fiscal_month, "date_macro")
            macro = raw_macro.lower()
        if start > end:
            raise QBOFault("invalid_date", value=args.get("start_date", ""), element="start_date")
    method = _enum(args.get("accounting_method"), METHODS, "accounting_method", "Accrual")
    summarize = _enum(args.get("summarize_column_by"), SUMMARIZE, "summarize_column_by", "Total")
    filters = {
        name: frozenset(part.strip() for part in args[name].split(",") if part.strip())
        for name in FILTERS
        if args.get(name)
    }
    return Params(
        start,
        end,
        macro,
        method,
        summarize,
        filters,
        _positive(args.get("aging_period"), "aging_period", 30),
        _positive(args.get("num_periods"), "num_periods", 4),
    )


def _date(raw: str | None, name: str) -> date:
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise QBOFault("invalid_date", value=raw, element=name) from None


def _enum(raw: str | None, values: Mapping[str, str], name: str, default: str) -> str:
    if raw in (None, ""):
        return default
    found = values.get(str(raw).strip().lower())
    if found is None:
        raise QBOFault("invalid_enum", value=raw, element=name)
    return found


def _positive(raw: str | None, name: str, default: int) -> int:
    if raw in (None, ""):
        return default
    try:
        number = int(str(raw))
    except ValueError:
        raise QBOFault("invalid_number", value=raw, element=name) from None
    if number < 1:
        raise QBOFault("invalid_number", value=raw, element=name)
    return number


# --- date macros -------------------------------------------------------------------------
def _month_start(day: date, back: int = 0) -> date:
    month = day.month - 1 - back
    return date(day.year + month // 12, month % 12 + 1, 1)


def _month_end(start: date) -> date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _quarter_start(day: date, first_month: int) -> date:
    offset = (day.month - first_month) % 3
    return _month_start(day, offset)


def _year_start(day: date, first_month: int) -> date:
    year = day.year if day.month >= first_month else day.year - 1
    return date(year, first_month, 1)


def _add_months(start: date, months: int) -> date:
    return _month_start(start, -months)


def macro_range(macro: str, today: date, fiscal_month: int, element: str) -> tuple[date, date]:
    """``(start, end)`` of a ``date_macro`` (case-insensitive). Weeks start on Sunday; a
    "Last ...-to-date" range runs from the start of the last period to the same day in it
    (captured: ``last calendar year-to-date`` on 2016-03-09 is 2015-01-01 to 2015-03-09)."""
    key = macro.strip().lower()
    if key in ("all", ""):
        return date(1900, 1, 1), today
    if key == "today":
        return today, today
    if key == "yesterday":
        day = today - timedelta(days=1)
        return day, day
    week = today - timedelta(days=(today.weekday() + 1) % 7)
    periods: dict[str, tuple[date, int]] = {  # name → (period start, length in months)
        "month": (_month_start(today), 1),
        "fiscal quarter": (_quarter_start(today, fiscal_month), 3),
        "calendar quarter": (_quarter_start(today, 1), 3),
        "fiscal year": (_year_start(today, fiscal_month), 12),
        "calendar year": (_year_start(today, 1), 12),
    }
    if key == "next 4 weeks":
        return today, today + timedelta(days=27)
    for rel in ("this", "last", "next"):
        if not key.startswith(rel + " "):
            continue
        rest = key[len(rel) + 1 :]
        to_date = rest.endswith("-to-date")
        rest = rest.removesuffix("-to-date")
        if rest == "week":
            start = week + timedelta(days={"this": 0, "last": -7, "next": 7}[rel])
            if to_date and rel != "next":
                return start, today + (start - week)
            if not to_date:
                return start, start + timedelta(days=6)
        elif rest in periods:
            current, months = periods[rest]
            start = _add_months(current, {"this": 0, "last": -months, "next": months}[rel])
            if to_date and rel == "this":
                return start, today
            if to_date and rel == "last":
                return start, _shift_back(today, current, start)
            if not to_date:
                return start, _add_months(start, months) - timedelta(days=1)
    raise QBOFault("invalid_enum", value=macro, element=element or "date_macro")


def _shift_back(today: date, current: date, start: date) -> date:
    """The same day in the previous period (clipped to that period's month end)."""
    months = (current.year - start.year) * 12 + current.month - start.month
    target = _add_months(_month_start(today), -months)
    return min(
        today.replace(year=target.year, month=target.month, day=1) + timedelta(days=today.day - 1),
        _month_end(target),
    )
