"""Files: ``POST /upload``, ``GET /download/<id>`` and the signed links that serve the bytes.

Sources and confidence: docs/research/attachable.md.

- ``POST /v3/company/<realm>/upload`` (multipart/form-data): each ``file_content_<nn>`` part
  is a file, paired by its suffix with an optional ``file_metadata_<nn>`` part (an Attachable
  as JSON or XML; "If meta data is not supplied with the upload request, the system creates
  it"). The answer is ``{"AttachableResponse": [{"Attachable": ...} | {"Fault": ...}],
  "time"}`` in part order, HTTP 200 even when an item failed (recorded). A body over the
  limit (6030), without Content-Length (6020) or not multipart is refused whole (400).
- ``GET /v3/company/<realm>/download/<id>``: the bare ``TempDownloadUri``, as text.
- ``GET /<realm>/attachments/<object>?X-Amz-...``: the bytes, on Intuit's S3 host in-process
  or on this server; no Authorization (the link is signed), 403 in S3's XML once the link
  is older than 15 simulated minutes, altered, or its Attachable is deleted.
"""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, request

from qbo_sim import attachments, multipart, operations
from qbo_sim import xml as xml_codec
from qbo_sim.api.context import answer, company, op_context, parse_json, sim
from qbo_sim.clock import response_time
from qbo_sim.entities import ENTITIES, EntitySpec
from qbo_sim.faults import QBOFault
from qbo_sim.multipart import Part
from qbo_sim.serialize import fault_object

bp = Blueprint("upload", __name__)

METADATA = multipart.METADATA
CONTENT = multipart.CONTENT
#: Declared types QBO answers in their usual spelling (DOC-ATT sample: ``image/jpg`` sent,
#: ``image/jpeg`` answered).
CONTENT_TYPE_SPELLINGS = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg"}


def _attachable() -> EntitySpec:
    return ENTITIES[attachments.ENTITY]


@bp.post("/v3/company/<realm_id>/upload")
def upload(realm_id: str) -> Response:
    length = request.content_length
    if length is None:
        raise QBOFault("upload_no_length")
    limit = sim().upload_limit
    if length > limit:
        raise QBOFault("upload_too_large", size=length)
    try:
        parts = multipart.parse(request.content_type, request.get_data(cache=True))
    except multipart.MultipartError:
        raise QBOFault("upload_not_multipart") from None
    if any(part.name is None for part in parts):
        raise QBOFault("upload_part_unnamed")
    files = multipart.pair_files(parts)
    if not files:
        raise QBOFault("upload_invalid_file")
    items = [_one(suffix, metadata, content) for suffix, metadata, content in files]
    target = company()
    now = response_time(sim().clock.now(), target.utc_offset_minutes)
    content_type, text = answer({"AttachableResponse": items, "time": now}, target)
    return Response(text, status=200, content_type=content_type)


def _one(suffix: str, metadata_part: Part | None, content: Part | None) -> dict[str, Any]:
    """One file's item of the answer: its Attachable, or the fault that refused it."""
    try:
        metadata = _metadata(METADATA + suffix, metadata_part)
        if content is None or not content.data:  # metadata with no file: assumed 6041
            raise QBOFault("upload_invalid_file")
        filename = str(metadata.get("FileName") or content.filename or "")
        if not filename:
            raise QBOFault("required_param", name="FileName", element="FileName")
        declared = content.content_type or metadata.get("ContentType")
        if not attachments.approved(filename, declared if isinstance(declared, str) else None):
            raise QBOFault("upload_invalid_file")
        content_type = _content_type(declared, filename)
        entity = operations.attach_file(
            op_context(), _attachable(), metadata, filename, content_type, content.data
        )
        return {attachments.ENTITY: entity}
    except QBOFault as fault:
        return {"Fault": fault_object([fault])}


def _metadata(part_name: str, part: Part | None) -> dict[str, Any]:
    """The Attachable a metadata part describes (JSON or XML), or 6040."""
    if part is None:
        return {}
    text = part.text().strip()
    if xml_codec.is_xml(part.content_type) or text.startswith("<"):
        try:
            root = xml_codec.parse_document(part.data)
        except QBOFault:
            raise QBOFault("upload_metadata_type", supplied="xml", part=part_name) from None
        name = xml_codec.local_name(root.tag)
        if name != attachments.ENTITY:
            raise QBOFault("upload_metadata_type", supplied=name, part=part_name)
        return xml_codec.entity_from_element(root, attachments.ENTITY)
    try:
        body = parse_json(text)
    except QBOFault:
        raise QBOFault("upload_metadata_type", supplied="text", part=part_name) from None
    if not isinstance(body, dict):
        raise QBOFault("upload_metadata_type", supplied=type(body).__name__, part=part_name)
    return body


def _content_type(declared: Any, filename: str) -> str:
    if isinstance(declared, str) and declared.strip():
        spelled = declared.split(";")[0].strip().lower()
        return CONTENT_TYPE_SPELLINGS.get(spelled, spelled)
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or attachments.OPAQUE_TYPE


@bp.get("/v3/company/<realm_id>/download/<attachable_id>")
def download(realm_id: str, attachable_id: str) -> Response:
    """The bare TempDownloadUri (Intuit's SDKs read the body as the URL)."""
    target = company()
    stored = attachments.file_of(target, attachable_id)
    if stored is None or target.get(attachments.ENTITY, attachable_id) is None:
        raise QBOFault("not_found")  # unknown, deleted or note-only: assumed 610
    base = attachments.download_base(request.host, request.host_url)
    return Response(
        attachments.temp_uri(base, stored.key, sim().clock.now()), content_type="text/plain"
    )


@bp.get("/<realm_id>/attachments/<path:name>")
def fetch(realm_id: str, name: str) -> Response:
    """The file behind a signed link (no QBO gateway: S3 answers these)."""
    key = f"{realm_id}/attachments/{quote(name)}"  # as signed: the name percent-encoded
    target = sim().store.get(realm_id)
    problem = attachments.check_link(key, request.args.to_dict(), sim().clock.now())
    if problem == "signature":
        raise QBOFault("s3_signature")
    if problem == "expired":
        raise QBOFault("s3_expired")
    stored = attachments.find_key(target, key) if target is not None else None
    if stored is None:
        raise QBOFault("s3_access_denied")
    return Response(stored.data, content_type=stored.content_type)
