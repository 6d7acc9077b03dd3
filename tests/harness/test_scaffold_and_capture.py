"""``qbo-sim scenarios new`` (templates per article section) and ``qbo-sim scenarios capture``
(from a ``sim.serve()`` server and from a snapshot file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from click.testing import CliRunner
from support_books import EXPORTED_AT, invoice_1042_books

from qbo_sim import Clock, Simulator
from qbo_sim.harness.capture import faulted_calls
from qbo_sim.harness.cli import scenarios
from qbo_sim.harness.model import load_scenario
from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario
from qbo_sim.harness.scaffold_sections import SECTIONS
from qbo_sim.snapshot import dumps

REFERENCE = "qbo_sim.connectors.fieldservice_sync:make_integration"
NAIVE = "qbo_sim.connectors.naive_sync:make_integration"
AUTH = {"Authorization": "Bearer qbo-sim-dev-token", "Accept": "application/json"}


def cli(*args: str) -> Any:
    return CliRunner().invoke(scenarios, list(args), catch_exceptions=False)


# --- new ---------------------------------------------------------------------------------
@pytest.mark.parametrize("section", [None, *sorted(SECTIONS)], ids=lambda s: f"section-{s}")
def test_new_writes_a_valid_skeleton_that_the_reference_connector_passes(
    tmp_path: Path, section: int | None
) -> None:
    out = tmp_path / "t.scenario.yaml"
    extra = [] if section is None else ["--article-section", str(section)]
    done = cli("new", "--name", "ticket 1", *extra, "-o", str(out))
    assert done.exit_code == 0, done.output
    text = out.read_text()
    assert "FILL IN" in text
    scenario = load_scenario(out)
    assert scenario.name == "ticket 1" and "support" in scenario.tags
    if section is not None:
        assert scenario.source.startswith(f"Sync troubleshooting article §{section} ")
    assert cli("validate", str(out)).exit_code == 0
    result = run_scenario(out, REFERENCE)
    assert result.passed, render(result)


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_each_section_skeleton_catches_the_naive_connector(tmp_path: Path, section: int) -> None:
    out = tmp_path / "t.scenario.yaml"
    cli("new", "--name", "n", "--article-section", str(section), "-o", str(out))
    result = run_scenario(out, NAIVE)
    assert result.failed, f"§{section}'s skeleton does not catch the naive connector"


def test_section_4_skeleton_has_the_steps_the_article_describes(tmp_path: Path) -> None:
    out = tmp_path / "t.scenario.yaml"
    cli("new", "--name", "dup", "--article-section", "4", "-o", str(out))
    scenario = load_scenario(out)
    kinds = [s.kind for s in scenario.steps]
    assert kinds == ["apply", "sync", "expect", "operate", "sync", "expect"]
    applied = {c["kind"] for c in scenario.steps[0].params}
    assert applied == {"vendor", "receipt"}
    assert scenario.steps[2].params[0]["status"]["error_code"] == "6140"
    assert scenario.steps[3].params["action"] == "edit"
    assert scenario.steps[5].params[0]["status"]["is"] == "synced"
    assert any(a["entity"] == "Bill" for a in scenario.given.qbo)


def test_new_with_snapshot_uses_aliases_and_a_path_relative_to_the_file(tmp_path: Path) -> None:
    books = tmp_path / "shared" / "books.json"
    books.parent.mkdir()
    books.write_text(dumps(invoice_1042_books()))
    out = tmp_path / "scenarios" / "support" / "t.scenario.yaml"
    done = cli(
        "new", "--name", "n", "--article-section", "1", "--snapshot", str(books), "-o", str(out)
    )
    assert done.exit_code == 0, done.output
    data = yaml.safe_load(out.read_text())
    assert data["given"]["snapshot"] == "../../shared/books.json"
    assert "preset" not in data["given"] and "qbo" not in data["given"]
    assert data["given"]["aliases"]["income"]["entity"] == "Account"
    scenario = load_scenario(out)
    assert scenario.given.snapshot is not None and Path(scenario.given.snapshot).exists()
    result = run_scenario(out, REFERENCE)  # the books hold a "Service Income" account
    assert result.passed, render(result)


def test_new_refuses_to_overwrite_and_unknown_sections(tmp_path: Path) -> None:
    out = tmp_path / "t.scenario.yaml"
    out.write_text("keep me")
    done = CliRunner().invoke(scenarios, ["new", "--name", "n", "-o", str(out)])
    assert done.exit_code == 2 and "exists" in done.output and out.read_text() == "keep me"
    done = CliRunner().invoke(
        scenarios, ["new", "--name", "n", "--article-section", "11", "-o", str(tmp_path / "x")]
    )
    assert done.exit_code == 2 and "11" in done.output


# --- capture ------------------------------------------------------------------------------
def reproduce_by_hand(sim: Simulator, realm: str, base: str) -> dict[str, str]:
    """Books by the QBO user, then the integration's calls: one 6240, two 610s, one success."""
    user = sim.as_user(realm)
    books = invoice_1042_books()["companies"][0]["entities"]
    customer = user.create("Customer", {"DisplayName": "Harbor View Condos"})
    account = user.create("Account", {"Name": "Service Income", "AccountType": "Income"})
    item = user.create(
        "Item",
        {"Name": "Boiler Service", "Type": "Service", "IncomeAccountRef": {"value": account["Id"]}},
    )
    line = dict(books["Invoice"][0]["Line"][0])
    line["SalesItemLineDetail"] = {"ItemRef": {"value": item["Id"]}}
    invoice = user.create(
        "Invoice",
        {"DocNumber": "1042", "CustomerRef": {"value": customer["Id"]}, "Line": [line]},
    )
    api = f"{base}/v3/company/{realm}"
    dup = requests.post(f"{api}/customer", json={"DisplayName": "Harbor View Condos"}, headers=AUTH)
    assert dup.status_code == 400
    user.delete("Invoice", invoice["Id"])
    update = {"Id": invoice["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "x"}
    for _ in range(2):
        gone = requests.post(f"{api}/invoice?operation=update", json=update, headers=AUTH)
        assert gone.json()["Fault"]["Error"][0]["code"] == "610"
    ok = requests.post(f"{api}/customer", json={"DisplayName": "Someone Else"}, headers=AUTH)
    assert ok.status_code == 200
    return {"invoice": invoice["Id"], "customer": customer["Id"]}


def test_capture_from_a_served_simulator(tmp_path: Path) -> None:
    sim = Simulator(seed=3, clock=Clock(frozen_at=EXPORTED_AT))
    realm = sim.create_company("empty", seed=3)
    out = tmp_path / "support" / "t4711.scenario.yaml"
    with sim.serve(port=0) as served:
        base = str(getattr(served, "base_url", served)).rstrip("/")
        reproduce_by_hand(sim, realm, base)
        done = cli("capture", "--url", base, "--name", "ticket 4711", "-o", str(out))
        assert done.exit_code == 0, done.output
        expected_snapshot = sim.export_state(realm)
    assert "2 faulted call(s) expected" in done.output
    fixture = tmp_path / "support" / "fixtures" / "t4711.json"
    assert fixture.read_text() == dumps(expected_snapshot, pretty=True) + "\n"
    scenario = load_scenario(out)
    assert scenario.given.snapshot == str(fixture)
    assert dict(scenario.given.aliases)["customer_harbor_view_condos"] == {
        "entity": "Customer",
        "query": "SELECT * FROM Customer WHERE DisplayName = 'Harbor View Condos'",
    }
    assert "invoice_1042" not in dict(scenario.given.aliases)  # deleted: not in the books
    (expect,) = [s for s in scenario.steps if s.kind == "expect"]
    filters = [e["requests"] for e in expect.params]
    assert filters == [
        {"method": "POST", "path_contains": "/customer", "status": 400, "fault_code": "6240"},
        {"method": "POST", "path_contains": "/invoice", "status": 400, "fault_code": "610"},
    ]
    assert "captured: 2 call(s)" in expect.params[1]["because"]
    assert "'Object Not Found'" in expect.params[1]["because"]
    # the skeleton runs: aliases resolve in the captured company; the integration has not
    # been told what to sync yet, so the captured faults are not seen (the expectation line).
    result = run_scenario(out, REFERENCE)
    assert result.failed
    report = render(result)
    assert "given.aliases" not in report and "expected: at least 1 request(s)" in report, report


def test_capture_needs_a_realm_when_the_server_has_several(tmp_path: Path) -> None:
    sim = Simulator(seed=3)
    first = sim.create_company("empty", seed=3)
    second = sim.create_company("empty", seed=4)
    out = tmp_path / "t.scenario.yaml"
    with sim.serve(port=0) as served:
        base = str(getattr(served, "base_url", served)).rstrip("/")
        refused = CliRunner().invoke(
            scenarios, ["capture", "--url", base, "--name", "n", "-o", str(out)]
        )
        assert refused.exit_code == 1 and "pick one with --realm" in refused.output
        assert first in refused.output and second in refused.output and not out.exists()
        done = cli("capture", "--url", base, "--realm", second, "--name", "n", "-o", str(out))
    assert done.exit_code == 0, done.output
    doc = json.loads((tmp_path / "fixtures" / "t.json").read_text())
    assert [c["realm_id"] for c in doc["companies"]] == [second]


def test_capture_from_a_snapshot_file_passes_as_a_skeleton(tmp_path: Path) -> None:
    books = tmp_path / "books.json"
    books.write_text(dumps(invoice_1042_books()))
    out = tmp_path / "s" / "t.scenario.yaml"
    done = cli("capture", "--snapshot", str(books), "--name", "n", "-o", str(out))
    assert done.exit_code == 0, done.output
    assert "0 faulted call(s)" in done.output
    data = yaml.safe_load(out.read_text())
    assert data["given"] == {
        "snapshot": "fixtures/t.json",
        "aliases": {
            "account_service_income": {
                "entity": "Account",
                "query": "SELECT * FROM Account WHERE Name = 'Service Income'",
            },
            "item_boiler_service": {
                "entity": "Item",
                "query": "SELECT * FROM Item WHERE Name = 'Boiler Service'",
            },
            "customer_harbor_view_condos": {
                "entity": "Customer",
                "query": "SELECT * FROM Customer WHERE DisplayName = 'Harbor View Condos'",
            },
            "invoice_1042": {
                "entity": "Invoice",
                "query": "SELECT * FROM Invoice WHERE DocNumber = '1042'",
            },
        },
    }
    result = run_scenario(out, REFERENCE)
    assert result.passed, render(result)


def test_capture_url_with_books_from_before_the_incident(tmp_path: Path) -> None:
    sim = Simulator(seed=3, clock=Clock(frozen_at=EXPORTED_AT))
    realm = sim.create_company("empty", seed=3)
    out = tmp_path / "t.scenario.yaml"
    books = tmp_path / "before.json"
    with sim.serve(port=0) as served:
        base = str(getattr(served, "base_url", served)).rstrip("/")
        user = sim.as_user(realm)
        user.create("Customer", {"DisplayName": "Before"})
        books.write_text(dumps(sim.export_state(realm), pretty=True))
        reproduce_by_hand(sim, realm, base)
        args = ["capture", "--url", base, "--snapshot", str(books), "--name", "n", "-o", str(out)]
        done = cli(*args)
    assert done.exit_code == 0, done.output
    assert (tmp_path / "fixtures" / "t.json").read_text() == books.read_text() + "\n"
    assert "2 faulted call(s) expected" in done.output


def test_capture_refuses_without_a_source_and_over_an_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "t.scenario.yaml"
    done = CliRunner().invoke(scenarios, ["capture", "--name", "n", "-o", str(out)])
    assert done.exit_code == 2 and "--url" in done.output
    out.write_text("mine")
    books = tmp_path / "b.json"
    books.write_text(dumps(invoice_1042_books()))
    done = CliRunner().invoke(
        scenarios, ["capture", "--snapshot", str(books), "--name", "n", "-o", str(out)]
    )
    assert done.exit_code == 2 and out.read_text() == "mine"


def test_faulted_calls_group_and_leave_out_user_edits_and_successes() -> None:
    realm = "123"

    def entry(seq: int, status: int, code: str | None, user_edit: bool = False) -> dict:
        return {
            "seq": seq,
            "method": "POST",
            "path": f"/v3/company/{realm}/payment",
            "query": {"minorversion": "75"},
            "status": status,
            "fault_code": code,
            "user_edit": user_edit,
            "response": {
                "Fault": {"Error": [{"Message": "A business validation error", "code": code}]}
            },
        }

    calls = faulted_calls(
        [
            entry(1, 200, None),
            entry(2, 400, "6000"),
            entry(3, 400, "6000"),
            entry(4, 400, "6240", True),
            entry(5, 503, None),
        ],
        realm,
    )
    assert [(c.method, c.path, c.status, c.fault_code, c.count) for c in calls] == [
        ("POST", "/payment", 400, "6000", 2),
        ("POST", "/payment", 503, None, 1),
    ]
    assert calls[0].example == (
        f"#2 POST /v3/company/{realm}/payment?minorversion=75 -> 400 fault 6000 "
        "'A business validation error'"
    )
