"""Durable state (qbo_sim.persistence): what a simulator acknowledged is in its SQLite file,
and a new simulator opened on the file holds exactly the same companies."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from qbo_sim import Clock, Simulator
from qbo_sim.persistence import Persistence, PersistenceError
from qbo_sim.snapshot import dumps

START = datetime(2026, 3, 2, 17, 0, 0, tzinfo=UTC)
HEADERS = {"Authorization": "Bearer qbo-sim-dev-token", "Accept": "application/json"}


def _companies(sim: Simulator) -> str:
    return dumps(sim.export_state()["companies"])


def _post(sim: Simulator, realm: str, entity: str, body: dict, **query: str):
    return sim.app.test_client().post(
        f"/v3/company/{realm}/{entity}", json=body, headers=HEADERS, query_string=query
    )


def _reopened(path: Path, clock: Clock | None = None) -> tuple[Simulator, Persistence]:
    sim = Simulator(clock=clock or Clock(frozen_at=START))
    return sim, sim.persist(str(path))


@pytest.fixture
def booted(tmp_path: Path):
    sim = Simulator(clock=Clock(frozen_at=START))
    sim.throttle.enabled = False
    realm = sim.create_company("empty")
    store = sim.persist(str(tmp_path / "state.sqlite"))
    yield sim, realm, store, tmp_path / "state.sqlite"


def test_every_acknowledged_write_is_in_the_file_without_a_clean_shutdown(booted) -> None:
    sim, realm, _, path = booted
    created = _post(sim, realm, "customer", {"DisplayName": "Acme"}).get_json()["Customer"]
    _post(sim, realm, "customer", {"Id": created["Id"], "SyncToken": "0", "sparse": True,
                                   "CompanyName": "Acme Plumbing"})  # fmt: skip
    _post(sim, realm, "customer", {"DisplayName": "Beta"})
    restored, _ = _reopened(path)  # the first simulator was never closed: as after kill -9
    assert _companies(restored) == _companies(sim)
    again = restored.company(realm).get("Customer", created["Id"])
    assert (again["SyncToken"], again["CompanyName"]) == ("1", "Acme Plumbing")


def test_a_restored_company_continues_its_sequences_and_indexes(booted) -> None:
    sim, realm, _, path = booted
    first = _post(sim, realm, "customer", {"DisplayName": "Acme"}).get_json()["Customer"]
    restored, _ = _reopened(path)
    restored.throttle.enabled = False
    second = _post(restored, realm, "customer", {"DisplayName": "Beta"}).get_json()["Customer"]
    assert int(second["Id"]) == int(first["Id"]) + 1
    duplicate = _post(restored, realm, "customer", {"DisplayName": "Acme"})
    assert duplicate.status_code == 400  # 6240: the name index was rebuilt from the file
    assert duplicate.get_json()["Fault"]["Error"][0]["code"] == "6240"


def test_a_rejected_request_writes_nothing(booted) -> None:
    sim, realm, store, _ = booted
    before = store.log_rows()
    assert _post(sim, realm, "customer", {"DisplayName": "x" * 501}).status_code == 400
    assert store.log_rows() == before


def test_a_change_that_cannot_be_written_is_rolled_back(booted, monkeypatch) -> None:
    sim, realm, store, _ = booted

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "_append", disk_full)
    company = sim.company(realm)
    count = company.count("Customer")
    with pytest.raises(sqlite3.OperationalError):
        sim.as_user(realm).create("Customer", {"DisplayName": "Never kept"})
    assert company.count("Customer") == count
    assert company.find("Customer", "DisplayName", "Never kept") == []


def test_companies_created_removed_reset_and_imported_survive(booted) -> None:
    sim, realm, _, path = booted
    other = sim.create_company("sample", seed=3)
    sim.as_user(other).deactivate("Customer", "1")
    third = sim.create_company("empty")
    sim.delete_company(third)
    sim.reset(realm)
    doc = sim.export_state(other)
    doc["companies"][0]["realm_id"] = "123145"
    sim.import_state(doc)
    sim.set_fidelity(other, {"inactive_names_block": False})
    restored, _ = _reopened(path)
    assert restored.store.realm_ids() == sorted([realm, other, "123145"])
    assert _companies(restored) == _companies(sim)
    assert restored.fidelity(other)["inactive_names_block"] is False


def test_compaction_folds_the_log_into_the_snapshot(booted) -> None:
    sim, realm, store, path = booted
    for n in range(5):
        _post(sim, realm, "customer", {"DisplayName": f"C{n}"})
    assert store.log_rows() == 5
    store.compact()
    assert store.log_rows() == 0
    restored, _ = _reopened(path)
    assert _companies(restored) == _companies(sim)


def test_close_compacts_and_later_writes_fail_loudly(booted) -> None:
    sim, realm, store, path = booted
    _post(sim, realm, "customer", {"DisplayName": "Acme"})
    store.close()
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM log").fetchone()[0] == 0
    # detached: the simulator goes on in memory only
    assert _post(sim, realm, "customer", {"DisplayName": "Beta"}).status_code == 200
    restored, _ = _reopened(path)
    assert [c["DisplayName"] for c in restored.company(realm).all("Customer")] == ["Acme"]


def test_automatic_compaction_past_the_row_budget(tmp_path: Path) -> None:
    sim = Simulator(clock=Clock(frozen_at=START))
    realm = sim.create_company("empty")
    store = Persistence.open(sim, tmp_path / "s.sqlite", compact_every=3)
    for n in range(2):
        sim.as_user(realm).create("Customer", {"DisplayName": f"C{n}"})
    assert store.log_rows() == 2
    sim.as_user(realm).create("Customer", {"DisplayName": "C2"})
    assert store.log_rows() == 0  # the third row reached the budget: compacted after the unit
    restored, _ = _reopened(tmp_path / "s.sqlite")
    assert _companies(restored) == _companies(sim)


def test_a_file_with_state_wins_over_what_the_new_simulator_holds(booted) -> None:
    sim, realm, _, path = booted
    fresh = Simulator(clock=Clock(frozen_at=START))
    fresh.create_company("sample", seed=9)
    fresh.persist(str(path))
    assert fresh.store.realm_ids() == [realm]


def test_the_frozen_clock_comes_back_as_of_the_last_write(booted) -> None:
    sim, realm, _, path = booted
    sim.clock.advance(hours=5)
    _post(sim, realm, "customer", {"DisplayName": "Late"})
    restored, _ = _reopened(path, Clock(frozen_at=START))
    assert restored.clock.now() == sim.clock.now()


def test_a_file_that_is_not_a_state_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("these are not the books\n" * 100)
    with pytest.raises(PersistenceError, match="is not a qbo-sim state file"):
        Simulator().persist(str(bad))


def test_durability_must_be_a_known_level(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="durability must be"):
        Simulator().persist(str(tmp_path / "x.sqlite"), durability="eventually")
