"""The state of one scenario run, shared by the steps: simulator, company, integration,
aliases of QBO entities, the records applied so far, and harness-made journal entries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from qbo_sim.auth import DEV_TOKEN
from qbo_sim.harness.errors import (
    HarnessError,
    IntegrationError,
    StepError,
    UnsyncedRecordError,
)
from qbo_sim.harness.integration import Driver, RecordStatus
from qbo_sim.harness.model import Scenario
from qbo_sim.harness.protocol import ProtocolError

if TYPE_CHECKING:
    from qbo_sim.simulator import Simulator

_WHOLE_REF = re.compile(r"^\$(qbo|record|realm)\b(.*)$")
_EMBEDDED_REF = re.compile(r"\$\{([^}]+)\}")

SANDBOX_BASE_URL = "https://sandbox-quickbooks.api.intuit.com"
PRODUCTION_BASE_URL = "https://quickbooks.api.intuit.com"
#: rows asked for per page by :meth:`RunContext.query_all` (QBO's largest MAXRESULTS)
PAGE_SIZE = 1000
_PAGED = re.compile(r"\b(STARTPOSITION|MAXRESULTS)\b|COUNT\s*\(", re.IGNORECASE)


@dataclass
class Failure:
    """One thing that went wrong, with where it is in the scenario file."""

    line: int
    where: str
    title: str
    expected: str = ""
    observed: str = ""
    reason: str = ""
    because: str = ""
    traceback: str = ""


class StepFailed(HarnessError):
    """Raised by a step or an ``expect`` checkpoint; carries its failures.

    ``fatal=False`` (an expectation that does not hold, records that did not settle) is a
    verdict: the runner records the failures and runs the remaining steps and the invariants.
    ``fatal=True`` (the default) means the step could not run at all, and the scenario stops.
    """

    def __init__(self, failures: list[Failure], *, fatal: bool = True) -> None:
        self.failures = failures
        self.fatal = fatal
        super().__init__("; ".join(f.title for f in failures))


@dataclass
class RunContext:
    scenario: Scenario
    sim: Simulator
    realm: str
    driver: Driver | None = None
    aliases: dict[str, Any] = field(default_factory=dict)
    #: (kind, key) → the latest change applied (order of first application kept).
    records: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    #: step id → journal sequence number when the step started.
    step_seqs: dict[str, int] = field(default_factory=dict)
    #: journal sequence numbers of requests the harness itself made (queries).
    harness_seqs: set[int] = field(default_factory=set)
    #: invoice record key → how many times the operator asked to e-mail it (``send``).
    sends: dict[str, int] = field(default_factory=dict)
    #: alias → realm of the scenario's other companies (``given.companies``).
    companies: dict[str, str] = field(default_factory=dict)
    #: statuses read at once for a block that only reads (:meth:`statuses_read`).
    _statuses_known: dict[tuple[str, str], RecordStatus] = field(default_factory=dict, repr=False)

    @contextmanager
    def company(self, alias: str | None) -> Iterator[None]:
        """Run a step, an expectation or an invariant in the company ``alias`` (None: the
        scenario's own): QBO user actions, injected faults, queries and the journal follow."""
        if alias is None:
            yield
            return
        if alias not in self.companies:
            known = ", ".join(sorted(self.companies)) or "none (no given.companies)"
            raise StepError(f"unknown company {alias!r} (companies: {known})")
        saved, self.realm = self.realm, self.companies[alias]
        try:
            yield
        finally:
            self.realm = saved

    @property
    def api_host(self) -> str:
        """The API host of the company's environment (a company answers only on its own)."""
        company = self.sim.company(self.realm)
        if getattr(company, "environment", "sandbox") == "production":
            return PRODUCTION_BASE_URL
        return SANDBOX_BASE_URL

    # --- references -----------------------------------------------------------------------
    def resolve(self, value: Any) -> Any:
        """Replace ``$qbo.alias.Path`` / ``$record.kind.key.field`` / ``$realm`` references."""
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, str):
            return value
        if _WHOLE_REF.match(value) and " " not in value:
            return self._lookup(value[1:])
        return _EMBEDDED_REF.sub(lambda m: str(self._lookup(m.group(1).lstrip("$"))), value)

    def _lookup(self, ref: str) -> Any:
        head, *rest = ref.split(".")
        if head == "realm" and not rest:
            return self.realm
        if head == "realm" and len(rest) == 1 and rest[0] in self.companies:
            return self.companies[rest[0]]
        if head == "qbo" and rest:
            alias, path = rest[0], rest[1:]
            if alias not in self.aliases:
                known = ", ".join(sorted(self.aliases)) or "none"
                raise StepError(f"unknown alias $qbo.{alias} (aliases so far: {known})")
            return dig(self.aliases[alias], path, ref)
        if head == "record" and len(rest) == 3:
            kind, key, attr = rest
            status = self.status(kind, key)
            if not hasattr(status, attr):
                raise StepError(f"${ref}: a record status has no field {attr!r}")
            value = getattr(status, attr)
            if value is None and attr == "qbo_id":
                raise UnsyncedRecordError(
                    f"${ref} is empty: {kind} {key!r} has no QBO id", status.describe()
                )
            return value
        raise StepError(f"cannot resolve ${ref}")

    # --- integration and QBO --------------------------------------------------------------
    def status(self, kind: str, key: str) -> RecordStatus:
        known = self._statuses_known.get((kind, key))
        if known is not None:
            return known
        assert self.driver is not None
        return self.driver.status(kind, key)

    def statuses(self, records: list[tuple[str, str]]) -> list[RecordStatus]:
        """Several records' statuses, in order (one request to a subprocess that can)."""
        assert self.driver is not None
        return self.driver.statuses(records)

    @contextmanager
    def statuses_read(self, records: list[tuple[str, str]]) -> Iterator[None]:
        """For a block that only reads (an ``expect`` step): the records' statuses asked at
        once, and :meth:`status` answered from them. When the batch fails (a record the
        integration does not know), nothing is kept, so each check asks and reports alone."""
        wanted = list(dict.fromkeys(records))
        if len(wanted) > 1:
            try:
                self._statuses_known = dict(zip(wanted, self.statuses(wanted), strict=True))
            except ProtocolError:
                raise
            except IntegrationError:
                self._statuses_known = {}
        try:
            yield
        finally:
            self._statuses_known = {}

    def journal_since(self, seq: int = 0) -> list[Any]:
        """API requests (and QBO user edits) after ``seq``, without the harness's own."""
        entries = self.sim.journal.entries(realm=self.realm, since=seq)
        return [e for e in entries if e.seq not in self.harness_seqs]

    def since_seq(self, step_id: str | None) -> int:
        if step_id is None:
            return 0
        if step_id not in self.step_seqs:
            raise StepError(f"no step with id {step_id!r} has run yet")
        return self.step_seqs[step_id]

    def query(self, text: str) -> tuple[int, Any]:
        """Run a QBO query through the API (excluded from journal expectations)."""
        return self._harness_get("query?" + urlencode({"query": text}))

    def report(self, name: str, params: dict[str, Any]) -> tuple[int, Any]:
        """Run a QBO report through the API (excluded from journal expectations)."""
        query = f"?{urlencode({k: str(v) for k, v in params.items()})}" if params else ""
        return self._harness_get(f"reports/{name}{query}")

    def query_all(self, text: str) -> list[dict[str, Any]] | Failure:
        """Every row a query matches, page by page (``STARTPOSITION``/``MAXRESULTS``): QBO
        answers at most 100 rows unless asked for more. A query that names its own page, or
        ``COUNT(*)``, runs once as written (its ``totalCount`` stands for the rows' number).
        A query that does not answer 200 with a ``QueryResponse`` gives a Failure."""
        paged = not _PAGED.search(text)
        rows: list[dict[str, Any]] = []
        start = 1
        while True:
            sent = f"{text} STARTPOSITION {start} MAXRESULTS {PAGE_SIZE}" if paged else text
            status, body = self.query(sent)
            if status != 200 or not isinstance(body, dict) or "QueryResponse" not in body:
                return Failure(
                    0,
                    "",
                    f"query failed: {sent}",
                    "HTTP 200 with a QueryResponse",
                    f"HTTP {status}: {str(body)[:300]}",
                    "the QBO query could not run",
                )
            answer = body["QueryResponse"]
            page = next((v for v in answer.values() if isinstance(v, list)), [])
            if not paged and not page and isinstance(answer.get("totalCount"), int):
                return [{} for _ in range(answer["totalCount"])]
            rows.extend(page)
            if not paged or not page or start > 10_000_000:
                return rows
            start += len(page)

    def read(self, entity: str, entity_id: str) -> tuple[int, Any]:
        """Read one entity by Id through the API (excluded from journal expectations)."""
        return self._harness_get(f"{entity.lower()}/{entity_id}")

    def _harness_get(self, path: str) -> tuple[int, Any]:
        client = self.sim.app.test_client()
        before = self.sim.journal.last_seq()
        res = client.get(
            f"/v3/company/{self.realm}/{path}",
            headers={"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/json"},
        )
        self.harness_seqs.update(range(before + 1, self.sim.journal.last_seq() + 1))
        try:
            body = res.get_json(silent=True)
        except Exception:  # pragma: no cover - defensive: non-JSON answer
            body = None
        return res.status_code, body if body is not None else res.get_data(as_text=True)


def dig(value: Any, path: list[str] | tuple[str, ...], ref: str = "") -> Any:
    """``dig(entity, ["CustomerRef", "value"])``; list indexes allowed (``Line.0.Amount``)."""
    for part in path:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise StepError(f"${ref}: no field {part!r}" if ref else f"no field {part!r}")
    return value
