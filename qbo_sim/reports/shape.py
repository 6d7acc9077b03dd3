"""QBO's report shape: ``Header`` (with ``Option``), ``Columns``, nested ``Rows``.

Sources (docs/research/reports.md): Intuit's API reference samples (BalanceSheet,
AgedReceivables, CustomerBalance, GeneralLedger, TransactionList) and the captured reports of
quickbooks-ruby's fixtures (``balancesheet.xml``, ``age_payable_detail.xml``). A row is
``{"ColData": [...], "type": "Data"}`` or a section ``{"Header", "Rows", "Summary", "type":
"Section", "group"}``; every figure is a string with two decimals (``"1201.00"``), an empty
cell ``""``. The XML document is ``<Report xmlns=...>`` itself (no ``IntuitResponse``), the
row's ``type`` and ``group`` attributes, each cell ``<ColData value="" id=""/>``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.sax.saxutils import quoteattr

from qbo_sim.clock import company_tz
from qbo_sim.xml import NAMESPACE, PROLOG

__all__ = ["Cell", "cell", "column", "data", "header", "money", "report", "section", "xml_report"]

Cell = dict[str, str]
Row = dict[str, Any]


def money(value: float | None) -> str:
    """A report figure: two decimals, ``-0.00`` written ``0.00``; None is the empty cell."""
    if value is None:
        return ""
    rounded = round(value + 0.0, 2)
    return f"{0.0 if rounded == 0 else rounded:.2f}"


def cell(value: str, ref_id: str | None = None) -> Cell:
    out = {"value": value}
    if ref_id is not None:
        out["id"] = ref_id
    return out


def data(cells: list[Cell], group: str | None = None) -> Row:
    row: Row = {"ColData": cells, "type": "Data"}
    if group:
        row["group"] = group
    return row


def section(
    header: list[Cell] | None,
    rows: list[Row] | None,
    summary: list[Cell] | None,
    group: str | None = None,
) -> Row:
    row: Row = {}
    if header is not None:
        row["Header"] = {"ColData": header}
    if rows is not None:
        row["Rows"] = {"Row": rows} if rows else {}
    if summary is not None:
        row["Summary"] = {"ColData": summary}
    row["type"] = "Section"
    if group:
        row["group"] = group
    return row


def column(title: str, col_type: str, key: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"ColTitle": title, "ColType": col_type}
    if key is not None:
        out["MetaData"] = [{"Name": "ColKey", "Value": key}]
    return out


def header(
    name: str,
    instant: datetime,
    offset_minutes: int,
    *,
    currency: str,
    macro: str | None = None,
    basis: str | None = None,
    start: str | None = None,
    end: str | None = None,
    summarize: str | None = None,
    options: list[tuple[str, str]] = (),  # type: ignore[assignment]
    no_data: bool = False,
    **filters: str,
) -> dict[str, Any]:
    """The Header in the order of the captured reports: Time, ReportName, DateMacro,
    ReportBasis, StartPeriod, EndPeriod, SummarizeColumnsBy, Currency, the filters
    (``Customer``...), Option (the report's own, then ``NoReportData``)."""
    out: dict[str, Any] = {
        "Time": instant.astimezone(company_tz(offset_minutes)).isoformat(timespec="seconds"),
        "ReportName": name,
    }
    for key, value in (
        ("DateMacro", macro),
        ("ReportBasis", basis),
        ("StartPeriod", start),
        ("EndPeriod", end),
        ("SummarizeColumnsBy", summarize),
        ("Currency", currency),
    ):
        if value is not None:
            out[key] = value
    out.update({k: v for k, v in filters.items() if v})
    pairs = [*options, ("NoReportData", "true" if no_data else "false")]
    out["Option"] = [{"Name": k, "Value": v} for k, v in pairs]
    return out


def report(head: dict[str, Any], columns: list[dict[str, Any]], rows: list[Row]) -> dict[str, Any]:
    return {"Header": head, "Columns": {"Column": columns}, "Rows": {"Row": rows} if rows else {}}


# --- XML -----------------------------------------------------------------------------------
def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _coldata(cells: list[Cell]) -> str:
    return "".join(
        "<ColData" + "".join(f" {k}={quoteattr(c[k])}" for k in ("value", "id") if k in c) + "/>"
        for c in cells
    )


def _cells(tag: str, cells: list[Cell]) -> str:
    return f"<{tag}>{_coldata(cells)}</{tag}>"


def _row(row: Row) -> str:
    attrs = "".join(f" {k}={quoteattr(row[k])}" for k in ("type", "group") if k in row)
    parts = []
    if "Header" in row:
        parts.append(_cells("Header", row["Header"]["ColData"]))
    if "ColData" in row:
        parts.append(_coldata(row["ColData"]))
    if "Rows" in row:
        parts.append(_rows(row["Rows"]))
    if "Summary" in row:
        parts.append(_cells("Summary", row["Summary"]["ColData"]))
    return f"<Row{attrs}>{''.join(parts)}</Row>"


def _rows(rows: dict[str, Any]) -> str:
    return "<Rows>" + "".join(_row(r) for r in rows.get("Row", [])) + "</Rows>"


def xml_report(body: dict[str, Any]) -> str:
    """The XML document of a report body (the captured reports' element order)."""
    head = []
    for key, value in body["Header"].items():
        if key == "Option":
            head += [
                f"<Option><Name>{_esc(o['Name'])}</Name><Value>{_esc(o['Value'])}</Value></Option>"
                for o in value
            ]
        else:
            head.append(f"<{key}>{_esc(str(value))}</{key}>")
    columns = []
    for col in body["Columns"]["Column"]:
        meta = "".join(
            f"<MetaData><Name>{_esc(m['Name'])}</Name><Value>{_esc(m['Value'])}</Value></MetaData>"
            for m in col.get("MetaData", [])
        )
        title = (
            f"<ColTitle>{_esc(col['ColTitle'])}</ColTitle>" if col["ColTitle"] else "<ColTitle/>"
        )
        columns.append(f"<Column>{title}<ColType>{_esc(col['ColType'])}</ColType>{meta}</Column>")
    return (
        f"{PROLOG}<Report xmlns={quoteattr(NAMESPACE)}><Header>{''.join(head)}</Header>"
        f"<Columns>{''.join(columns)}</Columns>{_rows(body['Rows'])}</Report>"
    )
