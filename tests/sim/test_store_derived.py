"""Property-based: the store's derived indexes (Id order, name order, the change log, the active
count) answer exactly what a scan of the tables answers, after random writes, deletes, rolled
back units, index rebuilds (persistence replay) and snapshot round trips; and the queries and CDC
that read them return what a brute-force evaluation of their documented meaning returns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbo_sim.api.cdc_routes import _collect
from qbo_sim.clock import Clock
from qbo_sim.query import run_query
from qbo_sim.query.validate import parse_datetime
from qbo_sim.store import Company, _id_order

CLOCK = Clock(frozen_at=datetime(2026, 3, 2, 17, tzinfo=UTC))
NAMES = ["Acme", "acme", " Acme ", "Bob", "bob", "Zed", "\u00e9clair", ""]
STAMPS = [
    "2026-03-01T09:00:00-08:00",
    "2026-03-01T17:00:00+00:00",  # the same instant as the first, another offset
    "2026-03-01T09:00:01-08:00",
    "2026-03-02T08:00:00-08:00",
    "2026-02-20T00:00:00+05:30",
]
#: instants the change log and ``LastUpdatedTime >`` queries are asked about.
SINCE = ["2026-03-01T09:00:00-08:00", "2026-03-01T09:00:00.5-08:00", "2026-02-01T00:00:00Z"]
#: stamps the change log cannot place; CDC's exact test decides (or fails) on them.
IRREGULAR = ["2026-03-01T09:00:00", "not a time", 7]

customer = st.fixed_dictionaries(
    {},
    optional={
        "DisplayName": st.sampled_from(NAMES),
        "Active": st.booleans(),
        "Balance": st.sampled_from([0, 1.5]),
        "_stamp": st.sampled_from([*STAMPS, None]),
    },
)
ids = st.sampled_from(["1", "2", "3", "5", "10", "11", "12", "20", "x", "y"])
write = st.one_of(
    st.tuples(st.just("put"), ids, customer),
    st.tuples(st.just("remove"), ids, st.none()),
)
step = st.one_of(
    st.tuples(st.just("unit"), st.lists(write, min_size=1, max_size=4)),
    st.tuples(st.just("rejected"), st.lists(write, min_size=1, max_size=4)),
    st.tuples(st.just("rebuild"), st.none()),
    st.tuples(st.just("roundtrip"), st.none()),
    st.tuples(st.just("warm"), st.none()),
)


def entity(entity_id: str, row: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in row.items() if k != "_stamp"}
    stamp = row.get("_stamp", STAMPS[0])
    meta = {"CreateTime": STAMPS[0]} if stamp is None else {"LastUpdatedTime": stamp}
    return {"Id": entity_id, "SyncToken": "0", "MetaData": meta, **body}


def apply(company: Company, writes: list[tuple[str, str, Any]]) -> None:
    for kind, entity_id, row in writes:
        if kind == "put":
            company.put("Customer", entity(entity_id, row))
        elif company.get("Customer", entity_id) is not None:
            company.remove("Customer", entity_id)


class Rejected(Exception):
    pass


def warm(company: Company) -> None:
    """Build every derived index, so later writes must keep them current."""
    for sql in QUERIES:
        run_query(company, sql, CLOCK)
    for since in SINCE:
        company.updated_since("Customer", datetime.fromisoformat(since))


def run(company: Company, steps: list[tuple[str, Any]]) -> Company:
    for kind, arg in steps:
        if kind in ("unit", "rejected"):
            try:
                with company.unit_of_work():
                    apply(company, arg)
                    if kind == "rejected":
                        raise Rejected
            except Rejected:
                pass
        elif kind == "rebuild":
            company.rebuild_indexes()
        elif kind == "roundtrip":
            company = Company.from_dict(company.to_dict())
        else:
            warm(company)
    return company


# --- brute force: the documented meaning, over a scan ------------------------------------
def active_rows(company: Company) -> list[dict[str, Any]]:
    rows = [e for e in company.all("Customer") if e.get("Active", True) is True]
    return sorted(rows, key=lambda e: _id_order(e["Id"]))


def by_name(rows: list[dict[str, Any]], desc: bool, ci: bool) -> list[dict[str, Any]]:
    def key(e: dict[str, Any]) -> tuple[Any, ...]:
        name = e.get("DisplayName")
        if name is None:
            return (0,)
        return (1, name.strip().casefold() if ci else name)

    return sorted(rows, key=key, reverse=desc)  # stable: Id order within equal names


def stamp_of(e: dict[str, Any]) -> Any:
    return e["MetaData"].get("LastUpdatedTime")


QUERIES = [
    "SELECT COUNT(*) FROM Customer",
    "SELECT * FROM Customer STARTPOSITION 2 MAXRESULTS 3",
    "SELECT * FROM Customer ORDERBY DisplayName STARTPOSITION 2 MAXRESULTS 4",
    "SELECT * FROM Customer ORDERBY DisplayName DESC MAXRESULTS 5",
    f"SELECT * FROM Customer WHERE MetaData.LastUpdatedTime > '{SINCE[0]}'",
    f"SELECT * FROM Customer WHERE MetaData.LastUpdatedTime >= '{SINCE[0]}'",
]


def expected(company: Company, sql: str, ci: bool) -> Any:
    rows = active_rows(company)
    if "COUNT" in sql:
        return len(rows)
    if "LastUpdatedTime" in sql:
        since = parse_datetime(SINCE[0], company.utc_offset_minutes)
        assert since is not None

        def newer(e: dict[str, Any]) -> bool:
            raw = stamp_of(e)
            at = parse_datetime(str(raw), company.utc_offset_minutes) if raw is not None else None
            return at is not None and (at > since if "> '" in sql else at >= since)

        return [e["Id"] for e in rows if newer(e)]
    if "ORDERBY" in sql:
        ordered = by_name(rows, "DESC" in sql, ci)
        return [e["Id"] for e in (ordered[1:5] if "STARTPOSITION" in sql else ordered[:5])]
    return [e["Id"] for e in rows[1:4]]


def answered(company: Company, sql: str) -> Any:
    result = run_query(company, sql, CLOCK)
    return result.total_count if "COUNT" in sql else [e["Id"] for e in result.rows]


def outcome(call: Any) -> Any:
    try:
        return ("ok", call())
    except Exception as error:  # CDC on an irregular stamp fails the same way either way
        return ("raised", type(error))


def cdc_ids(company: Company, since: datetime) -> list[str]:
    groups = _collect(company, ["Customer"], since, CLOCK.now())["CDCResponse"][0]["QueryResponse"]
    return [e["Id"] for group in groups for e in group.get("Customer", [])]


def check_against_scan(company: Company) -> None:
    table = company.entities["Customer"]
    assert [e["Id"] for e in company.in_table_order("Customer", table)] == list(table)
    assert list(company.id_order("Customer").ids()) == sorted(table, key=_id_order)
    for text in SINCE:
        since = datetime.fromisoformat(text)
        got = [e["Id"] for e in company.updated_since("Customer", since)]
        regular = [
            i
            for i, e in table.items()
            if isinstance(stamp_of(e), str)
            and stamp_of(e) not in IRREGULAR
            and datetime.fromisoformat(stamp_of(e)) >= since
        ]
        # irregular stamps are always handed over (the caller decides), in table order too
        assert [i for i in got if stamp_of(table[i]) not in IRREGULAR] == regular
        assert {i for i in got if stamp_of(table[i]) in IRREGULAR} == {
            i for i, e in table.items() if stamp_of(e) in IRREGULAR
        }
        assert outcome(lambda at=since: cdc_ids(company, at)) == outcome(
            lambda at=since: [
                e["Id"]
                for e in table.values()
                if isinstance(stamp_of(e), str) and datetime.fromisoformat(stamp_of(e)) >= at
            ]
        )
    for ci in (True, False):
        company.fidelity["query_case_insensitive_values"] = ci
        for sql in QUERIES:
            assert answered(company, sql) == expected(company, sql, ci), sql
    company.fidelity.pop("query_case_insensitive_values")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans(), st.lists(step, max_size=10))
def test_derived_indexes_answer_what_a_scan_answers(warm_first, steps):
    company = Company(realm_id="1", name="Derived Co")
    if warm_first:
        warm(company)
    company = run(company, steps)
    check_against_scan(company)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(ids, st.sampled_from(IRREGULAR)), min_size=1, max_size=3))
def test_irregular_stamps_reach_cdc_as_before(irregular):
    company = Company(realm_id="1", name="Odd Co")
    warm(company)
    with company.unit_of_work():
        apply(company, [("put", "1", {"_stamp": STAMPS[3]})])
        for entity_id, stamp in irregular:
            odd = {**entity(entity_id, {}), "MetaData": {"LastUpdatedTime": stamp}}
            company.put("Customer", odd)
    check_against_scan(company)


def test_a_rejected_write_leaves_no_trace_in_derived_indexes():
    company = Company(realm_id="1", name="Undo Co")
    with company.unit_of_work():
        apply(company, [("put", str(i), {"DisplayName": f"n{i}"}) for i in range(1, 6)])
    warm(company)
    early = datetime.fromisoformat(SINCE[2])
    before = {
        "ids": list(company.id_order("Customer").ids()),
        "count": answered(company, QUERIES[0]),
        "names": answered(company, QUERIES[3]),
        "log": [e["Id"] for e in company.updated_since("Customer", early)],
    }
    with pytest.raises(Rejected), company.unit_of_work():
        apply(company, [("remove", "3", None), ("put", "9", {"DisplayName": "a"})])
        apply(company, [("put", "1", {"DisplayName": "zz", "Active": False})])
        raise Rejected
    assert answered(company, QUERIES[0]) == before["count"] == 5
    assert answered(company, QUERIES[3]) == before["names"] == ["5", "4", "3", "2", "1"]
    assert list(company.id_order("Customer").ids()) == before["ids"]
    log = [e["Id"] for e in company.updated_since("Customer", early)]
    # the undone delete put Customer 3 back at the table's end: the log follows the table
    assert log == list(company.entities["Customer"]) == ["1", "2", "4", "5", "3"]
    assert sorted(log, key=int) == before["log"]
