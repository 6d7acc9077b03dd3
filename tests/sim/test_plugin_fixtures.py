"""The pytest plugin's fixtures, run in a throw-away pytest session (``pytester``)."""

from __future__ import annotations

# Imported here, not first inside pytester's in-process run, which unloads what it imported:
# later tests would then mix two copies of requests ("You can only merge into CookieJar").
import requests  # noqa: F401

pytest_plugins = ["pytester"]


def test_fixtures_give_a_mocked_simulator_and_a_fresh_company_per_test(pytester):
    pytester.makepyfile(
        """
        import requests

        URL = "https://sandbox-quickbooks.api.intuit.com/v3/company/{}/customer"
        HEADERS = {"Authorization": "Bearer qbo-sim-dev-token", "Accept": "application/json"}

        def test_sync_needs_no_setup(qbo_mock, qbo_company):
            res = requests.post(URL.format(qbo_company), json={"DisplayName": "A"}, headers=HEADERS)
            assert res.status_code == 200
            assert res.json()["time"] == "2026-01-15T09:00:00.000-08:00"
            assert len(qbo_mock.journal) == 1

        def test_each_test_gets_its_own_simulator(qbo_sim, qbo_company):
            assert qbo_sim.store.realm_ids() == [qbo_company]
            assert len(qbo_sim.journal) == 0
            assert qbo_sim.clock.frozen

        def test_the_mock_stops_after_the_test():
            assert requests.adapters.HTTPAdapter.send.__qualname__ == "HTTPAdapter.send"
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=3)


def test_configuration_fixtures_can_be_overridden(pytester):
    pytester.makepyfile(
        """
        from datetime import UTC, datetime

        import pytest

        @pytest.fixture
        def qbo_sim_start():
            return datetime(2030, 6, 1, 12, 0, tzinfo=UTC)

        @pytest.fixture
        def qbo_sim_seed():
            return 42

        def test_clock_and_seed(qbo_sim):
            assert qbo_sim.clock.now() == datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
            assert qbo_sim.seed == 42
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1)


def test_an_error_inside_the_simulator_fails_the_test_with_its_traceback(pytester):
    pytester.makepyfile(
        """
        import requests

        class BrokenHook:
            stage = "custom"

            def before(self, call):
                return 1 / 0  # a bug inside the simulator

            def after(self, call, response):
                return response

        def test_client_sees_only_a_500(qbo_mock, qbo_company):
            qbo_mock.hooks.add(BrokenHook())
            url = f"https://sandbox-quickbooks.api.intuit.com/v3/company/{qbo_company}/preferences"
            res = requests.get(url, headers={"Authorization": "Bearer qbo-sim-dev-token"})
            assert res.status_code == 500  # the client's view: a SystemFault

        def test_a_clean_test_still_passes(qbo_mock, qbo_company):
            assert qbo_mock.errors == []
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*return 1 / 0  # a bug inside the simulator*",
            "E*ZeroDivisionError: division by zero",
            "FAILED *test_client_sees_only_a_500*",
        ]
    )


def test_the_projects_own_tests_run_on_the_plugins_simulator(sim, qbo_sim, clock):
    """``tests/conftest.py`` configures the plugin's ``qbo_sim`` rather than building its own."""
    from tests.conftest import START

    assert sim is qbo_sim and clock is qbo_sim.clock
    assert (clock.now(), clock.frozen, sim.seed, sim.request_seconds) == (START, True, 1, 0.0)
