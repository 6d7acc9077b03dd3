"""Uploaded files: their bytes, what QBO accepts, and the links that serve them.

Facts (sources and confidence in docs/research/attachable.md):

- a request to ``/upload`` may carry many files but not more than 100 MB in all (DOC-ATT;
  :data:`UPLOAD_LIMIT`, lowered per simulator with ``Simulator(upload_limit=...)``);
- the approved file types are DOC-ATT's 17 (:data:`APPROVED_EXTENSIONS`);
- ``FileAccessUri`` is ``/v3/company/<realm>/download/<id>``; ``TempDownloadUri`` is a link
  signed for 15 minutes (``X-Amz-Expires=900``) and signed anew on every read, on an
  ``intuit-qbo-prod-NN.s3.amazonaws.com`` host, its key ``<realm>/attachments/<uuid><name>``.

The bytes live in the company (``company.extras["attachment_files"]``, base64), so they are
written in the upload's unit of work, kept in snapshots and removed with their Attachable.
The links are presented, not stored: :func:`present` adds both URIs to every Attachable of an
answer, signed at the simulated instant, on the host the client can reach (Intuit's S3 host
in-process, the server's own address otherwise: :func:`download_base`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from qbo_sim.hosts import API_HOSTS, DOWNLOAD_HOST
from qbo_sim.store import Company

__all__ = [
    "APPROVED_EXTENSIONS",
    "ENTITY",
    "FILES",
    "LINK_FIELDS",
    "LINK_SECONDS",
    "UPLOAD_LIMIT",
    "StoredFile",
    "approved",
    "check_link",
    "discard",
    "download_base",
    "file_of",
    "find_key",
    "present",
    "put",
    "temp_uri",
]

#: The entity that holds the files (the answers' key for it: ``{"Attachable": ...}``).
ENTITY = "Attachable"
#: ``company.extras`` key of the stored files: ``{attachable id: {key, content_type, data}}``.
FILES = "attachment_files"
#: The fields :func:`present` adds to an Attachable with a file (never stored).
LINK_FIELDS = ("FileAccessUri", "TempDownloadUri")
#: DOC-ATT: "the overall request size must not exceed 100 MB".
UPLOAD_LIMIT = 100 * 1024 * 1024
#: DOC-ATT "Approved File Types for Uploading".
APPROVED_EXTENSIONS = frozenset(
    "ai csv doc docx eps gif jpeg jpg ods pdf png rtf tif txt xls xlsx xml".split()
)
#: DOC-ATT: "The URL expires after 15 minutes"; recorded ``X-Amz-Expires=900``.
LINK_SECONDS = 900
#: A part typed this way is refused (codat-docs PR#1204: QBO "will not accept" it).
OPAQUE_TYPE = "application/octet-stream"
#: The signing key of the simulated links (a simulator's links need only resist tampering).
_SIGNING_KEY = b"qbo-sim attachment links"
#: The credential the links show (the shape of an AWS access key id; not a secret).
_CREDENTIAL_ID = "AKIAQBOSIMULATOR0000"
_AMZ_DATE = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class StoredFile:
    attachable_id: str
    key: str
    content_type: str
    data: bytes


def approved(filename: str, content_type: str | None) -> bool:
    """Whether QBO takes a file of this name and declared type."""
    if (content_type or "").split(";")[0].strip().lower() == OPAQUE_TYPE:
        return False
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return extension in APPROVED_EXTENSIONS


def object_key(realm_id: str, attachable_id: str, filename: str) -> str:
    """The file's key in the bucket: ``<realm>/attachments/<uuid><name>`` (recorded); the
    uuid is derived from the realm and Id, so a snapshot replays to the same links."""
    stable = uuid.uuid5(uuid.NAMESPACE_URL, f"qbo-sim:{realm_id}:{attachable_id}")
    return f"{realm_id}/attachments/{stable}{quote(filename)}"


def put(
    company: Company, attachable_id: str, filename: str, content_type: str, data: bytes
) -> None:
    """Keep the bytes of ``attachable_id`` (undoably, inside the caller's unit of work)."""
    record = {
        "key": object_key(company.realm_id, attachable_id, filename),
        "content_type": content_type,
        "data": base64.b64encode(data).decode("ascii"),
    }
    company.set_extra_item(FILES, attachable_id, record)


def discard(company: Company, attachable_id: str) -> None:
    """Forget the bytes of a deleted Attachable (undoably)."""
    if attachable_id in company.extras.get(FILES, {}):
        company.remove_extra_item(FILES, attachable_id)


def file_of(company: Company, attachable_id: str) -> StoredFile | None:
    record = company.extras.get(FILES, {}).get(attachable_id)
    if not isinstance(record, dict):
        return None
    return StoredFile(
        attachable_id,
        str(record["key"]),
        str(record.get("content_type") or OPAQUE_TYPE),
        base64.b64decode(record["data"]),
    )


def find_key(company: Company, key: str) -> StoredFile | None:
    """The stored file under bucket key ``key`` (None once its Attachable is deleted)."""
    for attachable_id, record in company.extras.get(FILES, {}).items():
        if isinstance(record, dict) and record.get("key") == key:
            return file_of(company, attachable_id)
    return None


def _signature(key: str, amz_date: str, seconds: int) -> str:
    message = f"{key}\n{amz_date}\n{seconds}".encode()
    return hmac.new(_SIGNING_KEY, message, hashlib.sha256).hexdigest()


def temp_uri(base: str, key: str, now: datetime) -> str:
    """A link to ``key`` signed at ``now`` for :data:`LINK_SECONDS` (the recorded shape)."""
    amz_date = now.astimezone(UTC).strftime(_AMZ_DATE)
    credential = f"{_CREDENTIAL_ID}%2F{amz_date[:8]}%2Fus-east-1%2Fs3%2Faws4_request"
    return (
        f"{base}/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={amz_date}"
        f"&X-Amz-SignedHeaders=host&X-Amz-Expires={LINK_SECONDS}"
        f"&X-Amz-Credential={credential}"
        f"&X-Amz-Signature={_signature(key, amz_date, LINK_SECONDS)}"
    )


def check_link(key: str, args: dict[str, str], now: datetime) -> str | None:
    """Why a download link is refused (``signature``, ``expired``), or None when it holds."""
    amz_date = args.get("X-Amz-Date", "")
    try:
        seconds = int(args.get("X-Amz-Expires", ""))
        signed = datetime.strptime(amz_date, _AMZ_DATE).replace(tzinfo=UTC)
    except ValueError:
        return "signature"
    expected = _signature(key, amz_date, seconds)
    if not hmac.compare_digest(expected, args.get("X-Amz-Signature", "")):
        return "signature"
    if now > signed + timedelta(seconds=seconds):
        return "expired"
    return None


def download_base(host: str, host_url: str) -> str:
    """Where links point: Intuit's S3 host when the client called Intuit's API host
    (in-process interception answers both), else the server it called (``host_url``)."""
    if host.split(":")[0].lower() in API_HOSTS:
        return f"https://{DOWNLOAD_HOST}"
    return host_url.rstrip("/")


def present(body: dict[str, Any], company: Company, base: str, now: datetime) -> dict[str, Any]:
    """``body`` (an API answer) with ``FileAccessUri`` and a fresh ``TempDownloadUri`` on
    every Attachable that has a file; the stored objects are not changed (copies)."""
    files = company.extras.get(FILES)
    if not files:
        return body

    def one(entity: Any) -> Any:
        if not isinstance(entity, dict):
            return entity
        record = files.get(str(entity.get("Id")))
        if not isinstance(record, dict) or entity.get("status") == "Deleted":
            return entity
        links = {
            "FileAccessUri": f"/v3/company/{company.realm_id}/download/{entity['Id']}",
            "TempDownloadUri": temp_uri(base, str(record["key"]), now),
        }
        if "FileName" not in entity:  # a full update cleared it (node-quickbooks#245)
            return {**links, **entity}
        shown: dict[str, Any] = {}
        for name, value in entity.items():  # after FileName, as QBO writes them
            shown[name] = value
            if name == "FileName":
                shown.update(links)
        return shown

    def many(value: Any) -> Any:
        return [one(item) for item in value] if isinstance(value, list) else one(value)

    return _map_attachables(body, many)


def _map_attachables(body: dict[str, Any], change: Any) -> dict[str, Any]:
    """``body`` with ``change`` applied wherever an answer carries Attachable objects: the
    entity answer, ``AttachableResponse`` items, query rows, batch items and CDC lists."""
    out = dict(body)
    if ENTITY in out:
        out[ENTITY] = change(out[ENTITY])
    if isinstance(out.get("AttachableResponse"), list):
        out["AttachableResponse"] = [
            _map_attachables(item, change) if isinstance(item, dict) else item
            for item in out["AttachableResponse"]
        ]
    query = out.get("QueryResponse")
    if isinstance(query, dict) and ENTITY in query:
        out["QueryResponse"] = {**query, ENTITY: change(query[ENTITY])}
    elif isinstance(query, list):  # CDC: one QueryResponse per entity
        out["QueryResponse"] = [
            _map_attachables({"QueryResponse": q}, change)["QueryResponse"] for q in query
        ]
    for batch_key in ("BatchItemResponse", "CDCResponse"):
        if isinstance(out.get(batch_key), list):
            out[batch_key] = [
                _map_attachables(item, change) if isinstance(item, dict) else item
                for item in out[batch_key]
            ]
    return out
