"""``qbo-sim scenarios run|list|validate`` (click's CliRunner), file:line schema errors, and
the schema's completeness (every property described, every keyword documented)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from qbo_sim.cli import main
from qbo_sim.harness.errors import ScenarioSchemaError
from qbo_sim.harness.loader import LOADER, load_yaml
from qbo_sim.harness.model import STEP_KINDS, parse_scenario
from qbo_sim.harness.schema import record_problems, records_schema, scenario_schema
from qbo_sim.harness.steps import STEP_RUNNERS
from qbo_sim.scenarios import LIBRARY_DIR

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = LIBRARY_DIR / "article"
#: The minimal integration's three example scenarios.
EXAMPLES = [
    str(ARTICLE / f"{name}.scenario.yaml")
    for name in (
        "invoice_deleted_in_qbo",
        "payment_already_in_qbo",
        "receipt_duplicate_vendor_doc_number",
    )
]
INTEGRATION = str(Path(__file__).with_name("minimal_integration.py"))


def test_cli_run_passes_for_minimal() -> None:
    result = CliRunner().invoke(
        main, ["scenarios", "run", *EXAMPLES, "--integration", f"{INTEGRATION}:minimal"]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"\n3 scenario\(s\) in \d+\.\d s\n3 passed, 0 failed\n$", result.output)


def test_cli_run_fails_for_broken_with_reproduce_line() -> None:
    path = ARTICLE / "payment_already_in_qbo.scenario.yaml"
    result = CliRunner().invoke(
        main, ["scenarios", "run", str(path), "-i", f"{INTEGRATION}:broken"]
    )
    assert result.exit_code == 1
    assert f"{path}:25: step 6 (expect), expectation 1: status of payment 'P1'" in result.output
    assert f"reproduce: qbo-sim scenarios run {path} --integration {INTEGRATION}:broken" in (
        result.output
    )


def test_cli_expect_failure_mode_passes_for_broken() -> None:
    result = CliRunner().invoke(
        main,
        ["scenarios", "run", *EXAMPLES, "-i", f"{INTEGRATION}:broken", "--expect-failure"],
    )
    assert result.exit_code == 0, result.output
    assert "(3 failed as expected)" in result.output


def test_cli_list_and_validate(tmp_path: Path) -> None:
    listed = CliRunner().invoke(main, ["scenarios", "list", str(LIBRARY_DIR)])
    assert listed.exit_code == 0
    assert "source: Sync troubleshooting article §4 Vendor Document Number Errors" in listed.output
    bad = tmp_path / "bad.scenario.yaml"
    bad.write_text("name: bad\nsteps:\n  - sync: {}\n  - teleport: {}\n")
    checked = CliRunner().invoke(main, ["scenarios", "validate", str(tmp_path)])
    assert checked.exit_code == 2
    assert f"{bad}:4: steps[1]: expected exactly one of: apply, sync," in checked.output


def test_loader_keeps_lines_and_reports_yaml_errors() -> None:
    _, lines = load_yaml("name: x\nsteps:\n  - sync: {}\n  - expect:\n      - query: q\n")
    assert lines.line_of(("steps", 1, "expect", 0)) == 5
    assert lines.line_of(("steps", 0, "sync", "missing")) == 3
    with pytest.raises(ScenarioSchemaError) as err:
        load_yaml("name: x\nsteps: [\n", "f.yaml")
    assert err.value.problems[0][0] == 3 and "invalid YAML" in err.value.render()


@pytest.mark.parametrize("loader", [yaml.SafeLoader, LOADER], ids=["pure", "default"])
def test_both_loaders_keep_lines_and_report_error_lines(loader: type[yaml.SafeLoader]) -> None:
    text = "name: x\nsteps:\n  - sync: {}\n  - expect:\n      - query: q\n"
    data, lines = load_yaml(text, loader=loader)
    assert data == {"name": "x", "steps": [{"sync": {}}, {"expect": [{"query": "q"}]}]}
    assert lines.line_of(("steps", 1, "expect", 0)) == 5
    assert load_yaml("", loader=loader)[0] is None
    with pytest.raises(ScenarioSchemaError) as err:
        load_yaml("name: x\nsteps:\n  - a: 1\n   b: [\n", "f.yaml", loader=loader)
    assert err.value.problems[0][0] == 4 and "invalid YAML" in err.value.render()


def test_the_default_loader_is_libyaml_when_present() -> None:
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert LOADER is expected


def test_every_library_scenario_loads_alike_with_both_loaders() -> None:
    for path in sorted(LIBRARY_DIR.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        fast, fast_lines = load_yaml(text, str(path))
        pure, pure_lines = load_yaml(text, str(path), loader=yaml.SafeLoader)
        assert fast == pure, path
        assert fast_lines._lines == pure_lines._lines, path


def test_schema_errors_name_the_line_of_the_offending_field() -> None:
    text = (
        "name: x\nsteps:\n  - apply: {kind: invoice, key: '1', data: {number: '1'}}\n"
        "  - expect:\n      - status: {kind: invoice, key: '1', is: done}\n"
    )
    with pytest.raises(ScenarioSchemaError) as err:
        parse_scenario(text, "s.yaml")
    rendered = err.value.render()
    assert "s.yaml:3: steps[0].apply.data: 'lines' is a required property" in rendered
    assert "s.yaml:5: steps[1].expect[0].status.is: 'done' is not one of" in rendered


def test_record_schema_rejects_bad_changes() -> None:
    assert record_problems({"kind": "payment", "key": "P1", "data": {"invoice": "1"}}) == [
        "data: 'amount' is a required property"
    ]
    assert record_problems({"kind": "invoice", "key": "1", "action": "delete"}) == []
    assert record_problems({"kind": "customer", "key": "a.b", "data": {"name": "x"}})


def _properties(schema: Any, path: str = "") -> list[tuple[str, Any]]:
    found = []
    if isinstance(schema, dict):
        for name, sub in (schema.get("properties") or {}).items():
            found.append((f"{path}.{name}", sub))
        for key, sub in schema.items():
            if key not in ("if", "then", "else"):  # conditions restate declared properties
                found.extend(_properties(sub, f"{path}/{key}"))
    elif isinstance(schema, list):
        for i, sub in enumerate(schema):
            found.extend(_properties(sub, f"{path}[{i}]"))
    return found


@pytest.mark.parametrize("schema", [scenario_schema(), records_schema()], ids=["scenario", "rec"])
def test_every_schema_property_has_a_description(schema: dict[str, Any]) -> None:
    missing = [p for p, sub in _properties(schema) if not sub.get("description")]
    assert missing == []


def test_step_registry_matches_the_schema() -> None:
    steps = scenario_schema()["properties"]["steps"]["items"]["oneOf"]
    keywords = [s["required"][0] for s in steps]
    assert keywords == list(STEP_KINDS) == list(STEP_RUNNERS)


def test_docs_describe_every_scenario_keyword() -> None:
    docs = (ROOT / "docs" / "harness.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z][a-z0-9_]*)", docs))
    names = {p.rsplit(".", 1)[1] for p, _ in _properties(scenario_schema())}
    names |= {p.rsplit(".", 1)[1] for p, _ in _properties(records_schema())}
    assert sorted(names - documented) == []


def test_validate_runs_every_inject_rule_through_the_rule_parser(tmp_path: Path) -> None:
    bad = tmp_path / "inject.scenario.yaml"
    bad.write_text(
        "name: x\nsteps:\n"
        "  - inject: {fault: no_such_fault}\n"
        "  - sync: {}\n"
        "  - inject:\n      entity: Customer\n      fault: stale_object\n"
        "  - inject: {fault: invalid_reference, params: {element: CustomerRef}}\n"
        "  - inject: {fault: duplicate_name, params: {id: $qbo.c.Id}}\n"  # resolved at run
    )
    checked = CliRunner().invoke(main, ["scenarios", "validate", str(bad)])
    assert checked.exit_code == 2, checked.output
    assert f"{bad}:3: steps[0].inject: the rule is refused: fault: no fault 'no_such_fault'" in (
        checked.output
    )
    assert f"{bad}:5: steps[2].inject: the rule is refused: params: fault 'stale_object'" in (
        checked.output
    )
    assert f"{bad}:8: steps[3].inject: the rule is refused: params: element is not" in (
        checked.output
    )
    assert "steps[4]" not in checked.output
    good = "name: x\nsteps:\n  - inject: {fault: stale_object, params: {user: a}, times: 1}\n"
    assert parse_scenario(good, "s.yaml").steps[0].kind == "inject"
