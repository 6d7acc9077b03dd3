"""QBO's XML wire format (reference §1.4, §4.6, §5.2, §5.7, §5.8): golden answers for
``Accept: application/xml``, XML request bodies read into the same dicts as JSON ones, the
``default_content_type`` setting, and bodies that are refused without changing anything."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qbo_sim import xml
from qbo_sim.auth import DEV_TOKEN
from tests.conftest import fault_of

TIME = "2026-03-02T09:00:00.000-08:00"  # START in the company's offset (-08:00)
STAMP = "2026-03-02T09:00:00-08:00"
META = (
    f"<MetaData><CreateTime>{STAMP}</CreateTime>"
    f"<LastUpdatedTime>{STAMP}</LastUpdatedTime></MetaData>"
)
MADE_INACTIVE = (
    "Object Not Found : Something you're trying to use has been made inactive. "
    "Check the fields with accounts, customers, items, vendors or employees."
)


def answer(inner: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="{TIME}">'
        f"{inner}</IntuitResponse>"
    )


class XmlApi:
    """Requests with XML bodies and ``Accept: application/xml``."""

    def __init__(self, client: Any, realm: str) -> None:
        self.client = client
        self.realm = realm
        self.headers = {
            "Authorization": f"Bearer {DEV_TOKEN}",
            "Accept": "application/xml",
            "Content-Type": "application/xml",
        }

    def post(self, path: str, body: str, **headers: str) -> Any:
        return self.client.post(
            f"/v3/company/{self.realm}/{path}", data=body, headers={**self.headers, **headers}
        )

    def get(self, path: str, **headers: str) -> Any:
        return self.client.get(
            f"/v3/company/{self.realm}/{path}", headers={**self.headers, **headers}
        )


@pytest.fixture(autouse=True)
def _throttle_off(sim):
    """Many requests in one frozen second; throttling is tested elsewhere."""
    sim.throttle.set_enabled(False)


@pytest.fixture
def xapi(sim, realm) -> XmlApi:
    return XmlApi(sim.app.test_client(), realm)


@pytest.fixture
def books(api) -> dict[str, Any]:
    """Services income account, Net 30 term, customer Acme & Sons, item Repair (all Id 1)."""
    api.create("Account", {"Name": "Services", "AccountType": "Income"})
    api.create("Term", {"Name": "Net 30", "DueDays": 30})
    customer = api.create(
        "Customer",
        {
            "DisplayName": "Acme & Sons",
            "PrimaryEmailAddr": {"Address": "ap@acme.example"},
            "SalesTermRef": {"value": "1"},
            "BillAddr": {"Line1": "1 Main St", "City": "Springfield"},
        },
    )
    item = api.create(
        "Item", {"Name": "Repair", "Type": "Service", "IncomeAccountRef": {"value": "1"}}
    )
    return {"customer": customer, "item": item}


#: In the XSD's order (``Customer`` after ``IntuitEntity``/``NameBase``), with the home currency.
USD = '<CurrencyRef name="United States Dollar">USD</CurrencyRef>'
CUSTOMER_XML = (
    '<Customer domain="QBO" sparse="false"><Id>1</Id><SyncToken>0</SyncToken>'
    f"{META}<FullyQualifiedName>Acme &amp; Sons</FullyQualifiedName>"
    "<DisplayName>Acme &amp; Sons</DisplayName>"
    "<PrintOnCheckName>Acme &amp; Sons</PrintOnCheckName><Active>true</Active>"
    "<PrimaryEmailAddr><Address>ap@acme.example</Address></PrimaryEmailAddr>"
    "<BillAddr><Line1>1 Main St</Line1><City>Springfield</City></BillAddr>"
    "<Job>false</Job><BillWithParent>false</BillWithParent>"
    '<SalesTermRef name="Net 30">1</SalesTermRef>'
    f"<Balance>0</Balance><BalanceWithJobs>0</BalanceWithJobs>{USD}</Customer>"
)


# --- golden answers ----------------------------------------------------------------------
def test_customer_read_answers_qbo_xml(xapi, books):
    res = xapi.get("customer/1")

    assert res.status_code == 200
    assert res.headers["Content-Type"] == "application/xml;charset=UTF-8"
    assert res.headers["intuit_tid"].startswith("1-")
    assert res.get_data(as_text=True) == answer(CUSTOMER_XML)


def test_invoice_create_from_an_xml_body_answers_lines_refs_and_subtotal(xapi, books):
    body = (
        '<Invoice xmlns="http://schema.intuit.com/finance/v3"><CustomerRef>1</CustomerRef>'
        "<Line><DetailType>SalesItemLineDetail</DetailType><SalesItemLineDetail>"
        "<ItemRef>1</ItemRef><Qty>2</Qty><UnitPrice>43.75</UnitPrice>"
        "</SalesItemLineDetail></Line></Invoice>"
    )

    res = xapi.post("invoice", body)

    assert res.status_code == 200, res.get_data(as_text=True)
    assert res.get_data(as_text=True) == answer(
        '<Invoice domain="QBO" sparse="false"><Id>1</Id><SyncToken>0</SyncToken>'
        f"{META}<DocNumber>1001</DocNumber><TxnDate>2026-03-02</TxnDate>{USD}"
        "<Line><Id>1</Id><LineNum>1</LineNum><Amount>87.50</Amount>"
        "<DetailType>SalesItemLineDetail</DetailType><SalesItemLineDetail>"
        '<ItemRef name="Repair">1</ItemRef><UnitPrice>43.75</UnitPrice><Qty>2</Qty>'
        "<TaxCodeRef>NON</TaxCodeRef></SalesItemLineDetail></Line>"
        "<Line><Amount>87.50</Amount><DetailType>SubTotalLineDetail</DetailType>"
        "<SubTotalLineDetail/></Line><TxnTaxDetail><TotalTax>0</TotalTax></TxnTaxDetail>"
        '<CustomerRef name="Acme &amp; Sons">1</CustomerRef>'
        "<BillAddr><Line1>1 Main St</Line1><City>Springfield</City></BillAddr>"
        '<SalesTermRef name="Net 30">1</SalesTermRef><DueDate>2026-04-01</DueDate>'
        "<TotalAmt>87.50</TotalAmt>"
        "<PrintStatus>NeedToPrint</PrintStatus><EmailStatus>NotSet</EmailStatus>"
        "<BillEmail><Address>ap@acme.example</Address></BillEmail>"
        "<Balance>87.50</Balance><Deposit>0</Deposit></Invoice>"
    )


def test_query_page_count_and_empty_answers(xapi, api, books):
    api.create("Customer", {"DisplayName": "Bolt Co"})
    api.create("Customer", {"DisplayName": "Cog Ltd"})

    page = xapi.get("query?query=select * from Customer maxresults 2")
    count = xapi.get("query?query=select count(*) from Customer")
    empty = xapi.get("query?query=select * from Customer where DisplayName = 'nobody'")

    assert page.get_data(as_text=True) == answer(
        f'<QueryResponse startPosition="1" maxResults="2">{CUSTOMER_XML}'
        '<Customer domain="QBO" sparse="false"><Id>2</Id><SyncToken>0</SyncToken>'
        f"{META}<FullyQualifiedName>Bolt Co</FullyQualifiedName><DisplayName>Bolt Co</DisplayName>"
        "<PrintOnCheckName>Bolt Co</PrintOnCheckName><Active>true</Active><Job>false</Job>"
        "<BillWithParent>false</BillWithParent><Balance>0</Balance>"
        f"<BalanceWithJobs>0</BalanceWithJobs>{USD}</Customer>"
        "</QueryResponse>"
    )
    assert count.get_data(as_text=True) == answer('<QueryResponse totalCount="3"/>')
    assert empty.get_data(as_text=True) == answer("<QueryResponse/>")


def test_delete_answers_the_deleted_stub_with_a_status_attribute(xapi, api, books):
    api.post(
        "invoice",
        {
            "CustomerRef": {"value": "1"},
            "Line": [
                {
                    "Amount": 10,
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {"ItemRef": {"value": "1"}},
                }
            ],
        },
    )

    res = xapi.post(
        "invoice?operation=delete", "<Invoice><Id>1</Id><SyncToken>0</SyncToken></Invoice>"
    )

    assert res.status_code == 200
    assert res.get_data(as_text=True) == answer(
        '<Invoice domain="QBO" status="Deleted"><Id>1</Id></Invoice>'
    )


def test_xml_batch_answers_each_item_and_keeps_a_faulted_item_inside_it(xapi, sim, realm):
    body = (
        '<IntuitBatchRequest xmlns="http://schema.intuit.com/finance/v3">'
        '<BatchItemRequest bId="bid1" operation="create"><Vendor>'
        "<DisplayName>Smith Family Grocery</DisplayName></Vendor></BatchItemRequest>"
        '<BatchItemRequest bId="bid2" operation="delete"><Invoice><Id>129</Id>'
        "<SyncToken>0</SyncToken></Invoice></BatchItemRequest>"
        '<BatchItemRequest bId="bid3"><Query>select count(*) from Vendor</Query>'
        "</BatchItemRequest></IntuitBatchRequest>"
    )

    res = xapi.post("batch", body)

    assert res.status_code == 200
    assert res.get_data(as_text=True) == answer(
        '<BatchItemResponse bId="bid1"><Vendor domain="QBO" sparse="false"><Id>1</Id>'
        f"<SyncToken>0</SyncToken>{META}<DisplayName>Smith Family Grocery</DisplayName>"
        "<PrintOnCheckName>Smith Family Grocery</PrintOnCheckName><Active>true</Active>"
        f"<Balance>0</Balance>{USD}</Vendor></BatchItemResponse>"
        '<BatchItemResponse bId="bid2"><Fault type="ValidationFault">'
        '<Error code="610" element=""><Message>Object Not Found</Message>'
        f"<Detail>{MADE_INACTIVE}</Detail></Error></Fault>"
        "</BatchItemResponse>"
        '<BatchItemResponse bId="bid3"><QueryResponse totalCount="1"/></BatchItemResponse>'
    )
    assert [v["DisplayName"] for v in sim.company(realm).all("Vendor")] == ["Smith Family Grocery"]


def test_cdc_answers_changed_objects_and_deleted_stubs(xapi, api, books):
    api.post(
        "invoice",
        {
            "CustomerRef": {"value": "1"},
            "Line": [
                {
                    "Amount": 10,
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {"ItemRef": {"value": "1"}},
                }
            ],
        },
    )
    xapi.post("invoice?operation=delete", "<Invoice><Id>1</Id><SyncToken>0</SyncToken></Invoice>")

    res = xapi.get("cdc?entities=Invoice,Term&changedSince=2026-03-01")

    assert res.get_data(as_text=True) == answer(
        '<CDCResponse><QueryResponse startPosition="1" maxResults="1">'
        f'<Invoice domain="QBO" status="Deleted"><Id>1</Id><MetaData><LastUpdatedTime>{STAMP}'
        "</LastUpdatedTime></MetaData></Invoice></QueryResponse>"
        '<QueryResponse startPosition="1" maxResults="1"><Term domain="QBO" sparse="false">'
        f"<Id>1</Id><SyncToken>0</SyncToken>{META}<Name>Net 30</Name><Active>true</Active>"
        "<Type>STANDARD</Type><DueDays>30</DueDays></Term></QueryResponse></CDCResponse>"
    )


def test_standard_fault_answers_qbo_xml_fault(xapi):
    res = xapi.get("customer/42")

    assert res.status_code == 400
    assert res.headers["Content-Type"] == "application/xml;charset=UTF-8"
    assert res.get_data(as_text=True) == answer(
        '<Fault type="ValidationFault"><Error code="610" element="">'
        f"<Message>Object Not Found</Message><Detail>{MADE_INACTIVE}</Detail>"
        "</Error></Fault>"
    )


def test_gateway_faults_keep_the_lower_case_json_envelope(xapi):
    res = xapi.get("customer/1", Authorization="Bearer not-a-token")

    assert res.status_code == 401
    assert res.mimetype == "application/json"
    assert res.get_json()["fault"]["error"][0]["code"] == "3200"


# --- request bodies ----------------------------------------------------------------------
def _stored(sim, realm: str, entity: str, entity_id: str) -> dict[str, Any]:
    found = dict(sim.company(realm).get(entity, entity_id))
    found.pop("MetaData")
    return found


def test_xml_request_stores_the_same_entity_as_the_json_request(sim, api, books):
    xml_realm = sim.create_company("empty")
    xml_api = XmlApi(sim.app.test_client(), xml_realm)
    for body in (
        "<Account><Name>Services</Name><AccountType>Income</AccountType></Account>",
        "<Term><Name>Net 30</Name><DueDays>30</DueDays></Term>",
        "<Customer><DisplayName>Acme &amp; Sons</DisplayName><PrimaryEmailAddr><Address>"
        "ap@acme.example</Address></PrimaryEmailAddr><SalesTermRef>1</SalesTermRef><BillAddr>"
        "<Line1>1 Main St</Line1><City>Springfield</City></BillAddr></Customer>",
        "<Item><Name>Repair</Name><Type>Service</Type><IncomeAccountRef>1</IncomeAccountRef>"
        "</Item>",
    ):
        entity = body[1 : body.index(">")]
        assert xml_api.post(entity.lower(), body).status_code == 200
    json_invoice = {
        "CustomerRef": {"value": "1"},
        "CustomerMemo": {"value": "Thanks"},
        "AllowOnlinePayment": True,
        "Line": [
            {
                "DetailType": "SalesItemLineDetail",
                "Description": "Two visits",
                "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Qty": 2, "UnitPrice": 43.75},
            }
        ],
    }
    xml_invoice = (
        "<Invoice><CustomerRef>1</CustomerRef><CustomerMemo>Thanks</CustomerMemo>"
        "<AllowOnlinePayment>true</AllowOnlinePayment><Line>"
        "<DetailType>SalesItemLineDetail</DetailType><Description>Two visits</Description>"
        "<SalesItemLineDetail><ItemRef>1</ItemRef><Qty>2</Qty><UnitPrice>43.75</UnitPrice>"
        "</SalesItemLineDetail></Line></Invoice>"
    )

    assert api.post("invoice", json_invoice).status_code == 200
    assert xml_api.post("invoice", xml_invoice).status_code == 200

    for entity in ("Customer", "Item", "Invoice"):
        assert _stored(sim, xml_api.realm, entity, "1") == _stored(sim, api.realm, entity, "1")
    assert isinstance(_stored(sim, xml_api.realm, "Invoice", "1")["Line"], list)


def test_sparse_attribute_updates_only_the_fields_sent(xapi, sim, realm, books):
    res = xapi.post(
        "customer",
        '<Customer sparse="true"><Id>1</Id><SyncToken>0</SyncToken><Notes>VIP</Notes></Customer>',
    )

    assert res.status_code == 200, res.get_data(as_text=True)
    stored = sim.company(realm).get("Customer", "1")
    assert (stored["Notes"], stored["SyncToken"], stored["DisplayName"]) == (
        "VIP",
        "1",
        "Acme & Sons",
    )
    assert stored["BillAddr"]["City"] == "Springfield"


def test_unreadable_number_answers_the_same_fault_as_json(sim, api, books):
    json_res = api.post(
        "item",
        {"Name": "Bolt", "Type": "Service", "IncomeAccountRef": {"value": "1"}, "UnitPrice": "abc"},
    )
    xml_res = XmlApi(sim.app.test_client(), api.realm).post(
        "item",
        "<Item><Name>Bolt</Name><Type>Service</Type><IncomeAccountRef>1</IncomeAccountRef>"
        "<UnitPrice>abc</UnitPrice></Item>",
        Accept="application/json",
    )

    assert fault_of(xml_res) == fault_of(json_res)
    assert fault_of(xml_res)["code"] == "2010"


MALFORMED_2010 = answer(
    '<Fault type="ValidationFault"><Error code="2010">'
    "<Message>Request has invalid or unsupported property</Message>"
    "<Detail>Property Name:failed to parse json object; a property specified is unsupported "
    "or invalid</Detail></Error></Fault>"
)


@pytest.mark.parametrize(
    "body",
    [
        "<Customer><DisplayName>Half</DisplayName><Notes>x</Notes",  # not well-formed
        "<Customer><DisplayName>A</Customer>",  # mismatched tags
        "",  # no document
        "<Vendor><DisplayName>Wrong root</DisplayName></Vendor>",  # not the URL's entity
        '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x "boom">]>'
        "<Customer><DisplayName>&x;</DisplayName></Customer>",
        '<!DOCTYPE c [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><Customer><DisplayName>&c;</DisplayName>'
        "</Customer>",  # entity expansion ("billion laughs")
        '<!DOCTYPE c SYSTEM "file:///etc/passwd"><Customer><DisplayName>x</DisplayName>'
        "</Customer>",  # external DTD
        # issue 13: an unknown encoding was a LookupError (500)
        '<?xml version="1.0" encoding="ebcdic"?><Customer><DisplayName>E</DisplayName></Customer>',
        '<?xml version="1.0" encoding="no-such-codec"?><Customer/>',
        # issue 13: 500 levels was a RecursionError (500); JSON nested too deep is 2010
        "<Customer><DisplayName>D</DisplayName>"
        + "<BillAddr>" * 500
        + "x"
        + "</BillAddr>" * 500
        + "</Customer>",
        "<Customer>" + "<a>" * 100_000 + "</a>" * 100_000 + "</Customer>",
    ],
    ids=lambda body: body[:40],
)
def test_unreadable_xml_is_refused_and_changes_nothing(xapi, sim, realm, books, body):
    before = sim.company(realm).get("Customer", "1")

    create = xapi.post("customer", body)
    update = xapi.post(
        "customer",
        body.replace("<Customer>", '<Customer sparse="true"><Id>1</Id><SyncToken>0</SyncToken>'),
    )

    for res in (create, update):
        assert res.status_code == 400
        assert res.get_data(as_text=True) == MALFORMED_2010
    assert [c["Id"] for c in sim.company(realm).all("Customer")] == ["1"]
    assert sim.company(realm).get("Customer", "1") == before


@pytest.mark.parametrize(
    "body",
    [
        '<!DOCTYPE b [<!ENTITY v "Boom">]><IntuitBatchRequest><BatchItemRequest bId="1" '
        'operation="create"><Vendor><DisplayName>&v;</DisplayName></Vendor></BatchItemRequest>'
        "</IntuitBatchRequest>",
        '<?xml version="1.0" encoding="ebcdic"?><IntuitBatchRequest><BatchItemRequest bId="1" '
        'operation="create"><Vendor><DisplayName>V</DisplayName></Vendor></BatchItemRequest>'
        "</IntuitBatchRequest>",
        '<IntuitBatchRequest><BatchItemRequest bId="1" operation="create"><Vendor>'
        "<DisplayName>V</DisplayName>" + "<BillAddr>" * 500 + "</BillAddr>" * 500 + "</Vendor>"
        "</BatchItemRequest></IntuitBatchRequest>",
    ],
    ids=["entity", "encoding", "deep"],
)
def test_unreadable_batch_is_refused_and_changes_nothing(xapi, sim, realm, body):
    res = xapi.post("batch", body)

    assert res.get_data(as_text=True) == MALFORMED_2010
    assert list(sim.company(realm).all("Vendor")) == []


def test_non_utf8_xml_answers_the_xerces_fault(xapi):
    res = xapi.post(
        "customer", "<Customer><DisplayName>Caf\xe9</DisplayName></Customer>".encode("latin-1")
    )

    assert res.status_code == 400
    assert "MalformedByteSequenceException" in res.get_data(as_text=True)


# --- negotiation -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("accept", "setting", "expected"),
    [
        (None, None, "application/json"),  # qbo-sim's default: JSON
        (None, "xml", "application/xml"),  # QBO's real default
        ("*/*", "xml", "application/xml"),
        ("*/*", "json", "application/json"),
        ("application/json", "xml", "application/json"),
        ("text/xml", "json", "application/xml"),
        ("application/json;q=0.5, application/xml", "json", "application/xml"),
        ("application/xml;q=0.2, application/json;q=0.9", "xml", "application/json"),
    ],
)
def test_accept_and_default_content_type_choose_the_answer_format(
    sim, realm, accept, setting, expected
):
    if setting is not None:
        sim.set_fidelity(realm, {"default_content_type": setting})
    headers = {"Authorization": f"Bearer {DEV_TOKEN}"}
    if accept is not None:
        headers["Accept"] = accept
    client = sim.app.test_client()

    read = client.get(f"/v3/company/{realm}/companyinfo/{realm}", headers=headers)
    fault = client.get(f"/v3/company/{realm}/customer/9", headers=headers)

    assert read.mimetype == expected
    assert fault.mimetype == expected
    if expected == "application/xml":
        assert read.get_data(as_text=True).startswith('<?xml version="1.0"')
        assert '<Error code="610"' in fault.get_data(as_text=True)
    else:
        assert read.get_json()["CompanyInfo"]["Id"] == "1"
        assert fault_of(fault)["code"] == "610"


def test_journal_records_xml_answers_as_text_with_their_fault_code(xapi, sim):
    xapi.get("customer/9")
    xapi.get("query?query=select count(*) from Customer")

    fault_entry, query_entry = sim.journal.entries()[-2:]
    assert fault_entry.fault_code == "610"
    assert fault_entry.response.startswith('<?xml version="1.0"')
    assert query_entry.fault_code is None
    assert query_entry.response == answer('<QueryResponse totalCount="0"/>')


# --- the codec: dict → XML → dict is the identity for schema-valid bodies -----------------
XML_CHARS = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
) | st.sampled_from("\t\n\r")
text = st.text(XML_CHARS, max_size=12)
ids = st.from_regex(r"\A[1-9][0-9]{0,3}\Z")
numbers = st.integers(-10_000, 10_000) | st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)
money = st.integers(0, 10**6).map(lambda cents: cents / 100) | st.just(0.0)
refs = st.fixed_dictionaries({"value": ids}, optional={"name": text})
linked = st.lists(
    st.fixed_dictionaries(
        {"TxnId": ids}, optional={"TxnType": st.sampled_from(["Invoice", "Bill"])}
    ),
    min_size=1,
    max_size=3,
)

customers = st.fixed_dictionaries(
    {"DisplayName": text},
    optional={
        "GivenName": text,
        "Active": st.booleans(),
        "Taxable": st.booleans(),
        "Notes": text,
        "PrimaryEmailAddr": st.fixed_dictionaries({"Address": text}),
        "BillAddr": st.fixed_dictionaries(
            {}, optional={"Line1": text, "City": text, "PostalCode": text}
        ),
        "SalesTermRef": refs,
        "sparse": st.booleans(),
        "domain": st.just("QBO"),
    },
)
sales_lines = st.lists(
    st.fixed_dictionaries(
        {"DetailType": st.just("SalesItemLineDetail")},
        optional={
            "Amount": money,
            "Description": text,
            "LineNum": st.integers(1, 99),
            "LinkedTxn": linked,
            "SalesItemLineDetail": st.fixed_dictionaries(
                {"ItemRef": refs}, optional={"Qty": numbers, "UnitPrice": numbers}
            ),
        },
    ),
    min_size=1,
    max_size=3,
)
invoices = st.fixed_dictionaries(
    {"CustomerRef": refs, "Line": sales_lines},
    optional={
        "TxnDate": st.dates().map(str),
        "CustomerMemo": st.fixed_dictionaries({"value": text}),
        "AllowOnlinePayment": st.booleans(),
        "Deposit": money,
        "LinkedTxn": linked,
        "CustomField": st.lists(
            st.fixed_dictionaries({"DefinitionId": ids, "StringValue": text}),
            min_size=1,
            max_size=2,
        ),
        "TxnTaxDetail": st.fixed_dictionaries({}, optional={"TotalTax": money}),
    },
)
payments = st.fixed_dictionaries(
    {"CustomerRef": refs, "TotalAmt": money},
    optional={
        "Line": st.lists(
            st.fixed_dictionaries({"Amount": money, "LinkedTxn": linked}), min_size=1, max_size=3
        ),
        "PaymentRefNum": text,
    },
)


def same(left: Any, right: Any) -> bool:
    """Equal values of the same JSON kind (``True`` is not ``1``, ``1`` may be ``1.0``)."""
    if isinstance(left, dict):
        return (
            isinstance(right, dict)
            and left.keys() == right.keys()
            and all(same(left[k], right[k]) for k in left)
        )
    if isinstance(left, list):
        return (
            isinstance(right, list)
            and len(left) == len(right)
            and all(same(a, b) for a, b in zip(left, right, strict=True))
        )
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, int | float):
        return isinstance(right, int | float) and left == right
    return type(left) is type(right) and left == right


def round_trip(name: str, body: dict[str, Any]) -> dict[str, Any]:
    return xml.parse_entity(xml.entity_xml(name, body).encode("utf-8"), name)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        customers.map(lambda b: ("Customer", b)),
        invoices.map(lambda b: ("Invoice", b)),
        payments.map(lambda b: ("Payment", b)),
    )
)
def test_dict_to_xml_to_dict_is_the_identity(case):
    name, body = case

    assert same(round_trip(name, body), body)


def test_single_elements_of_array_fields_become_lists_and_scalars_are_typed():
    parsed = xml.parse_entity(
        b"<Payment><CustomerRef name='A'>7</CustomerRef><TotalAmt>12.50</TotalAmt>"
        b"<Line><Amount>12.5</Amount><LinkedTxn><TxnId>3</TxnId></LinkedTxn></Line>"
        b"<ProcessPayment>1</ProcessPayment></Payment>",
        "Payment",
    )

    assert same(
        parsed,
        {
            "CustomerRef": {"value": "7", "name": "A"},
            "TotalAmt": 12.5,
            "Line": [{"Amount": 12.5, "LinkedTxn": [{"TxnId": "3"}]}],
            "ProcessPayment": True,
        },
    )


def test_money_is_written_with_two_decimals_unless_zero():
    written = xml.entity_xml(
        "Invoice",
        {
            "TotalAmt": 87.5,
            "Balance": 0.0,
            "Deposit": 1e-05,
            "Line": [{"Amount": 3.0}],
            "ExchangeRate": 1.0,
        },
    )

    assert written == (  # in the XSD's order: Transaction, SalesTransaction, Invoice
        "<Invoice><ExchangeRate>1.0</ExchangeRate><Line><Amount>3.00</Amount></Line>"
        "<TotalAmt>87.50</TotalAmt><Balance>0</Balance><Deposit>0.00001</Deposit></Invoice>"
    )


@pytest.mark.parametrize("char", ["\u0001", "\x00", "\x1b", "\ufffe", "\uffff", "\x0b"])
def test_a_character_xml_cannot_carry_is_refused_on_write(sim, api, realm, char):
    """Issue 13: JSON writes accepted control characters, and every later XML read of the
    record was not well-formed. Now: 2040 on write, nothing stored."""
    res = api.post("customer", {"DisplayName": "Ok", "Notes": f"bad{char}note"})
    assert fault_of(res) == {
        "Message": "Invalid String",
        "Detail": f"Element contains invalid characters: bad{char}note",
        "code": "2040",
        "element": "Notes",
        "type": "ValidationFault",
        "status": 400,
    }
    assert list(sim.company(realm).all("Customer")) == []


def test_a_key_no_element_can_be_named_after_is_refused_in_open_objects(sim, api, books):
    line = {
        "Amount": 10,
        "DetailType": "SalesItemLineDetail",
        "SalesItemLineDetail": {"ItemRef": {"value": "1"}},
    }
    body = {"CustomerRef": {"value": "1"}, "Line": [line], "DeliveryInfo": {"bad key<": "x"}}
    assert fault_of(api.post("invoice", body))["code"] == "2010"
    del body["DeliveryInfo"]
    assert api.post("invoice", body).status_code == 200


def test_xml_answers_stay_well_formed_whatever_the_store_holds(sim, xapi, realm, api):
    """Data that bypassed validation (a snapshot, a Python edit) is written without the
    characters (and keys) XML cannot carry."""
    customer = api.create("Customer", {"DisplayName": "Clean"})
    stored = sim.company(realm).get("Customer", customer["Id"])
    stored["Notes"] = "a\x01b\x00c\ufffed"
    stored["PrimaryPhone"] = {"FreeFormNumber": "1\x1b2", "bad key": "x", "1x": "y"}
    for res in (
        xapi.get(f"customer/{customer['Id']}"),
        xapi.get("query?query=select * from Customer"),
    ):
        root = ET.fromstring(res.get_data())  # well-formed
        assert "<Notes>abcd</Notes>" in res.get_data(as_text=True)
        assert root is not None
    batch = api.client.post(
        api.url("batch"),
        json={"BatchItemRequest": [{"bId": "b\x01", "Query": "select * from Term"}]},
        headers={**api.headers, "Accept": "application/xml"},
    )
    assert batch.status_code == 200
    ET.fromstring(batch.get_data())
