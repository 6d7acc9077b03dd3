"""Snapshots (export / import, byte-identical round trips) and resetting companies."""

from __future__ import annotations

import pytest

from qbo_sim import Clock, Simulator
from qbo_sim.snapshot import SnapshotError, dumps
from tests.conftest import START


def books(sim: Simulator, realm: str) -> None:
    """Some history: names, a transaction, a deleted one, an edit, a fidelity override."""
    user = sim.as_user(realm)
    account = user.create("Account", {"Name": "Snapshot Income", "AccountType": "Income"})
    item = user.create(
        "Item",
        {
            "Name": "Snapshot Repair",
            "Type": "Service",
            "IncomeAccountRef": {"value": account["Id"]},
        },
    )
    customer = user.create("Customer", {"DisplayName": "Acme Plumbing"})
    line = {
        "Amount": 120.0,
        "DetailType": "SalesItemLineDetail",
        "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}, "Qty": 1, "UnitPrice": 120.0},
    }
    body = {"CustomerRef": {"value": customer["Id"]}, "Line": [line]}
    invoices = [user.create("Invoice", body) for _ in range(2)]
    sim.clock.advance(hours=2)
    user.delete("Invoice", invoices[1]["Id"])
    user.sparse_update("Customer", customer["Id"], CompanyName="Acme Plumbing LLC")
    sim.set_fidelity(realm, {"requestid_retention_hours": 48})


@pytest.fixture
def filled(sim) -> Simulator:
    for environment in ("sandbox", "production"):
        books(sim, sim.create_company("empty", environment=environment))
    return sim


def test_export_import_export_is_byte_identical(filled):
    filled.create_company("sample")  # the full preset: hierarchy, transactions, Faker text
    first = dumps(filled.export_state())
    other = Simulator(clock=Clock())
    other.import_state(filled.export_state())
    assert dumps(other.export_state()) == first
    filled.import_state(filled.export_state(), replace=True)
    assert dumps(filled.export_state()) == first


def test_a_snapshot_keeps_entities_deleted_stubs_sequences_and_settings(filled):
    doc = filled.export_state()
    assert doc["qbo_sim_snapshot"] == 1
    assert doc["clock"] == {"now": "2026-03-02T21:00:00+00:00", "frozen": True}
    company = doc["companies"][0]
    assert [i["Id"] for i in company["entities"]["Invoice"]] == ["1"]
    assert company["deleted"]["Invoice"][0]["status"] == "Deleted"
    assert company["sequences"]["txn"] == 2
    assert company["fidelity"] == {"requestid_retention_hours": 48}
    assert company["extras"]["preset"]["preset"] == "empty"
    restored = Simulator()
    restored.import_state(doc)
    realm = company["realm_id"]
    assert restored.as_user(realm).get("Customer", "1")["CompanyName"] == "Acme Plumbing LLC"
    assert restored.company(realm).find("Customer", "DisplayName", "acme plumbing")
    assert restored.company(realm).deleted_stub("Invoice", "2") is not None
    assert restored.clock.now() == filled.clock.now()


def test_export_of_one_realm_and_merge_versus_replace_on_import(filled, sim):
    first, second = filled.store.realm_ids()
    doc = filled.export_state(first)
    assert [c["realm_id"] for c in doc["companies"]] == [first]
    filled.as_user(first).create("Customer", {"DisplayName": "Added later"})
    assert filled.import_state(doc) == [first]
    assert filled.store.realm_ids() == sorted([first, second])  # merged: second untouched
    assert not filled.company(first).find("Customer", "DisplayName", "Added later")
    filled.import_state(doc, replace=True)
    assert filled.store.realm_ids() == [first]


def test_a_running_clock_is_left_alone_on_import(filled):
    doc = {**filled.export_state(), "clock": {"now": "2020-01-01T00:00:00+00:00", "frozen": False}}
    running = Simulator(clock=Clock())
    running.import_state(doc)
    assert not running.clock.frozen
    assert running.clock.now().year > 2020


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "not a qbo-sim snapshot"),
        ({"companies": []}, "not a qbo-sim snapshot"),
        ({"qbo_sim_snapshot": 2, "companies": []}, "unsupported snapshot version 2"),
        ({"qbo_sim_snapshot": 1, "companies": {}}, "'companies' must be a list"),
        ({"qbo_sim_snapshot": 1, "companies": [{"name": "x"}]}, r"companies\[0\] lacks realm_id"),
        (
            {"qbo_sim_snapshot": 1, "companies": [{"realm_id": "1", "name": "a"}] * 2},
            "same realm id twice",
        ),
        (
            {"qbo_sim_snapshot": 1, "companies": [], "clock": {"frozen": True, "now": "soon"}},
            "not ISO-8601",
        ),
    ],
)
def test_bad_documents_are_refused_before_anything_changes(sim, doc, message):
    realm = sim.create_company("empty")
    with pytest.raises(SnapshotError, match=message):
        sim.import_state(doc, replace=True)
    assert sim.store.realm_ids() == [realm]


@pytest.mark.parametrize("preset", ["empty", "sample"])
def test_reset_puts_a_company_back_to_its_preset_state(sim, preset):
    realm = sim.create_company(preset, name="Reset Me", preferences={"TaxPrefs": {"X": 1}})
    pristine = sim.company(realm).to_dict()
    books(sim, realm)
    sim.clock.set(START)  # same instant: MetaData times of the preset are reproduced
    assert sim.reset(realm) == [realm]
    assert sim.company(realm).to_dict() == pristine
    assert sim.company(realm).fidelity == {}


def test_reset_all_and_later_realm_ids_do_not_shift(clock):
    twin = Simulator(seed=1, clock=clock)
    sim = Simulator(seed=1, clock=clock)
    realms = [sim.create_company("empty"), sim.create_company("empty")]
    for realm in realms:
        twin.create_company("empty")
        sim.as_user(realm).create("Customer", {"DisplayName": "Gone after reset"})
    assert sim.reset() == sorted(realms)
    assert all(sim.company(r).count("Customer") == 0 for r in realms)
    assert sim.create_company("empty") == twin.create_company("empty")


def test_an_imported_company_can_still_be_reset(filled):
    realm = filled.store.realm_ids()[0]
    copy = Simulator(clock=filled.clock)
    copy.import_state(filled.export_state(realm))
    copy.reset(realm)
    assert copy.company(realm).count("Invoice") == 0


def test_a_company_without_a_preset_record_cannot_be_reset(sim):
    doc = {"qbo_sim_snapshot": 1, "companies": [{"realm_id": "42", "name": "Hand made"}]}
    sim.import_state(doc)
    with pytest.raises(ValueError, match="company 42 has no preset record"):
        sim.reset("42")
    assert sim.company("42").name == "Hand made"


def _first_customer_row(doc: dict) -> dict:
    return doc["companies"][0]["entities"]["Customer"][0]


def test_import_state_copies_the_document_unless_told_to_adopt_it(filled):
    doc = filled.export_state()
    row = _first_customer_row(doc)
    copied, adopted = Simulator(), Simulator()
    realm = copied.import_state(doc)[0]
    assert copied.company(realm).get("Customer", row["Id"]) is not row
    row_realm = adopted.import_state(doc, adopt=True)[0]
    assert adopted.company(row_realm).get("Customer", row["Id"]) is row
    assert dumps(adopted.export_state()) == dumps(copied.export_state())


def test_the_control_plane_and_a_persisted_restore_adopt_what_they_just_parsed(
    filled, tmp_path, monkeypatch
):
    from qbo_sim import snapshot

    seen: list[bool] = []
    real = snapshot.import_state

    def spy(sim, doc, **options):
        seen.append(options.get("adopt", False))
        return real(sim, doc, **options)

    monkeypatch.setattr(snapshot, "import_state", spy)
    text = dumps(filled.export_state())
    target = Simulator()
    client = target.app.test_client()
    answer = client.post("/_sim/snapshot", data=text, content_type="application/json")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    path = str(tmp_path / "books.sqlite")
    target.persist(path).close()
    restored = Simulator()
    restored.persist(path).close()
    assert seen == [True, True]
    assert dumps(restored.export_state()) == dumps(target.export_state())
