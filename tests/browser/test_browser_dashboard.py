"""The dashboard (``/_sim/ui``) in Chromium: each view shows what the control plane holds, and
what a person does on the page (act as the QBO user, inject a fault, advance the clock, import
a snapshot) is what the API then answers. Each view leaves a screenshot in the artifacts."""

from __future__ import annotations

import json

import requests
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select

from qbo_sim.harness.runner import run_scenario

DEV = {"Authorization": "Bearer qbo-sim-dev-token", "Accept": "application/json"}


def open_view(browser, wait, view):
    browser.find_element(By.ID, f"tab-{view}").click()
    return wait.until(ec.visibility_of_element_located((By.ID, f"view-{view}")))


def rows(browser, table):
    return browser.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr")


def cells(browser, table):
    """The texts of a table's cells, read at once (live updates redraw tables)."""
    return browser.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map("
        "(tr) => Array.from(tr.cells).map((td) => td.textContent))",
        f"#{table} tbody tr",
    )


def click_row(browser, wait, table, index=0):
    """Click a row, again if live updates redrew the table under the click."""

    def clicked(b):
        try:
            rows(b, table)[index].click()
        except StaleElementReferenceException:
            return False
        return True

    wait.until(clicked)


def test_front_page_links_to_the_dashboard_and_companies_are_listed(
    browser, served, wait, screenshot
):
    sim, base = served
    browser.get(base + "/")
    browser.find_element(By.ID, "dashboard-link").click()
    wait.until(lambda b: len(rows(b, "companies-table")) == 2)
    assert browser.current_url.startswith(base + "/_sim/ui")
    names = {row[0] for row in cells(browser, "companies-table")}
    assert names == {sim.company(r).name for r in sim.store.realm_ids()}
    screenshot("dashboard-companies", docs=True)


def test_entities_search_json_as_qbo_and_synctoken_history(browser, served, wait, screenshot):
    sim, base = served
    realm = sim.store.realm_ids()[0]
    sim.as_user(realm).sparse_update("Customer", "1", DisplayName="Rhodes Group Ltd")
    browser.get(base + "/_sim/ui#entities")
    wait.until(lambda b: Select(b.find_element(By.ID, "realm")).options)
    Select(browser.find_element(By.ID, "realm")).select_by_value(realm)
    wait.until(
        lambda b: any(
            o.get_attribute("value") == "Customer"
            for o in Select(b.find_element(By.ID, "entity-type")).options
        )
    )
    Select(browser.find_element(By.ID, "entity-type")).select_by_value("Customer")
    customers = len(sim.company(realm).entities["Customer"])
    wait.until(lambda b: len(rows(b, "entity-table")) == customers)
    browser.find_element(By.ID, "entity-search").send_keys("Rhodes Group Ltd")
    wait.until(lambda b: len(rows(b, "entity-table")) == 1)
    click_row(browser, wait, "entity-table")
    card = wait.until(ec.visibility_of_element_located((By.ID, "entity-qbo")))
    assert "Customer Rhodes Group Ltd" in card.text and "SyncToken 1" in card.text
    screenshot("dashboard-entity-qbo", docs=True)
    browser.find_element(By.ID, "entity-as-json").click()
    shown = json.loads(wait.until(ec.visibility_of_element_located((By.ID, "entity-json"))).text)
    assert shown == sim.company(realm).entities["Customer"]["1"]
    browser.find_element(By.ID, "entity-as-history").click()
    history = wait.until(ec.visibility_of_element_located((By.ID, "entity-history")))
    assert "QBO user" in history.text and "update Customer" in history.text
    screenshot("dashboard-entity-history")


def test_journal_timeline_filters_and_one_exchange_in_full(browser, served, wait, screenshot):
    sim, base = served
    realm = sim.default_realm
    sim.injector.add(status=503, times=1)
    for _ in range(2):  # the first answers the injected 503, the second the customer
        requests.get(f"{base}/v3/company/{realm}/customer/2", headers=DEV, timeout=30)
    requests.get(f"{base}/v3/company/{realm}/customer/999", headers=DEV, timeout=30)
    browser.get(base + "/_sim/ui")
    Select(wait.until(lambda b: b.find_element(By.ID, "realm"))).select_by_value(realm)
    open_view(browser, wait, "journal")
    wait.until(lambda b: len(rows(b, "journal-table")) == 3)
    statuses = sorted(row[4] for row in cells(browser, "journal-table"))
    assert statuses == ["200", "400", "503"]
    faults = browser.execute_script(
        "return document.querySelectorAll('#journal-table tbody tr.fault').length"
    )
    assert faults == 2  # the 503 and the 610 of the missing customer
    screenshot("dashboard-journal", docs=True)
    status = browser.find_element(By.CSS_SELECTOR, "#journal-filters input[name=status]")
    status.send_keys("200")
    wait.until(lambda b: len(rows(b, "journal-table")) == 1)
    click_row(browser, wait, "journal-table")
    response = wait.until(ec.visibility_of_element_located((By.ID, "exchange-response")))
    assert json.loads(response.text)["Customer"]["Id"] == "2"
    screenshot("dashboard-exchange")


def test_webhook_deliveries_are_on_the_timeline_between_the_calls(
    browser, served, wait, screenshot
):
    sim, base = served
    realm = sim.default_realm
    answers = iter([500, 200])  # the first attempt fails, the retry lands
    sim.webhooks.subscribe(callback=lambda headers, body: next(answers), verifier_token="v")
    created = requests.post(
        f"{base}/v3/company/{realm}/customer",
        json={"DisplayName": "Harbor Freight Lines"},
        headers=DEV,
        timeout=30,
    ).json()["Customer"]
    sim.clock.advance(seconds=1)
    sim.webhooks.deliver()
    sim.clock.advance(seconds=600)
    sim.webhooks.deliver()
    sim.clock.advance(seconds=1)
    requests.get(f"{base}/v3/company/{realm}/customer/{created['Id']}", headers=DEV, timeout=30)
    browser.get(base + "/_sim/ui")
    Select(wait.until(lambda b: b.find_element(By.ID, "realm"))).select_by_value(realm)
    open_view(browser, wait, "journal")
    wait.until(lambda b: len(rows(b, "journal-table")) == 4)
    timeline = cells(browser, "journal-table")  # newest first
    assert [row[2] for row in timeline] == ["GET", "WEBHOOK", "WEBHOOK", "POST"]
    assert [row[4] for row in timeline[1:3]] == ["200", "500"]
    assert f"Customer Create {created['Id']}" in timeline[1][3]
    screenshot("dashboard-journal-webhooks", docs=True)
    Select(
        browser.find_element(By.CSS_SELECTOR, "#journal-filters select[name=method]")
    ).select_by_visible_text("WEBHOOK")
    wait.until(lambda b: len(rows(b, "journal-table")) == 2)
    click_row(browser, wait, "journal-table", 1)  # the failed first attempt
    attempts = json.loads(
        wait.until(ec.visibility_of_element_located((By.ID, "webhook-attempts"))).text
    )
    assert [a["status"] for a in attempts] == [500, 200]
    body = json.loads(browser.find_element(By.ID, "webhook-body").text)
    entity = body["eventNotifications"][0]["dataChangeEvent"]["entities"][0]
    assert entity["id"] == created["Id"] and entity["operation"] == "Create"


def test_a_qbo_user_action_from_the_page_is_what_the_api_then_answers(
    browser, served, wait, screenshot
):
    sim, base = served
    realm = sim.default_realm
    assert requests.get(f"{base}/v3/company/{realm}/customer/3", headers=DEV, timeout=30).json()[
        "Customer"
    ]["Active"]
    browser.get(base + "/_sim/ui")
    Select(wait.until(lambda b: b.find_element(By.ID, "realm"))).select_by_value(realm)
    open_view(browser, wait, "user")
    Select(browser.find_element(By.ID, "user-action")).select_by_value("deactivate")
    assert not browser.find_element(By.ID, "user-value").is_displayed()  # rename's field
    browser.find_element(By.ID, "user-entity").send_keys("Customer")
    browser.find_element(By.ID, "user-id").send_keys("3")
    browser.find_element(By.ID, "user-submit").click()
    result = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#user-result[data-ok]"))
    assert result.get_attribute("data-ok") == "true"
    assert json.loads(result.text)["Customer"]["Active"] is False
    screenshot("dashboard-user-action", docs=True)
    answer = requests.get(f"{base}/v3/company/{realm}/customer/3", headers=DEV, timeout=30)
    assert answer.json()["Customer"]["Active"] is False  # the integration now sees it
    entries = requests.get(f"{base}/_sim/journal?user_edit=true", timeout=30).json()["entries"]
    assert [e["path"] for e in entries] == ["update Customer"]


def test_fault_injection_outage_and_clock_from_the_page(browser, served, wait, screenshot):
    sim, base = served
    realm = sim.default_realm
    before = sim.clock.now()
    browser.get(base + "/_sim/ui")
    Select(wait.until(lambda b: b.find_element(By.ID, "realm"))).select_by_value(realm)
    open_view(browser, wait, "faults")
    faults = wait.until(lambda b: Select(b.find_element(By.ID, "fault-name")).options and b)
    picker = Select(faults.find_element(By.ID, "fault-name"))
    # the drop-down offers the catalogue in QBO's words; choosing one says what it answers and
    # lays out the params its Detail needs
    picker.select_by_value("string_length")
    about = browser.find_element(By.ID, "fault-about").text
    assert "HTTP 400" in about and "2050" in about and "Max:{max}" in about
    params = browser.find_element(By.CSS_SELECTOR, "#fault-form input[name=params]")
    assert json.loads(params.get_attribute("value")) == {"length": "", "max": ""}
    picker.select_by_value("http_503")
    assert params.get_attribute("value") == ""
    browser.find_element(By.ID, "fault-submit").click()
    wait.until(lambda b: len(rows(b, "fault-table")) == 1)
    assert (
        requests.get(f"{base}/v3/company/{realm}/customer/1", headers=DEV, timeout=30).status_code
        == 503
    )
    browser.find_element(By.ID, "outage-submit").click()
    wait.until(lambda b: len(rows(b, "fault-table")) == 2)
    screenshot("dashboard-faults", docs=True)
    assert (
        requests.get(f"{base}/v3/company/{realm}/customer/1", headers=DEV, timeout=30).status_code
        == 503
    )
    open_view(browser, wait, "clock")
    browser.find_element(By.ID, "advance-hour").click()
    wait.until(lambda b: (sim.clock.now() - before).total_seconds() == 3600)
    wait.until(
        lambda b: b.find_element(By.ID, "clock-big").text.startswith(
            sim.clock.now().isoformat()[:19]
        )
    )
    screenshot("dashboard-clock")


def test_snapshot_download_link_upload_and_the_api_view(
    browser, served, wait, screenshot, tmp_path
):
    sim, base = served
    realm = sim.default_realm
    browser.get(base + "/_sim/ui")
    Select(wait.until(lambda b: b.find_element(By.ID, "realm"))).select_by_value(realm)
    open_view(browser, wait, "snapshot")
    link = wait.until(lambda b: b.find_element(By.ID, "snapshot-download-realm"))
    wait.until(lambda b: realm in (link.get_attribute("href") or ""))
    downloaded = requests.get(link.get_attribute("href"), timeout=30)
    assert downloaded.json()["companies"][0]["realm_id"] == realm
    other = sim.store.realm_ids()
    doc = downloaded.json()
    doc["companies"][0]["name"] = "Imported Books"
    file = tmp_path / "books.json"
    file.write_text(json.dumps(doc), encoding="utf-8")
    browser.find_element(By.ID, "snapshot-file").send_keys(str(file))
    browser.find_element(By.ID, "snapshot-submit").click()
    result = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#snapshot-result[data-ok]"))
    assert json.loads(result.text) == {"imported": [realm]}
    assert sim.company(realm).name == "Imported Books" and sim.store.realm_ids() == other
    screenshot("dashboard-snapshot", docs=True)
    open_view(browser, wait, "api")
    wait.until(lambda b: len(rows(b, "api-table")) > 40)
    screenshot("dashboard-api")


SEES_THE_PAGE = """\
name: the account the QBO user deactivated on the dashboard
given:
  snapshot: books.json
steps:
  - apply:
      - {kind: item, key: LAWN, data: {name: Lawn Aeration, income_account: Services}}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: item, key: LAWN, is: failed, error_code: MAPPING}
        because: the bookkeeper made "Services" inactive on the dashboard
      - query: "SELECT * FROM Item WHERE Name = 'Lawn Aeration'"
        count: 0
"""


def test_a_scenario_sees_what_the_qbo_user_did_on_the_page(browser, served, wait, tmp_path):
    """Deactivate an account from the page, download the company from the page, and a
    scenario given that download sees the account inactive (and, given the download from
    before, does not: the scenario's expectation is about the page's action)."""
    sim, base = served
    realm = sim.default_realm
    income = next(
        a for a in sim.company(realm).entities["Account"].values() if a["Name"] == "Services"
    )
    browser.get(base + "/_sim/ui")
    Select(wait.until(lambda b: b.find_element(By.ID, "realm"))).select_by_value(realm)
    open_view(browser, wait, "snapshot")
    link = wait.until(lambda b: b.find_element(By.ID, "snapshot-download-realm"))
    wait.until(lambda b: realm in (link.get_attribute("href") or ""))
    before = requests.get(link.get_attribute("href"), timeout=30).text
    open_view(browser, wait, "user")
    Select(browser.find_element(By.ID, "user-action")).select_by_value("deactivate")
    browser.find_element(By.ID, "user-entity").send_keys("Account")
    browser.find_element(By.ID, "user-id").send_keys(income["Id"])
    browser.find_element(By.ID, "user-submit").click()
    result = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#user-result[data-ok]"))
    assert result.get_attribute("data-ok") == "true"
    open_view(browser, wait, "snapshot")
    after = requests.get(link.get_attribute("href"), timeout=30).text
    scenario = tmp_path / "page.scenario.yaml"
    scenario.write_text(SEES_THE_PAGE, encoding="utf-8")
    connector = "qbo_sim.connectors.fieldservice_sync:make_integration"
    (tmp_path / "books.json").write_text(after, encoding="utf-8")
    seen = run_scenario(scenario, connector)
    assert seen.passed, seen.failures
    (tmp_path / "books.json").write_text(before, encoding="utf-8")
    unseen = run_scenario(scenario, connector)
    assert not unseen.passed and "synced" in str(unseen.failures)
