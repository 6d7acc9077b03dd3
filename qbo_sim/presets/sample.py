"""The ``sample`` preset: a small US field-service company, ready to sync against.

Built with Faker (``Faker("en_US")`` seeded with the preset seed, so the same seed gives
byte-identical data) and written through :func:`qbo_sim.operations.create`, so every derived
field (FullyQualifiedName, TotalAmt, Balance, DocNumber, DueDate, reference names) is exactly
what the API would produce. Contents:

- a US chart of accounts: Checking, Accounts Receivable, Undeposited Funds, Inventory Asset,
  Accounts Payable, a credit card, Services and Sales of Product Income, Cost of Goods Sold and
  expenses (Job Materials, Subcontractors, Fuel, Equipment Rental, Advertising, Utilities);
- terms (Due on receipt, Net 15, Net 30), payment methods (Cash, Check, Credit Card);
- classes (Residential, Commercial with a Maintenance Contracts sub-class) and locations;
- service and non-inventory items wired to the income, COGS and expense accounts;
- 12 customers, four of them with service-site sub-customers (``Job: true``), 6 vendors,
  4 employees; open invoices (some on sub-customers) and open bills;
- technician hours (billable time activities) and one open vendor credit, made after
  everything else so the earlier data of a seed does not change;
- a US manual sales-tax setup (Intuit's sample agencies, rates and the codes California and
  Tucson, and a Sales Tax Payable account: :func:`qbo_sim.presets.tax.install_us_manual`),
  made last and drawing nothing from the seed: the invoices charge no tax (their lines are
  ``NON``), so the figures of a seed are as before.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from faker import Faker

from qbo_sim import operations
from qbo_sim.clock import local_date
from qbo_sim.entities import ENTITIES
from qbo_sim.presets.tax import install_us_manual

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

CUSTOMERS = 12
CUSTOMERS_WITH_SITES = 4
VENDORS = 6
EMPLOYEES = 4
INVOICES = 10
BILLS = 5
TIME_ACTIVITIES = 2

#: (Name, AccountType, AccountSubType)
ACCOUNTS = [
    ("Checking", "Bank", "Checking"),
    ("Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"),
    ("Undeposited Funds", "Other Current Asset", "UndepositedFunds"),
    ("Inventory Asset", "Other Current Asset", "Inventory"),
    ("Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable"),
    ("Mastercard", "Credit Card", "CreditCard"),
    ("Opening Balance Equity", "Equity", "OpeningBalanceEquity"),
    ("Services", "Income", "ServiceFeeIncome"),
    ("Sales of Product Income", "Income", "SalesOfProductIncome"),
    ("Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs"),
    ("Job Materials", "Expense", "SuppliesMaterials"),
    ("Subcontractors", "Expense", "OtherMiscellaneousServiceCost"),
    ("Fuel", "Expense", "Auto"),
    ("Equipment Rental", "Expense", "EquipmentRental"),
    ("Advertising", "Expense", "AdvertisingPromotional"),
    ("Utilities", "Expense", "Utilities"),
]
TERMS = [("Due on receipt", 0), ("Net 15", 15), ("Net 30", 30)]
PAYMENT_METHODS = [
    ("Cash", "NON_CREDIT_CARD"),
    ("Check", "NON_CREDIT_CARD"),
    ("Credit Card", "CREDIT_CARD"),
]
#: (Name, Type, income account, expense account, base price)
ITEMS = [
    ("Installation", "Service", "Services", None, 120),
    ("Repair", "Service", "Services", None, 95),
    ("Maintenance Visit", "Service", "Services", None, 85),
    ("Inspection", "Service", "Services", None, 65),
    ("Subcontracted Labor", "Service", "Services", "Subcontractors", 110),
    ("Pipe Fittings", "NonInventory", "Sales of Product Income", "Job Materials", 18),
    ("Air Filter", "NonInventory", "Sales of Product Income", "Cost of Goods Sold", 24),
    ("Thermostat", "NonInventory", "Sales of Product Income", "Cost of Goods Sold", 140),
]
BILL_ACCOUNTS = ["Job Materials", "Subcontractors", "Fuel", "Equipment Rental", "Utilities"]
SITE_KINDS = ["Warehouse", "Office", "Rental Unit", "Store", "Residence"]


class _Builder:
    def __init__(self, ctx: OpContext, seed: int) -> None:
        self.ctx = ctx
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.today = local_date(ctx.clock.now(), ctx.company.utc_offset_minutes)
        self.ids: dict[str, dict[str, str]] = {}

    def create(self, entity: str, body: dict[str, Any], key: str | None = None) -> dict[str, Any]:
        created = operations.create(self.ctx, ENTITIES[entity], body)
        if key is not None:
            self.ids.setdefault(entity, {})[key] = created["Id"]
        return created

    def ref(self, entity: str, key: str) -> dict[str, str]:
        return {"value": self.ids[entity][key]}

    def address(self) -> dict[str, str]:
        fake = self.fake
        return {
            "Line1": fake.street_address(),
            "City": fake.city(),
            "CountrySubDivisionCode": fake.state_abbr(include_territories=False),
            "PostalCode": fake.zipcode(),
            "Country": "USA",
        }

    def phone(self) -> dict[str, str]:
        return {"FreeFormNumber": self.fake.numerify("(###) ###-####")}

    def past_date(self, max_days: int) -> str:
        return (self.today - timedelta(days=self.fake.random_int(0, max_days))).isoformat()


def build(ctx: OpContext, seed: int) -> None:
    """Fill the company of ``ctx`` with the sample data for ``seed``."""
    b = _Builder(ctx, seed)
    for name, account_type, sub_type in ACCOUNTS:
        b.create(
            "Account",
            {"Name": name, "AccountType": account_type, "AccountSubType": sub_type},
            key=name,
        )
    for name, days in TERMS:
        b.create("Term", {"Name": name, "DueDays": days}, key=name)
    for name, kind in PAYMENT_METHODS:
        b.create("PaymentMethod", {"Name": name, "Type": kind}, key=name)
    _classes_and_locations(b)
    _items(b)
    customers = _customers(b)
    vendors = _vendors(b)
    employees = []
    for _ in range(EMPLOYEES):
        employee = b.create(
            "Employee",
            {
                "GivenName": b.fake.first_name(),
                "FamilyName": b.fake.last_name(),
                "PrimaryPhone": b.phone(),
                "PrimaryAddr": b.address(),
                "HiredDate": b.past_date(2000),
                "BillableTime": True,
            },
        )
        employees.append(employee["Id"])
    _invoices(b, customers)
    _bills(b, vendors)
    _time_and_credit(b, customers, employees, vendors)
    install_us_manual(ctx)


def _classes_and_locations(b: _Builder) -> None:
    b.create("Class", {"Name": "Residential"}, key="Residential")
    commercial = b.create("Class", {"Name": "Commercial"}, key="Commercial")
    b.create("Class", {"Name": "Maintenance Contracts", "ParentRef": {"value": commercial["Id"]}})
    for _ in range(3):
        b.create("Department", {"Name": f"{b.fake.unique.city()} Branch"})


def _items(b: _Builder) -> None:
    for name, kind, income, expense, price in ITEMS:
        body: dict[str, Any] = {
            "Name": name,
            "Type": kind,
            "UnitPrice": price,
            "Description": f"{name} ({kind.lower()})",
            "IncomeAccountRef": b.ref("Account", income),
        }
        if expense is not None:
            body["ExpenseAccountRef"] = b.ref("Account", expense)
            body["PurchaseCost"] = round(price * 0.6, 2)
        b.create("Item", body, key=name)


def _customers(b: _Builder) -> list[str]:
    """Top-level customers, then service sites (Job true) under the first few; returns the Ids
    invoices may use (every customer and every site)."""
    fake = b.fake
    ids: list[str] = []
    terms = [name for name, _ in TERMS]
    for index in range(CUSTOMERS):
        company = index % 2 == 0
        given, family = fake.first_name(), fake.last_name()
        body: dict[str, Any] = {
            "GivenName": given,
            "FamilyName": family,
            "PrimaryEmailAddr": {"Address": f"{given}.{family}@{fake.free_email_domain()}".lower()},
            "PrimaryPhone": b.phone(),
            "BillAddr": b.address(),
            "SalesTermRef": b.ref("Term", terms[index % len(terms)]),
        }
        if company:
            body["CompanyName"] = fake.unique.company()
            body["DisplayName"] = body["CompanyName"]
        customer = b.create("Customer", body)
        ids.append(customer["Id"])
        if index < CUSTOMERS_WITH_SITES:
            for site in range(2):
                address = b.address()
                kind = SITE_KINDS[(index + site) % len(SITE_KINDS)]
                sub = b.create(
                    "Customer",
                    {
                        "DisplayName": f"{address['Line1']} {kind}",
                        "ParentRef": {"value": customer["Id"]},
                        "Job": True,
                        "BillWithParent": True,
                        "ShipAddr": address,
                    },
                )
                ids.append(sub["Id"])
    return ids


def _vendors(b: _Builder) -> list[str]:
    ids = []
    for index in range(VENDORS):
        name = b.fake.unique.company()
        vendor = b.create(
            "Vendor",
            {
                "DisplayName": name,
                "CompanyName": name,
                "PrimaryPhone": b.phone(),
                "BillAddr": b.address(),
                "TermRef": b.ref("Term", "Net 30" if index % 2 else "Net 15"),
                "AcctNum": b.fake.numerify("AC-#####"),
            },
        )
        ids.append(vendor["Id"])
    return ids


def _invoices(b: _Builder, customers: list[str]) -> None:
    fake = b.fake
    for _ in range(INVOICES):
        lines = []
        for _ in range(fake.random_int(1, 3)):
            name, _kind, _income, _expense, price = fake.random_element(ITEMS)
            lines.append(
                {
                    "DetailType": "SalesItemLineDetail",
                    "Description": name,
                    "SalesItemLineDetail": {
                        "ItemRef": b.ref("Item", name),
                        "Qty": fake.random_int(1, 6),
                        "UnitPrice": price,
                    },
                }
            )
        b.create(
            "Invoice",
            {
                "CustomerRef": {"value": fake.random_element(customers)},
                "TxnDate": b.past_date(45),
                "Line": lines,
            },
        )


def _bills(b: _Builder, vendors: list[str]) -> None:
    fake = b.fake
    for _ in range(BILLS):
        account = fake.random_element(BILL_ACCOUNTS)
        b.create(
            "Bill",
            {
                "VendorRef": {"value": fake.random_element(vendors)},
                "TxnDate": b.past_date(30),
                "DocNumber": fake.numerify("INV-####"),
                "Line": [
                    {
                        "DetailType": "AccountBasedExpenseLineDetail",
                        "Amount": float(fake.random_int(5000, 250000)) / 100,
                        "Description": f"{account} for {fake.word()} job",
                        "AccountBasedExpenseLineDetail": {
                            "AccountRef": b.ref("Account", account),
                        },
                    }
                ],
            },
        )


def _time_and_credit(
    b: _Builder, customers: list[str], employees: list[str], vendors: list[str]
) -> None:
    fake = b.fake
    for _ in range(TIME_ACTIVITIES):
        b.create(
            "TimeActivity",
            {
                "NameOf": "Employee",
                "EmployeeRef": {"value": fake.random_element(employees)},
                "CustomerRef": {"value": fake.random_element(customers)},
                "ItemRef": b.ref("Item", "Repair"),
                "BillableStatus": "Billable",
                "HourlyRate": 95,
                "TxnDate": b.past_date(7),
                "Hours": fake.random_int(1, 8),
                "Minutes": fake.random_element([0, 15, 30, 45]),
                "Description": f"Repair visit: {fake.word()}",
            },
        )
    b.create(
        "VendorCredit",
        {
            "VendorRef": {"value": fake.random_element(vendors)},
            "TxnDate": b.past_date(30),
            "DocNumber": fake.numerify("VC-####"),
            "Line": [
                {
                    "DetailType": "AccountBasedExpenseLineDetail",
                    "Amount": float(fake.random_int(1000, 20000)) / 100,
                    "Description": "Returned parts",
                    "AccountBasedExpenseLineDetail": {
                        "AccountRef": b.ref("Account", "Job Materials"),
                    },
                }
            ],
        },
    )
    _attachments(b)


def _attachments(b: _Builder) -> None:
    """A technician's note on the first invoice (draws nothing from the seed's random
    stream, so the rest of the company is as before)."""
    invoice = next(iter(b.ctx.company.all("Invoice")), None)
    if invoice is not None:
        b.create(
            "Attachable",
            {
                "Note": "Gate code 4721; dog in the back yard.",
                "AttachableRef": [{"EntityRef": {"type": "Invoice", "value": invoice["Id"]}}],
            },
        )
