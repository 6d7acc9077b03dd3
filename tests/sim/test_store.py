from __future__ import annotations

import pytest

from qbo_sim.store import Company


def _customer(i: int, name: str) -> dict:
    return {"Id": str(i), "SyncToken": "0", "DisplayName": name}


def test_unit_of_work_rolls_back_puts_removes_sequences_and_indexes():
    company = Company(realm_id="1", name="Co")
    with company.unit_of_work():
        company.put("Customer", _customer(company.next_value("list:Customer"), "Acme"))
    before = company.to_dict()
    with pytest.raises(RuntimeError), company.unit_of_work():
        company.put("Customer", _customer(company.next_value("list:Customer"), "Bolt"))
        company.put("Customer", {**_customer(1, "Renamed")})
        company.remove("Customer", "2", stub={"Id": "2", "status": "Deleted"})
        company.set_extra("x", 1)
        company.set_extra_item("editors", "Customer:1", "someone")
        raise RuntimeError("rule failed")
    assert company.to_dict() == before
    assert [c["Id"] for c in company.find("Customer", "DisplayName", " ACME ")] == ["1"]
    assert company.find("Customer", "DisplayName", "Renamed") == []
    assert company.find("Customer", "DisplayName", "Bolt") == []


def test_writes_outside_a_unit_of_work_are_refused():
    company = Company(realm_id="1", name="Co")
    with pytest.raises(RuntimeError):
        company.put("Customer", _customer(1, "Acme"))


def test_index_follows_renames_and_removal():
    company = Company(realm_id="1", name="Co")
    with company.unit_of_work():
        company.put("Invoice", {"Id": "5", "DocNumber": "1001", "CustomerRef": {"value": "1"}})
        company.put("Invoice", {"Id": "5", "DocNumber": "1002", "CustomerRef": {"value": "2"}})
    assert company.find("Invoice", "DocNumber", "1001") == []
    assert [i["Id"] for i in company.find("Invoice", "CustomerRef.value", "2")] == ["5"]
    with company.unit_of_work():
        company.remove("Invoice", "5", stub={"Id": "5", "status": "Deleted"})
    assert company.find("Invoice", "DocNumber", "1002") == []
    assert company.deleted_stub("Invoice", "5") == {"Id": "5", "status": "Deleted"}
    with pytest.raises(KeyError):
        company.find("Invoice", "PrivateNote", "x")


def test_snapshot_round_trip_rebuilds_indexes():
    company = Company(realm_id="9", name="Co")
    with company.unit_of_work():
        company.put("Customer", _customer(1, "Acme"))
    copy = Company.from_dict(company.to_dict())
    assert copy.to_dict() == company.to_dict()
    assert copy.find("Customer", "DisplayName", "acme")[0]["Id"] == "1"


def test_a_unit_of_work_excludes_other_threads_until_it_ends():
    import threading

    company = Company(realm_id="1", name="Co")
    inside, release = threading.Event(), threading.Event()
    seen_by_other: list[bool] = []

    def writer() -> None:
        with company.unit_of_work():
            company.put("Customer", _customer(1, "Acme"))
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    assert inside.wait(10)

    def other() -> None:
        seen_by_other.append(company.lock.acquire(blocking=False))

    probe = threading.Thread(target=other)
    probe.start()
    probe.join()
    release.set()
    thread.join()
    assert seen_by_other == [False]  # the lock was held for the whole unit
    with company.unit_of_work():  # and is free again afterwards
        company.put("Customer", _customer(2, "Bolt"))
    assert company.count("Customer") == 2


def test_companies_in_a_store_share_its_lock():
    from qbo_sim.store import Store

    store = Store()
    first, second = Company(realm_id="1", name="A"), Company(realm_id="2", name="B")
    store.add(first)
    store.add(second)
    assert first.lock is store.lock and second.lock is store.lock
