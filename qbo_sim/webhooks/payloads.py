"""Wire shapes of webhook notifications: legacy and CloudEvents bodies, headers, signature
(reference §5.10). The only place in qbo-sim that knows them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import random
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from qbo_sim.webhooks.events import Event

LEGACY = "legacy"
CLOUDEVENTS = "cloudevents"
FORMATS = (LEGACY, CLOUDEVENTS)

#: CloudEvents ``type`` verbs. Only ``created`` is confirmed (§5.10, §7.7); the others are
#: assumed by analogy (``qbo.invoice.updated.v1`` ...).
CLOUDEVENT_VERBS = {
    "Create": "created",  # official (qbo.account.created.v1)
    "Update": "updated",  # assumed
    "Delete": "deleted",  # assumed
    "Void": "voided",  # assumed
    "Merge": "merged",  # official (qbo.customer.merged.v1, DOC-WH data objects page)
}

CONTENT_TYPE = "application/json; charset=utf-8"
USER_AGENT = "intuit_notification_server/0.1"
SCHEMA_VERSION = "0.1"


def dumps(doc: Any) -> bytes:
    """Body bytes: compact JSON, keys in the order of the §5.10 samples (assumed spacing)."""
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def legacy_body(realm_id: str, events: Sequence[Event]) -> dict[str, Any]:
    """``{"eventNotifications":[{"realmId":..,"dataChangeEvent":{"entities":[...]}}]}``."""
    return {
        "eventNotifications": [
            {"realmId": realm_id, "dataChangeEvent": {"entities": [e.legacy() for e in events]}}
        ]
    }


def cloudevents_body(events: Sequence[Event], source: str, rng: random.Random) -> list[Any]:
    """A JSON array of CloudEvents 1.0 events (the 2025 format, §5.10)."""
    return [
        {
            "specversion": "1.0",
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "source": source,
            "type": f"qbo.{e.name.lower()}.{CLOUDEVENT_VERBS[e.operation]}.v1",
            "datacontenttype": "application/json",
            "time": cloudevent_time(e.time),
            "intuitentityid": e.id,
            "intuitaccountid": e.realm_id,
            # a merge names the merged-away entity (DOC-WH "Understanding the data object")
            "data": {} if e.deleted_id is None else {"deletedid": e.deleted_id},
        }
        for e in events
    ]


def cloudevent_time(instant: datetime) -> str:
    """UTC with nanoseconds and ``Z``, as the sample's ``2025-09-10T21:31:25.179851517Z``
    (the clock has microseconds: the last three digits are 0)."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"


def source_of(app_id: str) -> str:
    """CloudEvents ``source``: ``intuit.`` + an opaque 44-character app key (assumed: a
    base64 SHA-256 of the app id, shaped like the sample's)."""
    digest = hashlib.sha256(f"qbo-sim:{app_id}".encode()).digest()
    return "intuit." + base64.b64encode(digest).decode("ascii")


def sign(verifier_token: str, body: bytes) -> str:
    """``intuit-signature``: base64(HMAC-SHA256(key = verifier token, message = raw body))."""
    digest = hmac.new(verifier_token.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_signature(verifier: str | bytes, body: str | bytes, header: str | bytes) -> bool:
    """What python-quickbooks' ``QuickBooks.validate_webhook_signature`` does (§5.10, PY-QB):
    HMAC-SHA256 of the body (a str is UTF-8 encoded) keyed with the verifier token, compared
    with the base64-decoded ``intuit-signature`` header. Where python-quickbooks would raise on
    a header that is not base64, this answers False; the comparison is constant-time."""
    key = verifier.encode("utf-8") if isinstance(verifier, str) else verifier
    message = body.encode("utf-8") if isinstance(body, str) else body
    try:
        expected = base64.b64decode(header)
    except (binascii.Error, ValueError):
        return False
    actual = hmac.new(key, message, hashlib.sha256).digest()
    return hmac.compare_digest(actual, expected)


def headers(body: bytes, verifier_token: str, created: datetime, tid: str) -> dict[str, str]:
    """The headers of one POST (§5.10 sample headers). ``intuit-created-time`` is UTC
    ISO-8601 with milliseconds and ``Z`` (assumed format)."""
    return {
        "content-type": CONTENT_TYPE,
        "user-agent": USER_AGENT,
        "intuit-signature": sign(verifier_token, body),
        "intuit-created-time": created.astimezone(UTC).isoformat(timespec="milliseconds")[:-6]
        + "Z",
        "intuit-t-id": tid,
        "intuit-notification-schema-version": SCHEMA_VERSION,
    }
