"""Projects (issue 18 item 2): Customers with ``IsProject`` made by the QBO user through the
control plane, read and queried through the API, and ``ProjectRef`` on the transactions that
carry it (docs/research/projects-and-bundles.md part A).

Intuit's use case for the Project API creates an invoice with ``CustomerRef`` the customer and
``ProjectRef`` the project; the invoice is the customer's: its balance, its aging row and its
CustomerBalance row.
"""

from __future__ import annotations

from typing import Any

import pytest

import qbo_sim
from tests.conftest import Api, fault_of
from tests.sim.rules_books import BUSINESS, MADE_INACTIVE_610, fault, invalid_reference, snapshot


@pytest.fixture
def control(sim):
    return sim.app.test_client()


def user_action(control, realm: str, action: str, body: dict[str, Any]) -> Any:
    return control.post(f"/_sim/companies/{realm}/user/{action}", json=body)


@pytest.fixture
def books(api: Api, control, realm: str, throttle_off) -> dict[str, str]:
    """An A/R and an income account, a service item, two customers and a project of the
    first, made by the QBO user."""
    api.create("Account", {"Name": "A/R", "AccountType": "Accounts Receivable"})
    income = api.create("Account", {"Name": "Services", "AccountType": "Income"})
    item = api.create(
        "Item", {"Name": "Design", "Type": "Service", "IncomeAccountRef": {"value": income["Id"]}}
    )
    amy = api.create("Customer", {"DisplayName": "Amy's Bird Sanctuary"})
    bob = api.create("Customer", {"DisplayName": "Bob's Burgers"})
    res = user_action(
        control,
        realm,
        "create-project",
        {"customer_id": amy["Id"], "name": "Garden pond", "fields": {"Notes": "spring"}},
    )
    assert res.status_code == 200, res.get_data(as_text=True)
    return {
        "item": item["Id"],
        "amy": amy["Id"],
        "bob": bob["Id"],
        "project": res.get_json()["Customer"]["Id"],
        "income": income["Id"],
    }


def invoice(books: dict[str, str], customer: str, amount: float = 150.0, **fields: Any) -> dict:
    return {
        "CustomerRef": {"value": customer},
        "Line": [
            {
                "Amount": amount,
                "DetailType": "SalesItemLineDetail",
                "SalesItemLineDetail": {"ItemRef": {"value": books["item"]}},
            }
        ],
        **fields,
    }


def project_ref(books: dict[str, str]) -> dict[str, Any]:
    return {"ProjectRef": {"value": books["project"]}}


def report_rows(api: Api, name: str, **query: str) -> list[list[str]]:
    body = api.get(f"reports/{name}", query_string=query).get_json()
    return [
        [cell["value"] for cell in row["ColData"]]
        for row in body["Rows"].get("Row", [])
        if "ColData" in row
    ]


# --- the project as the API reads it ------------------------------------------------------
def test_a_project_is_a_customer_with_is_project_under_its_customer(api, books):
    project = api.get(f"customer/{books['project']}").get_json()["Customer"]
    assert {k: project[k] for k in ("DisplayName", "IsProject", "Job", "ParentRef")} == {
        "DisplayName": "Garden pond",
        "IsProject": True,
        "Job": True,
        "ParentRef": {"value": books["amy"], "name": "Amy's Bird Sanctuary"},
    }
    assert (project["FullyQualifiedName"], project["Level"], project["Notes"]) == (
        "Amy's Bird Sanctuary:Garden pond",
        1,
        "spring",
    )
    customer = api.get(f"customer/{books['amy']}").get_json()["Customer"]
    assert "IsProject" not in customer


def test_projects_are_found_as_jobs_and_is_project_is_not_filterable(api, books):
    jobs = api.get("query", query_string={"query": "select * from Customer where Job = true"})
    assert [c["Id"] for c in jobs.get_json()["QueryResponse"]["Customer"]] == [books["project"]]
    res = api.get("query", query_string={"query": "select * from Customer where IsProject = true"})
    assert fault_of(res)["code"] == "4001"


def test_a_client_cannot_make_or_unmake_a_project(api, books):
    made = api.create("Customer", {"DisplayName": "Pretend project", "IsProject": True})
    assert "IsProject" not in made  # read only: ignored (DotNET-SDK#197)
    project = api.get(f"customer/{books['project']}").get_json()["Customer"]
    updated = api.update(
        "Customer",
        {
            "Id": project["Id"],
            "SyncToken": project["SyncToken"],
            "sparse": True,
            "IsProject": False,
        },
    )
    assert updated["IsProject"] is True


# --- ProjectRef --------------------------------------------------------------------------
def test_an_invoice_for_a_project_rolls_up_to_its_customer(api, books):
    created = api.create("Invoice", invoice(books, books["amy"], **project_ref(books)))
    assert created["ProjectRef"] == {"value": books["project"]}  # no name, as Intuit's samples
    amy = api.get(f"customer/{books['amy']}").get_json()["Customer"]
    project = api.get(f"customer/{books['project']}").get_json()["Customer"]
    assert (amy["Balance"], project["Balance"]) == (150.0, 0)
    assert report_rows(api, "CustomerBalance") == [["Amy's Bird Sanctuary", "150.00"]]
    aging = report_rows(api, "AgedReceivables")
    assert aging == [["Amy's Bird Sanctuary", "150.00", "", "", "", "", "150.00"]]
    # the reports' customer filter takes the project too (Amy's other invoice is not hers)
    api.create("Invoice", invoice(books, books["amy"], 40.0))
    assert income_of(api, customer=books["project"]) == "150.00"
    assert income_of(api, customer=books["amy"]) == "190.00"


def income_of(api: Api, **query: str) -> str:
    body = api.get("reports/ProfitAndLoss", query_string=query).get_json()
    income = next(r for r in body["Rows"]["Row"] if r.get("group") == "Income")
    return income["Summary"]["ColData"][1]["value"]


@pytest.mark.parametrize("entity", ["Invoice", "Estimate", "SalesReceipt"])
def test_forms_are_queried_by_project(api, books, entity):
    mine = api.create(entity, invoice(books, books["amy"], **project_ref(books)))
    api.create(entity, invoice(books, books["amy"]))
    query = f"select * from {entity} where ProjectRef = '{books['project']}'"
    rows = api.get("query", query_string={"query": query}).get_json()["QueryResponse"][entity]
    assert [r["Id"] for r in rows] == [mine["Id"]]


@pytest.mark.parametrize("entity", ["Estimate", "SalesReceipt", "CreditMemo"])
def test_other_customer_forms_carry_a_project(api, books, entity):
    created = api.create(entity, invoice(books, books["amy"], **project_ref(books)))
    assert created["ProjectRef"] == {"value": books["project"]}


def test_a_project_named_as_the_customer_is_a_job(api, books):
    created = api.create("Invoice", invoice(books, books["project"], **project_ref(books)))
    project = api.get(f"customer/{books['project']}").get_json()["Customer"]
    amy = api.get(f"customer/{books['amy']}").get_json()["Customer"]
    assert (project["Balance"], amy["Balance"], amy["BalanceWithJobs"]) == (150.0, 0, 150.0)
    assert created["CustomerRef"]["value"] == books["project"]


def test_another_customers_project_is_refused(api, sim, realm, books):
    before = snapshot(sim, realm)
    res = api.post("invoice", invoice(books, books["bob"], **project_ref(books)))
    assert fault_of(res) == fault(
        "6000",
        BUSINESS,
        "Business Validation Error: The project Garden pond does not belong to customer "
        "Bob's Burgers.",
    )
    assert snapshot(sim, realm) == before


def test_project_customer_mismatch_allow_stores_it(api, sim, books):
    sim.set_fidelity(api.realm, {"project_customer_mismatch": "allow"})
    created = api.create("Invoice", invoice(books, books["bob"], **project_ref(books)))
    assert created["ProjectRef"] == {"value": books["project"]}


def test_a_project_ref_names_an_existing_active_project(api, sim, realm, books):
    not_a_project = api.post(
        "invoice", invoice(books, books["amy"], ProjectRef={"value": books["bob"]})
    )
    assert fault_of(not_a_project) == invalid_reference("ProjectRef")
    unknown = api.post("invoice", invoice(books, books["amy"], ProjectRef={"value": "999"}))
    assert fault_of(unknown) == invalid_reference("ProjectRef")
    sim.as_user(realm).deactivate("Customer", books["project"])
    inactive = api.post("invoice", invoice(books, books["amy"], **project_ref(books)))
    assert fault_of(inactive) == MADE_INACTIVE_610


def test_a_line_project_ref_is_checked_too(api, books):
    body = invoice(books, books["amy"])
    body["Line"][0]["ProjectRef"] = {"value": books["bob"]}
    assert fault_of(api.post("invoice", body)) == invalid_reference("Line.ProjectRef")
    body["Line"][0]["ProjectRef"] = {"value": books["project"]}
    created = api.create("Invoice", body)
    assert created["Line"][0]["ProjectRef"] == {"value": books["project"]}


def test_a_bill_carries_a_project_without_a_customer_check(api, books):
    vendor = api.create("Vendor", {"DisplayName": "Pond Supplies"})
    api.create("Account", {"Name": "A/P", "AccountType": "Accounts Payable"})
    expense = api.create("Account", {"Name": "Materials", "AccountType": "Expense"})
    bill = api.create(
        "Bill",
        {
            "VendorRef": {"value": vendor["Id"]},
            "Line": [
                {
                    "Amount": 80.0,
                    "DetailType": "AccountBasedExpenseLineDetail",
                    "AccountBasedExpenseLineDetail": {"AccountRef": {"value": expense["Id"]}},
                }
            ],
            **project_ref(books),
        },
    )
    assert bill["ProjectRef"] == {"value": books["project"]}


# --- the QBO user's project actions ------------------------------------------------------
def test_a_projects_status_is_the_qbo_screens_only(api, control, sim, realm, books):
    user = sim.as_user(realm)
    assert user.project_status(books["project"]) == "In progress"
    before = api.get(f"customer/{books['project']}").get_json()["Customer"]
    res = user_action(
        control, realm, "set-project-status", {"id": books["project"], "status": "Completed"}
    )
    assert res.status_code == 200
    assert user.project_status(books["project"]) == "Completed"
    after = api.get(f"customer/{books['project']}").get_json()["Customer"]
    assert after == before  # not on the v3 wire, no new SyncToken
    assert api.create("Invoice", invoice(books, books["amy"], **project_ref(books)))["Id"]


@pytest.mark.parametrize(
    ("action", "body", "error"),
    [
        ("set-project-status", {"id": "P", "status": "Done"}, "set-project-status refused"),
        ("create-project", {"customer_id": "A", "name": "X", "status": "Done"}, None),
    ],
)
def test_project_actions_refuse_an_unknown_status(control, realm, books, action, body, error):
    body = {
        k: books["project"] if v == "P" else books["amy"] if v == "A" else v
        for k, v in body.items()
    }
    res = user_action(control, realm, action, body)
    assert res.status_code == 400
    assert res.get_json()["error"] == (error or "create-project refused")
    assert "Done" in res.get_json()["detail"]


def test_projects_do_not_nest_and_a_customer_is_no_project(control, realm, books):
    nested = user_action(
        control, realm, "create-project", {"customer_id": books["project"], "name": "Fish"}
    )
    assert (nested.status_code, nested.get_json()["error"]) == (400, "create-project refused")
    status = user_action(
        control, realm, "set-project-status", {"id": books["amy"], "status": "On hold"}
    )
    assert (status.status_code, status.get_json()["error"]) == (400, "set-project-status refused")


def test_a_project_for_a_customer_that_does_not_exist_is_qbos_610(control, realm, books):
    res = user_action(control, realm, "create-project", {"customer_id": "999", "name": "Ghost"})
    assert fault_of(res)["code"] == "610"


def test_a_projects_status_survives_a_snapshot(sim, realm, books):
    sim.as_user(realm).set_project_status(books["project"], "On hold")
    sim.import_state(sim.export_state(), replace=True)
    assert sim.as_user(realm).project_status(books["project"]) == "On hold"


def test_the_snapshot_schema_knows_the_project_statuses():
    import json
    from pathlib import Path

    from qbo_sim.user import PROJECT_STATUSES

    schema = json.loads((Path(qbo_sim.__file__).parent / "snapshot.schema.json").read_text())
    statuses = schema["$defs"]["extras"]["properties"]["project_status"]["additionalProperties"]
    assert tuple(statuses["enum"]) == PROJECT_STATUSES
