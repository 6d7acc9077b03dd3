"""Property-based: for random customers and random WHERE clauses, parse → validate → execute
returns exactly what a straightforward Python filter over the same data returns. Also: indexed
lookups never scan the entity table."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbo_sim.clock import Clock
from qbo_sim.query import run_query
from qbo_sim.store import Company
from tests.sim.test_query_seed import put

CLOCK = Clock(frozen_at=datetime(2026, 3, 2, 17, tzinfo=UTC))
NAMES = ["Acme", "acme", "ACME co", "Bob's", "b\\x", "Zed", "zeta", "  Acme ", "O'Neil"]
#: stored names may hold any text; query values are ASCII (anything else is a lexical error).
STORED = [*NAMES, "\u00c9ric", "\u00e9clair"]

customer = st.fixed_dictionaries(
    {"DisplayName": st.sampled_from(STORED) | st.text("abAB '%_\\", max_size=6)},
    optional={
        "CompanyName": st.sampled_from(STORED),
        "Balance": st.integers(-2, 2) | st.sampled_from([0.5, -2.5]),
        "Active": st.booleans(),
    },
)

text_ops = st.sampled_from(["=", "<", ">", "<=", ">=", "IN", "LIKE"])
number_ops = st.sampled_from(["=", "<", ">", "<=", ">=", "IN"])


def quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@st.composite
def condition(draw):
    prop = draw(st.sampled_from(["DisplayName", "CompanyName", "Balance", "Active", "Id"]))
    if prop in ("DisplayName", "CompanyName"):
        op = draw(text_ops)
        value = draw(st.sampled_from(NAMES) | st.text("abAB '\\", min_size=1, max_size=4))
        if op == "LIKE":
            parts = draw(st.sampled_from([("%", ""), ("", "%"), ("%", "%"), ("", "")]))
            pattern = parts[0] + value.strip() + parts[1]
            return prop, op, [pattern], f"{prop} LIKE {quote(pattern)}"
        values = [value] if op != "IN" else [value, draw(st.sampled_from(NAMES))]
    elif prop == "Balance":
        op = draw(number_ops)
        values = draw(st.lists(st.integers(-2, 2) | st.just(0.5), min_size=1, max_size=2))
        values = values[:1] if op != "IN" else values
    elif prop == "Active":
        op = draw(st.sampled_from(["=", "IN"]))
        values = [True] if op == "=" else draw(st.sampled_from([[True], [False], [True, False]]))
        values = [draw(st.booleans())] if op == "=" else values
    else:
        op = draw(st.sampled_from(["=", "IN"]))
        values = draw(st.lists(st.integers(1, 8), min_size=1, max_size=3))
        values = values[:1] if op == "=" else values
    rendered = [
        quote(v) if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)
        for v in values
    ]
    text = f"({', '.join(rendered)})" if op == "IN" else rendered[0]
    return prop, op, values, f"{prop} {op} {text}"


#: one space in quotes: Null, not a value (reference §4.2)
NULL_MARKER = " "


def norm(value: str) -> str:
    return value.strip().casefold()


def holds(row: dict, prop: str, op: str, values: list) -> bool:
    """The documented semantics, written plainly."""
    raw = row.get(prop)
    if prop == "Active" and raw is None:
        raw = True
    if op == "=" and values == [NULL_MARKER]:  # `= ' '` is how the language writes Null (§4.2)
        return raw is None or norm(raw) == ""
    if raw is None:
        return False
    if prop == "Id":
        return int(raw) in values
    if isinstance(raw, str):
        raw = norm(raw)
        if op == "LIKE":
            regex = ".*".join(re.escape(part) for part in values[0].casefold().split("%"))
            return re.fullmatch(regex, raw, re.DOTALL) is not None
        values = [norm(v) for v in values]
    if op == "IN":
        return raw in values
    value = values[0]
    return {
        "=": raw == value,
        "<": raw < value,
        ">": raw > value,
        "<=": raw <= value,
        ">=": raw >= value,
    }[op]


def fresh_company(rows: list[dict]) -> Company:
    company = Company(realm_id="1", name="Property Co")
    put(company, "Customer", [{"Id": str(i), **row} for i, row in enumerate(rows, start=1)])
    return company


def check(rows: list[dict], conditions: list[tuple]) -> None:
    company = fresh_company([dict(r) for r in rows])
    statement = "SELECT * FROM Customer WHERE " + " AND ".join(c[3] for c in conditions)
    result = run_query(company, statement + " MAXRESULTS 1000", CLOCK)
    filters_active = any(c[0] == "Active" for c in conditions)
    expected = [
        str(i)
        for i, row in enumerate(rows, start=1)
        if all(holds({**row, "Id": str(i)}, c[0], c[1], c[2]) for c in conditions)
        and (filters_active or row.get("Active", True))
    ]
    assert [r["Id"] for r in result.rows] == expected
    count = run_query(company, statement.replace("*", "COUNT(*)", 1), CLOCK)
    assert count.body() == {"totalCount": len(expected)}


PROPERTY = settings(
    max_examples=250, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY
@given(st.lists(customer, max_size=12), condition())
def test_one_condition_agrees_with_a_python_filter(rows, cond):
    check(rows, [cond])


@PROPERTY
@given(st.lists(customer, max_size=12), st.lists(condition(), min_size=2, max_size=3))
def test_and_of_conditions_agrees_with_a_python_filter(rows, conditions):
    check(rows, conditions)


@settings(max_examples=100, deadline=None, database=None)
@given(st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12))
def test_any_printable_ascii_value_round_trips_through_escaping(value):
    company = fresh_company([{"DisplayName": value + "x"}])
    statement = f"select * from Customer where DisplayName = {quote(value + 'x')}"
    assert [r["Id"] for r in run_query(company, statement, CLOCK).rows] == ["1"]


@pytest.mark.parametrize(
    "where",
    [
        "DisplayName = 'customer 00042'",
        "DisplayName IN ('Customer 00007', 'customer 00008')",
        "Id = '42'",
        "Id IN ('1', '2', '3')",
        "ParentRef = '5'",
    ],
)
def test_indexed_lookups_do_not_scan(monkeypatch, where):
    rows = [{"DisplayName": f"Customer {i:05d}"} for i in range(1, 201)]
    rows[9]["ParentRef"] = {"value": "5"}
    company = fresh_company(rows)

    def no_scan(type_name):
        raise AssertionError(f"scanned every {type_name}")

    monkeypatch.setattr(company, "all", no_scan)
    monkeypatch.setattr(company, "id_order", no_scan)  # a walk over every Id is a scan too
    result = run_query(company, f"select * from Customer where {where}", CLOCK)
    assert result.rows
    invoice = run_query(company, "select * from Invoice where CustomerRef = '3'", CLOCK)
    assert invoice.rows == []
    with pytest.raises(AssertionError, match="scanned"):
        run_query(company, "select * from Customer where DisplayName LIKE 'c%'", CLOCK)
