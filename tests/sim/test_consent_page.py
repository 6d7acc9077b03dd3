"""The consent page (``GET /connect/oauth2``, the ``consent.html`` template): a company selector
only with several companies, the one ``serve`` printed selected, scopes in words, the app's
name, Connect and Cancel, labels, and a viewport for phones. (In a browser:
``tests/browser/test_consent_browser.py``.)"""

from __future__ import annotations

from html.parser import HTMLParser

from qbo_sim.oauth import DEFAULT_CLIENT_ID
from qbo_sim.simulator import Simulator

CALLBACK = "https://app.example.com/callback"
QUERY = {
    "client_id": DEFAULT_CLIENT_ID,
    "response_type": "code",
    "scope": "com.intuit.quickbooks.accounting openid email",
    "redirect_uri": CALLBACK,
    "state": "s<1>",
}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


def consent(sim: Simulator, **extra: str) -> tuple[str, Tags]:
    res = sim.app.test_client().get("/connect/oauth2", query_string={**QUERY, **extra})
    assert res.status_code == 200 and res.mimetype == "text/html"
    html = res.get_data(as_text=True)
    tags = Tags()
    tags.feed(html)
    return html, tags


def test_one_company_is_shown_without_a_selector_and_scopes_are_in_words():
    sim = Simulator()
    realm = sim.create_company("sample", name="Craig's Design and Landscaping")
    html, tags = consent(sim)
    assert tags.find("select") == []
    assert tags.find("input", type="hidden", name="realmId") == [
        {"type": "hidden", "name": "realmId", "value": realm}
    ]
    assert "Craig&#39;s Design and Landscaping" in html
    assert "qbo-sim default wants to connect to your QuickBooks company" in html
    assert "Read and change your accounting data" in html and "See your email address" in html
    assert "Sign you in with your Intuit account" in html
    assert tags.find("button", name="action", value="approve")  # Connect
    assert tags.find("button", name="action", value="deny")  # Cancel
    assert tags.find("meta", name="viewport")
    assert tags.find("input", type="hidden", name="state", value="s<1>")  # escaped, kept
    assert "<1>" not in html


def test_several_companies_get_a_labelled_selector_with_the_served_company_selected():
    sim = Simulator()
    sim.create_company("sample")
    served = sim.create_company("sample")
    sim.create_company("empty")
    sim.default_realm = served
    _, tags = consent(sim)
    (select,) = tags.find("select", name="realmId")
    assert tags.find("label", for_=select["id"] or "")
    options = tags.find("option")
    assert len(options) == 3
    assert [o["value"] for o in options if "selected" in o] == [served]
    # without a served company: the first listed; a realmId in the request wins over both
    sim.default_realm = None
    listed_first = sim.store.realm_ids()[0]  # the selector lists companies by realm id
    assert [o["value"] for o in consent(sim)[1].find("option") if "selected" in o] == [listed_first]
    picked = consent(sim, realmId=served)[1].find("option")
    assert [o["value"] for o in picked if "selected" in o] == [served]
