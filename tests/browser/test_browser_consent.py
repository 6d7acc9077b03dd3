"""The OAuth 2.0 authorization-code flow through the consent page, in Chromium: the page lists
the companies with the served one selected, a person picks another with the keyboard and
presses Connect, the app's callback gets ``code``, ``state`` and ``realmId``, and the code
buys tokens that read that company over the API. Cancel sends ``access_denied`` back."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select


def authorize_url(base: str, client_id: str, state: str) -> str:
    query = {
        "client_id": client_id,
        "response_type": "code",
        "scope": "com.intuit.quickbooks.accounting openid email",
        "redirect_uri": f"{base}/callback",
        "state": state,
    }
    return f"{base}/connect/oauth2?{urlencode(query)}"


def test_oauth_flow_through_the_consent_page(browser, served, wait, screenshot):
    sim, base = served
    app = sim.oauth.register_client(name="Acme Sync", redirect_uris=[f"{base}/callback"])
    browser.set_window_size(1000, 900)
    browser.get(authorize_url(base, app.client_id, "st-1"))
    title = wait.until(ec.visibility_of_element_located((By.ID, "title")))
    assert title.text == "Acme Sync wants to connect to your QuickBooks company"
    select = Select(browser.find_element(By.ID, "realmId"))
    assert select.first_selected_option.get_attribute("value") == sim.default_realm
    # with several companies, the keyboard starts on the choice; each option names its realm
    assert browser.switch_to.active_element.get_attribute("id") == "realmId"
    assert f"realm {sim.default_realm}" in select.first_selected_option.text
    label = browser.find_element(By.CSS_SELECTOR, "label[for=realmId]")
    assert label.text == "Select a company"
    scopes = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ul.scopes li")]
    assert any(s.startswith("Read and change your accounting data") for s in scopes)
    assert len(scopes) == 3
    screenshot("consent", docs=True)

    other = next(r for r in sim.store.realm_ids() if r != sim.default_realm)
    picker = browser.find_element(By.ID, "realmId")
    picker.send_keys(sim.company(other).name)  # keyboard: type to pick the option
    assert Select(picker).first_selected_option.get_attribute("value") == other
    connect = browser.find_element(By.CSS_SELECTOR, "button[value=approve]")
    connect.send_keys(Keys.ENTER)
    wait.until(ec.url_contains("/callback"))
    answer = parse_qs(urlparse(browser.current_url).query)
    assert answer["state"] == ["st-1"] and answer["realmId"] == [other]

    tokens = requests.post(
        f"{base}/oauth2/v1/tokens/bearer",
        auth=(app.client_id, app.client_secret),
        data={
            "grant_type": "authorization_code",
            "code": answer["code"][0],
            "redirect_uri": f"{base}/callback",
        },
        headers={"Accept": "application/json"},
        timeout=30,
    ).json()
    info = requests.get(
        f"{base}/v3/company/{other}/companyinfo/{other}",
        headers={"Authorization": f"Bearer {tokens['access_token']}", "Accept": "application/json"},
        timeout=30,
    )
    assert info.status_code == 200
    assert info.json()["CompanyInfo"]["CompanyName"] == sim.company(other).name


def test_cancel_on_the_consent_page_answers_access_denied(browser, served, wait, screenshot):
    sim, base = served
    app = sim.oauth.register_client(name="Acme Sync", redirect_uris=[f"{base}/callback"])
    browser.set_window_size(390, 844)  # a phone
    browser.get(authorize_url(base, app.client_id, "st-2"))
    cancel = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "button[value=deny]")))
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone's screen
    screenshot("consent-phone")
    cancel.click()
    wait.until(ec.url_contains("/callback"))
    assert parse_qs(urlparse(browser.current_url).query) == {
        "error": ["access_denied"],
        "state": ["st-2"],
    }
