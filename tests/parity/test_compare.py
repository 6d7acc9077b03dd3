"""The shape extractor and the structural comparison on small bodies: each kind of difference is
found, and what is only a value difference is not."""

from __future__ import annotations

from qbo_sim.parity.compare import Diff, Explained, compare
from qbo_sim.parity.shape import shape_of

XML_HEAD = (
    '<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" '
    'time="2013-11-16T10:26:42.762-08:00">'
)


def diffs(real: str, sim: str, fmt: str = "json") -> list[tuple[str, str]]:
    result = compare(shape_of(real, fmt), shape_of(sim, fmt), fmt)
    return [(d.what, d.path) for d in result.diffs]


def test_json_tokens_keep_formats_and_enumerations():
    shape = shape_of(
        '{"Item": {"Id": "3", "UnitPrice": 15, "Amount": 80.00, "Rate": 0.5, "Taxable": true,'
        ' "Type": "Service", "InvStartDate": "2017-01-31", "Balance": 0, "Name": "Pump",'
        ' "MetaData": {"CreateTime": "2017-01-28T10:36:03-08:00"}},'
        ' "time": "2017-03-14T11:25:54.133-07:00"}',
        "json",
    )
    item = shape["Item"]
    assert item["Id"] == "id" and item["UnitPrice"] == "int" and item["Amount"] == "dec2"
    assert item["Rate"] == "dec1" and item["Balance"] == "zero" and item["Name"] == "string"
    assert item["Taxable"] == "bool=true" and item["Type"] == "string=Service"
    assert item["InvStartDate"] == "date"
    assert item["MetaData"]["CreateTime"] == "datetime"
    assert shape["time"] == "datetime.ms"


def test_missing_extra_and_format_differences_are_found():
    real = (
        '{"Item": {"Id": "1", "Name": "A", "Amount": 10.25, "time": "2017-01-28T10:36:03-08:00"}}'
    )
    sim = (
        '{"Item": {"Id": "1", "Amount": 10.5, "Level": 0, "time": "2017-01-28T10:36:03.000-08:00"}}'
    )
    assert sorted(diffs(real, sim)) == [
        ("extra", "Item.Level"),
        ("format", "Item.Amount"),
        ("format", "Item.time"),
        ("missing", "Item.Name"),
    ]


def test_values_are_not_differences():
    real = '{"Item": {"Id": "1", "Name": "Pump", "Balance": 0, "Type": "Service", "Note": ""}}'
    sim = '{"Item": {"Id": "77", "Name": "P4", "Balance": 12.5, "Type": "Inventory", "Note": "x"}}'
    assert diffs(real, sim) == []


def test_an_id_string_against_a_number_is_a_format_difference():
    assert diffs('{"Item": {"Id": "1"}}', '{"Item": {"Id": 1}}') == [("format", "Item.Id")]


def test_xml_element_order_and_attributes_are_compared():
    real = (
        f'{XML_HEAD}<Customer domain="QBO" sparse="false"><Id>1</Id><SyncToken>0</SyncToken>'
        "<DisplayName>A</DisplayName><Balance>80.00</Balance></Customer></IntuitResponse>"
    )
    sim = (
        f'{XML_HEAD}<Customer domain="QBO"><SyncToken>0</SyncToken><Id>1</Id>'
        "<DisplayName>A</DisplayName><Balance>80.0</Balance></Customer></IntuitResponse>"
    )
    assert sorted(diffs(real, sim, "xml")) == [
        ("format", "IntuitResponse.Customer.Balance"),
        ("missing", "IntuitResponse.Customer@sparse"),
        ("order", "IntuitResponse.Customer"),
    ]


def test_repeated_xml_elements_pair_by_position():
    lines = "<Line><Id>1</Id></Line><Line><Id>2</Id></Line>"
    real = f"{XML_HEAD}<Invoice>{lines}</Invoice></IntuitResponse>"
    sim = f"{XML_HEAD}<Invoice><Line><Id>1</Id></Line></Invoice></IntuitResponse>"
    assert diffs(real, sim, "xml") == [("missing", "IntuitResponse.Invoice.Line[1]")]


def test_an_explanation_covers_a_difference_by_index_free_pattern():
    diff = Diff("IntuitResponse.QueryResponse.Customer[3].BillAddr.Id", "missing", "id", "absent")
    assert Explained("*Addr.Id", "missing", "why").covers(diff)
    assert not Explained("*Addr.Id", "extra", "why").covers(diff)
    assert not Explained("*ShipAddr.Id", "missing", "why").covers(diff)


def test_match_counts_cover_every_leaf():
    result = compare(
        shape_of('{"A": {"x": "1", "y": true, "z": [1, 2]}}', "json"),
        shape_of('{"A": {"x": "2", "y": "no", "z": [1]}}', "json"),
        "json",
    )
    assert (result.compared, result.matched) == (4, 2)
