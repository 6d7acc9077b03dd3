from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qbo_sim.clock import Clock, epoch_millis, local_date, meta_time, response_time


def test_frozen_clock_moves_only_when_told():
    clock = Clock(frozen_at=datetime(2026, 1, 1, 12, 0, tzinfo=UTC))
    assert clock.now() == clock.now()
    clock.advance(hours=24, seconds=1)
    assert clock.now() == datetime(2026, 1, 2, 12, 0, 1, tzinfo=UTC)
    clock.sleep(59)
    assert clock.now() == datetime(2026, 1, 2, 12, 1, 0, tzinfo=UTC)


def test_clock_refuses_to_go_backwards_by_advance():
    clock = Clock(frozen_at=datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_set_accepts_iso_strings_and_naive_is_utc():
    clock = Clock()
    assert clock.set("2026-05-01T10:00:00-07:00") == datetime(2026, 5, 1, 17, tzinfo=UTC)
    assert clock.set(datetime(2026, 5, 1)).tzinfo is UTC


def test_running_clock_keeps_offset_from_advance():
    clock = Clock()
    before = clock.now()
    clock.advance(3600)
    assert (clock.now() - before).total_seconds() >= 3600


def test_formats_match_qbo():
    instant = datetime(2015, 10, 6, 15, 25, 43, 233000, tzinfo=UTC)
    assert response_time(instant, -7 * 60) == "2015-10-06T08:25:43.233-07:00"
    assert meta_time(instant, -7 * 60) == "2015-10-06T08:25:43-07:00"
    assert epoch_millis(instant) == 1444145143233
    assert str(local_date(datetime(2026, 1, 1, 5, tzinfo=UTC), -8 * 60)) == "2025-12-31"
