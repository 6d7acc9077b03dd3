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
