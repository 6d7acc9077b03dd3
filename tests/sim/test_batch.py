"""Batch: independent items, per-item faults inside a 200, the 30-item limit (§5.7)."""

from __future__ import annotations

from tests.conftest import fault_of


def test_items_are_independent_and_faults_stay_inside_their_item(api, sim, realm):
    customer = api.create("Customer", {"DisplayName": "Acme"})
    res = api.post(
        "batch",
        {
            "BatchItemRequest": [
                {"bId": "b1", "operation": "create", "Customer": {"DisplayName": "Bolt"}},
                {
                    "bId": "b2",
                    "operation": "update",
                    "Customer": {
                        "Id": customer["Id"],
                        "SyncToken": "7",
                        "sparse": True,
                        "Notes": "x",
                    },
                },
            ]
        },
    )
    assert res.status_code == 200
    answers = res.get_json()["BatchItemResponse"]
    assert answers[0]["bId"] == "b1" and answers[0]["Customer"]["DisplayName"] == "Bolt"
    assert answers[1]["bId"] == "b2"
    assert answers[1]["Fault"]["type"] == "ValidationFault"
    assert answers[1]["Fault"]["Error"][0]["code"] == "5010"
    assert sim.company(realm).count("Customer") == 2


def test_delete_item_answers_the_deleted_stub(api):
    customer = api.create("Customer", {"DisplayName": "Acme"})
    invoice = api.create(
        "Invoice",
        {
            "CustomerRef": {"value": customer["Id"]},
            "Line": [{"Amount": 10, "DetailType": "DescriptionOnly", "DescriptionLineDetail": {}}],
        },
    )
    res = api.post(
        "batch",
        {
            "BatchItemRequest": [
                {
                    "bId": "d",
                    "operation": "delete",
                    "Invoice": {"Id": invoice["Id"], "SyncToken": invoice["SyncToken"]},
                },
            ]
        },
    )
    assert res.get_json()["BatchItemResponse"][0] == {
        "bId": "d",
        "Invoice": {"status": "Deleted", "domain": "QBO", "Id": invoice["Id"]},
    }


def test_more_than_thirty_items_is_1040(api, sim, realm):
    items = [
        {"bId": str(i), "operation": "create", "Customer": {"DisplayName": f"C{i}"}}
        for i in range(31)
    ]
    res = api.post("batch", {"BatchItemRequest": items})
    error = fault_of(res)
    assert (error["code"], error["status"], error["Message"]) == (
        "1040",
        400,
        "Batch size exceeds allowed limit",
    )
    assert sim.company(realm).count("Customer") == 0


def test_query_items_answer_inside_the_batch_and_count_returns_only_total(api):
    api.create("Customer", {"DisplayName": "Acme"})
    api.create("Customer", {"DisplayName": "Bolt"})
    res = api.post(
        "batch",
        {
            "BatchItemRequest": [
                {"bId": "q1", "Query": "SELECT * FROM Customer WHERE DisplayName = 'Bolt'"},
                {"bId": "q2", "Query": "SELECT COUNT(*) FROM Customer"},
                {"bId": "q3", "Query": "SELECT * FROM Customer WHERE Nope = 'x'"},
            ]
        },
    )
    q1, q2, q3 = res.get_json()["BatchItemResponse"]
    assert q1["bId"] == "q1"
    assert [c["DisplayName"] for c in q1["QueryResponse"]["Customer"]] == ["Bolt"]
    assert q2 == {"bId": "q2", "QueryResponse": {"totalCount": 2}}
    assert q3["Fault"]["Error"][0]["code"] == "4001"
