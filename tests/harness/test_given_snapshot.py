"""``given.snapshot`` / ``given.realm`` / ``given.aliases``: a scenario starting from a saved
company; its load-time errors name file:line; the worked examples' fixtures stay small."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from support_books import BOOKS, EXPORTED_AT, invoice_1042_books

from qbo_sim import Clock, Simulator
from qbo_sim.harness.errors import ScenarioSchemaError
from qbo_sim.harness.model import load_scenario
from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario
from qbo_sim.scenarios import LIBRARY_DIR
from qbo_sim.snapshot import dumps

ROOT = Path(__file__).resolve().parents[2]
SUPPORT = LIBRARY_DIR / "support"
#: the simulated time the two alias look-ups of ALIASES take (given.request_seconds 0.25 each).
LOOKUPS = timedelta(seconds=0.5)


class Probe:
    """An integration that only records what it was given and reads one URL."""

    name = "probe"
    seen: dict[str, Any] = {}

    def connect(self, connection: Any) -> None:
        Probe.seen["realm"] = connection.realm_id
        Probe.seen["now"] = connection.now()
        Probe.seen["base"] = connection.api_base_url
        res = connection.http.get(
            connection.company_url(f"companyinfo/{connection.realm_id}"),
            headers={"Authorization": f"Bearer {connection.access_token}", "Accept": "*/*"},
        )
        Probe.seen["companyinfo_status"] = res.status_code

    def apply(self, change: dict[str, Any]) -> None:
        return None

    def sync(self) -> None:
        return None

    def status(self, kind: str, key: str) -> dict[str, Any]:
        return {"state": "synced"}

    def operate(self, action: str, kind: str, key: str, **params: Any) -> None:
        return None


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def books(tmp_path: Path) -> Path:
    return write(tmp_path, "fixtures/books.json", dumps(invoice_1042_books()))


ALIASES = """\
name: snapshot company
given:
  snapshot: fixtures/books.json
  aliases:
    inv: {entity: Invoice, query: "SELECT * FROM Invoice WHERE DocNumber = '1042'"}
    cust: {entity: Customer, id: "1"}
steps:
  - qbo_user:
      action: edit
      entity: Invoice
      id: $qbo.inv.Id
      fields: {PrivateNote: "for ${qbo.cust.DisplayName}"}
  - expect:
      - query: "SELECT * FROM Invoice WHERE DocNumber = '1042'"
        count: 1
        fields:
          {PrivateNote: for Harbor View Condos, CustomerRef.value: $qbo.cust.Id, Id: $qbo.inv.Id}
      - query: "SELECT * FROM Item WHERE Name = 'Boiler Service'"
        count: 1
"""


def test_a_scenario_runs_in_the_snapshot_company_with_aliases_found_by_query_and_id(
    books: Path,
) -> None:
    path = write(books.parent.parent, "s.scenario.yaml", ALIASES)
    result = run_scenario(path, Probe)
    assert result.passed and not result.failures, render(result)
    company = json.loads(books.read_text())["companies"][0]
    assert Probe.seen["realm"] == company["realm_id"]
    assert Probe.seen["companyinfo_status"] == 200
    # no start: the snapshot's frozen clock, moved on by the two alias look-ups (0.25 s each)
    assert Probe.seen["now"] == EXPORTED_AT + LOOKUPS


def test_start_overrides_the_snapshot_clock(books: Path) -> None:
    text = ALIASES.replace("  snapshot:", "  start: '2026-05-01T08:00:00+00:00'\n  snapshot:")
    path = write(books.parent.parent, "s.scenario.yaml", text)
    result = run_scenario(path, Probe)
    assert result.passed, render(result)
    assert Probe.seen["now"] == datetime(2026, 5, 1, 8, 0, tzinfo=UTC) + LOOKUPS


def test_an_alias_that_finds_nothing_fails_at_its_line(books: Path) -> None:
    text = ALIASES.replace("DocNumber = '1042'\"}", "DocNumber = '9999'\"}")
    path = write(books.parent.parent, "s.scenario.yaml", text)
    result = run_scenario(path, Probe)
    assert result.failed and not result.passed
    report = render(result)
    assert f"{path}:5: given.aliases.inv" in report, report
    assert "exactly one Invoice" in report and "observed: 0 row(s)" in report, report


def two_companies(books: Path) -> tuple[Path, str, str]:
    doc = json.loads(books.read_text())
    other = copy.deepcopy(doc["companies"][0])
    other["realm_id"] = "9130000000000000001"
    other["entities"]["Invoice"][0]["DocNumber"] = "7777"
    doc["companies"].append(other)
    books.write_text(dumps(doc))
    return books, doc["companies"][0]["realm_id"], other["realm_id"]


def test_realm_picks_one_company_of_a_snapshot_holding_several(books: Path) -> None:
    _, _, second = two_companies(books)
    text = ALIASES.replace("'1042'", "'7777'").replace(
        "  snapshot: fixtures/books.json\n",
        f"  snapshot: fixtures/books.json\n  realm: {second}\n",
    )
    path = write(books.parent.parent, "s.scenario.yaml", text)
    result = run_scenario(path, Probe)
    assert result.passed, render(result)
    assert Probe.seen["realm"] == second


def test_production_company_is_reached_on_the_production_host(books: Path) -> None:
    doc = json.loads(books.read_text())
    doc["companies"][0]["environment"] = "production"
    books.write_text(dumps(doc))
    path = write(books.parent.parent, "s.scenario.yaml", ALIASES)
    result = run_scenario(path, Probe)
    assert result.passed, render(result)
    assert Probe.seen["base"] == "https://quickbooks.api.intuit.com"
    assert Probe.seen["companyinfo_status"] == 200


def load_error(path: Path) -> list[tuple[int, str]]:
    with pytest.raises(ScenarioSchemaError) as info:
        load_scenario(path)
    assert str(path) in info.value.render()
    return info.value.problems


BAD_GIVEN = [
    ("missing", "  snapshot: fixtures/nope.json\n", None, (3, "does not exist")),
    ("not json", "  snapshot: fixtures/bad.json\n", "{not json", (3, "is not JSON")),
    (
        "not a snapshot",
        "  snapshot: fixtures/bad.json\n",
        '{"qbo_sim_snapshot": 99, "companies": []}',
        (3, "unsupported snapshot version 99"),
    ),
    (
        "with preset",
        "  snapshot: fixtures/books.json\n  preset: empty\n",
        None,
        (4, "given.preset: cannot be combined with given.snapshot"),
    ),
    (
        "unknown realm",
        "  snapshot: fixtures/books.json\n  realm: 42\n",
        None,
        (3, "realm 42 is not in"),
    ),
    ("realm alone", "  preset: empty\n  realm: '42'\n", None, (4, "only meaningful with snapshot")),
    (
        "alias without query or id",
        "  snapshot: fixtures/books.json\n  aliases:\n    inv: {entity: Invoice}\n",
        None,
        (5, "given.aliases.inv: expected exactly one of: query, id"),
    ),
]


@pytest.mark.parametrize(("case", "given", "content", "expected"), BAD_GIVEN, ids=lambda v: v)
def test_bad_given_snapshot_is_a_file_line_error(
    books: Path, case: str, given: str, content: str | None, expected: tuple[int, str]
) -> None:
    if content is not None:
        write(books.parent, "bad.json", content)
    text = f"name: bad {case}\ngiven:\n{given}steps:\n  - sync: {{}}\n"
    path = write(books.parent.parent, "bad.scenario.yaml", text)
    problems = load_error(path)
    line, fragment = expected
    assert any(found == line and fragment in message for found, message in problems), problems


def test_several_companies_without_realm_is_an_error(books: Path) -> None:
    _, first, second = two_companies(books)
    path = write(books.parent.parent, "s.scenario.yaml", ALIASES)
    ((line, message),) = load_error(path)
    assert line == 3 and "holds 2 companies" in message and first in message and second in message


def test_run_reports_a_snapshot_removed_after_loading(books: Path) -> None:
    path = write(books.parent.parent, "s.scenario.yaml", ALIASES)
    scenario = load_scenario(path)
    books.unlink()
    result = run_scenario(scenario, Probe)
    assert result.failed
    assert f"{path}:3: given.snapshot" in render(result)


@pytest.mark.parametrize("name", sorted(BOOKS))
def test_worked_example_fixtures_hold_only_the_ticket_entities(name: str) -> None:
    committed = json.loads((SUPPORT / "fixtures" / f"{name}.json").read_text())
    rebuilt = BOOKS[name]()

    def named(doc: dict[str, Any]) -> dict[str, list[str]]:
        entities = doc["companies"][0]["entities"]
        return {
            kind: sorted(
                str(r.get("DisplayName") or r.get("Name") or r.get("DocNumber") or r["Id"])
                for r in rows
            )
            for kind, rows in entities.items()
        }

    assert named(committed) == named(rebuilt)
    assert committed["companies"][0]["extras"]["preset"]["preset"] == "empty"
    business = {k for k in named(committed) if k not in ("CompanyInfo", "Preferences", "TaxCode")}
    assert business <= {"Account", "Customer", "Item", "Invoice", "Payment"}
    assert len(dumps(committed)) < 12_000


@pytest.mark.parametrize("name", sorted(BOOKS))
def test_worked_examples_start_from_their_fixture(name: str) -> None:
    scenario = load_scenario(SUPPORT / f"{name}.scenario.yaml")
    assert scenario.given.snapshot == str(SUPPORT / "fixtures" / f"{name}.json")
    assert not scenario.given.qbo and scenario.given.aliases
    assert "support" in scenario.tags and "§" in scenario.source


def test_snapshot_import_keeps_every_entity_the_books_had() -> None:
    doc = invoice_1042_books()
    sim = Simulator(clock=Clock(frozen_at=EXPORTED_AT))
    (realm,) = sim.import_state(doc)
    assert dumps(sim.export_state(realm)) == dumps(doc)
