"""Closed books (6210): the API cannot touch transactions in a closed period."""

from __future__ import annotations

from tests.conftest import Api, fault_of

#: as quoted by LeanLaw (.NET SDK text), Invoiced and a fyle-qbo-api fixture (doubled "through")
PERIOD_CLOSED = {
    "Message": "Account Period Closed, Cannot Update Through Services API",
    "Detail": "The account period has closed and the account books cannot be updated through "
    "through the QBO Services API. Please use the QBO website to make these changes.",
    "code": "6210",
    "element": "",
    "type": "ValidationFault",
    "status": 400,
}


def _invoice(customer_id: str, txn_date: str) -> dict:
    return {
        "CustomerRef": {"value": customer_id},
        "TxnDate": txn_date,
        "Line": [{"Amount": 100, "DetailType": "DescriptionOnly", "DescriptionLineDetail": {}}],
    }


def _close_books(sim, realm, through: str) -> None:
    user = sim.as_user(realm)
    prefs = user.get("Preferences", "1")
    user.sparse_update(
        "Preferences",
        "1",
        AccountingInfoPrefs={**prefs["AccountingInfoPrefs"], "BookCloseDate": through},
    )


def test_closed_period_refuses_api_writes_and_changes_nothing(api, sim, realm):
    customer = api.create("Customer", {"DisplayName": "Harbor Property Group"})
    january = api.create("Invoice", _invoice(customer["Id"], "2026-01-20"))
    _close_books(sim, realm, "2026-01-31")
    before = sim.company(realm).to_dict()
    attempts = [
        api.post("invoice", _invoice(customer["Id"], "2026-01-31")),
        api.post(
            "invoice",
            {"Id": january["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "late change"},
        ),
        api.post("invoice?operation=delete", {"Id": january["Id"], "SyncToken": "0"}),
        api.post("invoice?operation=void", {"Id": january["Id"], "SyncToken": "0"}),
    ]
    for res in attempts:
        assert fault_of(res) == PERIOD_CLOSED
    assert sim.company(realm).to_dict() == before


def test_open_period_and_moving_into_the_closed_one(api, sim, realm):
    customer = api.create("Customer", {"DisplayName": "Harbor Property Group"})
    _close_books(sim, realm, "2026-01-31")
    february = api.create("Invoice", _invoice(customer["Id"], "2026-02-01"))
    moved = api.post(
        "invoice", {"Id": february["Id"], "SyncToken": "0", "sparse": True, "TxnDate": "2026-01-15"}
    )
    assert fault_of(moved) == PERIOD_CLOSED
    # the bookkeeper, who knows the closing-date password, may change the closed period
    sim.as_user(realm).sparse_update("Invoice", february["Id"], TxnDate="2026-01-15")
    # and reopening the books lets the sync through again
    _close_books(sim, realm, "")
    current = api.get(f"invoice/{february['Id']}").get_json()["Invoice"]
    res = api.post(
        "invoice",
        {
            "Id": february["Id"],
            "SyncToken": current["SyncToken"],
            "sparse": True,
            "PrivateNote": "reopened",
        },
    )
    assert res.status_code == 200


def test_the_other_captured_answer_leaks_the_placeholder(sim):
    """python-quickbooks#208: 5010 "Account Period Closed", "The account period has closed. {1}"."""
    realm = sim.create_company("empty", fidelity_settings={"period_closed_fault": "5010"})
    api = Api(sim.app.test_client(), realm)
    customer = api.create("Customer", {"DisplayName": "Harbor Property Group"})
    _close_books(sim, realm, "2026-01-31")
    res = api.post("invoice", _invoice(customer["Id"], "2026-01-20"))
    assert fault_of(res) == {
        **PERIOD_CLOSED,
        "Message": "Account Period Closed",
        "Detail": "The account period has closed. {1}",
        "code": "5010",
    }
    assert list(sim.company(realm).all("Invoice")) == []
