"""Per-entity facts live on the entity's spec (``qbo_sim/entities/``), not in branches.

``test_no_entity_name_branches`` fails when a ``name == "Invoice"`` / ``spec.name in (...)``
branch appears outside the places listed in :data:`BRANCHES`; ``test_entity_name_literals``
fails when a file names entities more often than :data:`LITERALS` allows. Read with ``ast``:
comments and docstrings do not count, and a name only counts as an exact string constant.

Scanned: the simulator (``qbo_sim`` minus ``connectors/``, ``harness/``, ``presets/`` and
``scenarios/``, which are clients of the API and sample data: they name entities the way an
integration does). To add a fact, add a field to :class:`qbo_sim.entities.EntitySpec` and set
it in the entity's family module (CONTRIBUTING.md, "Adding an entity").
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from qbo_sim.entities import ENTITIES, REF_TARGETS, SALES_FORMS
from qbo_sim.webhooks.events import QBO_WEBHOOK_ENTITIES, SUPPORTED_ENTITIES

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "qbo_sim"
NOT_SCANNED = ("connectors", "harness", "presets", "scenarios")
NAMES = frozenset(ENTITIES)

#: file → how many comparisons with an entity-name literal it may hold, and why.
BRANCHES: dict[str, int] = {
    # ``"Deposit" in entity``: Invoice's Deposit field, zeroed on void, not the entity
    "qbo_sim/derive/__init__.py": 1,
    # the field-service records of docs/harness.md §3 read back from recorded writes: a
    # client's view of the API (the inverse of connectors/fieldservice_sync/mapping.py),
    # naming entities as an integration does (LinkedTxn TxnType Invoice, upload Attachables)
    "qbo_sim/recording/records.py": 2,
}

#: file → how many entity-name string constants it may hold (the ``entities`` package itself,
#: where the facts live, is unlimited), and what they are.
LITERALS: dict[str, int] = {
    # a transaction's ExchangeRate field (the name of an entity too) posted at its rate
    "qbo_sim/rules/inventory.py": 1,
    # the key under which answers carry Attachables, whose download links are signed there
    "qbo_sim/attachments.py": 1,
    # the query language's WHERE/ORDERBY tables, kept in the query package (one per entity)
    "qbo_sim/query/fields.py": 32,
    # §5.10's table of entities QBO has webhooks for (a test checks spec.webhooks against it)
    "qbo_sim/webhooks/events.py": 26,
    # Payment/BillPayment linking (rules/links.py: the Link table of payer, target and party)
    "qbo_sim/rules/links.py": 13,
    # lookups of the entity a rule or derivation reads: the Preferences singleton, the
    # referenced Account/Term/Item, the jobs of a Customer, EntityRef's party types
    "qbo_sim/rules/balances.py": 3,
    "qbo_sim/rules/common.py": 1,
    "qbo_sim/rules/currency.py": 1,
    "qbo_sim/api/currency_routes.py": 0,
    "qbo_sim/rules/periods.py": 1,
    "qbo_sim/rules/accounts.py": 3,
    "qbo_sim/rules/references.py": 3,
    "qbo_sim/derive/currency.py": 1,
    # the tax model reads the CompanyInfo (Country, address) and Preferences (TaxPrefs)
    # singletons
    "qbo_sim/derive/tax_model.py": 2,
    # the TaxService body's own keys: "TaxCode" (the code's name) and TaxApplicableOn's
    # "Purchase" value (DOC-ENT TaxService), not the entities of those names
    "qbo_sim/taxservice.py": 7,
    "qbo_sim/derive/transactions.py": 3,
    # one deriver per list with its own computed fields (Account, Term, Item)
    "qbo_sim/derive/lists.py": 3,
    # Invoice's Deposit field (see BRANCHES) and the XML codec's Deposit element
    "qbo_sim/derive/__init__.py": 2,
    "qbo_sim/xml.py": 1,
    # the /preferences route; the QBO-user twin and control plane record payments of invoices
    "qbo_sim/api/company.py": 1,
    # the CompanyInfo singleton, whose CompanyName the transaction PDF shows
    "qbo_sim/api/pdf_routes.py": 1,
    "qbo_sim/api/control_actions.py": 3,  # + the Preferences enable-multicurrency answers
    "qbo_sim/user.py": 6,
    # field-service record kinds ↔ QBO entities, as an integration writes them (see BRANCHES)
    "qbo_sim/recording/records.py": 24,  # + the Preferences enable_multicurrency edits
}


def scanned_files() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] not in NOT_SCANNED
        and path.relative_to(PACKAGE).parts[0] != "entities"
    )


def _is_name_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in NAMES
    if isinstance(node, ast.Tuple | ast.List | ast.Set) and node.elts:
        return any(_is_name_literal(element) for element in node.elts)
    return False


def name_branches(source: str) -> list[str]:
    """Comparisons (``==``, ``!=``, ``in``, ``not in``) and ``case`` patterns against an
    entity-name literal, as source text."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            if any(_is_name_literal(side) for side in (node.left, *node.comparators)):
                found.append(ast.unparse(node))
        elif isinstance(node, ast.MatchValue) and _is_name_literal(node.value):
            found.append(f"case {ast.unparse(node.value)}")
    return found


def name_literals(source: str) -> list[str]:
    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in NAMES
    ]


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_scanners_see_branches_and_literals():
    source = (
        'def f(spec, name, entity):\n    """Invoice docs do not count."""\n'
        '    if spec.name == "Invoice" or name in ("Bill", "Other"):\n        return 1\n'
        '    match spec.name:\n        case "Payment":\n            return 2\n'
        '    return entity.get("Invoice") != "Invoiced"  # "Bill" in a comment\n'
    )
    assert name_branches(source) == [
        "spec.name == 'Invoice'",
        "name in ('Bill', 'Other')",
        "case 'Payment'",
    ]  # entity.get("Invoice") != "Invoiced" compares no entity name
    assert sorted(name_literals(source)) == ["Bill", "Invoice", "Invoice", "Payment"]


def test_no_entity_name_branches_outside_the_allowed_places():
    over = {}
    for path in scanned_files():
        found = name_branches(path.read_text(encoding="utf-8"))
        if len(found) > BRANCHES.get(_relative(path), 0):
            over[_relative(path)] = found
    assert not over, (
        "branch on an entity name: make it a field of EntitySpec (qbo_sim/entities/) and "
        f"read the spec instead: {over}"
    )


def test_entity_name_literals_only_in_the_allowed_places():
    over = {}
    for path in scanned_files():
        found = name_literals(path.read_text(encoding="utf-8"))
        if len(found) > LITERALS.get(_relative(path), 0):
            over[_relative(path)] = sorted(found)
    assert not over, (
        "a per-entity fact outside qbo_sim/entities/: put it on the entity's spec (or, when "
        f"it really is one entity's own rule, list the file here with why): {over}"
    )


@pytest.mark.parametrize("listed", sorted({*BRANCHES, *LITERALS}))
def test_every_listed_place_exists(listed):
    assert (ROOT / listed).is_file(), f"{listed} no longer exists: drop it from the lists"


# --- the facts, as the tables they replaced (behaviour unchanged) --------------------------
def _with(predicate) -> set[str]:
    return {name for name, spec in ENTITIES.items() if predicate(spec)}


def test_families_keep_the_facts_of_the_former_tables():
    assert _with(lambda s: s.balance == "open") == {"Invoice", "Bill", "CreditMemo", "VendorCredit"}
    assert _with(lambda s: s.balance == "zero") == {"SalesReceipt", "RefundReceipt"}
    assert _with(lambda s: s.ap_default) == {"Bill", "VendorCredit"}
    assert _with(lambda s: s.deposit_default) == {"Payment", "SalesReceipt"}
    assert SALES_FORMS == {"Invoice", "SalesReceipt", "CreditMemo", "Estimate", "RefundReceipt"}
    assert _with(lambda s: s.lines == "expense") == {
        "Bill",
        "Purchase",
        "PurchaseOrder",
        "VendorCredit",
    }
    assert _with(lambda s: s.lines == "payment") == {"Payment", "BillPayment"}
    # SalesReceipt left the set: QBO writes no LinkedTxn on it (tests/parity JSON captures)
    assert _with(lambda s: s.linkable) == {
        "Invoice", "Bill", "CreditMemo", "Estimate", "PurchaseOrder", "VendorCredit"
    }  # fmt: skip
    assert {
        n: (s.print_default, s.email_default) for n, s in ENTITIES.items() if s.print_default
    } == {
        "Invoice": ("NeedToPrint", "NotSet"),
        "SalesReceipt": ("NeedToPrint", "NotSet"),
        "CreditMemo": ("NeedToPrint", "NotSet"),
        "Estimate": ("NeedToPrint", "NotSet"),
        "RefundReceipt": ("NotSet", "NotSet"),
        "PurchaseOrder": ("NotSet", "NotSet"),
        "Purchase": ("NotSet", None),
    }
    assert {
        n: s.numbering.auto_number_pref
        for n, s in ENTITIES.items()
        if s.numbering and s.numbering.auto_number_pref
    } == {
        **dict.fromkeys(SALES_FORMS, "SalesFormsPrefs.CustomTxnNumbers"),
        "PurchaseOrder": "VendorAndPurchasesPrefs.UseCustomTxnNumbers",
    }
    assert {n: s.term_field for n, s in ENTITIES.items() if s.term_field} == {
        "Invoice": "SalesTermRef",
        "Bill": "TermRef",
    }
    assert _with(lambda s: not s.cdc) == {
        "TaxCode", "TaxRate", "TaxAgency", "TimeActivity",
        "CompanyCurrency", "ExchangeRate",  # currencies: assumed
    }  # fmt: skip
    assert _with(lambda s: not s.updatable) == {"TaxCode", "TaxRate", "TaxAgency"}
    assert _with(lambda s: s.tax == "sales") == SALES_FORMS
    assert _with(lambda s: s.tax == "purchase") == {
        "Bill", "Purchase", "PurchaseOrder", "VendorCredit"
    }  # fmt: skip
    assert _with(lambda s: s.inactive_checked) == {
        "Class", "Item", "Customer", "Vendor", "Account", "Department", "Term"
    }  # fmt: skip
    assert _with(lambda s: s.currency) == {"Customer", "Vendor", "Account"} | _with(
        lambda s: s.is_transaction and s.name != "TimeActivity"
    )
    assert {n: s.txn_label for n, s in ENTITIES.items() if s.label} == {
        "SalesReceipt": "Sales Receipt",
        "CreditMemo": "Credit Memo",
        "JournalEntry": "Journal Entry",
        "PurchaseOrder": "Purchase Order",
        "BillPayment": "Bill Payment",
        "VendorCredit": "Vendor Credit",
        "RefundReceipt": "Refund Receipt",
        # inventory: QBO's TxnType names in reports (docs/research/inventory.md)
        "InventoryAdjustment": "Inventory Qty Adjust",
        "Item": "Inventory Starting Value",
    }


def test_webhook_membership_is_the_qbo_table_intersected_with_the_entities():
    assert SUPPORTED_ENTITIES == tuple(e for e in QBO_WEBHOOK_ENTITIES if e in ENTITIES)
    assert _with(lambda s: s.webhooks == "update") == {"Preferences"}


def test_reference_targets_come_from_the_specs():
    assert REF_TARGETS["SalesTermRef"] == "Term"
    assert REF_TARGETS["DepositToAccountRef"] == "Account"
    assert REF_TARGETS["EmployeeRef"] == "Employee"
    assert REF_TARGETS["ParentRef"] == ""
    assert "EntityRef" not in REF_TARGETS  # its type says which party it names
