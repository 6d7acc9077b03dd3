"""Attachments (DOC-ATT Attachable; sourced facts in docs/research/attachable.md).

An Attachable is a file, a note or both, linked by ``AttachableRef`` to transactions, items
and names. Its file is uploaded with ``POST /upload`` (:mod:`qbo_sim.api.upload_routes`) and
its bytes are kept by :mod:`qbo_sim.attachments`; the entity itself is written like any other.
"""

from __future__ import annotations

from qbo_sim.entities.spec import EntitySpec

#: The first Attachable Id: QBO's are long numbers (``5000000000000503624``, observed in
#: minimul/qbo_api's recorded sandbox traffic, 2020).
FIRST_ID = 5000000000000000001

SPECS: tuple[EntitySpec, ...] = (
    # Not a webhook entity (no copy of Intuit's webhooks entity table lists it); served by CDC
    # (DOC-CDC excludes only JournalCode, TaxAgency, TimeActivity, TaxCode, TaxRate). Only a
    # full update is documented, and since October 2025 a sparse one clears what it omits
    # (node-quickbooks#245, two reporters): served as full. A delete needs no SyncToken
    # (recorded: ``{"Id": ...}`` alone deleted one). Queries filter on the type and id of any
    # one of its AttachableRef (DOC-ATT; type compared case-insensitively, PHP-SDK#477).
    EntitySpec(
        "Attachable",
        "attachment",
        webhooks=None,
        id_start=FIRST_ID,
        server_fields=(
            "FileAccessUri",
            "TempDownloadUri",
            "Size",
            "ThumbnailFileAccessUri",
            "ThumbnailTempDownloadUri",
        ),
        repeated=("AttachableRef",),
        full_update_only=True,
        delete_needs_token=False,
        defaults={},
        query_fields={
            "AttachableRef.EntityRef.type": "string:F",  # queried as ...EntityRef.Type
            "AttachableRef.EntityRef.value": "id:F",
            "FileName": "string:FS",
            "Note": "string:FS",
            "Category": "string:FS",
            "ContentType": "string:FS",
            "PlaceName": "string:FS",
            "Lat": "string:FS",
            "Long": "string:FS",
            "Tag": "string:FS",
            "Size": "number:FS",
        },
    ),
)
