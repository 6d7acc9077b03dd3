"""Phase 2: tokens → :class:`~qbo_sim.query.ast.Select`, or 4000 ``QueryParserError``.

Grammar (reference §4.2; ``ORDER BY`` as two words, ``ITERATOR`` and ``OR`` are tokens QBO's
parser knows, per the observed expected-token list):

    statement := "select" ("*" | "count" "(" "*" ")") "from" IDENTIFIER
                 ["where" condition (AND condition)*]
                 [("orderby" | "order" "by") key ("," key)*]
                 ["startposition" INTEGER] ["maxresults" INTEGER]   (either order)  EOF
    condition := IDENTIFIER (("=" | "<" | ">" | "<=" | ">=") value
                             | "in" "(" value ("," value)* ")" | "like" STRING)
    key       := IDENTIFIER ["asc" | "desc"]
    value     := STRING | INTEGER | DECIMAL | "true" | "false" | "current_date"

A syntax error renders like JavaCC's ``ParseException`` (observed, node-quickbooks#56):
``Encountered " <IDENTIFIER> "R "" at line 1, column 52.\\nWas expecting one of:\\n    <EOF> \\n
    <AND> ...\\n ...``. The expected list after a condition is the observed one; the lists of
other states are assumed, built the same way. ``OR`` and ``ITERATOR`` are rejected as unexpected
tokens (assumed: QBO rejects OR with 4000 but its exact detail is not captured). A statement
longer than :data:`MAX_STATEMENT_LENGTH` characters is refused with 4000 before it is read
(limit and wording assumed).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NoReturn

from qbo_sim.faults import QBOFault
from qbo_sim.query import tokens as tk
from qbo_sim.query.ast import Condition, Literal, Operator, Select, SortKey
from qbo_sim.query.tokens import Token

VALUE_KINDS = (tk.STRING, tk.INTEGER, tk.DECIMAL, "true", "false", "current_date")
COMPARISONS = ("=", "<", ">", "<=", ">=")
PAGING = ("startposition", "maxresults")
#: Tokens the grammar lists but QBO does not support: always an unexpected token.
UNSUPPORTED = (tk.OR, "iterator")


def parse_error_detail(token: Token, expected: Iterable[str]) -> str:
    """JavaCC ``ParseException.getMessage()`` for one unexpected token."""
    kinds = sorted(set(expected), key=tk.KIND_ORDER.__getitem__)
    if token.kind == tk.EOF:
        encountered = tk.KIND_IMAGES[tk.EOF]
    else:
        encountered = f' {tk.KIND_IMAGES[token.kind]} "{tk.java_escape(token.image)} "'
    lines = [f'Encountered "{encountered}" at line {token.line}, column {token.column}.']
    lines.append("Was expecting:" if len(kinds) == 1 else "Was expecting one of:")
    body = "".join(f"    {tk.KIND_IMAGES[k]} {'' if k == tk.EOF else '...'}\n" for k in kinds)
    return "\n".join(lines) + "\n" + body + "    "


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> Token:
        token = self.tokens[self.i]
        if token.kind == tk.ERROR:  # the lexer only fails where the parser reads
            raise QBOFault("query_parse", detail=token.value)
        return token

    def fail(self, expected: Iterable[str]) -> NoReturn:
        raise QBOFault("query_parse", detail=parse_error_detail(self.peek(), expected))

    def take(self, *kinds: str) -> Token:
        token = self.peek()
        if token.kind not in kinds:
            self.fail(kinds)
        self.i += 1
        return token

    def at(self, *kinds: str) -> bool:
        return self.peek().kind in kinds

    # --- productions -------------------------------------------------------------------
    def statement(self) -> Select:
        self.take("select")
        count = False
        if self.at("count"):
            self.i += 1
            self.take("(")
            self.take("*")
            self.take(")")
            count = True
        else:
            self.take("*", "count")
        self.take("from")
        entity = self.take(tk.IDENTIFIER).image
        where: list[Condition] = []
        follow = {tk.EOF, "iterator", "orderby", "order", *PAGING}
        if self.at("where"):
            self.i += 1
            where.append(self.condition())
            while self.at(tk.AND):
                self.i += 1
                where.append(self.condition())
            follow |= {tk.AND, tk.OR}
        else:
            follow.add("where")
        order_by: list[SortKey] = []
        if self.at("orderby", "order"):
            if self.take("orderby", "order").kind == "order":
                self.take("by")
            order_by = self.sort_keys()
        paging: dict[str, int] = {}
        while True:
            allowed = {tk.EOF, "iterator", *(p for p in PAGING if p not in paging)}
            if not paging:
                allowed = self._sort_follow() | allowed if order_by else follow
            token = self.peek()
            if token.kind == tk.EOF:
                break
            if token.kind not in PAGING or token.kind in paging:
                self.fail(allowed)
            self.i += 1
            paging[token.kind] = int(self.take(tk.INTEGER).image)
        return Select(
            entity=entity,
            count=count,
            where=tuple(where),
            order_by=tuple(order_by),
            start_position=paging.get("startposition"),
            max_results=paging.get("maxresults"),
        )

    def _sort_follow(self) -> set[str]:
        """After a sort key: another key, or a direction if none was given."""
        if self.tokens[self.i - 1].kind == tk.IDENTIFIER:
            return {",", "asc", "desc"}
        return {","}

    def sort_keys(self) -> list[SortKey]:
        keys = []
        while True:
            name = self.take(tk.IDENTIFIER)
            descending = False
            if self.at("asc", "desc"):
                descending = self.take("asc", "desc").kind == "desc"
            keys.append(SortKey(name.image, descending, name.line, name.column))
            if not self.at(","):
                return keys
            self.i += 1

    def condition(self) -> Condition:
        name = self.take(tk.IDENTIFIER)
        op_token = self.take(*COMPARISONS, "in", "like")
        op: Operator
        if op_token.kind == "in":
            op = "IN"
            self.take("(")
            values = [self.value()]
            while self.at(","):
                self.i += 1
                values.append(self.value())
            if not self.at(")"):
                self.fail({",", ")"})
            self.i += 1
        elif op_token.kind == "like":
            op = "LIKE"
            values = [self.value(tk.STRING)]
        else:
            op = op_token.kind  # type: ignore[assignment]
            values = [self.value()]
        return Condition(name.image, op, tuple(values), name.line, name.column)

    def value(self, *kinds: str) -> Literal:
        token = self.take(*(kinds or VALUE_KINDS))
        if token.kind == tk.STRING:
            return Literal("string", token.value or "", token.image)
        if token.kind in ("true", "false"):
            return Literal("boolean", token.kind == "true", token.image)
        if token.kind == "current_date":
            return Literal("current_date", token.image, token.image)
        if token.kind == tk.INTEGER:
            return Literal("integer", token.image, token.image)
        return Literal("decimal", token.image, token.image)


#: The longest statement read (assumed: QBO's limit is not documented; a GET URL of this
#: length is already past what most servers accept). Longer ones answer 4000.
MAX_STATEMENT_LENGTH = 100_000
#: Statements up to this length are cached by their text (so the cache stays small).
_CACHED_LENGTH = 4096


def parse(statement: str) -> Select:
    """Parse one statement (cached by its text when short: the tree is immutable)."""
    if len(statement) > MAX_STATEMENT_LENGTH:
        raise QBOFault(
            "query_parse",
            detail=f"Query is too long: {len(statement):,} characters. "
            f"Max allowed length is {MAX_STATEMENT_LENGTH:,}",  # wording assumed
        )
    if len(statement) <= _CACHED_LENGTH:
        return _parse_cached(statement)
    return _parse(statement)


@lru_cache(maxsize=1024)
def _parse_cached(statement: str) -> Select:
    return _parse(statement)


def _parse(statement: str) -> Select:
    return _Parser(tk.tokenize(statement)).statement()
