"""Read a ``multipart/form-data`` body into its parts, as QBO's ``/upload`` reads it.

Clients build these bodies by hand, and not all of them follow RFC 7578 to the letter:
python-quickbooks writes LF line ends and base64 file parts with
``Content-Transfer-Encoding: base64``; PHP and Ruby SDKs send XML metadata parts. The parser
is the standard library's MIME parser (:mod:`email`), which accepts CRLF and LF alike and
decodes a part's transfer encoding, so every part comes back as the bytes the client meant.
It is a pure function of the body: no Flask, no store.
"""

from __future__ import annotations

import email.parser
import email.policy
import email.utils
from dataclasses import dataclass

from qbo_sim.errors import SimError

__all__ = ["CONTENT", "METADATA", "MultipartError", "Part", "boundary_of", "pair_files", "parse"]

#: ``POST /upload`` part names: ``file_content_<nn>`` is a file, ``file_metadata_<nn>`` the
#: Attachable that describes it (DOC-ATT), paired by the suffix ``<nn>`` (any string).
METADATA = "file_metadata_"
CONTENT = "file_content_"


class MultipartError(SimError, ValueError):
    """The body is not ``multipart/form-data`` that can be read (no boundary, no parts)."""


@dataclass(frozen=True)
class Part:
    """One part of the form: its field ``name``, its ``filename`` (None when the part names
    none), its declared ``content_type`` (None when it declares none) and its decoded bytes."""

    name: str | None
    filename: str | None
    content_type: str | None
    data: bytes

    def text(self) -> str:
        """The part as text (UTF-8, a BOM dropped, undecodable bytes replaced)."""
        return self.data.decode("utf-8-sig", errors="replace")


def boundary_of(content_type: str | None) -> str | None:
    """The ``boundary`` parameter of a ``multipart/form-data`` Content-Type, else None."""
    if not content_type:
        return None
    header = email.policy.HTTP.header_factory("Content-Type", content_type)
    if getattr(header, "content_type", "") != "multipart/form-data":
        return None
    boundary = getattr(header, "params", {}).get("boundary")
    return str(boundary) if boundary else None


def parse(content_type: str | None, body: bytes) -> list[Part]:
    """The parts of ``body``, in order. Raises :class:`MultipartError` when the
    Content-Type is not multipart/form-data with a boundary."""
    boundary = boundary_of(content_type)
    if boundary is None:
        raise MultipartError("the request is not multipart/form-data with a boundary")
    head = f'Content-Type: multipart/form-data; boundary="{boundary}"\r\n\r\n'.encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise MultipartError("the multipart body has no parts")
    items = list(message.iter_parts())
    if items and not items[-1].keys() and not items[-1].get_payload():
        items.pop()  # after a last delimiter without the closing "--" (the .NET SDK's body)
    # every part ends at a delimiter: a body cut short ends inside its last part
    if body.count(b"--" + boundary.encode("latin-1", "replace")) <= len(items):
        raise MultipartError("the multipart body ends inside a part")
    parts = []
    for item in items:
        payload = item.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        declared = item.get("Content-Type")
        parts.append(
            Part(
                name=_text_param(item.get_param("name", header="content-disposition")),
                filename=item.get_filename(),
                content_type=item.get_content_type() if declared else None,
                data=data,
            )
        )
    return parts


def _text_param(value: object) -> str | None:
    """A header parameter as text (RFC 2231 values come as a tuple; empty is None)."""
    if isinstance(value, tuple):
        value = email.utils.collapse_rfc2231_value(value)
    return value if isinstance(value, str) and value else None


def pair_files(parts: list[Part]) -> list[tuple[str, Part | None, Part | None]]:
    """``(suffix, metadata part, content part)`` per file of an upload, in the order the parts
    come (the first part of a name wins)."""
    order: list[str] = []
    metadata: dict[str, Part] = {}
    content: dict[str, Part] = {}
    for part in parts:
        name = part.name or ""
        for prefix, table in ((METADATA, metadata), (CONTENT, content)):
            if name.startswith(prefix):
                suffix = name[len(prefix) :]
                if suffix not in order:
                    order.append(suffix)
                table.setdefault(suffix, part)
    return [(suffix, metadata.get(suffix), content.get(suffix)) for suffix in order]
