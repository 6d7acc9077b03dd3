"""``/`` and ``/_sim/ui`` outside a browser: the pages are served as HTML behind the control
plane's guard, and with a control token the dashboard page loads while its data calls need
the token. (In a browser: ``tests/browser/test_browser_dashboard.py``.)"""

from __future__ import annotations

from qbo_sim.control_policy import ControlPolicy
from qbo_sim.simulator import Simulator


def test_front_page_links_the_dashboard_which_is_html_behind_the_guard():
    sim = Simulator()
    client = sim.app.test_client()
    front = client.get("/")
    assert front.status_code == 200 and 'href="/_sim/ui"' in front.get_data(as_text=True)
    page = client.get("/_sim/ui")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'id="view-journal"' in html and "fetch(path, init)" in html  # the script is inlined
    assert client.get("/_sim/ui", headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.get("/_sim/ui", headers={"Host": "evil.example"}).status_code == 403


def test_with_a_control_token_the_page_loads_and_its_calls_need_the_token():
    sim = Simulator()
    sim.control_policy = ControlPolicy(token="s3cret")
    client = sim.app.test_client()
    assert client.get("/_sim/ui").status_code == 200
    assert client.get("/_sim/companies").status_code == 401
    assert client.get("/_sim/companies", headers={"X-QBO-Sim-Token": "s3cret"}).status_code == 200
