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
