"""The ``sample`` preset: deterministic per seed, complete, and consistent with the API."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from qbo_sim import Clock, Simulator
from qbo_sim.entities import ENTITIES
from qbo_sim.validation import validate_request

START = datetime(2026, 3, 2, 17, 0, 0, tzinfo=UTC)


def sample_data(seed: int) -> str:
    sim = Simulator(seed=1, clock=Clock(frozen_at=START))
    realm = sim.create_company("sample", seed=seed, realm_id="4620816365046319180")
    return json.dumps(sim.company(realm).to_dict(), sort_keys=True)


def test_same_seed_gives_identical_data_and_other_seeds_differ():
    first = sample_data(11)
    assert sample_data(11) == first
    assert sample_data(12) != first


def entities(sim: Simulator, realm: str, type_name: str) -> list[dict]:
    return list(sim.company(realm).all(type_name))


def test_sample_contents(sim):
    realm = sim.create_company("sample", seed=3)
    accounts = {a["Name"]: a for a in entities(sim, realm, "Account")}
    expected_types = {
        "Checking": "Bank",
        "Accounts Receivable (A/R)": "Accounts Receivable",
        "Undeposited Funds": "Other Current Asset",
        "Inventory Asset": "Other Current Asset",
        "Services": "Income",
        "Sales of Product Income": "Income",
        "Cost of Goods Sold": "Cost of Goods Sold",
        "Job Materials": "Expense",
        "Subcontractors": "Expense",
        "Fuel": "Expense",
        "Equipment Rental": "Expense",
        "Accounts Payable (A/P)": "Accounts Payable",
        "Mastercard": "Credit Card",
    }
    assert {name: accounts[name]["AccountType"] for name in expected_types} == expected_types
    assert {t["Name"] for t in entities(sim, realm, "Term")} == {
        "Due on receipt",
        "Net 15",
        "Net 30",
    }
    assert {m["Name"] for m in entities(sim, realm, "PaymentMethod")} == {
        "Cash",
        "Check",
        "Credit Card",
    }
    items = entities(sim, realm, "Item")
    assert {i["Type"] for i in items} == {"Service", "NonInventory"}
    assert all(i["IncomeAccountRef"]["name"] for i in items)
    customers = entities(sim, realm, "Customer")
    top = [c for c in customers if not c["Job"]]
    jobs = [c for c in customers if c["Job"]]
    assert len(top) == 12 and len(jobs) >= 4
    assert all(j["Level"] == 1 and ":" in j["FullyQualifiedName"] for j in jobs)
    assert len(entities(sim, realm, "Vendor")) >= 3
    assert len(entities(sim, realm, "Employee")) >= 2
    assert len(entities(sim, realm, "Class")) >= 2 and len(entities(sim, realm, "Department")) >= 2
    invoices = entities(sim, realm, "Invoice")
    bills = entities(sim, realm, "Bill")
    assert invoices and bills
    assert all(i["Balance"] == i["TotalAmt"] > 0 for i in invoices)  # all open
    assert all(b["Balance"] == b["TotalAmt"] > 0 for b in bills)
    assert [i["DocNumber"] for i in invoices] == [str(1001 + n) for n in range(len(invoices))]


def test_sample_entities_pass_their_own_validation(sim):
    realm = sim.create_company("sample", seed=5)
    for type_name in ("Customer", "Vendor", "Employee", "Item", "Account", "Invoice", "Bill"):
        for entity in entities(sim, realm, type_name):
            validate_request(
                ENTITIES[type_name], json.loads(json.dumps(entity)), operation="update"
            )
