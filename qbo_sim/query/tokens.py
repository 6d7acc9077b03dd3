"""Phase 1: tokenize a query statement the way QBO's JavaCC-generated lexer does.

Token kinds and how they print in parser errors follow JavaCC conventions (reference §2.3 4000):
named tokens print as ``<AND>``, literal keywords as ``"orderby"``. Observed in QBO errors:
``<EOF>``, ``<AND>``, ``<OR>``, ``<IDENTIFIER>``, ``"iterator"``, ``"maxresults"``, ``"order"``,
``"orderby"``, ``"select"``, ``"startposition"`` (node-quickbooks#56, consolibyte/quickbooks-php
#129), ``"null"`` (a captured answer to ``SELECT * FROM NULL``: ExQuickBooks, tests/parity).
Every other kind name is assumed. The kind order (which fixes the order of the "Was expecting
one of" list) is alphabetical, as the observed list is; assumed for the unseen kinds.

The lexer is lazy in effect: :func:`tokenize` stops at the first lexical error and appends an
``ERROR`` token carrying it, which the parser raises only if it reads that far. So
``'Cutlery 'R Us'`` fails at ``R`` (a parse error) before the lexer ever meets the unterminated
string at the end, as in QBO.
"""

from __future__ import annotations

from dataclasses import dataclass

EOF = "EOF"
ERROR = "ERROR"
IDENTIFIER = "IDENTIFIER"
STRING = "STRING_LITERAL"
INTEGER = "INTEGER_LITERAL"
DECIMAL = "DECIMAL_LITERAL"
AND = "AND"
OR = "OR"

#: Keywords, case-insensitive. ``and``/``or`` are named tokens (``<AND>``), the rest literals.
KEYWORDS: dict[str, str] = {
    word: word
    for word in (
        "asc by count current_date desc false from in iterator like maxresults null order "
        "orderby select startposition true where"
    ).split()
} | {"and": AND, "or": OR}

#: Every kind in JavaCC kind order with the image a parser error prints for it.
KIND_IMAGES: dict[str, str] = {
    EOF: "<EOF>",
    "(": '"("',
    ")": '")"',
    "*": '"*"',
    ",": '","',
    "<": '"<"',
    "<=": '"<="',
    "=": '"="',
    ">": '">"',
    ">=": '">="',
    AND: "<AND>",
    "asc": '"asc"',
    "by": '"by"',
    "count": '"count"',
    "current_date": '"current_date"',
    DECIMAL: "<DECIMAL_LITERAL>",
    "desc": '"desc"',
    "false": '"false"',
    "from": '"from"',
    IDENTIFIER: "<IDENTIFIER>",
    "in": '"in"',
    INTEGER: "<INTEGER_LITERAL>",
    "iterator": '"iterator"',
    "like": '"like"',
    "maxresults": '"maxresults"',
    "null": '"null"',
    OR: "<OR>",
    "order": '"order"',
    "orderby": '"orderby"',
    "select": '"select"',
    "startposition": '"startposition"',
    STRING: "<STRING_LITERAL>",
    "true": '"true"',
    "where": '"where"',
}
KIND_ORDER: dict[str, int] = {kind: i for i, kind in enumerate(KIND_IMAGES)}

_PUNCTUATION = "(),*=<>"
_IDENT_START = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_IDENT_PART = _IDENT_START | set("0123456789.")
_DIGITS = set("0123456789")
#: JavaCC's SimpleCharStream default tab stop.
TAB_SIZE = 8


@dataclass(frozen=True)
class Token:
    kind: str
    image: str
    line: int
    column: int
    #: for ``STRING_LITERAL``: the value with escapes resolved; for ``ERROR``: the detail.
    value: str | None = None


def java_escape(text: str) -> str:
    """JavaCC ``addEscapes``: how token images and lexical context print in error details."""
    out = []
    for ch in text:
        special = {
            "\b": "\\b",
            "\t": "\\t",
            "\n": "\\n",
            "\f": "\\f",
            "\r": "\\r",
            '"': '\\"',
            "'": "\\'",
            "\\": "\\\\",
        }.get(ch)
        if special is not None:
            out.append(special)
        elif ord(ch) < 0x20 or ord(ch) > 0x7E:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


class _Cursor:
    """Line/column tracking as JavaCC's SimpleCharStream does it (1-based, tab stops of 8)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.column = 0
        self._after_cr = False
        self._after_lf = False

    def peek(self, ahead: int = 0) -> str:
        i = self.pos + ahead
        return self.text[i] if i < len(self.text) else ""

    def read(self) -> str:
        ch = self.text[self.pos]
        self.pos += 1
        self.column += 1
        if self._after_lf:
            self._after_lf = False
            self.line += 1
            self.column = 1
        elif self._after_cr:
            self._after_cr = False
            if ch == "\n":
                self._after_lf = True
            else:
                self.line += 1
                self.column = 1
        if ch == "\r":
            self._after_cr = True
        elif ch == "\n":
            self._after_lf = True
        elif ch == "\t":
            self.column -= 1
            self.column += TAB_SIZE - (self.column % TAB_SIZE)
        return ch


def _lexical_error(cursor: _Cursor, bad: str | None, after: str) -> Token:
    """``Lexical error at line L, column C.  Encountered: ...`` (JavaCC TokenMgrError).

    Observed: ``Invalid content. Lexical error at line 1, column 43.  Encountered: "\\u2019"
    (8217), after : "\\'%Fleur"`` (quickbooks-ruby#309, #54), ``... Encountered: "%" (37),
    after : ""`` (pbrink231/quickbooks-node-promise#1) and the ``<EOF>`` form for a trailing
    backslash (reference §2.3). The two spaces before "Encountered" are JavaCC's and appear in
    both captured bodies (the reference's one-space copy comes from an issue title).
    ``after`` is the part of the token scanned so far, as JavaCC reports it.
    """
    if bad is None:
        encountered = "<EOF> "
    else:
        encountered = f'"{java_escape(bad)}" ({ord(bad)}), '
    detail = (
        f"Invalid content. Lexical error at line {cursor.line}, column {cursor.column}.  "
        f'Encountered: {encountered}after : "{java_escape(after)}"'
    )
    return Token(ERROR, "", cursor.line, cursor.column, detail)


def _string(cursor: _Cursor, start: int, line: int, column: int) -> Token:
    """A single-quoted string; ``\\x`` stands for ``x`` (so ``\\'`` is an apostrophe).

    Only printable ASCII is allowed inside (observed: a curly apostrophe inside a string is a
    lexical error). A backslash escapes any character, so a trailing ``\\'`` leaves the string
    open up to EOF (observed §2.3 "trailing backslash"). ``\\x`` → ``x`` is assumed.
    """
    value: list[str] = []
    while True:
        ch = cursor.peek()
        if ch == "":
            return _lexical_error(cursor, None, cursor.text[start : cursor.pos])
        if ord(ch) > 0x7E or (ord(ch) < 0x20 and ch not in "\t\r\n"):
            scanned = cursor.text[start : cursor.pos]
            cursor.read()
            return _lexical_error(cursor, ch, scanned)
        cursor.read()
        if ch == "'":
            return Token(STRING, cursor.text[start : cursor.pos], line, column, "".join(value))
        if ch == "\\":
            nxt = cursor.peek()
            if nxt == "":
                return _lexical_error(cursor, None, cursor.text[start : cursor.pos])
            if ord(nxt) > 0x7E:
                scanned = cursor.text[start : cursor.pos]
                cursor.read()
                return _lexical_error(cursor, nxt, scanned)
            cursor.read()
            value.append(nxt)
        else:
            value.append(ch)


def _digits(cursor: _Cursor) -> None:
    while cursor.peek() and cursor.peek() in _DIGITS:
        cursor.read()


def _number(cursor: _Cursor, start: int, line: int, column: int) -> Token:
    _digits(cursor)
    kind = INTEGER
    if cursor.peek() == "." and cursor.peek(1) and cursor.peek(1) in _DIGITS:
        cursor.read()
        _digits(cursor)
        kind = DECIMAL
    return Token(kind, cursor.text[start : cursor.pos], line, column)


def _starts_number(cursor: _Cursor, ch: str) -> bool:
    nxt = cursor.peek(1)
    return ch in _DIGITS or (ch == "-" and nxt != "" and nxt in _DIGITS)


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``, ending with ``EOF`` or with the first lexical ``ERROR``."""
    cursor = _Cursor(text)
    tokens: list[Token] = []
    while True:
        while cursor.peek() and cursor.peek() in " \t\r\n\f":
            cursor.read()
        ch = cursor.peek()
        if ch == "":
            # JavaCC puts EOF where the last character was read (0, 0 for empty input).
            tokens.append(Token(EOF, "", cursor.line if text else 0, cursor.column))
            return tokens
        number = _starts_number(cursor, ch)
        start = cursor.pos
        cursor.read()
        line, column = cursor.line, cursor.column
        if ch == "'":
            token = _string(cursor, start, line, column)
        elif number:
            token = _number(cursor, start, line, column)
        elif ch in _IDENT_START:
            while cursor.peek() and cursor.peek() in _IDENT_PART:
                cursor.read()
            image = text[start : cursor.pos]
            token = Token(KEYWORDS.get(image.lower(), IDENTIFIER), image, line, column)
        elif ch in _PUNCTUATION:
            image = ch
            if ch in "<>" and cursor.peek() == "=":
                cursor.read()
                image += "="
            token = Token(image, image, line, column)
        else:
            token = _lexical_error(cursor, ch, "")
        tokens.append(token)
        if token.kind == ERROR:
            return tokens
