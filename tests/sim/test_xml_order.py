"""XML answers in the order of Intuit's XSD (issue 14 item 2).

The committed table ``qbo_sim/schemas/xml_order.json`` is what ``tools/gen_xml_order.py``
writes from Intuit's XSD; a subset of that XSD is a fixture (``tests/fixtures/xsd_subset/``)
so a fresh run of the script is compared with the table in every run. Every served entity,
created, read and queried in XML from the ``sample`` company, has its children in that order
(the suite-wide hook in ``tests/conftest.py`` checks every other XML answer too).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from qbo_sim import Clock, Simulator, xml
from qbo_sim.auth import DEV_TOKEN
from qbo_sim.entities import ENTITIES
from tests.conftest import START, Api
from tests.xml_order import order_errors

ROOT = Path(__file__).resolve().parents[2]
SUBSET = ROOT / "tests" / "fixtures" / "xsd_subset"
SUBSET_ROOTS = ["Department", "TaxCode", "Term", "Transfer"]


def _tool() -> ModuleType:
    path = ROOT / "tools" / "gen_xml_order.py"
    spec = importlib.util.spec_from_file_location("gen_xml_order", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_xml_order", module)
    spec.loader.exec_module(module)
    return module


# --- the table -----------------------------------------------------------------------------
def test_table_matches_a_fresh_run_of_the_script_on_the_xsd_subset():
    fresh = _tool().build_table(SUBSET, SUBSET_ROOTS)
    committed = xml.order_table()

    assert fresh["entities"] == {root: root for root in SUBSET_ROOTS}
    assert fresh["entities"].items() <= committed["entities"].items()
    # every type the subset reaches (Line and its 17 details, the IntuitEntity → Transaction →
    # Transfer chain, ItemLineDetail → SalesItemLineDetail...) is exactly as committed
    assert len(fresh["types"]) >= 35
    for name, description in fresh["types"].items():
        assert description == committed["types"][name], name


def test_script_check_mode_reports_a_stale_table(tmp_path):
    tool = _tool()
    out = tmp_path / "order.json"

    assert tool.main([str(SUBSET), "--out", str(out)]) == 0
    assert tool.main([str(SUBSET), "--out", str(out), "--check"]) == 0
    out.write_text(out.read_text(encoding="utf-8").replace('"Id"', '"Ident"', 1), encoding="utf-8")
    assert tool.main([str(SUBSET), "--out", str(out), "--check"]) == 1


def test_table_covers_every_served_entity_and_the_nested_types():
    table = xml.order_table()
    assert set(table["entities"]) == set(ENTITIES) | {"TaxService"}  # /taxservice's answer
    types = table["types"]
    for nested in (
        "Line",
        "SalesItemLineDetail",
        "AccountBasedExpenseLineDetail",
        "JournalEntryLineDetail",
        "PhysicalAddress",
        "EmailAddress",
        "TelephoneNumber",
        "ModificationMetaData",
        "CustomField",
        "LinkedTxn",
        "TxnTaxDetail",
        "ReferenceType",
    ):
        assert nested in types, nested
    # base-type elements first: IntuitEntity, then Transaction, then SalesTransaction
    invoice = [name for name, _ in types["Invoice"]["children"]]
    assert invoice[:5] == ["Id", "SyncToken", "MetaData", "CustomField", "AttachableRef"]
    assert invoice.index("TxnDate") < invoice.index("CustomerRef") < invoice.index("Deposit")
    # references are simple content with attributes, not elements
    assert types["ReferenceType"] == {"children": [], "attributes": ["name", "type"]}
    assert types["Invoice"]["attributes"][:3] == ["domain", "status", "sparse"]
    assert dict(types["Line"]["children"])["SalesItemLineDetail"] == "SalesItemLineDetail"


# --- the ordering --------------------------------------------------------------------------
def test_unknown_fields_follow_the_known_ones_in_their_own_order():
    keys = ["Zeta", "Balance", "Alpha", "Id", "DisplayName"]
    assert xml.ordered_keys("Customer", keys) == ["Id", "DisplayName", "Balance", "Zeta", "Alpha"]
    assert xml.ordered_keys(None, keys) == keys
    assert xml.ordered_keys("NoSuchType", keys) == keys


def test_nested_objects_are_ordered_by_their_own_type():
    written = xml.entity_xml(
        "Invoice",
        {
            "Line": [
                {
                    "SalesItemLineDetail": {"Qty": 1, "ItemRef": {"value": "1"}},
                    "DetailType": "SalesItemLineDetail",
                    "Amount": 5.0,
                }
            ],
            "BillAddr": {"City": "Springfield", "Line1": "1 Main St"},
            "Id": "9",
        },
    )
    assert written == (
        "<Invoice><Id>9</Id><Line><Amount>5.00</Amount><DetailType>SalesItemLineDetail"
        "</DetailType><SalesItemLineDetail><ItemRef>1</ItemRef><Qty>1</Qty>"
        "</SalesItemLineDetail></Line><BillAddr><Line1>1 Main St</Line1><City>Springfield"
        "</City></BillAddr></Invoice>"
    )


def test_the_checker_finds_elements_out_of_order():
    document = (
        '<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="t">'
        "<Customer><SyncToken>0</SyncToken><Id>1</Id><Nickname>x</Nickname>"
        "<Balance>0</Balance><BillAddr><City>a</City><Line1>b</Line1></BillAddr></Customer>"
        "</IntuitResponse>"
    )
    assert order_errors(document) == [
        "Customer.Id out of Customer's order",
        "Customer.Balance after Nickname, which Customer does not know",
        "Customer.BillAddr after Nickname, which Customer does not know",
        "Customer.BillAddr.Line1 out of PhysicalAddress's order",
    ]


# --- every served entity, in XML ---------------------------------------------------------
def _line(item: str = "2", amount: float = 100.0) -> dict[str, Any]:
    return {
        "Amount": amount,
        "DetailType": "SalesItemLineDetail",
        "SalesItemLineDetail": {"ItemRef": {"value": item}, "Qty": 1, "UnitPrice": amount},
    }


def _expense(account: str = "11", amount: float = 40.0) -> dict[str, Any]:
    return {
        "Amount": amount,
        "DetailType": "AccountBasedExpenseLineDetail",
        "AccountBasedExpenseLineDetail": {"AccountRef": {"value": account}},
    }


def _journal(posting: str, account: str) -> dict[str, Any]:
    return {
        "Amount": 25.0,
        "DetailType": "JournalEntryLineDetail",
        "JournalEntryLineDetail": {"PostingType": posting, "AccountRef": {"value": account}},
    }


@pytest.fixture
def sample() -> tuple[Simulator, str, Api]:
    """The ``sample_multicurrency`` company (the ``sample`` one with a currency list and
    exchange rates) with one of every transaction type it lacks, created with JSON bodies and
    XML answers."""
    sim = Simulator(seed=1, clock=Clock(frozen_at=START))
    sim.throttle.set_enabled(False)
    realm = sim.create_company("sample_multicurrency")
    api = Api(sim.app.test_client(), realm)
    company = sim.company(realm)
    invoice = next(iter(company.all("Invoice")))
    bill = next(iter(company.all("Bill")))
    customer = invoice["CustomerRef"]["value"]
    vendor = bill["VendorRef"]["value"]
    accounts = {a["Name"]: a["Id"] for a in company.all("Account")}
    part = sim.as_user(realm).create(
        "Item",
        {
            "Name": "Filter Cartridge",
            "Type": "Inventory",
            "QtyOnHand": 10,
            "InvStartDate": "2025-01-01",
            "PurchaseCost": 4.0,
            "IncomeAccountRef": {"value": accounts["Sales of Product Income"]},
            "ExpenseAccountRef": {"value": accounts["Cost of Goods Sold"]},
            "AssetAccountRef": {"value": accounts["Inventory Asset"]},
        },
    )
    bodies: dict[str, dict[str, Any]] = {
        "InventoryAdjustment": {
            "AdjustAccountRef": {"value": accounts["Cost of Goods Sold"]},
            "Line": [
                {
                    "DetailType": "ItemAdjustmentLineDetail",
                    "ItemAdjustmentLineDetail": {"ItemRef": {"value": part["Id"]}, "QtyDiff": -1},
                }
            ],
        },
        "Payment": {
            "CustomerRef": {"value": customer},
            "TotalAmt": 1.0,
            "Line": [
                {"Amount": 1.0, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}
            ],
        },
        "SalesReceipt": {"CustomerRef": {"value": customer}, "Line": [_line()]},
        "CreditMemo": {"CustomerRef": {"value": customer}, "Line": [_line()]},
        "Estimate": {"CustomerRef": {"value": customer}, "Line": [_line()]},
        "RefundReceipt": {
            "CustomerRef": {"value": customer},
            "DepositToAccountRef": {"value": "1"},
            "Line": [_line()],
        },
        "BillPayment": {
            "VendorRef": {"value": vendor},
            "PayType": "Check",
            "CheckPayment": {"BankAccountRef": {"value": "1"}},
            "TotalAmt": 1.0,
            "Line": [{"Amount": 1.0, "LinkedTxn": [{"TxnId": bill["Id"], "TxnType": "Bill"}]}],
        },
        "Purchase": {"PaymentType": "Check", "AccountRef": {"value": "1"}, "Line": [_expense()]},
        "PurchaseOrder": {
            "VendorRef": {"value": vendor},
            "APAccountRef": {"value": "5"},
            "Line": [_expense()],
        },
        "JournalEntry": {"Line": [_journal("Debit", "11"), _journal("Credit", "1")]},
        "Deposit": {
            "DepositToAccountRef": {"value": "1"},
            "Line": [
                {
                    "Amount": 30.0,
                    "DetailType": "DepositLineDetail",
                    "DepositLineDetail": {"AccountRef": {"value": "8"}},
                }
            ],
        },
        "Transfer": {
            "FromAccountRef": {"value": "1"},
            "ToAccountRef": {"value": "3"},
            "Amount": 15.0,
        },
    }
    headers = {"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/xml"}
    for entity, body in bodies.items():  # JSON bodies, XML answers: the create answers too
        res = api.client.post(api.url(entity.lower()), json=body, headers=headers)
        assert res.status_code == 200, res.get_data(as_text=True)
        assert order_errors(res.get_data(as_text=True)) == [], entity
    return sim, realm, api


def _xml_get(client: Any, realm: str, path: str) -> str:
    res = client.get(
        f"/v3/company/{realm}/{path}",
        headers={"Authorization": f"Bearer {DEV_TOKEN}", "Accept": "application/xml"},
    )
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_data(as_text=True)


def _children(document: str) -> list[ET.Element]:
    root = ET.fromstring(document.encode("utf-8"))
    found = []
    for element in root.iter():
        if xml.local_name(element.tag) in ENTITIES:
            found.append(element)
    return found


def test_every_served_entity_read_and_queried_in_xml_follows_the_xsd_order(sample):
    sim, realm, _ = sample
    client = sim.app.test_client()
    company = sim.company(realm)
    seen: set[str] = set()
    for entity in ENTITIES:
        # the US pseudo codes TAX/NON carry no SyncToken (Intuit's TaxCode sample): last
        rows = sorted(company.all(entity), key=lambda row: "SyncToken" not in row)
        assert rows, f"the sample company (and this test) should hold a {entity}"
        answers = [_xml_get(client, realm, f"query?query=select * from {entity}")]
        path = entity.lower()
        if ENTITIES[entity].own_routes:  # ExchangeRate: by currency and date, no Id
            answers.append(_xml_get(client, realm, f"{path}?sourcecurrencycode=EUR"))
        elif entity == "Preferences":
            answers.append(_xml_get(client, realm, path))
        elif entity == "CompanyInfo":
            answers.append(_xml_get(client, realm, f"{path}/{realm}"))
        else:
            answers.append(_xml_get(client, realm, f"{path}/{rows[0]['Id']}"))
        for document in answers:
            assert order_errors(document) == [], (entity, document)
            elements = _children(document)
            assert elements, (entity, document)
            seen.update(xml.local_name(e.tag) for e in elements)
            # the order is not vacuous: the entity's first children are IntuitEntity's
            with_token = [
                element
                for element in elements
                if element.find(f"{{{xml.NAMESPACE}}}SyncToken") is not None
            ]
            first = [xml.local_name(c.tag) for c in with_token[0]][:2]
            expected = (
                ["SyncToken", "MetaData"] if ENTITIES[entity].wire_hidden else ["Id", "SyncToken"]
            )
            assert first[: len(expected)] == expected, (entity, first)
    assert seen >= set(ENTITIES)


def test_the_committed_table_is_valid_json_with_types_for_every_child():
    table = json.loads((ROOT / "qbo_sim" / "schemas" / "xml_order.json").read_text("utf-8"))
    for name, description in table["types"].items():
        for child, child_type in description["children"]:
            assert isinstance(child, str), name
            assert child_type is None or child_type in table["types"], (name, child)
