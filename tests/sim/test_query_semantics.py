"""Query semantics over HTTP: every operator on every value type, IN, LIKE, ordering, paging,
COUNT, inactive list objects, CompanyInfo/Preferences, and GET vs POST."""

from __future__ import annotations

import pytest

from tests.sim.test_query_seed import put, seed_sample

ALL = "Active IN (true, false)"
UPDATED = "MetaData.LastUpdatedTime"


@pytest.fixture
def company(sim, realm):
    sim.throttle.set_enabled(False)
    found = sim.company(realm)
    seed_sample(found)
    return found


def run(api, statement):
    res = api.get("query", query_string={"query": statement})
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_json()["QueryResponse"]


def ids(api, statement):
    body = run(api, statement)
    entity = next((k for k in body if k not in ("startPosition", "maxResults")), None)
    return [row["Id"] for row in body[entity]] if entity else []


CASES = [
    # strings (case-insensitive by default)
    ("Customer WHERE DisplayName = 'ALPHA plumbing'", ["1"]),
    ("Customer WHERE DisplayName < 'c'", ["1", "2"]),
    ("Customer WHERE DisplayName > 'c'", ["4"]),
    ("Customer WHERE DisplayName <= 'BETA builders'", ["1", "2"]),
    ("Customer WHERE DisplayName >= 'delta'", ["4"]),
    ("Customer WHERE DisplayName IN ('gamma', 'DELTA', 'nobody')", ["4"]),
    ("Customer WHERE DisplayName LIKE 'alpha%'", ["1"]),
    ("Customer WHERE DisplayName LIKE '%BUILDERS'", ["2"]),
    ("Customer WHERE DisplayName LIKE '%et%'", ["2"]),
    ("Customer WHERE DisplayName LIKE 'a_pha%'", []),
    ("Customer WHERE CompanyName = 'alpha'", ["1"]),
    ("Customer WHERE PrimaryEmailAddr = 'A@X.COM'", ["1"]),
    ("Customer WHERE PrimaryEmailAddr LIKE '%@x.com'", ["1"]),
    # numbers
    ("Customer WHERE Balance = 10.5", ["1"]),
    ("Customer WHERE Balance = '10.50'", ["1"]),
    ("Customer WHERE Balance < 1", ["2", "4"]),
    ("Customer WHERE Balance > 10.5", []),
    (f"Customer WHERE Balance > 10.5 AND {ALL}", ["3"]),
    ("Customer WHERE Balance <= 0", ["2", "4"]),
    ("Customer WHERE Balance >= -5 AND Balance < 10", ["2", "4"]),
    ("Customer WHERE Balance IN (0, 250, 10.5)", ["1", "2"]),
    ("Invoice WHERE TotalAmt > 100", ["11"]),
    # booleans (a list object without Active is active)
    ("Customer WHERE Active = true", ["1", "2", "4"]),
    ("Customer WHERE Active = false", ["3"]),
    ("Customer WHERE Active = 'FALSE'", ["3"]),
    ("Customer WHERE Active < true", ["3"]),
    ("Customer WHERE Active > false", ["1", "2", "4"]),
    ("Customer WHERE Active <= false", ["3"]),
    ("Customer WHERE Active >= true", ["1", "2", "4"]),
    (f"Customer WHERE {ALL}", ["1", "2", "3", "4"]),
    ("Customer WHERE Job = true", ["2"]),
    # dates (CURRENT_DATE is the company's date on the simulated clock: 2026-03-02)
    ("Invoice WHERE TxnDate = '2026-03-01'", ["11"]),
    ("Invoice WHERE TxnDate < '2026-03-01'", ["10"]),
    ("Invoice WHERE TxnDate > '2026-03-01'", ["12"]),
    ("Invoice WHERE TxnDate <= '2026-03-01'", ["10", "11"]),
    ("Invoice WHERE TxnDate >= '2026-03-01'", ["11", "12"]),
    ("Invoice WHERE TxnDate IN ('2026-02-27', '2026-03-02')", ["10", "12"]),
    ("Invoice WHERE TxnDate = CURRENT_DATE", ["12"]),
    ("Invoice WHERE TxnDate < CURRENT_DATE", ["10", "11"]),
    # date-times compare as instants, whatever their offsets
    (f"Customer WHERE {UPDATED} = '2026-03-01T17:00:00-08:00' AND {ALL}", ["2", "3"]),
    (f"Customer WHERE {UPDATED} > '2026-03-01T10:00:00-08:00' AND {ALL}", ["2", "3"]),
    (f"Customer WHERE {UPDATED} < '2026-03-01' AND {ALL}", ["4"]),
    (f"Customer WHERE {UPDATED} <= '2026-03-01T18:00:00-05:00' AND {ALL}", ["1", "4"]),
    (f"Customer WHERE {UPDATED} >= '2026-03-01T16:00:00-09:00' AND {ALL}", ["2", "3"]),
    (f"Customer WHERE {UPDATED} IN ('2026-03-01T18:00:00Z') AND {ALL}", ["1"]),
    (f"Customer WHERE {UPDATED} < CURRENT_DATE AND {ALL}", ["1", "2", "3", "4"]),
    ("Customer WHERE MetaData.CreateTime >= '2026-03-01T09:00:00-08:00'", ["1", "2", "4"]),
    # references compare on their value
    ("Invoice WHERE CustomerRef = '1'", ["10", "12"]),
    ("Invoice WHERE CustomerRef = 1", ["10", "12"]),
    ("Invoice WHERE CustomerRef IN ('2', '99')", ["11"]),
    ("Invoice WHERE CustomerRef > '1'", ["11"]),
    ("Invoice WHERE CustomerRef < '2'", ["10", "12"]),
    ("Invoice WHERE CustomerRef <= '1'", ["10", "12"]),
    ("Invoice WHERE CustomerRef >= '2'", ["11"]),
    ("Customer WHERE ParentRef = '1'", ["2"]),
    # Id and DocNumber
    ("Customer WHERE Id = '2'", ["2"]),
    ("Customer WHERE Id = 2", ["2"]),
    ("Customer WHERE Id = '3'", []),
    (f"Customer WHERE Id = '3' AND {ALL}", ["3"]),
    ("Customer WHERE Id IN ('4', '1', '77')", ["1", "4"]),
    ("Invoice WHERE DocNumber = 'a-7'", ["12"]),
    ("Invoice WHERE DocNumber IN ('1001', '1002') AND CustomerRef = '2'", ["11"]),
    # keywords, entity and property names in any case
    ("customer where displayname = 'gamma' and ACTIVE = FALSE", ["3"]),
]


@pytest.mark.parametrize(("tail", "expected"), CASES)
def test_where_operators_by_type(api, company, tail, expected):
    assert ids(api, f"SELECT * FROM {tail}") == expected


def test_ordering_and_default_id_order(api, company):
    assert ids(api, "select * from Customer") == ["1", "2", "4"]
    assert ids(api, "select * from Customer ORDERBY DisplayName") == ["1", "2", "4"]
    assert ids(api, "select * from Customer ORDERBY DisplayName DESC") == ["4", "2", "1"]
    assert ids(api, "select * from Customer order by Balance desc") == ["1", "2", "4"]
    assert ids(api, f"select * from Customer where {ALL} orderby Active, Balance DESC") == [
        "3",
        "1",
        "2",
        "4",
    ]
    assert ids(api, "select * from Invoice orderby TxnDate desc") == ["12", "11", "10"]
    assert ids(api, f"select * from Customer where {ALL} orderby MetaData.LastUpdatedTime") == [
        "4",
        "1",
        "2",
        "3",
    ]


def test_ids_order_numerically(api, sim, realm):
    sim.throttle.set_enabled(False)
    rows = [{"Id": str(i), "DisplayName": f"c{i}"} for i in (10, 9, 100)]
    put(sim.company(realm), "Customer", rows)
    assert ids(api, "select * from Customer") == ["9", "10", "100"]
    assert ids(api, "select * from Customer orderby Id desc") == ["100", "10", "9"]


def test_page_reports_start_and_rows_returned(api, company):
    body = run(api, "select * from Customer STARTPOSITION 2 MAXRESULTS 5")
    assert [r["Id"] for r in body["Customer"]] == ["2", "4"]
    assert (body["startPosition"], body["maxResults"]) == (2, 2)
    assert list(body) == ["Customer", "startPosition", "maxResults"]


def test_start_position_beyond_the_end_is_empty(api, company):
    res = api.get("query", query_string={"query": "select * from Customer startposition 4"})
    assert res.get_json() == {"QueryResponse": {}, "time": "2026-03-02T09:00:00.000-08:00"}


def test_start_position_zero_is_one(api, company):
    body = run(api, "select * from Customer startposition 0 maxresults 1")
    assert [r["Id"] for r in body["Customer"]] == ["1"]
    assert body["startPosition"] == 1


def test_maxresults_either_side_of_startposition(api, company):
    assert ids(api, "select * from Customer maxresults 1 startposition 3") == ["4"]


def test_default_page_is_100_and_1000_is_allowed(api, sim, realm):
    sim.throttle.set_enabled(False)
    rows = [{"Id": str(i), "DisplayName": f"Customer {i:04d}"} for i in range(1, 1102)]
    put(sim.company(realm), "Customer", rows)
    assert len(ids(api, "select * from Customer")) == 100
    page = run(api, "select * from Customer startposition 101 maxresults 1000")
    assert page["maxResults"] == 1000
    assert page["Customer"][0]["Id"] == "101"
    assert len(ids(api, "select * from Customer startposition 1001 maxresults 1000")) == 101


def test_count_returns_only_total_count(api, company):
    assert run(api, "SELECT COUNT(*) FROM Customer") == {"totalCount": 3}
    assert run(api, f"select count(*) from Customer where {ALL}") == {"totalCount": 4}
    assert run(api, "select count(*) from Customer where Active = false") == {"totalCount": 1}
    assert run(api, "select count(*) from Invoice where CustomerRef = '1' maxresults 1") == {
        "totalCount": 2
    }
    assert run(api, "select count(*) from Bill") == {"totalCount": 0}


def test_no_rows_is_an_empty_query_response(api, company):
    assert run(api, "select * from Customer where DisplayName = 'nobody'") == {}
    assert run(api, "select * from Bill") == {}


def test_inactive_list_objects(api, company, sim, realm):
    put(
        sim.company(realm),
        "Item",
        [
            {"Id": "1", "Name": "Labor", "Active": True, "Type": "Service"},
            {"Id": "2", "Name": "Old part", "Active": False, "Type": "NonInventory"},
        ],
    )
    assert ids(api, "select * from Item") == ["1"]
    assert ids(api, "select * from Item where Active = false") == ["2"]
    assert ids(api, "select * from Item where Active IN (true, false)") == ["1", "2"]
    assert ids(api, "select * from Item where Name = 'old part'") == []
    # transactions have no Active: nothing is hidden
    assert ids(api, "select * from Invoice") == ["10", "11", "12"]


def test_company_info_and_preferences_are_queryable(api, company, realm):
    info = run(api, "select * from CompanyInfo")
    assert info["CompanyInfo"][0]["CompanyName"] == "Sandbox Company_US_1"
    assert info["maxResults"] == 1
    prefs = run(api, "SELECT * FROM Preferences")
    assert "SalesFormsPrefs" in prefs["Preferences"][0]


def test_case_sensitive_values_when_the_profile_says_so(api, company):
    company.fidelity["query_case_insensitive_values"] = False
    assert ids(api, "select * from Customer where DisplayName = 'alpha plumbing'") == []
    assert ids(api, "select * from Customer where DisplayName = 'Alpha Plumbing'") == ["1"]
    assert ids(api, "select * from Customer where DisplayName LIKE 'alpha%'") == []
    assert ids(api, "select * from Customer where DisplayName LIKE 'Alpha%'") == ["1"]


def test_escaped_apostrophe_and_null_marker(api, company, sim, realm):
    put(
        sim.company(realm),
        "Customer",
        [{"Id": "5", "DisplayName": "Cutlery 'R Us", "CompanyName": "Cutlery"}],
    )
    assert ids(api, r"select * from Customer where DisplayName = 'Cutlery \'R Us'") == ["5"]
    # ' ' is how the query language writes Null: objects without the property
    assert ids(api, "select * from Customer where CompanyName = ' '") == ["2", "4"]


STATEMENTS = [
    "select * from Customer where DisplayName LIKE '%a%' orderby DisplayName",
    "select count(*) from Invoice",
    "select * from Customer where DisplayName = 'Cutlery 'R Us'",
    "select * from Customer where AcctNum = '1'",
    "select * from Customer maxresults 1500",
]


@pytest.mark.parametrize("statement", STATEMENTS)
def test_get_and_post_answer_identically(api, company, statement):
    got = api.get("query", query_string={"query": statement})
    posted = api.client.post(
        api.url("query"),
        data=statement.encode(),
        headers={**api.headers, "Content-Type": "application/text"},
    )
    assert (posted.status_code, posted.get_data()) == (got.status_code, got.get_data())
    assert posted.content_type == got.content_type == "application/json;charset=UTF-8"


def test_like_with_many_wildcards_is_linear_not_backtracking(api, sim, realm):
    """Issue 13: ``'%%%%%%%%a'`` took seconds and 12 ``%`` never finished (a ``.*.*...a``
    regex backtracking exponentially over a value without the final ``a``)."""
    sim.throttle.set_enabled(False)
    put(sim.company(realm), "Customer", [{"Id": "1", "DisplayName": "b" * 5000}])
    put(sim.company(realm), "Customer", [{"Id": "2", "DisplayName": "b" * 4999 + "A"}])
    for pattern in ("%" * 12 + "a", "%b%" * 20 + "a", "%" + "b%" * 40 + "a%"):
        assert ids(api, f"select * from Customer where DisplayName like '{pattern}'") == ["2"]


@pytest.mark.parametrize(
    ("pattern", "matching"),
    [
        ("a%%b", ["ab", "axxb"]),
        ("%%", ["", "ab", "axxb", "ba", "aba", "a"]),
        ("%a%a%", ["aba"]),
        ("a%a", ["aba"]),
        ("ab", ["ab"]),
        ("b%", ["ba"]),
        ("%b", ["ab", "axxb"]),
    ],
)
def test_like_segments_match_in_order(pattern, matching):
    from qbo_sim.query.validate import like_pattern

    values = ["", "ab", "axxb", "ba", "aba", "a"]
    assert [v for v in values if like_pattern(pattern, True).matches(v)] == matching


@pytest.mark.parametrize("count", [1000, 3000])
def test_a_thousand_anded_conditions_are_answered(api, company, count):
    """Issue 13: 1,000 ANDed conditions overflowed the recursion limit (800 worked)."""
    where = " and ".join(["DisplayName LIKE '%'"] * (count - 1) + ["Id = '1'"])
    assert ids(api, f"select * from Customer where {where}") == ["1"]
