"""Pure rules of the academic structure: programme codes, curriculum totals, calendars. No database here."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Protocol

from django.utils.translation import gettext as _

from qashyq.academics.data import EventKind, Level

# --- Programme codes ------------------------------------------------------------------------------

# Higher and postgraduate education: the level digit and letter, then the field/direction/number digits
# (6B01101, 7M01101, 8D01101). TVET and post-secondary: the classifier's specialty code (0101000, 01140100).
PROGRAMME_CODE_PATTERNS: dict[str, re.Pattern[str]] = {
    Level.BACHELOR: re.compile(r"6B\d{5}"),
    Level.MASTER: re.compile(r"7M\d{5}"),
    Level.DOCTORATE: re.compile(r"8D\d{5}"),
    Level.TVET: re.compile(r"\d{7,8}"),
    Level.POST_SECONDARY: re.compile(r"\d{7,8}"),
}


def programme_code_problem(code: str, level: str) -> str | None:
    """Why `code` is not a programme code of `level`, or None when it is."""
    pattern = PROGRAMME_CODE_PATTERNS.get(level)
    if pattern is None:
        return _("Choose the level of the programme.")
    if pattern.fullmatch(code):
        return None
    examples: dict[str, str] = {
        Level.BACHELOR: _("A bachelor's programme code is 6B and five digits, e.g. 6B01101 (Latin B)."),
        Level.MASTER: _("A master's programme code is 7M and five digits, e.g. 7M01101 (Latin M)."),
        Level.DOCTORATE: _("A doctoral programme code is 8D and five digits, e.g. 8D01101 (Latin D)."),
    }
    return str(examples.get(level, _("A TVET or post-secondary specialty code has 7 or 8 digits, e.g. 0101000.")))


# --- Curriculum ----------------------------------------------------------------------------------


class CurriculumLine(Protocol):
    @property
    def period_number(self) -> int: ...

    @property
    def credits(self) -> int: ...


@dataclass(frozen=True)
class PeriodTotal:
    number: int
    year: int  # the year of study the period belongs to
    credits: int
    disciplines: int

    @property
    def empty(self) -> bool:
        return self.disciplines == 0


@dataclass(frozen=True)
class YearTotal:
    number: int
    credits: int
    periods: tuple[int, ...]


@dataclass(frozen=True)
class CurriculumSummary:
    periods: tuple[PeriodTotal, ...]
    years: tuple[YearTotal, ...]
    total_credits: int
    empty_periods: tuple[int, ...]
    outside_periods: tuple[int, ...]  # periods with disciplines beyond the programme's last period

    @property
    def warnings(self) -> list[str]:
        found = [_("Academic period %(number)s has no disciplines.") % {"number": n} for n in self.empty_periods]
        found += [
            _("Academic period %(number)s is beyond the programme's %(periods)s periods.")
            % {"number": n, "periods": len(self.periods)}
            for n in self.outside_periods
        ]
        return found


def curriculum_summary(entries: Iterable[CurriculumLine], periods: int, periods_per_year: int = 2) -> CurriculumSummary:
    """Credits and disciplines per academic period and per year of study; periods without disciplines flagged.

    `periods` is the programme's number of academic periods, `periods_per_year` 2 for semesters, 3 for trimesters.
    """
    if periods < 1 or periods_per_year < 1:
        raise ValueError("periods and periods_per_year must be positive")
    credits: dict[int, int] = {}
    counts: dict[int, int] = {}
    for entry in entries:
        credits[entry.period_number] = credits.get(entry.period_number, 0) + entry.credits
        counts[entry.period_number] = counts.get(entry.period_number, 0) + 1
    period_totals = tuple(
        PeriodTotal(
            number=n,
            year=(n - 1) // periods_per_year + 1,
            credits=credits.get(n, 0),
            disciplines=counts.get(n, 0),
        )
        for n in range(1, periods + 1)
    )
    years: dict[int, list[PeriodTotal]] = {}
    for total in period_totals:
        years.setdefault(total.year, []).append(total)
    year_totals = tuple(
        YearTotal(number=y, credits=sum(p.credits for p in ps), periods=tuple(p.number for p in ps))
        for y, ps in sorted(years.items())
    )
    return CurriculumSummary(
        periods=period_totals,
        years=year_totals,
        total_credits=sum(credits.values()),
        empty_periods=tuple(p.number for p in period_totals if p.empty),
        outside_periods=tuple(sorted(n for n in credits if not 1 <= n <= periods)),
    )


# --- Academic calendar ---------------------------------------------------------------------------

# These never overlap one another (nor another of the same kind); midterm weeks lie inside classes.
BLOCK_KINDS = frozenset({EventKind.CLASSES, EventKind.ATTESTATION, EventKind.PRACTICE, EventKind.HOLIDAYS})
MIDTERM_KINDS = frozenset({EventKind.MIDTERM_1, EventKind.MIDTERM_2})


def _day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


@dataclass(frozen=True)
class Span:
    """A dated event (or academic period) as the rules see it."""

    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        names = dict(EventKind.choices)
        name = names.get(self.kind, self.kind)
        return f"{name} {_day(self.start)}–{_day(self.end)}"

    def overlaps(self, other: "Span") -> bool:
        return self.start <= other.end and other.start <= self.end

    def inside(self, other: "Span") -> bool:
        return other.start <= self.start and self.end <= other.end


def calendar_problems(*, year_start: date, year_end: date, events: Sequence[Span]) -> list[str]:
    """Everything wrong with a calendar's events: each one names the event(s). Empty when the calendar is sound."""
    problems: list[str] = []
    year = _("%(start)s–%(end)s") % {"start": _day(year_start), "end": _day(year_end)}
    for event in events:
        if event.end < event.start:
            problems.append(_("%(event)s ends before it starts.") % {"event": event.label})
        elif event.start < year_start or event.end > year_end:
            problems.append(
                _("%(event)s lies outside the academic year (%(year)s).") % {"event": event.label, "year": year}
            )
    blocks = sorted((e for e in events if e.kind in BLOCK_KINDS), key=lambda e: (e.start, e.end))
    for first, second in combinations(blocks, 2):
        if first.overlaps(second):
            problems.append(_("%(first)s overlaps %(second)s.") % {"first": first.label, "second": second.label})
    classes = [e for e in blocks if e.kind == EventKind.CLASSES]
    midterms = sorted((e for e in events if e.kind in MIDTERM_KINDS), key=lambda e: (e.start, e.end))
    for midterm in midterms:
        if not any(midterm.inside(c) for c in classes):
            problems.append(_("%(event)s must lie inside a period of classes.") % {"event": midterm.label})
    for first, second in combinations(midterms, 2):
        if first.overlaps(second):
            problems.append(_("%(first)s overlaps %(second)s.") % {"first": first.label, "second": second.label})
    return problems


def period_problems(*, year_start: date, year_end: date, periods: Sequence[tuple[int, Span]]) -> list[str]:
    """Academic periods (number, span) of one year: inside the year, not overlapping, all of one kind."""
    problems: list[str] = []
    year = _("%(start)s–%(end)s") % {"start": _day(year_start), "end": _day(year_end)}

    def name(number: int, span: Span) -> str:
        return _("Academic period %(number)s (%(start)s–%(end)s)") % {
            "number": number,
            "start": _day(span.start),
            "end": _day(span.end),
        }

    for number, span in periods:
        if span.end < span.start:
            problems.append(_("%(period)s ends before it starts.") % {"period": name(number, span)})
        elif span.start < year_start or span.end > year_end:
            problems.append(
                _("%(period)s lies outside the academic year (%(year)s).")
                % {"period": name(number, span), "year": year}
            )
    for (n1, s1), (n2, s2) in combinations(sorted(periods, key=lambda p: p[1].start), 2):
        if s1.overlaps(s2):
            problems.append(_("%(first)s overlaps %(second)s.") % {"first": name(n1, s1), "second": name(n2, s2)})
    if len({span.kind for _n, span in periods}) > 1:
        problems.append(_("The periods of one academic year are all semesters or all trimesters."))
    return problems
