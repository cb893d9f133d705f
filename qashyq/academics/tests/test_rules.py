"""Pure rules of the academic structure: no database."""

from dataclasses import dataclass
from datetime import date

import pytest

from qashyq.academics.data import EventKind, Level
from qashyq.academics.rules import (
    PeriodTotal,
    Span,
    YearTotal,
    calendar_problems,
    curriculum_summary,
    period_problems,
    programme_code_problem,
)


@dataclass
class Line:
    period_number: int
    credits: int


# --- Programme codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("6B01101", Level.BACHELOR),
        ("7M01101", Level.MASTER),
        ("8D01101", Level.DOCTORATE),
        ("0101000", Level.TVET),
        ("01140100", Level.TVET),
        ("0101000", Level.POST_SECONDARY),
    ],
)
def test_good_programme_codes(code, level):
    assert programme_code_problem(code, level) is None


@pytest.mark.parametrize(
    ("code", "level", "message"),
    [
        ("7M01101", Level.BACHELOR, "A bachelor's programme code is 6B and five digits, e.g. 6B01101 (Latin B)."),
        ("6В01101", Level.BACHELOR, "A bachelor's programme code is 6B and five digits, e.g. 6B01101 (Latin B)."),
        ("6B0110", Level.BACHELOR, "A bachelor's programme code is 6B and five digits, e.g. 6B01101 (Latin B)."),
        ("6B01101", Level.MASTER, "A master's programme code is 7M and five digits, e.g. 7M01101 (Latin M)."),
        ("8D011011", Level.DOCTORATE, "A doctoral programme code is 8D and five digits, e.g. 8D01101 (Latin D)."),
        ("6B01101", Level.TVET, "A TVET or post-secondary specialty code has 7 or 8 digits, e.g. 0101000."),
        ("010100", Level.TVET, "A TVET or post-secondary specialty code has 7 or 8 digits, e.g. 0101000."),
        ("6B01101", "", "Choose the level of the programme."),
    ],
)
def test_bad_programme_codes(code, level, message):
    assert programme_code_problem(code, level) == message


# --- Curriculum summary --------------------------------------------------------------------------


def test_curriculum_summary_totals_by_period_and_year():
    entries = [Line(1, 5), Line(1, 5), Line(1, 20), Line(2, 30), Line(3, 28), Line(4, 32)]
    summary = curriculum_summary(entries, periods=4)
    assert summary.periods == (
        PeriodTotal(number=1, year=1, credits=30, disciplines=3),
        PeriodTotal(number=2, year=1, credits=30, disciplines=1),
        PeriodTotal(number=3, year=2, credits=28, disciplines=1),
        PeriodTotal(number=4, year=2, credits=32, disciplines=1),
    )
    assert summary.years == (
        YearTotal(number=1, credits=60, periods=(1, 2)),
        YearTotal(number=2, credits=60, periods=(3, 4)),
    )
    assert summary.total_credits == 120
    assert summary.empty_periods == ()
    assert summary.warnings == []


def test_curriculum_summary_flags_empty_periods():
    summary = curriculum_summary([Line(1, 5), Line(3, 6)], periods=4)
    assert summary.empty_periods == (2, 4)
    assert [p.empty for p in summary.periods] == [False, True, False, True]
    assert summary.years == (YearTotal(1, 5, (1, 2)), YearTotal(2, 6, (3, 4)))
    assert summary.warnings == ["Academic period 2 has no disciplines.", "Academic period 4 has no disciplines."]


def test_curriculum_summary_of_an_empty_curriculum():
    summary = curriculum_summary([], periods=3)
    assert summary.empty_periods == (1, 2, 3)
    assert summary.total_credits == 0
    assert summary.years == (YearTotal(1, 0, (1, 2)), YearTotal(2, 0, (3,)))


def test_curriculum_summary_with_trimesters():
    summary = curriculum_summary([Line(n, 20) for n in range(1, 7)], periods=6, periods_per_year=3)
    assert summary.years == (YearTotal(1, 60, (1, 2, 3)), YearTotal(2, 60, (4, 5, 6)))


def test_curriculum_summary_flags_periods_beyond_the_programme():
    summary = curriculum_summary([Line(1, 5), Line(2, 5), Line(9, 5)], periods=2)
    assert summary.outside_periods == (9,)
    assert summary.total_credits == 15
    assert summary.warnings == ["Academic period 9 is beyond the programme's 2 periods."]


def test_curriculum_summary_needs_positive_periods():
    with pytest.raises(ValueError, match="must be positive"):
        curriculum_summary([], periods=0)


# --- Academic calendar ---------------------------------------------------------------------------

YEAR = {"year_start": date(2026, 9, 1), "year_end": date(2027, 8, 31)}
CLASSES_1 = Span(EventKind.CLASSES, date(2026, 9, 1), date(2026, 12, 19))
RK1 = Span(EventKind.MIDTERM_1, date(2026, 10, 19), date(2026, 10, 24))
RK2 = Span(EventKind.MIDTERM_2, date(2026, 12, 14), date(2026, 12, 19))
SESSION = Span(EventKind.ATTESTATION, date(2026, 12, 21), date(2027, 1, 16))
WINTER = Span(EventKind.HOLIDAYS, date(2027, 1, 17), date(2027, 2, 1))
CLASSES_2 = Span(EventKind.CLASSES, date(2027, 2, 2), date(2027, 5, 22))
PRACTICE = Span(EventKind.PRACTICE, date(2027, 6, 14), date(2027, 7, 4))
SUMMER = Span(EventKind.HOLIDAYS, date(2027, 7, 5), date(2027, 8, 31))
SOUND = [CLASSES_1, RK1, RK2, SESSION, WINTER, CLASSES_2, PRACTICE, SUMMER]


def test_a_sound_calendar_has_no_problems():
    assert calendar_problems(events=SOUND, **YEAR) == []


def test_event_outside_the_year():
    late = Span(EventKind.HOLIDAYS, date(2027, 8, 1), date(2027, 9, 5))
    assert calendar_problems(events=[late], **YEAR) == [
        "Holidays 01.08.2027–05.09.2027 lies outside the academic year (01.09.2026–31.08.2027)."
    ]


def test_blocks_never_overlap():
    practice = Span(EventKind.PRACTICE, date(2027, 1, 10), date(2027, 1, 20))
    assert calendar_problems(events=[SESSION, WINTER, practice], **YEAR) == [
        "Intermediate attestation (exam session) 21.12.2026–16.01.2027 overlaps "
        "Professional practice 10.01.2027–20.01.2027.",
        "Professional practice 10.01.2027–20.01.2027 overlaps Holidays 17.01.2027–01.02.2027.",
    ]


def test_two_events_of_the_same_kind_do_not_overlap():
    again = Span(EventKind.CLASSES, date(2026, 12, 1), date(2026, 12, 30))
    assert calendar_problems(events=[CLASSES_1, again], **YEAR) == [
        "Classes 01.09.2026–19.12.2026 overlaps Classes 01.12.2026–30.12.2026."
    ]


def test_touching_on_a_shared_day_is_an_overlap():
    holidays = Span(EventKind.HOLIDAYS, date(2026, 12, 19), date(2026, 12, 20))
    assert len(calendar_problems(events=[CLASSES_1, holidays], **YEAR)) == 1


def test_midterm_weeks_lie_inside_classes():
    rk_in_session = Span(EventKind.MIDTERM_2, date(2026, 12, 28), date(2027, 1, 2))
    assert calendar_problems(events=[CLASSES_1, SESSION, rk_in_session], **YEAR) == [
        "Midterm control 2 (RK2) 28.12.2026–02.01.2027 must lie inside a period of classes."
    ]
    straddling = Span(EventKind.MIDTERM_1, date(2026, 12, 15), date(2026, 12, 22))
    assert calendar_problems(events=[CLASSES_1, straddling], **YEAR) == [
        "Midterm control 1 (RK1) 15.12.2026–22.12.2026 must lie inside a period of classes."
    ]


def test_midterms_may_overlap_classes_but_not_each_other():
    rk2_early = Span(EventKind.MIDTERM_2, date(2026, 10, 24), date(2026, 10, 30))
    assert calendar_problems(events=[CLASSES_1, RK1, rk2_early], **YEAR) == [
        "Midterm control 1 (RK1) 19.10.2026–24.10.2026 overlaps Midterm control 2 (RK2) 24.10.2026–30.10.2026."
    ]


def test_event_ending_before_it_starts():
    backwards = Span(EventKind.HOLIDAYS, date(2027, 2, 1), date(2027, 1, 17))
    assert calendar_problems(events=[backwards], **YEAR) == ["Holidays 01.02.2027–17.01.2027 ends before it starts."]


def test_periods_of_a_year():
    first = (1, Span("semester", date(2026, 9, 1), date(2027, 1, 16)))
    second = (2, Span("semester", date(2027, 2, 2), date(2027, 6, 30)))
    assert period_problems(periods=[first, second], **YEAR) == []
    overlapping = (2, Span("semester", date(2027, 1, 10), date(2027, 6, 30)))
    assert period_problems(periods=[first, overlapping], **YEAR) == [
        "Academic period 1 (01.09.2026–16.01.2027) overlaps Academic period 2 (10.01.2027–30.06.2027)."
    ]
    outside = (3, Span("semester", date(2027, 7, 1), date(2027, 9, 30)))
    assert period_problems(periods=[first, outside], **YEAR) == [
        "Academic period 3 (01.07.2027–30.09.2027) lies outside the academic year (01.09.2026–31.08.2027)."
    ]
    trimester = (2, Span("trimester", date(2027, 2, 2), date(2027, 4, 30)))
    assert period_problems(periods=[first, trimester], **YEAR) == [
        "The periods of one academic year are all semesters or all trimesters."
    ]
