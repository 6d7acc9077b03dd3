"""A one-page PDF of a sales or purchase transaction, for ``GET /<txn>/<id>/pdf``.

The writer is this module's own, not a library: a transaction sheet needs one page of
left-aligned Helvetica text, which is a few dozen lines of PDF 1.4 (a catalog, a page tree, one
page, the standard Type 1 font ``Helvetica`` that every reader has, and one uncompressed content
stream, with an xref table of exact byte offsets and a trailer). A library (reportlab, fpdf2)
would be a new dependency of every install for that, and its output changes between versions;
this output is byte-for-byte the same for the same transaction, so tests can compare it.

Text is WinAnsi-encoded: characters outside Latin-1 (and control characters) become ``?``;
``(``, ``)`` and ``\\`` are escaped in the string literals. The layout is qbo-sim's own (QBO's
real invoice templates are not simulated): title, company, customer or vendor, number, date,
one row per line (description, quantity, amount), total. Lines beyond what one page holds are
summarised as "... and N more lines".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

#: Page size (US Letter, points), margins and line spacing.
WIDTH, HEIGHT = 612, 792
LEFT, TOP, BOTTOM = 50, 740, 80
LEADING = 14
#: The x of the description, quantity and amount columns.
COLUMNS = (LEFT, 400, 480)
#: Characters of a description kept on its row.
DESCRIPTION_CHARS = 60


@dataclass(frozen=True)
class Sheet:
    """What the PDF shows; the API route fills it from the stored transaction."""

    title: str
    company_name: str
    party_label: str  # "Bill to" or "Vendor"
    party_name: str
    doc_number: str
    txn_date: str
    #: (description, quantity, amount) per line; quantity "" when the line has none.
    lines: Sequence[tuple[str, str, str]] = field(default_factory=tuple)
    total: str = "0.00"


def escape(text: str) -> bytes:
    """``text`` as the bytes of a PDF string literal's content (WinAnsi, escaped)."""
    out = bytearray()
    for char in text:
        code = ord(char)
        if char in "()\\":
            out += b"\\" + char.encode("ascii")
        elif code < 0x20 or 0x7F <= code < 0xA0 or code > 0xFF:
            out += b"?"  # outside Latin-1, or a code WinAnsi uses for other glyphs
        else:
            out.append(code)
    return bytes(out)


def money(value: Any) -> str:
    """An amount with two decimals (``87.5`` -> ``87.50``); text kept as it is if not a number."""
    try:
        return f"{Decimal(str(value)):.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


def quantity(value: Any) -> str:
    """A quantity without a trailing ``.0`` (``2.0`` -> ``2``); ``""`` for none."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{number.normalize():f}" if number != number.to_integral() else f"{int(number)}"


def _text(x: int, y: int, size: int, text: str) -> bytes:
    return b"BT /F1 %d Tf 1 0 0 1 %d %d Tm (%s) Tj ET\n" % (size, x, y, escape(text))


def content(sheet: Sheet) -> bytes:
    """The page's content stream: one text object per string, at absolute positions."""
    parts = [_text(LEFT, TOP, 20, sheet.title), _text(LEFT, TOP - 26, 12, sheet.company_name)]
    y = TOP - 56
    for label, value in (
        (sheet.party_label, sheet.party_name),
        ("No.", sheet.doc_number),
        ("Date", sheet.txn_date),
    ):
        parts.append(_text(LEFT, y, 10, f"{label}: {value}"))
        y -= LEADING
    y -= LEADING
    for x, head in zip(COLUMNS, ("Description", "Qty", "Amount"), strict=True):
        parts.append(_text(x, y, 10, head))
    parts.append(b"%d %d m %d %d l S\n" % (LEFT, y - 4, WIDTH - LEFT, y - 4))
    y -= LEADING + 4
    room = (y - BOTTOM) // LEADING
    shown = sheet.lines if len(sheet.lines) <= room else sheet.lines[: room - 1]
    for description, qty, amount in shown:
        row = (description[:DESCRIPTION_CHARS], qty, amount)
        for x, cell in zip(COLUMNS, row, strict=True):
            if cell:
                parts.append(_text(x, y, 10, cell))
        y -= LEADING
    if len(shown) < len(sheet.lines):
        parts.append(_text(LEFT, y, 10, f"... and {len(sheet.lines) - len(shown)} more lines"))
        y -= LEADING
    parts.append(_text(COLUMNS[1], y - LEADING, 12, "Total"))
    parts.append(_text(COLUMNS[2], y - LEADING, 12, sheet.total))
    return b"".join(parts)


def render(sheet: Sheet) -> bytes:
    """The whole PDF file: header, five objects, xref table, trailer."""
    stream = content(sheet)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>" % (WIDTH, HEIGHT),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")  # binary comment: a binary file
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
