"""Snapshot text: the compact (orjson) and pretty forms round-trip byte for byte, parsed text
is imported without a second copy, and the fast schema check accepts exactly what the whole
schema accepts."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qbo_sim import Clock, Simulator, snapshot
from qbo_sim.snapshot import SnapshotError, dumps, import_state, loads


@pytest.fixture
def books() -> Simulator:
    sim = Simulator(clock=Clock())
    sim.clock.freeze()
    realm = sim.create_company("sample")  # hierarchy, transactions, Faker text
    user = sim.as_user(realm)
    user.create("Customer", {"DisplayName": "\u00c9clair & Fils \u2014 caf\u00e9", "Notes": "1e16"})
    return sim


def test_compact_and_pretty_text_round_trip_byte_for_byte(books):
    doc = books.export_state()
    compact, pretty = dumps(doc), dumps(doc, pretty=True)
    assert pretty == json.dumps(doc, sort_keys=True, indent=2)  # the form fixtures are kept in
    assert json.loads(compact) == json.loads(pretty) == doc
    assert "\n" not in compact and len(compact) < len(pretty)
    assert "\u00c9clair" in compact  # UTF-8, not \\u escapes
    for text, pretty_form in ((compact, False), (pretty, True)):
        other = Simulator(clock=Clock())
        import_state(other, loads(text), adopt=True)
        assert dumps(other.export_state(), pretty=pretty_form) == text
        again = Simulator(clock=Clock())
        again.import_state(json.loads(dumps(other.export_state())))
        assert dumps(again.export_state(), pretty=pretty_form) == text


def test_adopted_rows_are_kept_and_copied_rows_are_not(books):
    text = dumps(books.export_state())
    doc = loads(text)
    realm = doc["companies"][0]["realm_id"]
    first_row = doc["companies"][0]["entities"]["Customer"][0]
    adopted = Simulator(clock=Clock())
    import_state(adopted, doc, adopt=True)
    assert adopted.company(realm).get("Customer", first_row["Id"]) is first_row
    copied = Simulator(clock=Clock())
    doc = loads(text)
    copied.import_state(doc)
    row = doc["companies"][0]["entities"]["Customer"][0]
    row["DisplayName"] = "changed in the document afterwards"
    assert copied.company(realm).get("Customer", row["Id"])["DisplayName"] != row["DisplayName"]


def test_what_orjson_cannot_write_or_read_falls_back_to_the_standard_library():
    doc = {"qbo_sim_snapshot": 1, "companies": [], "extras": {1: "int key"}, "big": 2**70}
    assert dumps(doc) == json.dumps(doc, sort_keys=True, separators=(",", ":"))
    assert loads('{"big": 1180591620717411303424}') == {"big": 2**70}
    with pytest.raises(ValueError):
        loads("{not json")


GOOD_ROW = {"Id": "12", "SyncToken": "0", "MetaData": {"CreateTime": "t", "LastUpdatedTime": "t"}}
odd_value = st.sampled_from([None, 7, 1.5, True, "", "a b", "x" * 65, "ok-1_2", "9\n", [], {}])
row_change = st.one_of(
    st.tuples(st.sampled_from(["Id", "SyncToken", "MetaData", "Other"]), odd_value),
    st.tuples(st.sampled_from(["MetaData.CreateTime", "MetaData.LastUpdatedTime"]), odd_value),
    st.tuples(st.just("drop"), st.sampled_from(["Id", "SyncToken", "MetaData"])),
    st.tuples(st.just("row"), odd_value),
)


def changed_row(change: tuple[str, object]) -> object:
    where, value = change
    row = copy.deepcopy(GOOD_ROW)
    if where == "row":
        return value
    if where == "drop":
        row.pop(str(value))
    elif where.startswith("MetaData."):
        row["MetaData"][where.split(".")[1]] = value  # type: ignore[index]
    else:
        row[where] = value
    return row


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row_change, max_size=3), st.sampled_from(["entities", "deleted"]))
def test_the_fast_check_agrees_with_the_whole_schema(changes, part):
    rows = [copy.deepcopy(GOOD_ROW), *(changed_row(c) for c in changes)]
    doc = {
        "qbo_sim_snapshot": 1,
        "companies": [{"realm_id": "1", "name": "Co", part: {"Customer": rows}}],
    }
    whole = snapshot._validator()
    errors = sorted(whole.iter_errors(doc), key=snapshot._document_order)
    if snapshot._plainly_valid(doc):
        assert errors == []
    if errors:
        with pytest.raises(SnapshotError, match="bad snapshot value at companies"):
            snapshot.check(doc)
    else:
        snapshot.check(doc)
