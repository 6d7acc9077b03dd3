"""The dashboard (``/_sim/ui``) in Chromium: each view shows what the control plane holds, and
what a person does on the page (act as the QBO user, inject a fault, advance the clock, import
a snapshot) is what the API then answers. Each view leaves a screenshot in the artifacts."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import requests
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select

from qbo_sim.fault_rules import OPERATIONS
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
    user = sim.as_user(realm)
    user.sparse_update("Customer", "1", DisplayName="Rhodes Group Ltd")
    # not changes of Customer 1: a read of it, and an edit of another type's record 1
    requests.get(f"{base}/v3/company/{realm}/customer/1", headers=DEV, timeout=30)
    user.sparse_update("Item", "1", Description="not a customer")
    user.record_payment("3")  # invoice 3 paid in full
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
    assert len(rows(browser, "entity-history")) == 1  # only the write to Customer 1
    assert "-08:00" in history.text  # the company's local time, with its offset
    screenshot("dashboard-entity-history")
    # invoices: their customer, amount, balance and status; an exact Id ranks first
    invoices = sim.company(realm).entities["Invoice"]
    paid = next(i for i in invoices.values() if i["Balance"] == 0 and i["TotalAmt"] > 0)
    Select(browser.find_element(By.ID, "entity-type")).select_by_value("Invoice")
    search = browser.find_element(By.ID, "entity-search")
    search.clear()
    search.send_keys(paid["Id"])
    wait.until(lambda b: cells(b, "entity-table") and cells(b, "entity-table")[0][0] == paid["Id"])
    first = cells(browser, "entity-table")[0]
    assert first[2] == f"{paid['CustomerRef']['name']} ({paid['CustomerRef']['value']})"
    assert first[3] == f"{paid['TotalAmt']:,.2f}" and first[4] == "0.00" and first[6] == "paid"


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
    assert all(row[1].endswith(" -08:00") for row in cells(browser, "journal-table"))
    company = browser.find_element(By.CSS_SELECTOR, "#journal-table tbody tr td.company-col")
    assert not company.is_displayed()  # one company: no Company column
    faults = browser.execute_script(
        "return document.querySelectorAll('#journal-table tbody tr.fault').length"
    )
    assert faults == 2  # the 503 and the 610 of the missing customer
    screenshot("dashboard-journal", docs=True)
    status = browser.find_element(By.CSS_SELECTOR, "#journal-filters input[name=status]")
    status.send_keys("ab")  # the server's 400, shown by the filters
    error = browser.find_element(By.ID, "journal-error")
    wait.until(lambda b: "status must be an integer" in error.text)
    status.clear()
    status.send_keys("200")  # fixed: the message goes, the rows come
    wait.until(lambda b: error.text == "" and len(rows(b, "journal-table")) == 1)
    path = browser.find_element(By.CSS_SELECTOR, "#journal-filters input[name=path]")
    path.send_keys("CUSTOMER/2")  # case ignored (server side)
    wait.until(
        lambda b: (
            len(rows(b, "journal-table")) == 1 and b.find_element(By.ID, "journal-error").text == ""
        )
    )
    browser.find_element(By.CSS_SELECTOR, "#journal-filters input[name=all_realms]").click()
    wait.until(
        lambda b: b.find_element(
            By.CSS_SELECTOR, "#journal-table tbody td.company-col"
        ).is_displayed()
    )
    assert cells(browser, "journal-table")[0][7] == sim.company(realm).name
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
    # Entity offers the types the action applies to (the OpenAPI document's enum)
    entity = Select(browser.find_element(By.ID, "user-entity"))
    wait.until(lambda b: "Customer" in [o.text for o in entity.options])
    assert "Invoice" not in [o.text for o in entity.options]
    entity.select_by_value("Customer")
    browser.find_element(By.ID, "user-submit").click()  # no Id: the control plane's 400
    result = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#user-result[data-ok=false]"))
    assert "id is required" in result.text and "610" not in result.text
    assert result.value_of_css_property("color") == "rgba(176, 0, 32, 1)"
    browser.find_element(By.ID, "user-id").send_keys("3")
    browser.find_element(By.ID, "user-submit").click()
    result = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#user-result[data-ok=true]"))
    assert json.loads(result.text)["Customer"]["Active"] is False
    screenshot("dashboard-user-action", docs=True)
    answer = requests.get(f"{base}/v3/company/{realm}/customer/3", headers=DEV, timeout=30)
    assert answer.json()["Customer"]["Active"] is False  # the integration now sees it
    entries = requests.get(f"{base}/_sim/journal?user_edit=true", timeout=30).json()["entries"]
    assert [e["path"] for e in entries] == ["update Customer"]
    # the header's journal counter follows without opening the Journal
    last = requests.get(f"{base}/_sim/journal", timeout=30).json()["last_seq"]
    wait.until(lambda b: f"journal #{last}" in b.find_element(By.ID, "status").text)
    Select(browser.find_element(By.ID, "user-action")).select_by_value("record-payment")
    browser.find_element(By.CSS_SELECTOR, "#user-form input[name=amount]").send_keys("lots")
    browser.find_element(By.ID, "user-submit").click()
    assert browser.find_element(By.ID, "user-result").text == 'Amount must be a number, not "lots"'
    assert requests.get(f"{base}/_sim/journal", timeout=30).json()["last_seq"] == last


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
    # the names as a hint, not empty values (which the server refuses)
    assert params.get_attribute("value") == ""
    assert set(json.loads(params.get_attribute("placeholder"))) == {"length", "max"}
    picker.select_by_value("http_503")
    assert params.get_attribute("value") == ""
    # the operations are the server's (fault_rules.OPERATIONS, through the OpenAPI document)
    operations = Select(browser.find_element(By.ID, "fault-operation"))
    assert [o.get_attribute("value") for o in operations.options] == ["", *OPERATIONS]
    times = browser.find_element(By.CSS_SELECTOR, "#fault-form input[name=times]")
    times.clear()
    times.send_keys("abc")  # never sent as NaN/null (a rule that never runs out)
    browser.find_element(By.ID, "fault-submit").click()
    refused = browser.find_element(By.ID, "fault-result")
    assert refused.get_attribute("data-ok") == "false"
    assert refused.text == 'Times must be a number, not "abc"'
    assert refused.value_of_css_property("color") == "rgba(176, 0, 32, 1)"  # an error, in red
    assert sim.injector.rules() == []
    times.clear()
    times.send_keys("1")
    browser.find_element(By.ID, "fault-submit").click()
    wait.until(lambda b: len(rows(b, "fault-table")) == 1)
    assert (
        requests.get(f"{base}/v3/company/{realm}/customer/1", headers=DEV, timeout=30).status_code
        == 503
    )
    minutes = browser.find_element(By.CSS_SELECTOR, "#outage-form input[name=minutes]")
    minutes.clear()
    minutes.send_keys("ten")
    browser.find_element(By.ID, "outage-submit").click()
    assert refused.text == 'Outage minutes must be a number, not "ten"'
    minutes.clear()
    minutes.send_keys("10")
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
    # the company's local time with its offset, and UTC
    wait.until(lambda b: "2026-03-02 10:00:00 -08:00" in b.find_element(By.ID, "clock-big").text)
    assert sim.clock.now().isoformat()[:19] in browser.find_element(By.ID, "clock-big").text
    assert "-08:00 (company)" in browser.find_element(By.ID, "clock-now").text
    seconds = browser.find_element(By.CSS_SELECTOR, "#clock-form input[name=seconds]")
    seconds.send_keys("soon")
    seconds.submit()
    result = browser.find_element(By.ID, "clock-result")
    assert result.text == 'Seconds must be a number, not "soon"'
    seconds.clear()
    seconds.send_keys("-60")  # the server says how to go back
    seconds.submit()
    wait.until(lambda b: "POST /_sim/clock/set" in result.text)
    assert result.get_attribute("data-ok") == "false"
    setter = browser.find_element(By.ID, "clock-set-time")
    setter.clear()
    setter.send_keys("2026-03-01T08:30:00-08:00")  # back in time: Set the clock
    browser.find_element(By.ID, "clock-set-submit").click()
    wait.until(lambda b: sim.clock.now() == datetime(2026, 3, 1, 16, 30, tzinfo=UTC))
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
    paths = [row[1] for row in cells(browser, "api-table")]
    assert paths == sorted(paths)
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
    entity = Select(browser.find_element(By.ID, "user-entity"))
    wait.until(lambda b: "Account" in [o.text for o in entity.options])
    entity.select_by_value("Account")
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


def test_on_a_phone_the_page_never_scrolls_sideways_and_a_row_shows_its_detail(
    browser, served, wait, screenshot
):
    sim, base = served
    realm = sim.default_realm
    for n in range(12):
        requests.get(f"{base}/v3/company/{realm}/customer/{n + 1}", headers=DEV, timeout=30)
    browser.set_window_size(390, 844)
    browser.get(base + "/_sim/ui")
    Select(wait.until(lambda b: b.find_element(By.ID, "realm"))).select_by_value(realm)
    sideways = "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    for view in ("companies", "entities", "user", "faults", "clock", "snapshot", "api", "journal"):
        open_view(browser, wait, view)
        if view == "faults":
            wait.until(lambda b: Select(b.find_element(By.ID, "fault-name")).options)
        assert browser.execute_script(sideways) <= 0, view  # tables scroll in their own box
    wait.until(lambda b: len(rows(b, "journal-table")) == 12)
    click_row(browser, wait, "journal-table", 11)
    detail = wait.until(ec.visibility_of_element_located((By.ID, "exchange")))
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", detail)
    assert 0 <= top < browser.execute_script("return window.innerHeight")
    screenshot("dashboard-phone-journal")
