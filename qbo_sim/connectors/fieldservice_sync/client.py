"""A small QBO Accounting API v3 client on ``requests``.

- OAuth 2.0 bearer auth; on ``401`` code 3200 it refreshes once (``grant_type=refresh_token``,
  HTTP Basic client auth, reference §5.11) and stores the rotated refresh token.
- Backoff on the *simulated* clock (``connection.sleep``, never ``time.sleep``): a throttle
  waits 60 s as Intuit advises (§5.9); 5xx and connection errors wait 1, 2, 4 s. After that
  the call raises :class:`Transient` and the record stays pending for the next pass. A
  throttle is HTTP 429, or the older answer QBO has sent: HTTP 403 with the XML SERVICE fault
  3001 ``message=ThrottleExceeded; errorCode=003001; statusCode=403`` (python-quickbooks#43,
  quickbooks-ruby#338; docs/control-plane.md "Envelope variants"). Any other 403 (an
  authorization fault, also ``statusCode=403``) stays a definitive failure.
- Every write carries the caller's ``requestid`` (§5.5); retries inside one call reuse it.
- Faults come back as :class:`QboFault` with QBO's code, Message and Detail, from either
  envelope (``Fault``/``Error`` or the gateway's lower-case ``fault``/``error``, §1.1/§1.3).

The connector's exception hierarchy (each class with its module in this package)::

    * ConnectorError
      + QboFault    client  a definitive answer from QBO (or the connector's checks): no retry
      + Transient   client  no usable answer after the retries: try again later
      + Blocked     engine  a record it depends on is not in QBO yet
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import requests

MINOR_VERSION = "75"
THROTTLE_WAIT_SECONDS = 60.0
BACKOFF_SECONDS = (1.0, 2.0, 4.0)
TIMEOUT_SECONDS = 60
#: rows per query page: QBO answers 100 unless asked, and at most 1000 (§4.5).
PAGE_SIZE = 1000


class ConnectorError(Exception):
    """Base class of every exception this connector defines."""


class QboFault(ConnectorError):
    """A definitive answer from QBO (or from this connector's own checks): do not retry."""

    def __init__(self, code: str, message: str, detail: str = "", element: str = "") -> None:
        self.code, self.message, self.detail, self.element = code, message, detail, element
        super().__init__(self.describe())

    def describe(self) -> str:
        """Message and Detail as one line for the operator (the Detail says which field)."""
        if self.detail and self.detail != self.message:
            return f"{self.message}: {self.detail}"
        return self.message


class Transient(ConnectorError):
    """No usable answer (5xx, 429, connection error) after the retries: try again later."""

    def __init__(self, code: str, message: str) -> None:
        self.code, self.message = code, message
        super().__init__(f"{code}: {message}")


def quote(value: Any) -> str:
    """A QBO query string literal: backslash and apostrophe escaped with ``\\`` (§4.4)."""
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


#: what marks the older 403 throttle's body (XML whatever the Accept): its Error code and the
#: errorCode/message of its Message; ``statusCode=403`` alone is any 403 fault's.
LEGACY_THROTTLE_MARKS = ('code="3001"', "errorCode=003001", "ThrottleExceeded")


def is_throttle(response: requests.Response) -> bool:
    """QBO's "wait and retry": HTTP 429, or HTTP 403 carrying the ThrottleExceeded fault 3001."""
    if response.status_code == 429:
        return True
    if response.status_code != 403:
        return False
    text = response.text or ""
    return any(mark in text for mark in LEGACY_THROTTLE_MARKS)


def parse_fault(response: requests.Response) -> QboFault | None:
    """The first error of a fault body, whichever envelope QBO used; None if there is none."""
    try:
        body = response.json()
    except ValueError:
        return None
    return fault_from_body(body, response.status_code)


def fault_from_body(body: Any, status: int) -> QboFault | None:
    """The first error of ``body``'s ``Fault`` (or ``fault``): a whole answer, or one item
    of an ``AttachableResponse``/``BatchItemResponse``; None if it carries none."""
    if not isinstance(body, dict):
        return None
    fault = body.get("Fault") or body.get("fault")
    if not fault:
        return None
    errors = fault.get("Error") or fault.get("error") or [{}]
    first = errors[0] if errors else {}
    return QboFault(
        code=str(first.get("code") or status),
        message=str(first.get("Message") or first.get("message") or ""),
        detail=str(first.get("Detail") or first.get("detail") or ""),
        element=str(first.get("element") or ""),
    )


class QboClient:
    #: how many throttles one call waits out (60 s each) before the record is left pending.
    throttle_retries = len(BACKOFF_SECONDS)
    #: reads a fault body, standard or lower-case (a class attribute so tests can vary it).
    parse_fault = staticmethod(parse_fault)
    #: tells a throttle (429 or the legacy 403) from other answers (a class attribute too).
    is_throttle = staticmethod(is_throttle)

    def __init__(self, connection: Any) -> None:
        self.conn = connection
        self.http = connection.http or requests.Session()
        self.access_token: str = connection.access_token
        self.refresh_token: str | None = connection.refresh_token
        self.refreshes = 0

    # --- the API ------------------------------------------------------------------------
    def query(self, entity: str, where: str | None = None) -> list[dict[str, Any]]:
        """Every matching row, page by page: QBO answers 100 rows unless asked for more, at
        most 1000 per page, and an empty ``QueryResponse`` past the last row (§4.5)."""
        text = f"SELECT * FROM {entity}" + (f" WHERE {where}" if where else "")
        rows: list[dict[str, Any]] = []
        while True:
            paged = f"{text} STARTPOSITION {len(rows) + 1} MAXRESULTS {PAGE_SIZE}"
            body = self.call("GET", "query", params={"query": paged})
            page = body.get("QueryResponse", {}).get(entity, [])
            rows.extend(page)
            if len(page) < PAGE_SIZE:
                return rows

    def read(self, entity: str, entity_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.call("GET", f"{entity.lower()}/{entity_id}")[entity]
        return found

    def write(
        self, entity: str, body: dict[str, Any], requestid: str, operation: str | None = None
    ) -> dict[str, Any]:
        """Create (no Id), update (Id + SyncToken) or ``operation=delete``."""
        params = {"requestid": requestid}
        if operation:
            params["operation"] = operation
        saved: dict[str, Any] = self.call("POST", entity.lower(), params=params, body=body)[entity]
        return saved

    def upload(
        self, metadata: dict[str, Any] | None, file_name: str, content_type: str, data: bytes
    ) -> dict[str, Any]:
        """``POST /upload`` of one file (multipart: ``file_metadata_01`` JSON, when given,
        and ``file_content_01``); the stored Attachable. QBO answers HTTP 200 even when it
        refuses the file: the refusal is the item's ``Fault`` (6000, 6041...), raised here as
        :class:`QboFault`. No requestid and no blind retry: QBO documents neither for
        uploads, so after an error without an answer the caller looks for the file first."""
        files: dict[str, tuple[str | None, bytes | str, str]] = {}
        if metadata is not None:
            files["file_metadata_01"] = (None, json.dumps(metadata), "application/json")
        files["file_content_01"] = (file_name, data, content_type)
        body = self.call("POST", "upload", files=files, retry_unanswered=False)
        items = body.get("AttachableResponse") or [{}]
        item = items[0] if isinstance(items[0], dict) else {}
        fault = fault_from_body(item, 200)
        if fault is not None:
            raise fault
        if "Attachable" not in item:
            raise QboFault("UPLOAD", f"QuickBooks stored no Attachable: {str(body)[:200]}")
        stored: dict[str, Any] = item["Attachable"]
        return stored

    def send(self, entity: str, entity_id: str, send_to: str | None = None) -> dict[str, Any]:
        """``POST /<entity>/<id>/send[?sendTo=]``: QBO e-mails the transaction. Not retried
        after an error without an answer (the e-mail may be out): the caller checks the
        transaction's ``EmailStatus``/``DeliveryInfo`` before sending again."""
        params = {"sendTo": send_to} if send_to else None
        path = f"{entity.lower()}/{entity_id}/send"
        sent: dict[str, Any] = self.call("POST", path, params=params, retry_unanswered=False)[
            entity
        ]
        return sent

    # --- transport ----------------------------------------------------------------------
    def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
        retry_unanswered: bool = True,
    ) -> dict[str, Any]:
        """One API call; 401 refreshes once, throttles wait. 5xx and connection errors back
        off and retry, unless ``retry_unanswered`` is False (a write that may have happened
        and is not idempotent: the caller checks QBO before trying again)."""
        url = self.conn.company_url(path)
        query = {"minorversion": MINOR_VERSION, **(params or {})}
        refreshed = False
        waits = list(BACKOFF_SECONDS) if retry_unanswered else []
        throttled = 0
        payload: dict[str, Any] = {"files": files} if files is not None else {"json": body}
        while True:
            try:
                response = self.http.request(
                    method,
                    url,
                    params=query,
                    headers=self._headers(),
                    timeout=TIMEOUT_SECONDS,
                    **payload,
                )
            except requests.RequestException as exc:
                if not waits:
                    raise Transient("NO_ANSWER", f"no answer from QuickBooks: {exc}") from exc
                self.conn.sleep(waits.pop(0))
                continue
            status = response.status_code
            if status == 401 and not refreshed and self.refresh_token:
                refreshed = True
                self.refresh()
                continue
            if self.is_throttle(response):  # 429, or the legacy 403 ThrottleExceeded
                throttled += 1
                if throttled > self.throttle_retries:
                    raise Transient("429", f"QuickBooks throttled every retry (HTTP {status})")
                self.conn.sleep(THROTTLE_WAIT_SECONDS)
                continue
            if status >= 500:
                if not waits:
                    fault = self.parse_fault(response)
                    text = fault.describe() if fault else f"QuickBooks answered HTTP {status}"
                    raise Transient(str(status), text)
                self.conn.sleep(waits.pop(0))
                continue
            fault = self.parse_fault(response)
            if fault is not None:  # 4xx, and the legacy 200-with-Fault (§1.5)
                raise fault
            if status >= 400:
                raise QboFault(str(status), f"QuickBooks answered HTTP {status}")
            answer: dict[str, Any] = response.json()
            return answer

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.access_token}",
            "Accept": "application/json",
        }

    def refresh(self) -> None:
        """Exchange the refresh token; keep the new one (the old one soon stops working)."""
        response = self.http.post(
            self.conn.oauth_token_url,
            data={"grant_type": "refresh_token", "refresh_token": self.refresh_token},
            auth=(self.conn.client_id or "", self.conn.client_secret or ""),
            headers={"Accept": "application/json"},
            timeout=TIMEOUT_SECONDS,
        )
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or "access_token" not in body:
            error = body.get("error_description") or body.get("error") or response.status_code
            raise QboFault(
                "AUTH",
                f"Reconnect to QuickBooks: the token refresh was refused ({error})",
            )
        self.access_token = body["access_token"]
        self.refresh_token = body.get("refresh_token", self.refresh_token)
        self.conn.access_token, self.conn.refresh_token = self.access_token, self.refresh_token
        if body.get("expires_in") is not None:  # when the new access token expires
            self.conn.access_token_expires_at = self.conn.now() + timedelta(
                seconds=int(body["expires_in"])
            )
        self.refreshes += 1
