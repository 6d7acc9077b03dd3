"""CONTRIBUTING.md's "Adding an entity", exercised: two throwaway entities defined here (a list,
``Gadget``, and a transaction, ``GadgetRental``) are registered with
:func:`qbo_sim.entities.register` and work over the HTTP API with no other file edited:
create, read, query and update, name uniqueness, reference checks, DocNumber rules; leaving
the ``with`` block restores the registry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from qbo_sim import entities
from qbo_sim.entities import DocNumbers, list_spec, txn_spec
from tests.conftest import fault_of
from tests.sim.rules_books import duplicate_docnumber, invalid_reference

READ_ONLY = {
    name: {"readOnly": True, "type": kind}
    for name, kind in (
        ("Id", "string"),
        ("SyncToken", "string"),
        ("MetaData", "object"),
        ("domain", "string"),
        ("sparse", "boolean"),
        ("status", "string"),
    )
}

GADGET = list_spec(
    "Gadget",
    inactive_checked=True,
    defaults={"Color": "Grey"},
    query_fields={"Color": "string:FS"},
    schema={
        "title": "Gadget",
        "type": "object",
        "properties": {
            **READ_ONLY,
            "Active": {"type": "boolean"},
            "Name": {"type": "string", "maxLength": 31},
            "Color": {"type": "string", "enum": ["Grey", "Red", "Blue"]},
        },
        "additionalProperties": False,
        "required": ["Name"],
    },
)

RENTAL = txn_spec(
    "GadgetRental",
    "CustomerRef",
    label="Gadget Rental",
    numbering=DocNumbers(unique=True),
    linkable=True,
    print_default="NotSet",
    schema={
        "title": "GadgetRental",
        "type": "object",
        "properties": {
            **READ_ONLY,
            "TxnDate": {"type": "string", "format": "date"},
            "DocNumber": {"type": "string", "maxLength": 21},
            "PrivateNote": {"type": "string", "maxLength": 4000},
            "CustomerRef": {"$ref": "common.json#/$defs/Ref"},
            "GadgetRef": {"$ref": "common.json#/$defs/Ref"},
            "TotalAmt": {"readOnly": True, "type": "number"},
            "CurrencyRef": {"$ref": "common.json#/$defs/Ref"},
            "PrintStatus": {"type": "string"},
            "LinkedTxn": {"type": "array", "items": {"$ref": "common.json#/$defs/LinkedTxn"}},
            "Line": {"type": "array", "items": {"$ref": "common.json#/$defs/ExpenseLine"}},
        },
        "additionalProperties": False,
        "required": ["CustomerRef", "GadgetRef"],
    },
)

pytestmark = pytest.mark.usefixtures("throttle_off")


@pytest.fixture
def registered() -> Iterator[None]:
    with entities.register(GADGET, RENTAL):
        yield


def ok(res: Any, entity: str) -> dict[str, Any]:
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_json()[entity]


def query(api: Any, statement: str) -> dict[str, Any]:
    res = api.get("query", query_string={"query": statement})
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_json()["QueryResponse"]


@pytest.mark.usefixtures("registered")
def test_a_registered_list_entity_is_created_read_queried_and_updated(api):
    made = ok(api.post("gadget", {"Name": "Drill"}), "Gadget")
    assert {k: made[k] for k in ("Name", "Active", "Color", "SyncToken")} == {
        "Name": "Drill",
        "Active": True,
        "Color": "Grey",  # spec.defaults
        "SyncToken": "0",
    }
    assert ok(api.get(f"gadget/{made['Id']}"), "Gadget") == made
    ok(api.post("gadget", {"Name": "Saw", "Color": "Red"}), "Gadget")
    found = query(api, "select * from Gadget where Color = 'Red'")
    assert [g["Name"] for g in found["Gadget"]] == ["Saw"]
    updated = ok(
        api.post("gadget", {"Id": made["Id"], "SyncToken": "0", "Name": "Big Drill"}), "Gadget"
    )
    assert (updated["Name"], updated["SyncToken"]) == ("Big Drill", "1")
    names = query(api, "select * from Gadget orderby Name")
    assert [g["Name"] for g in names["Gadget"]] == ["Big Drill", "Saw"]


@pytest.mark.usefixtures("registered")
def test_a_registered_list_entity_gets_the_schema_and_name_rules(api):
    ok(api.post("gadget", {"Name": "Drill"}), "Gadget")
    res = api.post("gadget", {"Name": "Drill"})
    assert (res.status_code, fault_of(res)["code"]) == (400, "6240")  # duplicate name
    res = api.post("gadget", {"Name": "Lamp", "Color": "Green"})
    assert (res.status_code, fault_of(res)["code"], fault_of(res)["element"]) == (
        400,
        "2170",
        "Color",
    )
    res = api.post("gadget", {"Name": "Lamp", "Size": 3})
    assert (res.status_code, fault_of(res)["code"]) == (400, "2010")  # not in its schema


@pytest.mark.usefixtures("registered")
def test_a_registered_transaction_gets_derivations_references_and_docnumber_rules(api):
    customer = api.create("Customer", {"DisplayName": "Ana Ruiz"})["Id"]
    gadget = ok(api.post("gadget", {"Name": "Drill"}), "Gadget")["Id"]
    account = api.create("Account", {"Name": "Rentals", "AccountType": "Expense"})["Id"]
    body = {
        "CustomerRef": {"value": customer},
        "GadgetRef": {"value": gadget},
        "DocNumber": "R-1",
        "Line": [
            {
                "Amount": 25,
                "DetailType": "AccountBasedExpenseLineDetail",
                "AccountBasedExpenseLineDetail": {"AccountRef": {"value": account}},
            }
        ],
    }
    made = ok(api.post("gadgetrental", body), "GadgetRental")
    assert {
        k: made[k]
        for k in ("TotalAmt", "TxnDate", "PrintStatus", "LinkedTxn", "CurrencyRef", "GadgetRef")
    } == {
        "TotalAmt": 25.0,
        "TxnDate": "2026-03-02",
        "PrintStatus": "NotSet",
        "LinkedTxn": [],
        "CurrencyRef": {"value": "USD", "name": "United States Dollar"},
        "GadgetRef": {"value": gadget, "name": "Drill"},  # ref_fields: named like any Ref
    }
    assert ok(api.get(f"gadgetrental/{made['Id']}"), "GadgetRental") == made
    assert query(api, "select * from GadgetRental where DocNumber = 'R-1'")["GadgetRental"] == [
        made
    ]

    again = api.post("gadgetrental", body)
    assert fault_of(again) == duplicate_docnumber("R-1", "Gadget Rental", made["Id"])
    unknown = api.post("gadgetrental", {**body, "DocNumber": "R-2", "GadgetRef": {"value": "99"}})
    assert fault_of(unknown) == invalid_reference("GadgetRef")

    updated = ok(
        api.post(
            "gadgetrental",
            {**body, "Id": made["Id"], "SyncToken": "0", "PrivateNote": "two days"},
        ),
        "GadgetRental",
    )
    assert (updated["PrivateNote"], updated["SyncToken"], updated["DocNumber"]) == (
        "two days",
        "1",
        "R-1",
    )

    ok(
        api.post("gadget", {"Id": gadget, "SyncToken": "0", "Name": "Drill", "Active": False}),
        "Gadget",
    )
    inactive = api.post("gadgetrental", {**body, "DocNumber": "R-3"})
    assert fault_of(inactive)["code"] == "610"  # spec.inactive_checked


def test_leaving_the_registration_restores_the_registry(api):
    before = (dict(entities.ENTITIES), dict(entities.BY_PATH), dict(entities.REF_TARGETS))
    with entities.register(GADGET, RENTAL) as registration:
        assert registration.specs == (GADGET, RENTAL)
        assert entities.lookup("gadget") is GADGET
        assert entities.ref_target("GadgetRef") == "Gadget"
        with pytest.raises(ValueError, match="already registered"):
            entities.register(GADGET)
    assert (dict(entities.ENTITIES), dict(entities.BY_PATH), dict(entities.REF_TARGETS)) == before
    assert entities.lookup("Gadget") is None
    res = api.post("gadget", {"Name": "Drill"})
    assert (res.status_code, fault_of(res)["code"], fault_of(res)["Message"]) == (
        400,
        "500",
        "Unsupported Operation",
    )  # no such resource any more
