"""Phase 2 output: the syntax tree of one ``SELECT`` statement (immutable, so it can be cached).

Names are kept exactly as written (entity and property names are resolved case-insensitively by
:mod:`qbo_sim.query.validate`); each node keeps the line/column of its first token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as TypingLiteral

LiteralKind = TypingLiteral["string", "integer", "decimal", "boolean", "current_date"]
Operator = TypingLiteral["=", "<", ">", "<=", ">=", "IN", "LIKE"]


@dataclass(frozen=True)
class Literal:
    """A value as written: ``'text'`` (escapes resolved), ``12``, ``1.5``, ``true``,
    ``CURRENT_DATE``."""

    kind: LiteralKind
    value: str | bool
    image: str


@dataclass(frozen=True)
class Condition:
    """``<property> <op> <value>``; ``IN`` carries several values."""

    prop: str
    op: Operator
    values: tuple[Literal, ...]
    line: int
    column: int


@dataclass(frozen=True)
class SortKey:
    prop: str
    descending: bool
    line: int
    column: int


@dataclass(frozen=True)
class Select:
    """``SELECT * | COUNT(*) FROM entity [WHERE ...] [ORDERBY ...] [STARTPOSITION n]
    [MAXRESULTS n]``."""

    entity: str
    count: bool
    where: tuple[Condition, ...] = ()
    order_by: tuple[SortKey, ...] = ()
    start_position: int | None = None
    max_results: int | None = None
