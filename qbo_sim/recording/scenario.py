"""``qbo-sim scenarios from-recording``: a recording becomes a snapshot and a scenario skeleton.

The snapshot (:mod:`qbo_sim.snapshot` format, for ``given.snapshot``) is an ``empty``
company with the recording's realm id plus the entities its answers carried (CompanyInfo and
Preferences replace the preset's when the recording read them), Id sequences past the
highest recorded Ids, and the clock frozen just after the last exchange. By default it is the
books *before* the recording: every entity the recording read or updated as first seen,
without those it created, so the integration run again makes the same calls and meets the
recorded faults on them; ``--state after`` gives the books as the recording left them
(entities as last seen, deletions in the deleted table).

The skeleton starts from that snapshot (with ``given.aliases`` for its named entities), injects
each failed call's fault in the order the recording met them (``inject``: the catalogue entry
whose code, Message and Detail answer it, with the Detail's params; consecutive repeats as one
rule with ``times``), and expects each faulted call once the support engineer has added the
customer's records (``apply``) and the expectation the fix must meet (the ``TODO`` lines).
A fault no catalogue entry answers (a code qbo-sim does not know yet, an OAuth error) is left
as a comment naming it. The file validates as written.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from qbo_sim import attachments
from qbo_sim.entities import ENTITIES
from qbo_sim.harness.capture import FaultedCall, faulted_calls, suggested_aliases, write_skeleton
from qbo_sim.harness.scaffold import yaml_string
from qbo_sim.recording.content import (
    CatalogueMatch,
    CompanyRows,
    RecordedFault,
    catalogue_match,
    company_rows,
    entities_of,
    entity_and_operation,
    fault_of,
    request_entities,
    short_path,
    uploaded_files,
)
from qbo_sim.recording.format import Exchange, Recording, RecordingError
from qbo_sim.recording.records import Derivation, derive
from qbo_sim.recording.standins import Reference, index_free, references, stand_ins

#: Settings entities (CompanyInfo, Preferences): the recording's copy replaces the preset's.
SETTINGS = tuple(name for name, spec in ENTITIES.items() if spec.kind == "settings")


@dataclass
class FaultStep:
    """One ``inject`` step: a recorded fault and the calls it answered (consecutive repeats)."""

    seqs: list[int]
    method: str
    path: str
    entity: str | None
    operation: str
    fault: RecordedFault
    match: CatalogueMatch | None
    #: calls the rule would match, and reach, before this fault: those QBO answered, and
    #: faulted ones no earlier rule injects (the rule's ``skip``: it lets them through)
    earlier: int = 0

    @property
    def times(self) -> int:
        return len(self.seqs)

    def same_as(self, other: FaultStep) -> bool:
        return (self.method, self.path, self.fault, self.match) == (
            other.method,
            other.path,
            other.fault,
            other.match,
        )

    def rule(self) -> dict[str, Any] | None:
        """The injector rule (scenario ``inject`` mapping), or None when nothing answers it."""
        if self.match is None:
            return None
        rule: dict[str, Any] = {"fault": self.match.fault}
        if self.match.params:
            rule["params"] = dict(self.match.params)
        if self.match.envelope:
            rule["envelope"] = self.match.envelope
        if self.entity is not None and self.operation not in ("other",):
            rule["entity"] = self.entity
            rule["operation"] = self.operation
        elif self.operation in ("batch", "cdc"):
            rule["operation"] = self.operation
        else:
            rule["method"] = self.method
            rule["path"] = self.path
        if self.earlier:
            rule["skip"] = self.earlier
        rule["times"] = self.times
        return rule


@dataclass
class RecordedScenario:
    """What a recording gives a scenario: the snapshot, the realm and the faults in order."""

    snapshot: dict[str, Any]
    realm: str
    faults: list[FaultStep] = field(default_factory=list)
    calls: list[FaultedCall] = field(default_factory=list)
    exchanges: int = 0
    origin: str = ""
    #: the records the recorded writes came from, by sync pass (:mod:`.records`)
    derivation: Derivation = field(default_factory=Derivation)
    #: the references the snapshot's stand-ins answer
    stand_ins: list[Reference] = field(default_factory=list)


def pick_realm(recording: Recording, realm: str | None) -> str:
    realms = recording.realms
    if realm is not None:
        if realm not in realms:
            raise RecordingError(f"realm {realm} is not in the recording (it has: {realms})")
        return realm
    if len(realms) != 1:
        raise RecordingError(
            f"the recording names {len(realms)} companies ({', '.join(realms) or 'none'}): "
            "pick one with --realm"
        )
    return realms[0]


def build_snapshot(
    recording: Recording, realm: str, *, when: str = "last", seed: int = 0
) -> dict[str, Any]:
    """The company the recording shows, as a snapshot document (checked against its schema).

    ``when``: ``"last"`` (as the recording left it) or ``"before"`` (as first seen, without
    what the recording created: where a replay starts). Every entity the company's rows or
    the recorded requests refer to is in it, as recorded or as a stand-in
    (:mod:`qbo_sim.recording.standins`), and every Attachable the recording uploaded keeps
    its file (``extras["attachment_files"]``)."""
    return snapshot_of(recording, realm, when=when, seed=seed)[0]


def snapshot_of(
    recording: Recording, realm: str, *, when: str = "last", seed: int = 0
) -> tuple[dict[str, Any], list[Reference]]:
    """:func:`build_snapshot`, and the references its stand-ins answer (one per stand-in)."""
    from qbo_sim import snapshot
    from qbo_sim.simulator import Simulator

    rows = company_rows(recording.exchanges, realm, when)
    names = [
        str(row["CompanyName"])
        for type_name in SETTINGS
        for row in rows.rows.get(type_name, {}).values()
        if row.get("CompanyName")
    ]
    name = names[0] if names else None
    sim = Simulator(seed=seed)
    sim.create_company("empty", realm_id=realm, name=name)
    doc = snapshot.export_state(sim, realm)
    company = doc["companies"][0]
    for part, found in (("entities", rows.rows), ("deleted", rows.deleted)):
        tables: dict[str, list[dict[str, Any]]] = company.setdefault(part, {})
        for type_name, table in found.items():
            if type_name not in ENTITIES:
                continue
            kept = (
                {}
                if type_name in SETTINGS
                else {str(r["Id"]): r for r in tables.get(type_name, [])}
            )
            kept.update(table)
            tables[type_name] = [kept[i] for i in sorted(kept, key=_id_order)]
    made = _add_stand_ins(company, recording.exchanges, realm, rows)
    _add_files(company, recording.exchanges, realm)
    company["sequences"] = _sequences(company)
    doc["clock"] = {"now": _after(recording.exchanges), "frozen": True}
    snapshot.check(doc)
    return doc, made


def _add_stand_ins(
    company: dict[str, Any], exchanges: list[Exchange], realm: str, rows: CompanyRows
) -> list[Reference]:
    """Add a stand-in for every entity the company's rows or the recorded writes refer to
    that the company does not have; the references they answer, in order."""
    have = set(rows.created)
    for part in ("entities", "deleted"):
        for type_name, table in (company.get(part) or {}).items():
            have |= {(type_name, str(r["Id"])) for r in table}
    found: list[Reference] = []
    for type_name, table in (company.get("entities") or {}).items():
        for row in table:
            found += references(type_name, row)
    for exchange in exchanges:
        if exchange.realm != realm:
            continue
        fault = fault_of(exchange)
        # a reference QBO answered 2500 on did not exist (no element: any of the request's)
        refused = None if fault is None or fault.code != "2500" else (fault.element or "")
        for type_name, row in request_entities(exchange):
            found += [
                ref
                for ref in references(type_name, row)
                if refused is None or (refused and index_free(ref.path) != refused)
            ]
        if exchange.response is not None and fault is None:  # answers name their references
            for type_name, row in entities_of(exchange.response):
                found += references(type_name, row)
    start = _before(exchanges)
    made = stand_ins(found, have, start, int(company.get("utc_offset_minutes") or 0))
    tables = company.setdefault("entities", {})
    for type_name, table in made.items():
        merged = {str(r["Id"]): r for r in tables.get(type_name, [])} | table
        tables[type_name] = [merged[i] for i in sorted(merged, key=_id_order)]
    answered: list[Reference] = []
    for ref in found:
        if ref.id in made.get(ref.type, {}) and all(
            (a.type, a.id) != (ref.type, ref.id) for a in answered
        ):
            answered.append(ref)
    return answered


def _add_files(company: dict[str, Any], exchanges: list[Exchange], realm: str) -> None:
    """The bytes of every Attachable of the company that a recorded upload sent: the upload's
    file parts, paired in order with the Attachables of its answer."""
    rows = {str(r["Id"]): r for r in (company.get("entities") or {}).get(attachments.ENTITY, [])}
    files: dict[str, dict[str, str]] = {}
    for exchange in exchanges:
        if exchange.realm != realm or short_path(exchange) != "/upload":
            continue
        if exchange.response is None or (exchange.status or 0) >= 400:
            continue
        answer = exchange.response.json()
        items = answer.get("AttachableResponse") if isinstance(answer, dict) else None
        if not isinstance(items, list):
            continue
        for item, (_metadata, part) in zip(items, uploaded_files(exchange), strict=False):
            row = item.get(attachments.ENTITY) if isinstance(item, dict) else None
            if not isinstance(row, dict) or str(row.get("Id")) not in rows:
                continue
            filename = str(row.get("FileName") or part.filename or "")
            files[str(row["Id"])] = {
                "key": attachments.object_key(realm, str(row["Id"]), filename),
                "content_type": str(
                    row.get("ContentType") or part.content_type or attachments.OPAQUE_TYPE
                ),
                "data": base64.b64encode(part.data).decode("ascii"),
            }
    for attachable_id in files:  # the links are presented from the file, signed anew
        for name in attachments.LINK_FIELDS:
            rows[attachable_id].pop(name, None)
    if files:
        extras = company.setdefault("extras", {})
        extras[attachments.FILES] = {**extras.get(attachments.FILES, {}), **files}


def _id_order(entity_id: str) -> tuple[int, int, str]:
    return (0, int(entity_id), "") if entity_id.isdigit() else (1, 0, entity_id)


def _sequences(company: dict[str, Any]) -> dict[str, int]:
    """Id sequences past every numeric Id of the company (new entities never collide)."""
    sequences = dict(company.get("sequences") or {})
    for part in ("entities", "deleted"):
        for type_name, table in (company.get(part) or {}).items():
            spec = ENTITIES.get(type_name)
            if spec is None or type_name in SETTINGS:
                continue
            ids = [int(r["Id"]) for r in table if str(r.get("Id", "")).isdigit()]
            if not ids:
                continue
            name = "txn" if spec.is_transaction else f"list:{type_name}"
            sequences[name] = max(sequences.get(name, 0), max(ids))
    return dict(sorted(sequences.items()))


def _instants(exchanges: list[Exchange]) -> list[datetime]:
    instants = []
    for exchange in exchanges:
        try:
            instants.append(datetime.fromisoformat(exchange.started.replace("Z", "+00:00")))
        except ValueError:
            continue
    return instants or [datetime(2026, 1, 1, tzinfo=UTC)]


def _after(exchanges: list[Exchange]) -> str:
    """One second after the last exchange started (UTC ISO 8601)."""
    return (max(_instants(exchanges)).astimezone(UTC) + timedelta(seconds=1)).isoformat()


def _before(exchanges: list[Exchange]) -> datetime:
    """When the first exchange started: what the recording found existed by then."""
    return min(_instants(exchanges)).astimezone(UTC)


def fault_steps(exchanges: list[Exchange], realm: str | None = None) -> list[FaultStep]:
    """The failed calls in order, consecutive repeats of one fault on one call merged."""
    steps: list[FaultStep] = []
    answered: dict[tuple[str | None, str, str, str], int] = {}
    for exchange in exchanges:
        fault = fault_of(exchange)
        if realm is not None and exchange.realm not in (None, realm):
            continue
        entity, operation = entity_and_operation(exchange)
        kind = (entity, operation, exchange.method, short_path(exchange))
        match = None if fault is None else catalogue_match(fault)
        if fault is None or match is None:  # a call an injected rule would let through
            answered[kind] = answered.get(kind, 0) + 1
        if fault is None:
            continue
        step = FaultStep(
            [exchange.seq],
            exchange.method,
            short_path(exchange),
            entity,
            operation,
            fault,
            match,
            answered.get(kind, 0),
        )
        if steps and steps[-1].same_as(step) and steps[-1].seqs[-1] == exchange.seq - 1:
            steps[-1].seqs.append(exchange.seq)
        else:
            steps.append(step)
    return steps


def journal_entries(exchanges: list[Exchange]) -> list[dict[str, Any]]:
    """The exchanges as journal entries (``JournalEntry.to_dict()`` keys the capture reads)."""
    entries: list[dict[str, Any]] = []
    for exchange in exchanges:
        fault = fault_of(exchange)
        response = None if exchange.response is None else exchange.response.json()
        entries.append(
            {
                "seq": exchange.seq,
                "method": exchange.method,
                "path": exchange.path,
                "query": {},
                "status": exchange.status or 0,
                "fault_code": None if fault is None else fault.code,
                "response": response,
                "user_edit": False,
            }
        )
    return entries


def from_recording(
    recording: Recording, realm: str | None = None, *, when: str = "before"
) -> RecordedScenario:
    """Everything the scenario and its snapshot are made of; ``when`` is the snapshot's
    moment (:func:`build_snapshot`): ``"before"`` by default, so the integration, run again,
    makes the recorded calls again and meets the recorded faults on them."""
    realm = pick_realm(recording, realm)
    mine = [e for e in recording.exchanges if e.realm in (None, realm)]
    api = [e for e in mine if e.realm == realm]
    doc, made = snapshot_of(recording, realm, when=when)
    tables = {
        name: {str(row["Id"]): row for row in rows}
        for name, rows in doc["companies"][0].get("entities", {}).items()
    }
    return RecordedScenario(
        snapshot=doc,
        realm=realm,
        faults=fault_steps(mine, realm),
        calls=faulted_calls(journal_entries(api), realm),
        exchanges=len(recording.exchanges),
        origin=str(recording.path or "a recording"),
        derivation=derive(recording.exchanges, realm, tables),
        stand_ins=made,
    )


def _flow(rule: dict[str, Any]) -> str:
    """A YAML flow mapping of a rule (strings quoted as JSON, which YAML reads)."""
    parts = []
    for key, value in rule.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k}: {yaml_string(str(v))}" for k, v in value.items())
            parts.append(f"{key}: {{{inner}}}")
        elif isinstance(value, int):
            parts.append(f"{key}: {value}")
        else:
            parts.append(f"{key}: {yaml_string(str(value))}")
    return "{" + ", ".join(parts) + "}"


def _fault_lines(step: FaultStep) -> list[str]:
    seqs = ", ".join(f"#{n}" for n in step.seqs)
    seen = f"recorded {seqs}: {step.method} {step.path} -> {step.fault.describe()}"
    rule = step.rule()
    if rule is None:
        return [
            f"  # {seen}: no catalogue fault answers it (qbo_sim/faults.py; how to add one:",
            "  # docs/fidelity.md, 'Contributing a recording'); FILL IN what reproduces it",
        ]
    lines = []
    if step.earlier:
        what = f"{step.entity} {step.operation}" if step.entity else f"{step.method} {step.path}"
        lines.append(
            f"  # {step.earlier} earlier {what} call(s) went through in the recording: skip them"
        )
    if step.match is not None and not step.match.exact:
        lines.append(
            "  # the catalogue's Message/Detail differ from the recorded ones "
            "(qbo-sim parity shows how)"
        )
    lines.append(f"  - name: {yaml_string(seen)}")
    lines.append(f"    inject: {_flow(rule)}")
    return lines


def _expectation(call: FaultedCall) -> list[str]:
    flt = f"method: {call.method}, path_contains: {yaml_string(call.path)}, status: {call.status}"
    if call.fault_code:
        flt += f", fault_code: {yaml_string(str(call.fault_code))}"
    return [
        f"      - requests: {{{flt}}}",
        "        min_count: 1",
        f"        because: {yaml_string(f'recorded: {call.count} call(s), e.g. {call.example}')}",
    ]


SYNC = "  - sync: {until_settled: true, max_passes: 3}"
MAX_STAND_INS_SHOWN = 20


def _pass_lines(derivation: Derivation) -> list[str]:
    """The ``apply`` and ``sync`` steps of the recorded passes (or what to fill in)."""
    if not derivation.records and not any(p.notes for p in derivation.passes):
        return [
            "  # FILL IN: the customer's records, e.g.",
            "  # - apply:",
            "  #     - {kind: customer, key: C1, data: {name: ...}}",
            SYNC,
        ]
    lines = [
        "  # the records the integration synced, from its recorded writes (check them against",
        "  # the ticket: names, amounts, what was not recorded):",
    ]
    for number, one in enumerate(derivation.passes):
        if number:
            lines.append(f"  # {one.pause:.0f} s without a call in the recording: the next pass")
            lines.append(f"  - advance_clock: {{seconds: {one.pause:.0f}}}")
        lines += [f"  # FILL IN: {note}" for note in one.notes]
        if one.records:
            lines.append("  - apply:")
            lines += [f"      - {json.dumps(record)}" for record in one.records]
        lines.append(SYNC)
    return lines


def render(recorded: RecordedScenario, name: str, snapshot_ref: str, source: str = "") -> str:
    """The scenario skeleton; ``snapshot_ref`` is ``given.snapshot`` as written."""
    company = recorded.snapshot["companies"][0]
    aliases, left_out = suggested_aliases(company)
    faulted = sum(step.times for step in recorded.faults)
    lines = [
        f"# Built by `qbo-sim scenarios from-recording` from {recorded.origin}",
        f"# ({recorded.exchanges} exchanges, {faulted} failed).",
        "# FILL IN: check the records the integration synced (the apply steps, derived from",
        "# its recorded writes; FILL IN lines mark what they could not say) and write the",
        "# expectation the fix must meet (the TODO lines); then:",
        "# qbo-sim scenarios validate <this file>; qbo-sim scenarios run <this file> -i ...",
        f"name: {yaml_string(name)}",
        "description: >",
        "  FILL IN: the customer's ticket: what failed, what QBO answered, what should happen.",
        "tags: [support, recorded]",
        f"source: {yaml_string(source or 'FILL IN: the ticket; recorded traffic')}",
        "given:",
        f"  snapshot: {yaml_string(snapshot_ref)}",
    ]
    if recorded.stand_ins:
        lines.append(
            "  # stand-ins: entities the recording only referred to (never read), made from the"
        )
        lines.append("  # references with their Ids (qbo_sim/recording/standins.py):")
        shown = recorded.stand_ins[:MAX_STAND_INS_SHOWN]
        lines += [
            f"  #   {ref.type} {ref.id}" + (f" {ref.name!r}" if ref.name else "") for ref in shown
        ]
        if len(recorded.stand_ins) > len(shown):
            lines.append(f"  #   and {len(recorded.stand_ins) - len(shown)} more")
    if aliases:
        lines.append(
            "  # the company's entities, found when the scenario starts ($qbo.<alias>.Id):"
        )
        lines.append("  aliases:")
        lines += [f"    {alias}: {spec}" for alias, _, spec in aliases]
        if left_out:
            lines.append(f"    # {left_out} more entities not listed: add the ones the steps need")
    lines.append("steps:")
    if recorded.faults:
        lines.append("  # the recording's failed calls, in order, each injected on its call:")
        for step in recorded.faults:
            lines += _fault_lines(step)
    lines += _pass_lines(recorded.derivation)
    lines += [
        "  - expect:",
        "      # TODO(support): what the integration must do after these faults, e.g.",
        "      # - status: {kind: invoice, key: ..., is: synced}",
    ]
    if recorded.calls:
        lines.append("      # the recording's faulted API calls:")
        for call in recorded.calls:
            lines += _expectation(call)
    else:
        lines += [
            "      # no API call failed in the recording: FILL IN what the ticket reports",
            "      - requests: {status: 400}",
            "        count: 0",
        ]
    return "\n".join(lines) + "\n"


def write(
    recorded: RecordedScenario,
    scenario_path: str | Path,
    *,
    name: str,
    fixture_path: str | Path | None = None,
    source: str = "",
) -> tuple[Path, Path]:
    """Write the snapshot fixture and the scenario skeleton; return both paths."""
    return write_skeleton(
        recorded.snapshot,
        lambda ref: render(recorded, name, ref, source),
        scenario_path,
        fixture_path,
    )
