"""``given.companies``: one integration connected to several QBO companies (docs/harness.md
§1.5)."""

from __future__ import annotations

from pathlib import Path

from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario

REFERENCE = "qbo_sim.connectors.fieldservice_sync:make_integration"

TWO = """\
name: two companies
given:
  preset: empty
  seed: 3
  companies:
    north: {preset: empty, seed: 4}
steps:
  - qbo_user:
      {action: create, entity: Customer, company: north, alias: n,
       body: {DisplayName: Only North}}
  - apply:
      - {kind: customer, key: A, data: {name: Everywhere}}
      - {kind: customer, key: B, company: north, data: {name: Everywhere}}
  - sync: {}
  - expect:
      - query: "SELECT * FROM Customer"
        count: 1
      - company: north
        query: "SELECT * FROM Customer"
        count: 2
      - company: north
        qbo_entity: {entity: Customer, id: $qbo.n.Id}
        fields: {DisplayName: Only North}
      - status: {kind: customer, key: B, is: synced}
"""


def test_each_company_gets_its_records_and_its_own_connection(tmp_path: Path) -> None:
    path = tmp_path / "two.scenario.yaml"
    path.write_text(TWO)
    result = run_scenario(path, REFERENCE)
    assert result.passed and not result.failures, render(result)


def test_an_unknown_company_is_a_step_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.scenario.yaml"
    path.write_text(TWO.replace("company: north, alias: n", "company: south, alias: n"))
    result = run_scenario(path, REFERENCE)
    assert result.failed
    assert "unknown company 'south' (companies: north)" in render(result)


def test_the_connection_lists_the_other_companies(tmp_path: Path) -> None:
    seen = {}

    class Probe:
        name = "probe"

        def connect(self, connection):  # type: ignore[no-untyped-def]
            seen["main"] = connection.realm_id
            seen["others"] = {a: c.realm_id for a, c in connection.companies.items()}

        def apply(self, change):  # type: ignore[no-untyped-def]
            pass

        def sync(self):  # type: ignore[no-untyped-def]
            pass

        def status(self, kind, key):  # type: ignore[no-untyped-def]
            return {"state": "synced", "qbo_id": None, "error": None, "attempts": 0}

        def operate(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            pass

    path = tmp_path / "probe.scenario.yaml"
    path.write_text(
        "name: probe\ngiven: {preset: empty, companies: {north: {preset: empty}}}\n"
        "steps:\n  - sync: {}\n"
    )
    result = run_scenario(path, Probe)
    assert result.passed, render(result)
    assert set(seen["others"]) == {"north"} and seen["others"]["north"] != seen["main"]
