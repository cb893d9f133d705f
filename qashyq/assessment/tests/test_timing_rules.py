"""rules/timing.py: the window with accommodations and the deadline of an attempt (no database)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from qashyq.assessment.rules.timing import Window, deadline_for, effective_window, hard_deadline_for

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_without_accommodation_the_window_is_the_tests():
    window = effective_window(opens_at=T0, closes_at=T0 + timedelta(hours=2), time_limit_minutes=40, attempts_allowed=2)
    assert window == Window(T0, T0 + timedelta(hours=2), timedelta(minutes=40), 2)
    assert window.state(T0 - timedelta(seconds=1)) == "not_open"
    assert window.state(T0) == "open"
    assert window.state(T0 + timedelta(hours=2)) == "closed"
    assert window.attempts_left(1) == 1
    assert window.attempts_left(5) == 0


def test_accommodation_adds_time_attempts_and_its_own_dates():
    window = effective_window(
        opens_at=T0,
        closes_at=T0 + timedelta(hours=2),
        time_limit_minutes=45,
        attempts_allowed=1,
        extra_time_percent=50,
        extra_attempts=2,
        acc_closes_at=T0 + timedelta(days=1),
    )
    assert window.time_limit == timedelta(minutes=67, seconds=30)
    assert window.attempts_allowed == 3
    assert window.opens_at == T0
    assert window.closes_at == T0 + timedelta(days=1)


def test_unlimited_stays_unlimited():
    window = effective_window(opens_at=None, closes_at=None, time_limit_minutes=0, attempts_allowed=0, extra_attempts=3)
    assert window.time_limit is None
    assert window.attempts_allowed == 0
    assert window.attempts_left(99) is None
    assert window.state(T0) == "open"
    assert deadline_for(window, T0) is None
    assert hard_deadline_for(None, 60) is None


def test_the_deadline_is_the_time_limit_but_never_past_the_closing_time():
    window = effective_window(opens_at=T0, closes_at=T0 + timedelta(hours=1), time_limit_minutes=40, attempts_allowed=1)
    assert deadline_for(window, T0) == T0 + timedelta(minutes=40)
    assert deadline_for(window, T0 + timedelta(minutes=50)) == T0 + timedelta(hours=1)
    assert hard_deadline_for(T0, 90) == T0 + timedelta(seconds=90)


@given(
    limit=st.integers(min_value=0, max_value=600),
    extra=st.integers(min_value=0, max_value=200),
    started=st.integers(min_value=0, max_value=10_000),
    closes=st.one_of(st.none(), st.integers(min_value=0, max_value=10_000)),
)
def test_the_deadline_never_passes_the_closing_time_nor_precedes_the_start(limit, extra, started, closes):
    closes_at = T0 + timedelta(minutes=closes) if closes is not None else None
    window = effective_window(
        opens_at=T0, closes_at=closes_at, time_limit_minutes=limit, attempts_allowed=1, extra_time_percent=extra
    )
    start = T0 + timedelta(minutes=started)
    deadline = deadline_for(window, start)
    if closes_at is not None:
        assert deadline is not None
        assert deadline <= closes_at
    if limit:
        assert deadline is not None
        assert deadline <= start + timedelta(minutes=limit * (100 + extra) / 100 + 1)
        if closes_at is None or closes_at >= start:
            assert deadline >= start
