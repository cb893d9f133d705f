"""When a student may take a test and until when: the window with a student's accommodations, the deadline of
an attempt. Pure: no database.

- An accommodation's own opening/closing time replaces the test's (each on its own).
- Extra time lengthens the time limit by that percentage (rounded up to whole seconds); extra attempts are
  added to the attempts allowed (0 stays "unlimited").
- An attempt's deadline is the start plus the time limit, never past the closing time; with neither, None.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Window:
    opens_at: datetime | None
    closes_at: datetime | None
    time_limit: timedelta | None  # None: no limit
    attempts_allowed: int  # 0: unlimited

    def state(self, now: datetime) -> str:
        """ "not_open", "open" or "closed" at `now`."""
        if self.opens_at is not None and now < self.opens_at:
            return "not_open"
        if self.closes_at is not None and now >= self.closes_at:
            return "closed"
        return "open"

    def attempts_left(self, used: int) -> int | None:
        """How many more attempts may start (None: unlimited)."""
        if self.attempts_allowed == 0:
            return None
        return max(0, self.attempts_allowed - used)


def effective_window(
    *,
    opens_at: datetime | None,
    closes_at: datetime | None,
    time_limit_minutes: int,
    attempts_allowed: int,
    extra_time_percent: int = 0,
    extra_attempts: int = 0,
    acc_opens_at: datetime | None = None,
    acc_closes_at: datetime | None = None,
) -> Window:
    """The test's window for one student, with their accommodation's extra time, attempts and dates."""
    limit: timedelta | None = None
    if time_limit_minutes > 0:
        seconds = math.ceil(time_limit_minutes * 60 * (100 + max(0, extra_time_percent)) / 100)
        limit = timedelta(seconds=seconds)
    allowed = 0 if attempts_allowed == 0 else attempts_allowed + max(0, extra_attempts)
    return Window(
        opens_at=acc_opens_at if acc_opens_at is not None else opens_at,
        closes_at=acc_closes_at if acc_closes_at is not None else closes_at,
        time_limit=limit,
        attempts_allowed=allowed,
    )


def deadline_for(window: Window, started_at: datetime) -> datetime | None:
    """When an attempt started at `started_at` must end: the time limit, never past the closing time."""
    candidates = []
    if window.time_limit is not None:
        candidates.append(started_at + window.time_limit)
    if window.closes_at is not None:
        candidates.append(window.closes_at)
    return min(candidates) if candidates else None


def hard_deadline_for(deadline: datetime | None, grace_seconds: int) -> datetime | None:
    """After this, saves are refused and the attempt is closed: the deadline plus the grace period."""
    return deadline + timedelta(seconds=max(0, grace_seconds)) if deadline is not None else None
