"""The one clock of the simulator.

Every timestamp (``time`` in responses, ``MetaData``), every expiry (OAuth tokens, requestid
memory) and every window (throttling, outages, injected latency) reads ``Clock.now()``.
By default the clock follows real time; tests and scenarios freeze it and move it by hand
(``advance`` / ``set``), so nothing in qbo-sim ever needs to sleep.

Formatting follows the reference (``shared/qbo-reference.md`` §1.1, §5.2): the response
``time`` carries milliseconds and the company's UTC offset; ``MetaData`` times carry no
milliseconds.
"""

from __future__ import annotations

import math
import threading
import time as _time
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

#: The years the clock may show (assumed: QBO's own dates run from 1900; near ``datetime``'s
#: limits, company offsets and durations overflow). ``set`` and ``advance`` refuse others.
MIN_YEAR = 1900
MAX_YEAR = 9000

#: Pacific time, the offset QBO's servers stamp (observed ``-07:00`` / ``-08:00``).
#: A fixed offset keeps output deterministic; companies may choose another.
DEFAULT_UTC_OFFSET_MINUTES = -8 * 60
_LONGEST = timedelta(days=366 * (MAX_YEAR - MIN_YEAR + 1))


class Clock:
    """An injectable clock: real time plus an offset, or frozen at a chosen instant.

    ``Clock()`` follows real time. ``Clock(frozen_at=...)`` stands still until ``advance`` or
    ``set`` moves it. ``sleep`` never blocks a frozen clock: it advances it.
    """

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._frozen: datetime | None = _aware(frozen_at) if frozen_at else None
        self._offset = timedelta(0)

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def now(self) -> datetime:
        """The current simulated instant, timezone-aware (UTC)."""
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return datetime.now(UTC) + self._offset

    def timestamp(self) -> float:
        return self.now().timestamp()

    def advance(self, seconds: float = 0.0, **kwargs: float) -> datetime:
        """Move the clock forward (``advance(60)`` or ``advance(hours=24)``); ValueError for
        a step that is not a finite, non-negative duration or that leaves the years
        :data:`MIN_YEAR`..:data:`MAX_YEAR`."""
        delta = duration(seconds=seconds, **kwargs)
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward; use set() to go back")
        with self._lock:
            if self._frozen is not None:
                self._frozen = check_instant(self._frozen, delta)
                return self._frozen
            now = datetime.now(UTC)
            check_instant(now + self._offset, delta)
            self._offset += delta
            return now + self._offset

    def advance_to(self, instant: datetime) -> datetime:
        """Move the clock forward to ``instant`` if it is earlier; never back."""
        target = _aware(instant)
        with self._lock:
            if self._frozen is not None:
                self._frozen = max(self._frozen, target)
                return self._frozen
            now = datetime.now(UTC) + self._offset
            if target > now:
                self._offset += target - now
                return target
            return now

    def set(self, instant: datetime | str) -> datetime:
        """Freeze the clock at ``instant`` (a datetime or an ISO-8601 string)."""
        value = datetime.fromisoformat(instant) if isinstance(instant, str) else instant
        value = check_instant(_aware(value))
        with self._lock:
            self._frozen = value
            return self._frozen

    def freeze(self) -> datetime:
        """Stop the clock where it is now."""
        return self.set(self.now())

    def unfreeze(self) -> None:
        """Follow real time again (keeping any offset accumulated while running)."""
        with self._lock:
            self._frozen = None

    def sleep(self, seconds: float) -> None:
        """Wait: a frozen clock advances instantly, a running one really sleeps."""
        if self.frozen:
            self.advance(seconds)
        else:
            _time.sleep(seconds)


def duration(**parts: float) -> timedelta:
    """``timedelta(**parts)``, or ValueError when a part is not a finite number or the sum
    is too big for any instant the clock may show."""
    for name, value in parts.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{name} must be a number, not {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, not {value!r}")
    try:
        delta = timedelta(**parts)
    except OverflowError:
        raise ValueError(f"duration too long: {parts}") from None
    if abs(delta) > _LONGEST:
        raise ValueError(f"duration too long: {parts}; the clock spans {MIN_YEAR}..{MAX_YEAR}")
    return delta


def check_instant(instant: datetime, delta: timedelta = timedelta(0)) -> datetime:
    """``instant + delta``, or ValueError when it falls outside the years :data:`MIN_YEAR`..
    :data:`MAX_YEAR` (UTC)."""
    span = f"the clock shows the years {MIN_YEAR}..{MAX_YEAR} only"
    try:
        moved = _aware(instant) + delta
        year = moved.astimezone(UTC).year
    except OverflowError:
        raise ValueError(span) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{span}, not {moved.isoformat()}")
    return moved


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@lru_cache(maxsize=256)  # every answer's time and stamp asks: a company has one offset
def company_tz(offset_minutes: int = DEFAULT_UTC_OFFSET_MINUTES) -> timezone:
    return timezone(timedelta(minutes=offset_minutes))


def response_time(instant: datetime, offset_minutes: int = DEFAULT_UTC_OFFSET_MINUTES) -> str:
    """``time`` of a response envelope: ``2015-10-06T08:25:43.233-07:00``."""
    local = instant.astimezone(company_tz(offset_minutes))
    return local.isoformat(timespec="milliseconds")


def meta_time(instant: datetime, offset_minutes: int = DEFAULT_UTC_OFFSET_MINUTES) -> str:
    """``MetaData`` timestamps: ``2015-07-23T10:58:12-07:00`` (no milliseconds)."""
    return instant.astimezone(company_tz(offset_minutes)).isoformat(timespec="seconds")


def not_before(stamp: str, *earlier: str | None) -> str:
    """``stamp``, or the latest of ``earlier`` when that is later: a record's
    ``LastUpdatedTime`` never falls before its ``CreateTime`` or its previous
    ``LastUpdatedTime``, even after the clock was set back (assumed; QBO's clock does not go
    back). Unreadable earlier stamps are ignored."""
    latest, latest_at = stamp, datetime.fromisoformat(stamp)
    for other in earlier:
        if not other:
            continue
        try:
            other_at = datetime.fromisoformat(other)
        except (TypeError, ValueError):
            continue
        if other_at.tzinfo is not None and other_at > latest_at:
            latest, latest_at = other, other_at
    return latest


def local_date(instant: datetime, offset_minutes: int = DEFAULT_UTC_OFFSET_MINUTES) -> date:
    """The company's calendar date at ``instant`` (TxnDate defaults)."""
    return instant.astimezone(company_tz(offset_minutes)).date()


def epoch_millis(instant: datetime) -> int:
    """``time`` of the lower-case gateway envelope (epoch milliseconds, §1.3)."""
    return int(instant.timestamp() * 1000)
