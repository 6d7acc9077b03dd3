from __future__ import annotations

from qbo_sim.journal import Journal


def _record(journal: Journal, method: str = "GET", status: int = 200) -> None:
    journal.record(
        time="t",
        realm="1",
        method=method,
        path="/v3/company/1/x",
        query={},
        body=None,
        status=status,
    )


def test_journal_keeps_the_newest_entries_and_keeps_counting():
    journal = Journal(capacity=3)
    for _ in range(5):
        _record(journal)
    assert [e.seq for e in journal.entries()] == [3, 4, 5]
    assert journal.last_seq() == 5


def test_filters_combine_and_since_is_exclusive():
    journal = Journal()
    _record(journal, "GET", 200)
    _record(journal, "POST", 400)
    _record(journal, "POST", 200)
    assert [e.seq for e in journal.entries(method="post")] == [2, 3]
    assert [e.seq for e in journal.entries(method="POST", status=200)] == [3]
    assert [e.seq for e in journal.entries(since=2)] == [3]
    journal.clear()
    assert journal.entries() == [] and len(journal) == 0


def test_replays_and_injected_answers_are_tagged(sim, api):
    from qbo_sim.harness.reporting import journal_line

    first = api.post("customer?requestid=r-1", {"DisplayName": "Acme"})
    again = api.post("customer?requestid=r-1", {"DisplayName": "Acme"})
    assert first.status_code == again.status_code == 200
    sim.injector.add(status=503, times=1)
    assert api.post("customer", {"DisplayName": "Other"}).status_code == 503
    entries = sim.journal.entries()[-3:]
    assert [e.tags for e in entries] == [[], ["replay"], ["injected"]]
    assert journal_line(entries[1]).endswith(
        "-> 200 requestid=r-1 (replay of an earlier answer to this requestid)"
    )
    assert journal_line(entries[2]).endswith("-> 503 (injected by the scenario)")


def test_a_big_body_is_kept_truncated_with_a_marker():
    journal = Journal(max_body_bytes=100)
    journal.record(
        time="t",
        realm="1",
        method="POST",
        path="/x",
        query={},
        body="a" * 1000,
        response={"k": "v" * 500},
        status=400,
    )
    (entry,) = journal.entries()
    assert entry.body == "a" * 100 + "...[qbo-sim journal: truncated, 1000 bytes]"
    assert entry.response.startswith('{"k": "vvv') and entry.response.endswith("bytes]")
    _record(journal)
    assert journal.entries()[-1].body is None


def test_the_bytes_kept_are_bounded_and_the_oldest_entries_go_first():
    journal = Journal(max_body_bytes=10_000, max_total_bytes=50_000)
    for _ in range(100):
        journal.record(
            time="t", realm="1", method="POST", path="/x", query={}, body="b" * 9_000, status=200
        )
    assert journal.size_bytes() <= 50_000
    assert [e.seq for e in journal.entries()] == list(range(96, 101))
    journal.clear()
    assert journal.size_bytes() == 0


def test_rejected_big_bodies_do_not_fill_the_journal(sim, api):
    """Issue 13: 30 rejected 8 MB bodies added 352 MB RSS (whole bodies, parsed, kept)."""
    sim.throttle.set_enabled(False)
    raw = '{"DisplayName": "' + "x" * 1_000_000 + '", "Bogus": 1}'
    for _ in range(30):
        res = api.client.post(
            api.url("customer"),
            data=raw,
            headers={**api.headers, "Content-Type": "application/json"},
        )
        assert res.status_code == 400
    entries = sim.journal.entries()
    assert len(entries) == 30
    assert all(e.body.endswith("...[qbo-sim journal: truncated, 1000031 bytes]") for e in entries)
    assert sim.journal.size_bytes() < 30 * 70 * 1024


def test_bodies_are_parsed_when_read_and_read_as_they_were_sent_and_answered(sim, api):
    from qbo_sim.journal import Deferred

    made = api.post("customer", {"DisplayName": "Fault Lines Ltd", "Notes": "é"})
    assert made.status_code == 200
    entry = sim.journal.entries()[-1]
    assert isinstance(entry.__dict__["_response_value"], Deferred | dict)
    assert entry.body == {"DisplayName": "Fault Lines Ltd", "Notes": "é"}
    assert entry.response == made.get_json()
    assert entry.fault_code is None  # "Fault" in a name is no fault
    assert entry.to_dict()["response"] == made.get_json()
    assert entry.response is entry.response  # parsed once, then kept


def test_an_unreadable_body_is_journalled_as_text_and_a_fault_keeps_its_code(sim, api):
    answer = api.client.post(
        api.url("customer"),
        data=b'{"DisplayName": ',
        headers=api.headers | {"Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    entry = sim.journal.entries()[-1]
    assert entry.body == '{"DisplayName": '
    assert entry.fault_code == answer.get_json()["Fault"]["Error"][0]["code"]
    assert entry.response == answer.get_json()


def test_mutating_a_journalled_answer_changes_neither_the_store_nor_the_entry_read_again(sim, api):
    made = api.post("customer", {"DisplayName": "Kept"}).get_json()["Customer"]
    entry = sim.journal.entries()[-1]
    entry.response["Customer"]["DisplayName"] = "Changed"
    entry.to_dict()["response"]["Customer"]["Notes"] = "also changed"
    stored = sim.company(api.realm).get("Customer", made["Id"])
    assert stored["DisplayName"] == "Kept" and "Notes" not in stored


def test_a_deferred_value_too_big_to_keep_is_worked_out_then_truncated():
    from qbo_sim.journal import TRUNCATED_MARKER, Deferred

    journal = Journal(max_body_bytes=10)
    entry = journal.record(
        time="t",
        realm="1",
        method="POST",
        path="/x",
        query={},
        body=Deferred(lambda: {"a": "b" * 40}),
        body_size=50,
        status=200,
        response=Deferred(lambda: None),
        response_size=50,
    )
    assert entry.body == '{"a": "bbb' + TRUNCATED_MARKER.format(size=50)
    assert entry.body.endswith(TRUNCATED_MARKER.format(size=50))
    assert entry.response is None
