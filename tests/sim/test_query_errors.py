"""Exact 4000 / 4001 bodies, compared with the strings of reference §2.3 (observed) and with
qbo-sim's marked choices where QBO's wording is not captured."""

from __future__ import annotations

import pytest

from tests.sim.test_query_seed import seed_sample

TIME = "2026-03-02T09:00:00.000-08:00"
AFTER_CONDITION = (
    'Was expecting one of:\n    <EOF> \n    <AND> ...\n    "iterator" ...\n'
    '    "maxresults" ...\n    <OR> ...\n    "order" ...\n    "orderby" ...\n'
    '    "startposition" ...\n    '
)


@pytest.fixture
def company(sim, realm):
    sim.throttle.set_enabled(False)
    found = sim.company(realm)
    seed_sample(found)
    return found


def body_of(api, statement):
    res = api.get("query", query_string={"query": statement})
    assert res.status_code == 400
    assert res.content_type == "application/json;charset=UTF-8"
    return res.get_json()


def parse_fault(detail):
    """4000 as observed: no ``element`` key (node-quickbooks#56, pbrink231/...#1)."""
    return {
        "Fault": {
            "Error": [{"Message": "Error parsing query", "Detail": detail, "code": "4000"}],
            "type": "ValidationFault",
        },
        "time": TIME,
    }


def validation_fault(detail):
    """4001 as captured: no ``element`` (quickbooks-ruby spec/fixtures/query_validation_error.xml,
    a whole 2013 answer whose ``<Error code="4001">`` has no element attribute; tests/parity)."""
    return {
        "Fault": {
            "Error": [{"Message": "Invalid query", "Detail": detail, "code": "4001"}],
            "type": "ValidationFault",
        },
        "time": TIME,
    }


def test_unescaped_apostrophe_matches_node_quickbooks_56(api, company):
    # the statement node-quickbooks built for findVendors({DisplayName: "Cutlery 'R Us"})
    statement = "select * from vendor where DisplayName = 'Cutlery 'R Us'"
    assert body_of(api, statement) == parse_fault(
        'QueryParserError: Encountered " <IDENTIFIER> "R "" at line 1, column 52.\n'
        + AFTER_CONDITION
    )


def test_unescaped_apostrophe_matches_quickbooks_ruby_471(api, company):
    statement = "SELECT * FROM Vendor WHERE DisplayName = 'Aido's  LLC'"
    assert body_of(api, statement) == parse_fault(
        'QueryParserError: Encountered " <IDENTIFIER> "s "" at line 1, column 48.\n'
        + AFTER_CONDITION
    )


def test_or_is_rejected_by_the_parser(api, company):
    statement = "select * from Customer where Active = true OR Active = false"
    assert body_of(api, statement) == parse_fault(
        'QueryParserError: Encountered " <OR> "OR "" at line 1, column 44.\n' + AFTER_CONDITION
    )


def test_null_is_a_keyword_not_an_entity_name(api, company):
    # ExQuickBooks test/fixtures/api/query_error.json, a captured answer (tests/parity)
    assert body_of(api, "SELECT * FROM NULL") == parse_fault(
        'QueryParserError: Encountered " "null" "NULL "" at line 1, column 15.\n'
        "Was expecting:\n    <IDENTIFIER> ...\n    "
    )


def test_empty_statement_matches_consolibyte_129(api, company):
    assert body_of(api, "") == parse_fault(
        'QueryParserError: Encountered "<EOF>" at line 0, column 0.\n'
        'Was expecting:\n    "select" ...\n    '
    )


def test_en_dash_is_a_lexical_error(api, company):
    # PHP-SDK#397's statement; the column (37) and code point are observed
    statement = "select * from Item WHERE Name='Boot \u2013 Wolverine'"
    assert body_of(api, statement) == parse_fault(
        "QueryParserError: Invalid content. Lexical error at line 1, column 37.  "
        'Encountered: "\\u2013" (8211), after : "\\\'Boot "'
    )


def test_curly_apostrophe_matches_quickbooks_ruby_309(api, company):
    statement = "SELECT * FROM ITEM WHERE NAME LIKE '%Fleur\u2019t'"
    assert body_of(api, statement) == parse_fault(
        "QueryParserError: Invalid content. Lexical error at line 1, column 43.  "
        'Encountered: "\\u2019" (8217), after : "\\\'%Fleur"'
    )


def test_percent_outside_a_string_matches_double_encoding_report(api, company):
    # node-quickbooks-promise encoded "=" as %3D and the client encoded it again (%253D)
    statement = "select * from account where AccountSubType %3D %27Inventory%27"
    assert body_of(api, statement) == parse_fault(
        "QueryParserError: Invalid content. Lexical error at line 1, column 44.  "
        'Encountered: "%" (37), after : ""'
    )


def test_trailing_backslash_runs_the_string_to_eof(api, company):
    statement = (
        "select * from Customer where DisplayName = "
        "'Case preparation  b\\' STARTPOSITION 1 MAXRESULTS 20"
    )
    assert body_of(api, statement) == parse_fault(
        f"QueryParserError: Invalid content. Lexical error at line 1, column {len(statement)}."
        "  Encountered: <EOF> after : \"\\'Case preparation  b\\\\\\' STARTPOSITION 1 "
        'MAXRESULTS 20"'
    )


@pytest.mark.parametrize(
    ("statement", "detail"),
    [
        (
            "select Id from Customer",
            'Encountered " <IDENTIFIER> "Id "" at line 1, column 8.\n'
            'Was expecting one of:\n    "*" ...\n    "count" ...\n    ',
        ),
        (
            "select * from",
            'Encountered "<EOF>" at line 1, column 13.\nWas expecting:\n    <IDENTIFIER> ...\n    ',
        ),
        (
            "select * from Customer where DisplayName like 5",
            'Encountered " <INTEGER_LITERAL> "5 "" at line 1, column 47.\n'
            "Was expecting:\n    <STRING_LITERAL> ...\n    ",
        ),
        (
            "select * from Customer\nwhere Balance != 1",
            "Invalid content. Lexical error at line 2, column 15.  "
            'Encountered: "!" (33), after : ""',
        ),
    ],
)
def test_other_syntax_errors(api, company, statement, detail):
    assert body_of(api, statement) == parse_fault("QueryParserError: " + detail)


@pytest.mark.parametrize(
    ("statement", "detail"),
    [
        # observed (DotNET-SDK#163, quickbooks-ruby#403, public file, quickbooks-ruby#24)
        ("select * from Customer where AcctNum = '1'", "property 'AcctNum' is not queryable"),
        (
            "select * from Vendor where PrimaryEmailAddr = 'a@x.com'",
            "property 'PrimaryEmailAddr' is not queryable",
        ),
        (
            "select * from Invoice where DepartmentRef = '1'",
            "property 'DepartmentRef' is not queryable",
        ),
        (
            "select * from Invoice where AccountRef = '1'",
            "Property AccountRef not found for Entity",
        ),
        (
            "select * from Customer maxresults 1500",
            "value 1500 is too large. Max allowed value is 1000",
        ),
        # assumed wordings
        ("select * from Widget", "Entity Widget not found"),
        (
            "select * from Customer where Id > '1'",
            "operator '>' is not supported for property 'Id'",
        ),
        (
            "select * from Customer where Balance LIKE '1%'",
            "operator 'LIKE' is not supported for property 'Balance'",
        ),
        (
            "select * from Customer where Balance = 'lots'",
            "invalid value 'lots' for property 'Balance'",
        ),
        (
            "select * from Invoice where TxnDate > 'yesterday'",
            "invalid value 'yesterday' for property 'TxnDate'",
        ),
        ("select * from Customer orderby Notes", "property 'Notes' is not queryable"),
        ("select * from Customer maxresults 0", "value 0 is too small. Min allowed value is 1"),
    ],
)
def test_validation_errors(api, company, statement, detail):
    assert body_of(api, statement) == validation_fault("QueryValidationError: " + detail)


def test_start_position_zero_rejected_when_the_profile_says_so(api, company):
    company.fidelity["query_start_position_zero_as_one"] = False
    assert body_of(api, "select * from Customer startposition 0") == validation_fault(
        "QueryValidationError: value 0 is too small. Min allowed value is 1"
    )


def test_post_body_that_is_not_utf8(api, company):
    res = api.client.post(
        api.url("query"),
        data=b"select * from Customer where DisplayName = '\xff'",
        headers={**api.headers, "Content-Type": "application/text"},
    )
    assert res.status_code == 400
    assert res.get_json()["Fault"]["Error"][0]["code"] == "500"


def test_a_statement_too_long_is_a_4000_before_it_is_read(api, company):
    statement = "select * from Customer where DisplayName IN (" + ",".join(["'x'"] * 30_000) + ")"
    assert body_of(api, statement) == parse_fault(
        f"QueryParserError: Query is too long: {len(statement):,} characters. "
        "Max allowed length is 100,000"
    )
