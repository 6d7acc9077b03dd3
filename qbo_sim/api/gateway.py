"""The API gateway in front of ``/v3/``: realm, authentication, pluggable hooks (throttling,
fault injection, idempotent replay), the ``intuit_tid`` header and the request journal.

The hooks are ``sim.hooks``, a :class:`qbo_sim.interfaces.Pipeline`: ``before(call)`` of each
in the order of :data:`qbo_sim.interfaces.STAGES` before the view, ``after(call, response)`` in
reverse after it. A hook that returns a response from ``before`` answers the request itself.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from flask import Flask, Response, g, request

from qbo_sim.access_log import FAULT_KEY, REALM_KEY
from qbo_sim.api.context import sim
from qbo_sim.clock import response_time
from qbo_sim.faults import QBOFault
from qbo_sim.hosts import api_environment
from qbo_sim.interfaces import ApiCall, SimulatorLike
from qbo_sim.journal import Deferred

__all__ = ["MINOR_VERSION", "ApiCall", "is_api_path", "new_tid", "register"]

_REALM_PATH = re.compile(r"^/v3/company/(?P<realm>[^/]+)(?P<rest>/.*)?$")


def new_tid() -> str:
    """``intuit_tid`` in the newer format, ``1-6239ef57-12b393bc6e87cb646d9147e2`` (§1.6)."""
    digits = secrets.token_hex(16)  # one draw of the system's randomness, not two
    return f"1-{digits[:8]}-{digits[8:]}"


def register(app: Flask) -> None:
    app.before_request(_before)
    app.after_request(_after)


def is_api_path(path: str) -> bool:
    return path.startswith("/v3/")


def _before() -> Response | None:
    # the objects behind Flask's proxies, bound once: each proxy access costs a lookup
    req = request._get_current_object()  # type: ignore[attr-defined]
    ctx = g._get_current_object()
    ctx.intuit_tid = new_tid()
    path = req.path
    if not is_api_path(path):
        return None
    args = req.args
    call = ApiCall(
        method=req.method,
        path=path,
        args={k: v for k, v in args.items()},
        body=req.get_data(cache=True),
        host=req.host,
        intuit_tid=ctx.intuit_tid,
        requestid=args.get("requestid"),
    )
    ctx.api_call = call
    simulator = sim()
    ctx.request_started = simulator.clock.now()
    _check_minor_version(args.get("minorversion"))
    match = _REALM_PATH.match(path)
    if match is None:
        raise QBOFault("unknown_resource", path=path, url=req.url)
    call.realm_id = ctx.realm_id = match.group("realm")
    call.company = simulator.store.get(call.realm_id)
    if call.company is None and not call.realm_id.isdigit():
        if match.group("rest"):
            # a realm segment that is no realm id (``/v3/company/false/query``): 6000 -30000
            # (node-quickbooks#48; see ``realm_not_a_number`` in faults.py), before the token
            raise QBOFault("realm_not_a_number")
        # no realm in the URL (``/v3/company/query``): QBO cannot route it (§1.5, PHP-SDK#246)
        raise QBOFault("unknown_resource", path=path, url=req.url)
    call.token = simulator.auth.authenticate(call, req.headers.get("Authorization"))
    if call.company is None:  # a token cannot belong to a realm that does not exist
        raise QBOFault("auth_general")
    environment = api_environment(call.host)
    if environment is not None and environment != call.company.environment:
        raise QBOFault("wrong_host")
    answer = simulator.hooks.before(call)
    if answer is not None:
        ctx.answered_by_hook = True
    return answer


#: Every minorversion below this is served as this one, as is a request without one (§5.6).
MINOR_VERSION = 75


def _check_minor_version(raw: str | None) -> int:
    """``minorversion``: absent or below 75 is served as 75 (official, §5.6); a value that is
    not a whole number is refused with a 2010-style fault (assumed, §8)."""
    if raw is None or raw == "":
        return MINOR_VERSION
    if not raw.isdigit():
        raise QBOFault("invalid_property", name=f"minorversion={raw}")
    return max(int(raw), MINOR_VERSION)


def _after(response: Response) -> Response:
    ctx = g._get_current_object()
    response.headers["intuit_tid"] = ctx.get("intuit_tid") or new_tid()
    call: ApiCall | None = ctx.get("api_call")
    if call is None:
        return response
    simulator = sim()
    response = simulator.hooks.after(call, response)
    _journal(simulator, call, response)
    _pace(simulator, ctx.get("request_started"))
    return response


def _pace(simulator: SimulatorLike, started: datetime | None) -> None:
    """``request_seconds``: a request takes that much simulated time. A frozen clock moves on
    by it; a running clock (``qbo-sim serve``) is moved on only as far as needed for the
    request to have lasted that long since it began (overlapping requests share the time, a
    request slower than that moves nothing)."""
    seconds = simulator.request_seconds
    if not seconds:
        return
    clock = simulator.clock
    try:
        if clock.frozen:
            clock.advance(seconds)
        elif started is not None:
            clock.advance_to(started + timedelta(seconds=seconds))
    except ValueError:  # the clock is at the end of its years: it stays there
        pass


def _journal(simulator: SimulatorLike, call: ApiCall, response: Response) -> None:
    """Journal the call. Bodies are handed over as the bytes the gateway has, parsed only
    when the entry is read (:class:`qbo_sim.journal.Deferred`); a JSON answer is parsed here
    only when it may carry a top-level fault, whose code the entry and the access log need."""
    body: Any = None
    if call.body:
        if len(call.body) > simulator.journal.max_body_bytes:
            body = call.body.decode("utf-8", "replace")  # kept truncated: not worth parsing
        else:
            body = Deferred(partial(_request_json, call.body))
    payload: Any = None
    fault_code = None
    response_size: int | None = None
    passthrough = response.direct_passthrough
    data = b"" if passthrough else response.get_data()
    if not passthrough:
        response_size = len(data)
    mimetype = response.mimetype
    if mimetype == "application/json" and not passthrough:
        if b'"Fault"' in data or b'"fault"' in data:
            payload = _response_json(data)
            fault_code = _fault_code(payload)
        else:  # no "Fault" key anywhere: no top-level fault, parsed when read
            payload = Deferred(partial(_response_json, data))
    elif response.status_code == 429:
        fault_code = "3001"
    elif mimetype in ("application/xml", "text/xml") and not passthrough:
        payload = response.get_data(as_text=True)  # XML answers are journalled as text
        code = _XML_FAULT_CODE.search(payload)
        fault_code = code.group(1) if code else None
    # for the server's access log (qbo_sim/access_log.py): what was just worked out, once
    environ = request.environ
    environ[FAULT_KEY] = fault_code
    environ[REALM_KEY] = call.realm_id
    company = call.company
    offset = company.utc_offset_minutes if company else -480
    simulator.journal.record(
        time=response_time(simulator.clock.now(), offset),
        realm=call.realm_id,
        method=call.method,
        path=call.path,
        query=call.args,
        body=body,
        body_size=len(call.body) if call.body else None,
        response_size=response_size,
        status=response.status_code,
        fault_code=fault_code,
        requestid=call.requestid,
        intuit_tid=call.intuit_tid,
        response=payload,
        tags=_tags(call),
    )


def _request_json(raw: bytes) -> Any:
    """A request body as the journal shows it: its JSON, or its text when unreadable."""
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # unreadable bodies are journalled as text
        return text


def _response_json(data: bytes) -> Any:
    """A JSON answer as the journal shows it (None when it does not parse)."""
    try:
        return json.loads(data.decode())
    except ValueError:
        return None


def _tags(call: ApiCall) -> list[str]:
    """What the journal marks about a call besides its answer: ``replay`` (answered from the
    requestid store), ``injected`` (a fault-injection rule decided the answer)."""
    tags = []
    if call.extras.get("requestid_replay"):
        tags.append("replay")
    if "injected_rule" in call.extras:
        tags.append("injected")
    return tags


#: The first error code of a top-level XML fault (not one inside a batch item, as for JSON).
_XML_FAULT_CODE = re.compile(
    r'<IntuitResponse\b[^>]*>\s*<Fault\b[^>]*>\s*<Error\b[^>]*\bcode="([^"]*)"'
)


def _fault_code(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return None
    fault = payload.get("Fault") or payload.get("fault")
    if not isinstance(fault, dict):
        return None
    errors = fault.get("Error") or fault.get("error") or []
    return str(errors[0].get("code")) if errors else None
