# ruff: noqa: E501  (the templates are YAML: one record change per line, as in scenarios/)
"""The skeletons ``qbo-sim scenarios new --article-section N`` starts from, one per section of
the sync troubleshooting article (``/work/shared/seeds/sync-troubleshooting-article.txt``).

Each is the smallest run of steps typical of that section, cut down from the scenario that
covers it in ``scenarios/article/``, with ``FILL IN`` comments where the customer's ticket
supplies the values. ``setup`` lists what the bookkeeper already has in QuickBooks: made by
the QBO user (``given.qbo``) from a preset, or found by ``given.aliases`` in a snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setup:
    """An entity already in QBO: created from a preset, or found in a snapshot by query."""

    alias: str
    entity: str
    body: str  # YAML flow mapping of the entity body (preset mode)
    query: str  # the QBO query that finds it in a snapshot


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    tags: tuple[str, ...]
    description: str
    setup: tuple[Setup, ...]
    steps: str
    #: extra ``given`` lines for preset mode (a snapshot carries its own Preferences).
    preferences: str = ""
    #: what the snapshot must hold (written as a comment in snapshot mode).
    snapshot_note: str = ""

    @property
    def source(self) -> str:
        return f"Sync troubleshooting article §{self.number} {self.title}"


INCOME = Setup(
    "income",
    "Account",
    "{Name: Service Income, AccountType: Income}",
    "SELECT * FROM Account WHERE Name = 'Service Income'",
)
MATERIALS = Setup(
    "materials",
    "Account",
    "{Name: Job Materials, AccountType: Expense}",
    "SELECT * FROM Account WHERE Name = 'Job Materials'",
)

#: the records most skeletons start with (a customer, an item, an invoice).
_INVOICE_RECORDS = """\
  # FILL IN: the customer's records, as their field-service system holds them.
  - apply:
      - {kind: customer, key: C1, data: {name: Maple Court Apartments}}
      - {kind: item, key: I1, data: {name: Furnace Tune-Up, income_account: Service Income}}
      - {kind: invoice, key: "1001", data: {number: "1001", customer: C1, lines: [{item: I1, amount: 180}]}}
  - sync: {until_settled: true, max_passes: 3}
"""

GENERIC = Section(
    0,
    "",
    ("support",),
    "FILL IN: the customer's ticket in one or two sentences: what failed, what QBO answered "
    "(fault code and Message), and what a good integration does.",
    (INCOME,),
    _INVOICE_RECORDS
    + """\
  # FILL IN: what happens in QBO (qbo_user), to QBO (inject, outage), or what the operator does.
  - expect:
      # FILL IN: the state the ticket says is wrong (status, query, requests, no_request).
      - status: {kind: invoice, key: "1001", is: synced}
""",
)

SECTIONS: dict[int, Section] = {
    1: Section(
        1,
        "Invoice Syncing Issues",
        ("invoice", "deleted-in-qbo", "ref-reset"),
        "An invoice synced to QBO is deleted there; the next update fails with 610 Object Not "
        "Found; support resets the RefID and the retry creates one new invoice.",
        (INCOME,),
        _INVOICE_RECORDS
        + """\
  - name: FILL IN who did what in QuickBooks (deleted here; `move` for a moved invoice)
    qbo_user: {action: delete, entity: Invoice, id: $record.invoice.1001.qbo_id, alias: deleted}
  - apply:
      kind: invoice
      key: "1001"
      data: {number: "1001", customer: C1, lines: [{item: I1, amount: 180}, {item: I1, amount: 45}]}
  - sync: {}
  - expect:
      - status: {kind: invoice, key: "1001", is: failed, error_code: "610"}
  - id: reset
    operate: {action: reset_ref, kind: invoice, key: "1001"}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: invoice, key: "1001", is: synced, qbo_id_not: $qbo.deleted.Id}
      - query: "SELECT * FROM Invoice WHERE DocNumber = '1001'"
        count: 1
""",
    ),
    2: Section(
        2,
        "Property Syncing Issues",
        ("property", "duplicate-name", "6240"),
        "Two properties share a name; the second cannot be created (6240 Duplicate Name Exists "
        "Error); the operator renames it and it syncs.",
        (),
        """\
  # FILL IN: the customers and the two properties with the same name.
  - apply:
      - {kind: customer, key: C1, data: {name: Harbor View HOA}}
      - {kind: customer, key: C2, data: {name: Oak Street Partners}}
      - {kind: property, key: P1, data: {name: Unit 4B, customer: C1}}
  - sync: {until_settled: true, max_passes: 3}
  - apply: {kind: property, key: P2, data: {name: Unit 4B, customer: C2}}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: property, key: P2, is: failed, error_code: "6240"}
  - name: the operator renames the duplicate (Edit, rename, Save)
    operate: {action: edit, kind: property, key: P2, params: {fields: {name: Unit 4B - Oak Street}}}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: property, key: P2, is: synced}
""",
    ),
    3: Section(
        3,
        "Pre-Existing Payments in QuickBooks",
        ("payment", "bypass", "6000"),
        "The payment was already received in QBO; syncing it again fails (6000); the operator "
        "bypasses it and it is never posted again.",
        (INCOME,),
        _INVOICE_RECORDS
        + """\
  - name: FILL IN the bookkeeper receives the payment in QuickBooks
    qbo_user: {action: record_payment, id: $record.invoice.1001.qbo_id, alias: qbo_payment}
  - apply: {kind: payment, key: P1, data: {invoice: "1001", amount: 180, reference_number: CHK-1}}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: payment, key: P1, is: failed, error_code: "6000"}
  - id: bypass
    operate: {action: bypass, kind: payment, key: P1}
  - sync: {}
  - expect:
      - status: {kind: payment, key: P1, is: bypassed}
      - no_request: {method: POST, path_contains: /payment, since: bypass}
""",
    ),
    4: Section(
        4,
        "Vendor Document Number Errors",
        ("receipt", "docnumber", "vendor", "6140"),
        "A receipt reuses a vendor document number of an existing bill of the same vendor "
        "(6140 Duplicate Document Number Error); the operator adds a date suffix and it syncs.",
        (
            MATERIALS,
            Setup(
                "vendor",
                "Vendor",
                "{DisplayName: Cool Supply Co}",
                "SELECT * FROM Vendor WHERE DisplayName = 'Cool Supply Co'",
            ),
            Setup(
                "old_bill",
                "Bill",
                "{VendorRef: {value: $qbo.vendor.Id}, DocNumber: R-100, Line: [{DetailType: "
                "AccountBasedExpenseLineDetail, Amount: 80, AccountBasedExpenseLineDetail: "
                "{AccountRef: {value: $qbo.materials.Id}}}]}",
                "SELECT * FROM Bill WHERE DocNumber = 'R-100'",
            ),
        ),
        """\
  # FILL IN: the vendor and the receipt whose vendor document number is taken in QBO.
  - apply:
      - {kind: vendor, key: V1, data: {name: Cool Supply Co}}
      - kind: receipt
        key: R1
        data: {vendor: V1, vendor_document_number: R-100, lines: [{account: Job Materials, amount: 125.5}]}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: receipt, key: R1, is: failed, error_code: "6140"}
  - name: the operator makes the number unique (date suffix)
    operate: {action: edit, kind: receipt, key: R1, params: {fields: {vendor_document_number: R-100-20260302}}}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: receipt, key: R1, is: synced}
      - query: "SELECT * FROM Bill WHERE DocNumber = 'R-100-20260302'"
        count: 1
""",
        preferences="""\
  # duplicate bill numbers are refused only when QBO is set to warn about them:
  preferences:
    OtherPrefs:
      NameValue:
        - {Name: VendorAndPurchasesPrefs.WarnDuplicateBillNumber, Value: "true"}
""",
        snapshot_note="the snapshot's Preferences must have "
        "VendorAndPurchasesPrefs.WarnDuplicateBillNumber = true",
    ),
    5: Section(
        5,
        "Expense GL Account Mismatches",
        ("invoice", "item", "gl-account", "610"),
        "An item posts to a GL account made inactive in QBO; its invoice fails (610); the "
        "operator maps the item to the account QBO uses and the retried invoice syncs.",
        (
            Setup(
                "old_income",
                "Account",
                "{Name: Install Revenue, AccountType: Income}",
                "SELECT * FROM Account WHERE Name = 'Install Revenue'",
            ),
            Setup(
                "new_income",
                "Account",
                "{Name: Installation Income, AccountType: Income}",
                "SELECT * FROM Account WHERE Name = 'Installation Income'",
            ),
        ),
        """\
  - apply:
      - {kind: customer, key: C1, data: {name: Greenfield Bakery}}
      - {kind: item, key: WH, data: {name: Water Heater Install, income_account: Install Revenue}}
  - sync: {until_settled: true, max_passes: 3}
  - name: FILL IN the bookkeeper makes the item's account inactive
    qbo_user: {action: deactivate, entity: Account, id: $qbo.old_income.Id}
  - apply: {kind: invoice, key: "3001", data: {number: "3001", customer: C1, lines: [{item: WH, amount: 1450}]}}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: invoice, key: "3001", is: failed, error_code: "610"}
  - operate: {action: edit, kind: item, key: WH, params: {fields: {income_account: Installation Income}}}
  - operate: {action: retry, kind: invoice, key: "3001"}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: invoice, key: "3001", is: synced}
""",
    ),
    6: Section(
        6,
        "Deleted Receipts That Won't Re-Sync",
        ("receipt", "bill", "deleted", "ref-reset", "610"),
        "A receipt deleted and re-created keeps its old RefID; the bill it points at is gone "
        "(610); support resets the RefID and the retry creates one bill.",
        (MATERIALS,),
        """\
  - apply:
      - {kind: vendor, key: V1, data: {name: Metro Plumbing Supply}}
      - {kind: receipt, key: R7, data: {vendor: V1, vendor_document_number: MPS-5521, lines: [{account: Job Materials, amount: 310}]}}
  - sync: {until_settled: true, max_passes: 3}
  - qbo_user: {action: delete, entity: Bill, id: $record.receipt.R7.qbo_id, alias: old_bill}
  - name: FILL IN the receipt is deleted and entered again in the field-service system
    apply:
      - {kind: receipt, key: R7, action: delete, data: {vendor: V1, vendor_document_number: MPS-5521, lines: [{account: Job Materials, amount: 310}]}}
      - {kind: receipt, key: R7, data: {vendor: V1, vendor_document_number: MPS-5521, lines: [{account: Job Materials, amount: 325}]}}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: receipt, key: R7, is: failed, error_code: "610"}
  - operate: {action: reset_ref, kind: receipt, key: R7}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: receipt, key: R7, is: synced, qbo_id_not: $qbo.old_bill.Id}
""",
    ),
    7: Section(
        7,
        "Payment Syncing Issues",
        ("payment", "unposted"),
        "A payment saved but not posted waits for Save & Post, then syncs (see "
        "scenarios/article/payment_issues for the paid invoice and mismatched customer cases).",
        (INCOME,),
        _INVOICE_RECORDS
        + """\
  - apply: {kind: payment, key: P1, data: {invoice: "1001", amount: 180, reference_number: CHK-1, posted: false}}
  - sync: {}
  - expect:
      - status: {kind: payment, key: P1, is: pending}
      - no_request: {method: POST, path_contains: /payment}
  - operate: {action: post_payment, kind: payment, key: P1}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: payment, key: P1, is: synced}
""",
    ),
    8: Section(
        8,
        "Character Limit Violations",
        ("character-limit", "2050"),
        "An invoice number over QBO's 21 characters cannot be saved (2050); the operator "
        "shortens it and it syncs.",
        (INCOME,),
        """\
  - apply:
      - {kind: customer, key: C1, data: {name: Pine Ridge Senior Living}}
      - {kind: item, key: I1, data: {name: Rooftop Unit Service, income_account: Service Income}}
      # FILL IN: the field that is too long (names: 100 characters, DocNumber: 21).
      - {kind: invoice, key: WO-1, data: {number: WO-2026-000123-REVISED1, customer: C1, lines: [{item: I1, amount: 400}]}}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: invoice, key: WO-1, is: failed, error_code: "2050"}
  - operate: {action: edit, kind: invoice, key: WO-1, params: {fields: {number: WO-2026-000123-R}}}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: invoice, key: WO-1, is: synced}
""",
    ),
    9: Section(
        9,
        "Inactive Classes or Items in QuickBooks",
        ("inactive", "item", "610"),
        "An item made inactive in QBO fails the invoice (610); the bookkeeper reactivates it "
        "and the retried invoice syncs.",
        (INCOME,),
        """\
  - apply:
      - {kind: customer, key: C1, data: {name: Westgate Mall}}
      - {kind: item, key: DUCT, data: {name: Duct Cleaning, income_account: Service Income}}
  - sync: {until_settled: true, max_passes: 3}
  - name: FILL IN the item (or class) made inactive in QuickBooks
    qbo_user: {action: deactivate, entity: Item, id: $record.item.DUCT.qbo_id}
  - apply: {kind: invoice, key: "5001", data: {number: "5001", customer: C1, lines: [{item: DUCT, amount: 600}]}}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: invoice, key: "5001", is: failed, error_code: "610"}
  - qbo_user: {action: reactivate, entity: Item, id: $record.item.DUCT.qbo_id}
  - operate: {action: retry, kind: invoice, key: "5001"}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: invoice, key: "5001", is: synced}
""",
    ),
    10: Section(
        10,
        "Web Connector Not Running",
        ("outage", "503", "retry"),
        "QBO does not answer for a while (503); records stay pending and sync once, exactly "
        "once, when it is back.",
        (INCOME,),
        """\
  - apply:
      - {kind: customer, key: C1, data: {name: Hillcrest School District}}
  - sync: {until_settled: true, max_passes: 3}
  - id: outage
    # FILL IN: how long the customer's connector or QBO was unreachable.
    outage: {minutes: 30, status: 503}
  - apply: {kind: customer, key: C2, data: {name: Hillcrest Middle School}}
  - sync: {}
  - expect:
      - status: {kind: customer, key: C2, is: pending}
  - advance_clock: {minutes: 31}
  - sync: {until_settled: true, max_passes: 3}
  - expect:
      - status: {kind: customer, key: C2, is: synced}
      - retries_reuse_requestid: true
        since: outage
""",
    ),
}
