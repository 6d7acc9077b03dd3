"""TimeActivity rules: who worked, whether it is billable and how long (reference §2.2
6290-6390, §6 "Also relevant": NameOf + EmployeeRef/VendorRef, Hours/Minutes or Start/End).

Checked in this order on create and update (the codes' Message/Detail are Intuit's error-code
table; which condition raises which code is **assumed**, no live capture exists):

1. ``NameOf`` missing or not ``Employee``/``Vendor`` → 6300 ``time_party_name``;
2. the matching ``EmployeeRef``/``VendorRef`` missing → 2020 ``Required parameter EmployeeRef
   is missing in the request`` (element ``EmployeeRef``), as every required field;
3. the other party reference also sent → 6290 ``time_party_both``, ``Their ID is: <its id>``;
4. ``BillableStatus: HasBeenBilled`` on create → 2170 ``Invalid Enumeration:
   HAS_BEEN_BILLED`` (the reference's 2170 example, element ``BillableStatus``): only QBO sets it,
   when the time is invoiced; an update may keep it;
5. ``Billable`` without ``CustomerRef`` → 6310 ``time_customer_required``;
6. a negative ``HourlyRate`` → 6330 ``time_hourly_rate``;
7. time: ``Hours``/``Minutes`` together with ``StartTime``/``EndTime`` → 6390; neither → 6350
   (``Time (hours:minutes) is missing: Hours.``); negative hours/minutes or minutes above 59,
   or an unreadable start/end time → 6340 (the value as sent); a duration of zero or above 24
   hours → 6380 (``H:MM``); only one of start/end, or a break longer than the elapsed time →
   6360; start after end → 6370 (the start time as sent).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from qbo_sim.entities import EntitySpec
from qbo_sim.faults import QBOFault
from qbo_sim.rules.common import money, ref_value
from qbo_sim.store import Entity

if TYPE_CHECKING:
    from qbo_sim.opcontext import OpContext

#: The Java enum constant QBO names in 2170 for HasBeenBilled (§2.3 2170).
HAS_BEEN_BILLED = "HAS_BEEN_BILLED"
MAX_MINUTES = 24 * 60


def check(ctx: OpContext, spec: EntitySpec, new: Entity, old: Entity | None) -> None:
    """Raise the first TimeActivity fault of ``new`` (no-op for other entities)."""
    if not spec.name_of_refs:
        return
    _check_party(spec, new)
    _check_billing(new, creating=old is None)
    _check_time(new)


def _check_party(spec: EntitySpec, new: Entity) -> None:
    party_refs = spec.name_of_refs
    name_of = new.get("NameOf")
    if name_of not in party_refs:
        raise QBOFault("time_party_name")
    wanted = party_refs[str(name_of)]
    if ref_value(new, wanted) is None:
        raise QBOFault("required_param", name=wanted, element=wanted)
    other = next(ref for kind, ref in party_refs.items() if kind != name_of)
    other_id = ref_value(new, other)
    if other_id is not None:
        raise QBOFault("time_party_both", id=other_id)


def _check_billing(new: Entity, *, creating: bool) -> None:
    status = new.get("BillableStatus")
    if creating and status == "HasBeenBilled":
        raise QBOFault("invalid_enum", value=HAS_BEEN_BILLED, element="BillableStatus")
    if status == "Billable" and ref_value(new, "CustomerRef") is None:
        raise QBOFault("time_customer_required")
    rate = new.get("HourlyRate")
    if rate is not None and money(rate) < 0:
        raise QBOFault("time_hourly_rate", value=rate)


def _present(entity: Entity, *fields: str) -> bool:
    return any(entity.get(f) not in (None, "") for f in fields)


def _check_time(new: Entity) -> None:
    has_duration = _present(new, "Hours", "Minutes")
    has_range = _present(new, "StartTime", "EndTime")
    if has_duration and has_range:
        raise QBOFault("time_multiple_durations")
    if not has_duration and not has_range:
        raise QBOFault("time_missing", value="Hours")
    if has_duration:
        hours, minutes = int(new.get("Hours") or 0), int(new.get("Minutes") or 0)
        if hours < 0 or minutes < 0 or minutes > 59:
            raise QBOFault("time_invalid", value=f"{hours}:{minutes:02d}")
        _check_duration(hours * 60 + minutes)
        return
    if not _present(new, "StartTime") or not _present(new, "EndTime"):
        raise QBOFault("time_start_end")
    start, end = _instant(new["StartTime"]), _instant(new["EndTime"])
    if start > end:
        raise QBOFault("time_start_after_end", value=new["StartTime"])
    elapsed = int((end - start).total_seconds() // 60)
    break_minutes = int(new.get("BreakHours") or 0) * 60 + int(new.get("BreakMinutes") or 0)
    if break_minutes < 0 or break_minutes > elapsed:
        raise QBOFault("time_start_end")
    _check_duration(elapsed - break_minutes)


def _check_duration(total_minutes: int) -> None:
    if not 0 < total_minutes <= MAX_MINUTES:
        hours, minutes = divmod(total_minutes, 60)
        raise QBOFault("time_duration", value=f"{hours}:{minutes:02d}")


def _instant(value: Any) -> datetime:
    """An ``xs:dateTime`` (``2026-03-02T08:00:00-08:00``); without an offset read as UTC
    (assumed). Anything else → 6340 with the value as sent."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise QBOFault("time_invalid", value=value) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
