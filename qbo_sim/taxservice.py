"""``POST /v3/company/<realm>/taxservice/taxcode``: a tax code and its rates in one request
(docs/research/sales-tax.md §1.5), the only way TaxCode and TaxRate are created.

The body is ``{"TaxCode": <name>, "TaxRateDetails": [...]}``; each detail names an existing
rate (``TaxRateId``; ``TaxRateName`` then ignored) or a new one (``TaxRateName``,
``RateValue`` 0-100 and ``TaxAgencyId`` of an existing agency), with ``TaxApplicableOn``
``Sales`` (default) or ``Purchase``. The answer echoes the body under ``TaxService`` with
``TaxCodeId`` and every detail's ``TaxRateId`` (RateValue a number: the XSD's decimal; the
``"8%"`` of Intuit's page is taken for a doc artefact). The new code is an ordinary TaxCode:
``TaxGroup: true``, ``Taxable: true``, ``TaxCodeConfigType: USER_DEFINED``, the rates in its
``SalesTaxRateList``/``PurchaseTaxRateList`` (``TaxOnAmount``, ``TaxOrder`` 0).

Faults: a missing TaxCode, TaxRateDetails or new-rate field → 2020; a name over 100 → 2050
(the web doc's limit; the XSD says 10, but Intuit's own example rate name has 16); a rate
name in use → 6240 (captured); a code name in use → 6240 (assumed wording); an unknown rate
or agency → 2500; RateValue outside 0-100, a rate listed twice, an unknown TaxApplicableOn →
6000 (code and text assumed). A company with automated sales tax still takes the request
("Create operation exists for backward compatibility", BLOG-AST-2017); its engine overrides
the code on transactions. Everything is written in one unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from qbo_sim.entities import ref_target
from qbo_sim.faults import QBOFault, thousands
from qbo_sim.opcontext import OpContext
from qbo_sim.store import Entity

TAX_CODE = ref_target("TaxCodeRef") or ""
TAX_RATE = ref_target("TaxRateRef") or ""
TAX_AGENCY = ref_target("AgencyRef") or ""
NAME_MAX = 100
APPLICABLE = {"Sales": "SalesTaxRateList", "Purchase": "PurchaseTaxRateList"}


def new_list_entity(ctx: OpContext, type_name: str, body: dict[str, Any]) -> Entity:
    """Store a list entity the API cannot create (TaxCode, TaxRate; presets' tax setup):
    the next Id of its list, SyncToken 0, MetaData now."""
    company = ctx.company
    stamp = ctx.now_meta()
    entity = {
        **body,
        "domain": "QBO",
        "sparse": False,
        "Id": str(company.next_value(f"list:{type_name}", 1)),
        "SyncToken": "0",
        "MetaData": {"CreateTime": stamp, "LastUpdatedTime": stamp},
    }
    company.put(type_name, entity)
    return entity


def rate_detail(rate: Entity) -> dict[str, Any]:
    """A TaxCode's ``TaxRateDetail`` for a rate (Intuit's sample: named, TaxOnAmount, 0)."""
    return {
        "TaxRateRef": {"value": rate["Id"], "name": rate.get("Name")},
        "TaxTypeApplicable": "TaxOnAmount",
        "TaxOrder": 0,
    }


def new_rate(ctx: OpContext, name: str, value: Any, agency_id: str, **extra: Any) -> Entity:
    return new_list_entity(
        ctx,
        TAX_RATE,
        {
            "Name": name,
            "Description": extra.pop("Description", name),
            "Active": True,
            "RateValue": value,
            "AgencyRef": {"value": agency_id},
            "SpecialTaxType": extra.pop("SpecialTaxType", "NONE"),
            "DisplayType": "ReadOnly",
            **extra,
        },
    )


def new_code(
    ctx: OpContext,
    name: str,
    sales: Sequence[Entity],
    purchase: Sequence[Entity] = (),
    *,
    description: str | None = None,
    config: str = "USER_DEFINED",
) -> Entity:
    return new_list_entity(
        ctx,
        TAX_CODE,
        {
            "Name": name,
            "Description": description or name,
            "Active": True,
            "Hidden": False,
            "Taxable": True,
            "TaxGroup": True,
            "SalesTaxRateList": {"TaxRateDetail": [rate_detail(r) for r in sales]},
            "PurchaseTaxRateList": {"TaxRateDetail": [rate_detail(r) for r in purchase]},
            "TaxCodeConfigType": config,
        },
    )


def _name(value: Any, field: str) -> str:
    if value is None or not str(value).strip():
        raise QBOFault("required_param", name=field, element=field)
    text = str(value).strip()
    if len(text) > NAME_MAX:
        raise QBOFault("string_length", max=thousands(NAME_MAX), length=len(text), element=field)
    return text


def _rate_value(value: Any) -> Decimal:
    if value is None or value == "":
        raise QBOFault("required_param", name="RateValue", element="TaxRateDetails.RateValue")
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        number = Decimal(-1)
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        raise QBOFault(
            "tax_rate_detail_invalid",
            detail=f"RateValue must be between 0 and 100. Supplied value:{value}",
            element="TaxRateDetails.RateValue",
        )
    return number


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def create_tax_code(ctx: OpContext, body: dict[str, Any]) -> dict[str, Any]:
    """Create the code (and its new rates); the answer is the ``TaxService`` object."""
    company = ctx.company
    code_name = _name(body.get("TaxCode"), "TaxCode")
    details = body.get("TaxRateDetails")
    if not isinstance(details, list) or not details:
        raise QBOFault("required_param", name="TaxRateDetails", element="TaxRateDetails")
    if company.find(TAX_CODE, "Name", code_name):
        raise QBOFault("duplicate_tax_code", element="TaxCode")
    planned: list[tuple[dict[str, Any], str]] = []
    seen: set[str] = set()
    for detail in details:
        if not isinstance(detail, dict):
            raise QBOFault("malformed_json")
        applies = str(detail.get("TaxApplicableOn") or "Sales")
        if applies not in APPLICABLE:
            raise QBOFault(
                "tax_rate_detail_invalid",
                detail=f"TaxApplicableOn must be Sales or Purchase. Supplied value:{applies}",
                element="TaxRateDetails.TaxApplicableOn",
            )
        rate_id = detail.get("TaxRateId")
        if rate_id not in (None, ""):
            if company.get(TAX_RATE, str(rate_id)) is None:
                raise QBOFault("invalid_reference", element="TaxRateDetails.TaxRateId")
            key = f"id:{rate_id}"
        else:
            rate_name = _name(detail.get("TaxRateName"), "TaxRateName")
            _rate_value(detail.get("RateValue"))
            agency = detail.get("TaxAgencyId")
            if agency in (None, ""):
                raise QBOFault(
                    "required_param", name="TaxAgencyId", element="TaxRateDetails.TaxAgencyId"
                )
            if company.get(TAX_AGENCY, str(agency)) is None:
                raise QBOFault("invalid_reference", element="TaxRateDetails.TaxAgencyId")
            if company.find(TAX_RATE, "Name", rate_name):
                raise QBOFault("duplicate_tax_rate", element="")
            key = f"name:{rate_name.lower()}"
        if key in seen:
            raise QBOFault(
                "tax_rate_detail_invalid",
                detail="A tax rate may be listed only once in a request.",
                element="TaxRateDetails",
            )
        seen.add(key)
        planned.append((detail, applies))
    with company.unit_of_work():
        lists: dict[str, list[Entity]] = {"Sales": [], "Purchase": []}
        answered = []
        for detail, applies in planned:
            rate_id = detail.get("TaxRateId")
            if rate_id not in (None, ""):
                rate = company.get(TAX_RATE, str(rate_id)) or {}
            else:
                value = _number(_rate_value(detail.get("RateValue")))
                rate = new_rate(
                    ctx, str(detail["TaxRateName"]).strip(), value, str(detail["TaxAgencyId"])
                )
            lists[applies].append(rate)
            answered.append(
                {
                    "TaxRateName": rate.get("Name"),
                    "TaxRateId": rate["Id"],
                    "RateValue": rate.get("RateValue"),
                    "TaxAgencyId": (rate.get("AgencyRef") or {}).get("value"),
                    "TaxApplicableOn": applies,
                }
            )
        code = new_code(ctx, code_name, lists["Sales"], lists["Purchase"])
    return {"TaxCode": code_name, "TaxCodeId": code["Id"], "TaxRateDetails": answered}
