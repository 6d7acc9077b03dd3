"""Tokenizer and parser units: positions, escapes, the tree, the cache."""

from __future__ import annotations

import pytest

from qbo_sim.faults import QBOFault
from qbo_sim.query import tokens as tk
from qbo_sim.query.ast import Condition, Literal, Select, SortKey
from qbo_sim.query.parser import parse


def kinds(text):
    return [(t.kind, t.image, t.line, t.column) for t in tk.tokenize(text)]


def test_tokens_carry_javacc_positions():
    assert kinds("SELECT *\n  FROM\tx") == [
        ("select", "SELECT", 1, 1),
        ("*", "*", 1, 8),
        ("from", "FROM", 2, 3),
        (tk.IDENTIFIER, "x", 2, 9),  # a tab advances to the next multiple of 8, plus one
        (tk.EOF, "", 2, 9),
    ]


def test_operators_numbers_and_dotted_identifiers():
    assert [t.kind for t in tk.tokenize("a<=1 b>=-2.5 c<>d MetaData.CreateTime")] == [
        tk.IDENTIFIER,
        "<=",
        tk.INTEGER,
        tk.IDENTIFIER,
        ">=",
        tk.DECIMAL,
        tk.IDENTIFIER,
        "<",
        ">",
        tk.IDENTIFIER,
        tk.IDENTIFIER,
        tk.EOF,
    ]
    assert tk.tokenize("MetaData.CreateTime")[0].image == "MetaData.CreateTime"


def test_string_escapes():
    token = tk.tokenize(r"'Adam\'s \\ Shop'")[0]
    assert token.kind == tk.STRING
    assert token.value == "Adam's \\ Shop"


def test_lexical_error_waits_for_the_parser():
    # the unterminated string at the end is never reached: the parse error comes first
    tokens = tk.tokenize("x 'a'b'")
    assert [t.kind for t in tokens] == [tk.IDENTIFIER, tk.STRING, tk.IDENTIFIER, tk.ERROR]


def test_java_escape():
    assert tk.java_escape("a'b\"c\\d\n\u2013") == "a\\'b\\\"c\\\\d\\n\\u2013"


def test_parse_tree():
    statement = (
        "select count(*) from Customer where DisplayName in ('a', 'b') and Balance >= 1.5 "
        "and Active = true and MetaData.CreateTime < CURRENT_DATE "
        "orderby DisplayName desc, Id startposition 3 maxresults 10"
    )

    def col(word, start=0):
        return statement.index(word, start) + 1

    a, b = Literal("string", "a", "'a'"), Literal("string", "b", "'b'")
    assert parse(statement) == Select(
        entity="Customer",
        count=True,
        where=(
            Condition("DisplayName", "IN", (a, b), 1, col("DisplayName")),
            Condition("Balance", ">=", (Literal("decimal", "1.5", "1.5"),), 1, col("Balance")),
            Condition("Active", "=", (Literal("boolean", True, "true"),), 1, col("Active")),
            Condition(
                "MetaData.CreateTime",
                "<",
                (Literal("current_date", "CURRENT_DATE", "CURRENT_DATE"),),
                1,
                col("MetaData"),
            ),
        ),
        order_by=(
            SortKey("DisplayName", True, 1, col("DisplayName", col("orderby"))),
            SortKey("Id", False, 1, col("Id start")),
        ),
        start_position=3,
        max_results=10,
    )


def test_order_by_as_two_words():
    assert parse("select * from Item order by Name").order_by == (SortKey("Name", False, 1, 29),)


def test_parse_results_are_cached_by_text():
    statement = "select * from Customer where DisplayName = 'cached'"
    assert parse(statement) is parse(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "select * from Customer maxresults 5 maxresults 6",
        "select * from Customer startposition 1 orderby Id",
        "select * from Customer iterator",
        "select * from Customer where x = 1 and",
        "select * from Customer where x in ()",
        "select * from Customer maxresults 1.5",
        "select count(* from Customer",
    ],
)
def test_syntax_errors_are_4000(statement):
    with pytest.raises(QBOFault) as caught:
        parse(statement)
    assert caught.value.code == "4000"
    assert caught.value.detail.startswith("QueryParserError: Encountered ")
