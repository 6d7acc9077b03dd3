"""A company whose subscription ended takes no new data through the API (6190)."""

from __future__ import annotations

import pytest

from tests.conftest import fault_of

INVALID_COMPANY_STATUS = {
    "Message": "Invalid Company Status",
    "Detail": "Subscription period has ended or canceled or there was a billing problem : You "
    "can't add data to QuickBooks Online Plus because your trial or subscription period "
    "ended, you canceled your subscription, or there was a billing problem. To update your "
    "subscription, click the gear icon and view your account information.",
    "code": "6190",
    "element": "",
    "type": "ValidationFault",
    "status": 400,
}


def test_writes_answer_6190_reads_work_and_reactivation_lifts_it(api, sim, realm):
    customer = api.create("Customer", {"DisplayName": "Acme"})
    sim.set_subscription(realm, "ended")
    before = sim.company(realm).to_dict()
    assert fault_of(api.post("customer", {"DisplayName": "Bolt"})) == INVALID_COMPANY_STATUS
    update = {"Id": customer["Id"], "SyncToken": "0", "sparse": True, "Notes": "x"}
    assert fault_of(api.post("customer", update)) == INVALID_COMPANY_STATUS
    assert sim.company(realm).to_dict() == before
    assert api.get(f"customer/{customer['Id']}").status_code == 200
    sim.set_subscription(realm, "active")
    assert api.post("customer", update).status_code == 200


def test_subscription_over_the_control_plane(sim, realm):
    control = sim.app.test_client()
    url = f"/_sim/companies/{realm}/subscription"
    assert control.get(url).get_json() == {"realm_id": realm, "status": "active"}
    res = control.put(url, json={"status": "ended"})
    assert res.status_code == 200 and res.get_json()["status"] == "ended"
    assert control.get(url).get_json()["status"] == "ended"
    bad = control.put(url, json={"status": "paused"})
    assert bad.status_code == 400 and bad.get_json()["error"] == "bad subscription status"
    assert control.get("/_sim/companies/404/subscription").status_code == 404
    with pytest.raises(ValueError):
        sim.set_subscription(realm, "paused")
