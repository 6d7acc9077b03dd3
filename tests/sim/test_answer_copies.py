"""Copies only where a caller could change shared state: whatever a caller does to an answer
(Python API, control plane, HTTP, the journal) or to the payload it sent, the store keeps what
was written; and a write never changes a stored version in place (the API views serialise the
stored version itself, and undo restores the versions it kept)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from qbo_sim import operations
from qbo_sim.entities import ENTITIES
from qbo_sim.faults import QBOFault

ADDRESS = {"Line1": "1 Main St", "City": "Springfield"}


def _invoice(api: Any, customer_id: str, amount: float = 25) -> dict[str, Any]:
    account = api.create("Account", {"Name": f"Sales {amount}", "AccountType": "Income"})
    item = api.create(
        "Item",
        {"Name": f"Work {amount}", "Type": "Service", "IncomeAccountRef": {"value": account["Id"]}},
    )
    line = {
        "Amount": amount,
        "DetailType": "SalesItemLineDetail",
        "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}},
    }
    return api.create("Invoice", {"CustomerRef": {"value": customer_id}, "Line": [line]})


def test_changing_python_answers_and_payloads_leaves_the_store_as_written(sim, realm):
    user = sim.as_user(realm)
    payload = {"DisplayName": "Copy Co", "BillAddr": dict(ADDRESS)}
    made = user.create("Customer", payload)
    payload["BillAddr"]["City"] = "changed in the payload"
    made["BillAddr"]["City"] = "changed in the answer"
    made["MetaData"]["CreateTime"] = "changed"
    read = user.get("Customer", made["Id"])
    read["BillAddr"]["Line1"] = "changed in a read"
    updated = user.sparse_update("Customer", made["Id"], Notes="n")
    updated["BillAddr"]["City"] = "changed in an update answer"
    stored = sim.company(realm).get("Customer", made["Id"])
    assert stored["BillAddr"] == ADDRESS
    assert stored["MetaData"]["CreateTime"] != "changed"
    assert stored["Notes"] == "n"


def test_operations_copy_by_default_and_share_only_when_asked(sim, realm):
    ctx = sim.context(realm)
    spec = ENTITIES["Customer"]
    made = operations.create(ctx, spec, {"DisplayName": "Shared", "BillAddr": dict(ADDRESS)})
    stored = sim.company(realm).get("Customer", made["Id"])
    copied = operations.read(ctx, spec, made["Id"])
    assert copied == stored and copied is not stored
    assert copied["BillAddr"] is not stored["BillAddr"]
    assert made is not stored and made["MetaData"] is not stored["MetaData"]
    assert operations.read(ctx, spec, made["Id"], shared=True) is stored
    answer = operations.update(
        ctx, spec, {"Id": made["Id"], "SyncToken": "0", "sparse": True, "Notes": "x"}, shared=True
    )
    assert answer is sim.company(realm).get("Customer", made["Id"])
    with pytest.raises(QBOFault):
        operations.read(ctx, spec, "no-such-id", shared=True)


def test_http_answers_are_the_stored_versions_serialised_and_the_store_is_untouched(sim, api):
    made = api.create("Customer", {"DisplayName": "Over HTTP", "BillAddr": dict(ADDRESS)})
    made["BillAddr"]["City"] = "changed by the client"
    again = api.get(f"customer/{made['Id']}").get_json()["Customer"]
    again["BillAddr"]["City"] = "changed again"
    entry = sim.journal.entries()[-1]
    entry.response["Customer"]["BillAddr"]["City"] = "changed in the journal"
    stored = sim.company(api.realm).get("Customer", made["Id"])
    assert stored["BillAddr"] == ADDRESS
    assert api.get(f"customer/{made['Id']}").get_json()["Customer"]["BillAddr"] == ADDRESS


def test_a_balance_refresh_puts_a_new_version_and_leaves_the_old_one_as_it_was(sim, api):
    customer = api.create("Customer", {"DisplayName": "Balanced", "BillAddr": dict(ADDRESS)})
    company = sim.company(api.realm)
    before = company.get("Customer", customer["Id"])
    kept = copy.deepcopy(before)
    _invoice(api, customer["Id"], 25)
    after = company.get("Customer", customer["Id"])
    assert after is not before
    assert before == kept  # the earlier version was not changed in place
    assert after["Balance"] == 25 and before["Balance"] == 0
    assert after["BillAddr"] == ADDRESS


def test_a_failed_write_restores_balances_and_the_versions_before_it(sim, api):
    parent = api.create("Customer", {"DisplayName": "Parent"})
    job = api.create(
        "Customer",
        {"DisplayName": "Job", "Job": True, "ParentRef": {"value": parent["Id"]}},
    )
    company = sim.company(api.realm)
    _invoice(api, job["Id"], 40)
    versions = {i: copy.deepcopy(company.get("Customer", i)) for i in (parent["Id"], job["Id"])}
    assert versions[parent["Id"]]["BalanceWithJobs"] == 40
    with pytest.raises(RuntimeError), company.unit_of_work():
        _invoice_in(sim, api.realm, job["Id"], 10)
        assert company.get("Customer", parent["Id"])["BalanceWithJobs"] == 50
        raise RuntimeError("the unit fails after the balances moved")
    for entity_id, version in versions.items():
        assert company.get("Customer", entity_id) == version


def _invoice_in(sim: Any, realm: str, customer_id: str, amount: float) -> None:
    """An invoice written through operations inside the caller's unit of work."""
    ctx = sim.context(realm)
    company = sim.company(realm)
    item = next(i for i in company.all("Item") if i.get("Type") == "Service")
    line = {
        "Amount": amount,
        "DetailType": "SalesItemLineDetail",
        "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}},
    }
    body = {"CustomerRef": {"value": customer_id}, "Line": [line]}
    operations.create(ctx, ENTITIES["Invoice"], body)
