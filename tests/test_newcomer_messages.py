"""Messages a newcomer meets first: `qbo-sim serve`'s OAuth printout, refused fault rules on
the control plane, and an `--integration` that cannot be loaded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from qbo_sim.cli import _echo_oauth
from qbo_sim.harness.cli import scenarios
from qbo_sim.harness.reporting import render
from qbo_sim.harness.runner import run_scenario
from qbo_sim.scenarios import LIBRARY_DIR

ROOT = Path(__file__).resolve().parent.parent
SELFTEST = LIBRARY_DIR / "selftest"
OAUTH_BASE = "https://oauth.platform.intuit.com"


def _printed(output: str, label: str) -> str:
    return re.search(rf"^  {label}:\s+(\S+)", output, re.M).group(1)


def test_serve_prints_a_token_url_that_refreshes_with_the_printed_credentials(sim, realm, capsys):
    _echo_oauth(sim, realm, OAUTH_BASE)
    out = capsys.readouterr().out
    token_url = _printed(out, "token URL")
    assert token_url == f"{OAUTH_BASE}/oauth2/v1/tokens/bearer"
    with sim.mock():
        res = requests.post(
            token_url,
            auth=(_printed(out, "client id"), _printed(out, "client secret")),
            data={"grant_type": "refresh_token", "refresh_token": _printed(out, "refresh token")},
            headers={"Accept": "application/json"},
        )
    assert res.status_code == 200
    assert res.json()["access_token"] != _printed(out, "access token")


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ({"fault": "stale_object"}, "fault 'stale_object' needs params {\"user\": ...}"),
        (
            {"fault": "duplicate_name", "params": {"name": "x"}},
            "fault 'duplicate_name' needs params {\"id\": ...}",
        ),
        ({"fault": "no_such_fault"}, "no fault 'no_such_fault' in the catalogue; use a key"),
    ],
)
def test_a_refused_fault_rule_says_what_to_send_instead(sim, body, hint):
    res = sim.app.test_client().post("/_sim/faults", json=body)
    assert res.status_code == 400
    assert res.get_json()["error"] == "add refused the request"
    assert hint in res.get_json()["detail"]
    assert sim.injector.rules() == []


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        ({"fault": "http_503"}, {"status": 503, "drop": False, "ambiguous": False}),
        ({"fault": "drop"}, {"status": None, "drop": True, "ambiguous": False}),
        ({"fault": "ambiguous", "times": 1}, {"status": 500, "drop": False, "ambiguous": True}),
    ],
)
def test_the_scenario_spellings_are_accepted_by_the_control_plane(sim, body, outcome):
    """Issue 12: one rule parser; the control plane used to refuse these with a hint."""
    res = sim.app.test_client().post("/_sim/faults", json=body)
    assert res.status_code == 201, res.get_json()
    (rule,) = sim.injector.rules()
    assert {key: rule[key] for key in outcome} == outcome
    assert rule["fault"] is None


def test_a_fault_rule_with_its_params_is_still_added(sim):
    body = {"fault": "stale_object", "params": {"user": "Craig Carlson"}, "times": 1}
    res = sim.app.test_client().post("/_sim/faults", json=body)
    assert res.status_code == 201
    assert [rule["fault"] for rule in sim.injector.rules()] == ["stale_object"]


def test_cli_run_refuses_an_unimportable_integration_once_with_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        scenarios, ["run", str(SELFTEST), "--integration", "nosuchpkg.sync:make_integration"]
    )
    assert result.exit_code == 2
    assert "Invalid value for '--integration': cannot import 'nosuchpkg.sync'" in result.output
    assert f"the working directory ({tmp_path}) is importable" in result.output
    assert "PYTHONPATH" in result.output
    assert "FAILED" not in result.output  # no scenario ran


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nosuch", "integration spec 'nosuch' must be 'package.module:factory'"),
        (
            "qbo_sim.harness.reporting:no_factory",
            "qbo_sim.harness.reporting has no callable 'no_factory'",
        ),
    ],
)
def test_cli_run_refuses_a_malformed_integration_spec(spec, message):
    result = CliRunner().invoke(scenarios, ["run", str(SELFTEST), "--integration", spec])
    assert result.exit_code == 2
    assert message in result.output


def test_a_report_of_an_unloadable_integration_has_no_line_zero_and_says_what_to_do():
    path = SELFTEST / "existing_customer_is_linked.scenario.yaml"
    report = render(run_scenario(str(path), "nosuchpkg.sync:make_integration"))
    assert f"{path}: integration: could not load the integration" in report
    assert ":0:" not in report
    assert "why:      the working directory" in report


def test_a_fault_missing_a_detail_param_names_the_fault_and_the_param():
    from qbo_sim.faults import QBOFault

    with pytest.raises(KeyError, match="fault 'stale_object' needs param 'user' for its Detail"):
        QBOFault("stale_object")
