"""``qbo-sim scenarios capture``: freeze a failure reproduced by hand as a scenario fixture.

From a running simulator (``--url``): the company's snapshot (``GET /_sim/snapshot``) and the
faulted API calls of its journal (``GET /_sim/journal?realm=R``, status 400 and above, QBO user
edits left out). From a snapshot file: the company only. Either way two files are written: the
snapshot fixture (``fixtures/<name>.json`` next to the scenario, the pretty ``dumps`` text) and a
scenario skeleton whose ``given.snapshot`` points at it, with ``given.aliases`` for the
company's named entities and one ``requests`` expectation per distinct faulted call (method,
path, status, fault code), so the failure the support engineer saw is what the scenario checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qbo_sim.harness.errors import HarnessError
from qbo_sim.harness.scaffold import relative_to_scenario, yaml_string

#: entity → the field an alias query finds it by (None: by Id). Entities not listed (Preferences,
#: CompanyInfo, TaxCode...) get no alias.
ALIAS_FIELDS: dict[str, str | None] = {
    "Account": "Name",
    "Class": "Name",
    "Department": "Name",
    "Item": "Name",
    "Customer": "DisplayName",
    "Vendor": "DisplayName",
    "Employee": "DisplayName",
    "Invoice": "DocNumber",
    "Estimate": "DocNumber",
    "SalesReceipt": "DocNumber",
    "CreditMemo": "DocNumber",
    "Bill": "DocNumber",
    "Payment": None,
    "BillPayment": None,
}
MAX_ALIASES = 20
SOURCE_TO_FILL = "FILL IN: the ticket (number, link) and the article section"


@dataclass(frozen=True)
class FaultedCall:
    """Calls of the journal with the same method, path, status and fault code."""

    method: str
    path: str  # below /v3/company/<realm>, e.g. /invoice
    status: int
    fault_code: str | None
    count: int
    example: str  # the first one, as the journal shows it


@dataclass
class Capture:
    snapshot: dict[str, Any]
    realm: str
    origin: str
    faults: list[FaultedCall] = field(default_factory=list)


class CaptureError(HarnessError):
    """The capture cannot be made (server unreachable, unknown realm, bad snapshot)."""


def _one_realm(realms: list[str], realm: str | None, where: str) -> str:
    if realm is not None:
        if realm not in realms:
            raise CaptureError(f"realm {realm} is not in {where} (it holds: {', '.join(realms)})")
        return realm
    if len(realms) != 1:
        listed = ", ".join(realms) or "none"
        raise CaptureError(
            f"{where} holds {len(realms)} companies ({listed}): pick one with --realm"
        )
    return realms[0]


def _get(url: str, path: str, params: dict[str, str] | None = None) -> Any:
    import requests

    from qbo_sim.control_policy import client_headers

    try:
        res = requests.get(
            url.rstrip("/") + path, params=params, headers=client_headers(), timeout=60
        )
    except requests.RequestException as exc:
        raise CaptureError(f"cannot reach qbo-sim at {url}: {exc}") from None
    if res.status_code != 200:
        raise CaptureError(f"GET {path} answered {res.status_code}: {res.text[:300]}")
    return res.json()


def from_url(url: str, realm: str | None = None, snapshot: dict[str, Any] | None = None) -> Capture:
    """Capture a running simulator's company and its faulted calls. ``snapshot`` (the books
    before the incident, e.g. an earlier ``qbo-sim export``) replaces the server's current
    state; the faults still come from the server's journal."""
    if snapshot is None:
        realms = [c["realm_id"] for c in _get(url, "/_sim/companies")["companies"]]
        realm = _one_realm(realms, realm, url)
        snapshot = _get(url, "/_sim/snapshot", {"realm": realm})
    else:
        realm = _one_realm(_realms_of(snapshot), realm, "the snapshot")
        snapshot = _only(snapshot, realm)
    entries = _get(url, "/_sim/journal", {"realm": realm})["entries"]
    return Capture(snapshot, realm, f"{url} (realm {realm})", faulted_calls(entries, realm))


def _realms_of(doc: dict[str, Any]) -> list[str]:
    companies = doc.get("companies") if isinstance(doc, dict) else None
    if not isinstance(companies, list):
        raise CaptureError("not a qbo-sim snapshot: no 'companies' list")
    return [str(c.get("realm_id")) for c in companies if isinstance(c, dict)]


def read_snapshot_file(path: str | Path) -> dict[str, Any]:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CaptureError(f"cannot read snapshot {path}: {exc}") from None
    if not isinstance(doc, dict) or "qbo_sim_snapshot" not in doc:
        raise CaptureError(f"{path} is not a qbo-sim snapshot (no 'qbo_sim_snapshot')")
    return doc


def from_snapshot(path: str | Path, realm: str | None = None) -> Capture:
    """Capture a snapshot file's company (no journal: the expectations are left to fill in)."""
    doc = read_snapshot_file(path)
    realm = _one_realm(_realms_of(doc), realm, str(path))
    return Capture(_only(doc, realm), realm, f"{path} (realm {realm})")


def _only(doc: dict[str, Any], realm: str) -> dict[str, Any]:
    """The snapshot with the one company the scenario runs in."""
    companies = [c for c in doc["companies"] if str(c.get("realm_id")) == realm]
    return {**doc, "companies": companies}


def faulted_calls(entries: Iterable[dict[str, Any]], realm: str) -> list[FaultedCall]:
    """Journal entries (``JournalEntry.to_dict()``) answered with status ≥ 400, grouped."""
    prefix = f"/v3/company/{realm}"
    groups: dict[tuple[str, str, int, str | None], list[dict[str, Any]]] = {}
    for entry in entries:
        if entry.get("user_edit") or int(entry.get("status") or 0) < 400:
            continue
        path = str(entry.get("path") or "")
        short = path[len(prefix) :] if path.startswith(prefix) else path
        key = (str(entry["method"]), short or "/", int(entry["status"]), entry.get("fault_code"))
        groups.setdefault(key, []).append(entry)
    return [
        FaultedCall(method, path, status, code, len(rows), _describe(rows[0]))
        for (method, path, status, code), rows in groups.items()
    ]


def _describe(entry: dict[str, Any]) -> str:
    query = "&".join(f"{k}={v}" for k, v in (entry.get("query") or {}).items())
    text = f"#{entry.get('seq')} {entry['method']} {entry['path']}{'?' + query if query else ''}"
    text += f" -> {entry['status']}"
    if entry.get("fault_code"):
        text += f" fault {entry['fault_code']}"
    response = entry.get("response")
    errors = (response.get("Fault") or {}).get("Error") if isinstance(response, dict) else None
    if errors and isinstance(errors, list):
        text += f" {errors[0].get('Message')!r}"
    return text


def alias_name(entity: str, value: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", value).strip("_").lower()
    return f"{entity.lower()}_{slug}" if slug else entity.lower()


def suggested_aliases(company: dict[str, Any]) -> tuple[list[tuple[str, str, str]], int]:
    """(alias, entity, YAML flow mapping) for the company's named entities; the count left out.

    An entity whose name or number is unique is found by query; the others by Id."""
    found: list[tuple[str, str, str]] = []
    used: set[str] = set()
    entities = company.get("entities") or {}
    for entity, field_name in ALIAS_FIELDS.items():
        rows = [r for r in entities.get(entity) or [] if isinstance(r, dict)]
        values = [str(r.get(field_name, "")) for r in rows] if field_name else []
        for index, row in enumerate(rows):
            value = values[index] if field_name else ""
            if field_name and value and values.count(value) == 1:
                name = alias_name(entity, value)
                quoted = value.replace("\\", "\\\\").replace("'", "\\'")
                query = f"SELECT * FROM {entity} WHERE {field_name} = '{quoted}'"
                spec = f"{{entity: {entity}, query: {yaml_string(query)}}}"
            else:
                name = alias_name(entity, str(row.get("Id")))
                spec = f"{{entity: {entity}, id: {yaml_string(str(row.get('Id')))}}}"
            while name in used:
                name += "_"
            used.add(name)
            found.append((name, entity, spec))
    return found[:MAX_ALIASES], max(0, len(found) - MAX_ALIASES)


def _expectation(call: FaultedCall) -> list[str]:
    flt = f"method: {call.method}, path_contains: {yaml_string(call.path)}, status: {call.status}"
    if call.fault_code:
        flt += f", fault_code: {yaml_string(str(call.fault_code))}"
    return [
        f"      - requests: {{{flt}}}",
        "        min_count: 1",
        f"        because: {yaml_string(f'captured: {call.count} call(s), e.g. {call.example}')}",
    ]


def render_capture(capture: Capture, name: str, snapshot_ref: str, source: str = "") -> str:
    """The scenario skeleton of a capture; ``snapshot_ref`` is ``given.snapshot`` as written."""
    company = capture.snapshot["companies"][0] if capture.snapshot.get("companies") else {}
    aliases, left_out = suggested_aliases(company)
    lines = [
        f"# Captured by `qbo-sim scenarios capture` from {capture.origin}.",
        "# FILL IN: the records the customer's integration syncs (apply steps), what happens in",
        "# QuickBooks or to it (qbo_user, inject, outage), and the operator's fix (operate);",
        "# then: qbo-sim scenarios validate <this file>; qbo-sim scenarios run <this file> -i ...",
        f"name: {yaml_string(name)}",
        "description: >",
        "  FILL IN: the customer's ticket: what failed, what QBO answered, what should happen.",
        "tags: [support, captured]",
        f"source: {yaml_string(source or SOURCE_TO_FILL)}",
        "given:",
        f"  snapshot: {yaml_string(snapshot_ref)}",
    ]
    if len(capture.snapshot.get("companies") or []) > 1:
        lines.append(f"  realm: {yaml_string(capture.realm)}")
    if aliases:
        lines.append(
            "  # the company's entities, found when the scenario starts ($qbo.<alias>.Id):"
        )
        lines.append("  aliases:")
        lines += [f"    {alias}: {spec}" for alias, _, spec in aliases]
        if left_out:
            lines.append(f"    # {left_out} more entities not listed: add the ones the steps need")
    lines += [
        "steps:",
        "  # FILL IN: the customer's records, e.g.",
        "  # - apply:",
        "  #     - {kind: customer, key: C1, data: {name: ...}}",
        "  - sync: {until_settled: true, max_passes: 3}",
        "  - expect:",
    ]
    if capture.faults:
        lines.append("      # the faulted API calls of the journal when this was captured:")
        for call in capture.faults:
            lines += _expectation(call)
    else:
        lines += [
            "      # no faulted API call was captured: FILL IN what the ticket reports",
            "      - requests: {status: 400}",
            "        count: 0",
        ]
    return "\n".join(lines) + "\n"


def write_capture(
    capture: Capture,
    scenario_path: str | Path,
    *,
    name: str,
    fixture_path: str | Path | None = None,
    source: str = "",
) -> tuple[Path, Path]:
    """Write the snapshot fixture and the scenario skeleton; return both paths."""
    return write_skeleton(
        capture.snapshot,
        lambda ref: render_capture(capture, name, ref, source),
        scenario_path,
        fixture_path,
    )


def write_skeleton(
    snapshot: dict[str, Any],
    render: Callable[[str], str],
    scenario_path: str | Path,
    fixture_path: str | Path | None = None,
) -> tuple[Path, Path]:
    """Write ``snapshot`` as a fixture (default: ``fixtures/<stem>.json`` beside the
    scenario) and the scenario ``render(fixture reference)`` writes; return both paths (used
    by ``scenarios capture`` and ``scenarios from-recording``)."""
    from qbo_sim.snapshot import dumps

    scenario_path = Path(scenario_path)
    if fixture_path is None:
        stem = scenario_path.name.removesuffix(".yaml").removesuffix(".scenario")
        fixture_path = scenario_path.parent / "fixtures" / f"{stem}.json"
    fixture_path = Path(fixture_path)
    fixture_path.parent.mkdir(parents=True, exist_ok=True)
    scenario_path.parent.mkdir(parents=True, exist_ok=True)
    fixture_path.write_text(dumps(snapshot, pretty=True) + "\n", encoding="utf-8")
    ref = relative_to_scenario(fixture_path, scenario_path)
    scenario_path.write_text(render(ref), encoding="utf-8")
    return scenario_path, fixture_path
