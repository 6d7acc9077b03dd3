"""The project and bundle behaviours (docs/research/projects-and-bundles.md), rows of the
fidelity table as :data:`qbo_sim.rules.behaviours.BEHAVIOURS` (``qbo_sim.rules.BEHAVIOURS``
holds them all)."""

from __future__ import annotations

from qbo_sim.rules.behaviours import Behaviour

R = "docs/research/projects-and-bundles.md"

PROJECT_BEHAVIOURS: list[Behaviour] = [
    Behaviour(
        "Projects are made by the QBO user (`create-project`): a Customer read and queried "
        "through the API with `IsProject: true`, `Job: true`, `ParentRef` the customer, "
        "`FullyQualifiedName` `Customer:Project`, Level 1; the v3 API cannot make one",
        "user action; `IsProject` sent by a client is ignored (read only)",
        f"{R} A1-A3 (Intuit's Project API is GraphQL; DOC-ENT IsProject read only, mv 25; "
        "DotNET-SDK#197: sent IsProject stored false)",
        "observed",
    ),
    Behaviour(
        "`IsProject` is not filterable: `select * from Customer where IsProject = true` answers "
        "4001 (find projects with `Job = true` and read IsProject)",
        "4001 `query_validation`",
        f"{R} A3 (DOC-ENT marks IsProject read only, not filterable)",
        "assumed",
    ),
    Behaviour(
        "A project's status (Not started, In progress, On hold, Completed, Canceled) lives in "
        "QBO's Projects screen only: not on the v3 Customer, no new SyncToken, no effect on "
        "what the API accepts",
        "user action `set-project-status`",
        f"{R} A4 (the v3 Customer has no status field; the labels and the absence of rules "
        "unconfirmed)",
        "assumed",
    ),
    Behaviour(
        "ProjectRef (transaction or line; returned without `name`; filterable on Invoice, "
        "SalesReceipt and Estimate) names an existing, active Customer that is a project",
        "2500 `invalid_reference` (unknown or not a project), 610 when inactive",
        f"{R} A5 (DOC-ENT ProjectRef mv 69; the fault for a non-project assumed)",
        "assumed",
    ),
    Behaviour(
        "On a customer form the project belongs to its CustomerRef (Intuit's use case: "
        "CustomerRef the customer, ProjectRef the project) or is the CustomerRef itself; the "
        "customer's balance, aging and CustomerBalance carry the invoice; the reports' "
        "`customer` filter also matches ProjectRef",
        "6000 `business_validation` for another customer's project",
        f"{R} A5-A6 (developer.intuit.com manage-projects use cases; the fault assumed)",
        "assumed",
        "project_customer_mismatch",
    ),
    Behaviour(
        "Bundles (Item `Type: Group`, `ItemGroupDetail.ItemGroupLine[]` of ItemRef with the "
        "component's `type` and Qty, `PrintGroupedItems`) are made and changed by the QBO "
        "user (`create-bundle`); the API reads and queries them, and its create, update or "
        "deactivation of one answers 500",
        "500 `unsupported_operation` `Operation CREATE GROUP is not supported.`",
        f"{R} B1-B2 (DOC-BUNDLE operations table; the wording after PHP-SDK#70's observed "
        "`Operation CREATE CATEGORY is not supported.`)",
        "assumed",
    ),
    Behaviour(
        "A sales line `GroupLineDetail` {GroupItemRef, Quantity} is expanded into one "
        "SalesItemLineDetail part per component: Qty = component Qty × Quantity, UnitPrice the "
        "component's, Amount = Qty × UnitPrice, its Description; the group line takes the "
        "bundle's Description; sent parts are kept (and checked, 6070)",
        "`GroupLineDetail.Line` in the answer",
        f"{R} B3 (RUBY-FX invoice_with_bundle_line_item.xml; DOC-ENT: Line 'returned in "
        "responses'; the expansion rule assumed)",
        "observed",
    ),
    Behaviour(
        "Bundle parts take the next line Ids and LineNums after their group line; the group "
        "line's own Amount is 0 and the SubTotal, TotalAmt, tax and postings (each part to its "
        "item's income account) read the parts",
        "line Ids, Amount 0",
        f"{R} B4 (RUBY-FX invoice_with_bundle_line_item.xml: group Id 1 Amount 0, parts Id "
        "2, 3, SubTotal 10.61 = the parts)",
        "observed",
        "group_line_amount",
    ),
    Behaviour(
        "A group line without GroupItemRef answers 2020; one naming an item that is not a "
        "bundle 2500; a bundle without components or with a bundle among them is refused",
        "2020 `required_param`, 2500 `invalid_reference`",
        f"{R} B5 (XSD: GroupItemRef required, 'a group line cannot itself contain group "
        "lines'; the faults assumed)",
        "assumed",
    ),
]
