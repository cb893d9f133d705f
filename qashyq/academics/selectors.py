"""Reads of the academic structure; each decides its joins so that a page costs a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from qashyq.academics import rules
from qashyq.academics.models import (
    AcademicCalendar,
    AcademicPeriod,
    AcademicYear,
    CalendarEvent,
    CurriculumEntry,
    Discipline,
    Programme,
    StudyGroup,
    TeachingAssignment,
)


def programme_list(*, level: str = "", form: str = "", language: str = "") -> QuerySet[Programme]:
    return programme_filter(Programme.objects.order_by("code"), level=level, form=form, language=language)


def programme_filter(
    programmes: QuerySet[Programme], *, level: str = "", form: str = "", language: str = ""
) -> QuerySet[Programme]:
    if level:
        programmes = programmes.filter(level=level)
    # The lists are JSON arrays of codes: matching the quoted code works on PostgreSQL and SQLite alike.
    if form:
        programmes = programmes.filter(forms_offered__icontains=f'"{form}"')
    if language:
        programmes = programmes.filter(languages__icontains=f'"{language}"')
    return programmes


def curriculum_of(*, programme: Programme) -> list[CurriculumEntry]:
    return list(programme.curriculum.select_related("discipline").order_by("period_number", "discipline__code", "pk"))


@dataclass
class CurriculumPeriod:
    total: rules.PeriodTotal
    entries: list[CurriculumEntry]


@dataclass
class Curriculum:
    summary: rules.CurriculumSummary
    periods: list[CurriculumPeriod]
    outside: list[CurriculumEntry]


def curriculum_get(*, programme: Programme) -> Curriculum:
    """The curriculum by academic period with its totals (one query)."""
    entries = curriculum_of(programme=programme)
    summary = rules.curriculum_summary(entries, programme.periods)
    by_period: dict[int, list[CurriculumEntry]] = {}
    for entry in entries:
        by_period.setdefault(entry.period_number, []).append(entry)
    return Curriculum(
        summary=summary,
        periods=[CurriculumPeriod(total=t, entries=by_period.get(t.number, [])) for t in summary.periods],
        outside=[e for e in entries if not 1 <= e.period_number <= programme.periods],
    )


def discipline_list(*, search: str = "") -> QuerySet[Discipline]:
    disciplines = Discipline.objects.order_by("code")
    if search:
        disciplines = disciplines.filter(
            Q(code__icontains=search)
            | Q(name_kk__icontains=search)
            | Q(name_ru__icontains=search)
            | Q(name_en__icontains=search)
        )
    return disciplines


def year_list(*, include_drafts: bool) -> list[AcademicYear]:
    """Years with their periods and calendars (drafts only for those who may see them): three queries."""
    calendars = AcademicCalendar.objects.order_by("level")
    if not include_drafts:
        calendars = calendars.filter(approved_on__isnull=False)
    return list(
        AcademicYear.objects.order_by("-start_date").prefetch_related(
            Prefetch("periods", queryset=AcademicPeriod.objects.order_by("number")),
            Prefetch("calendars", queryset=calendars),
        )
    )


def calendar_events(*, calendar: AcademicCalendar) -> list[CalendarEvent]:
    return list(calendar.events.select_related("period").order_by("start_date", "end_date", "pk"))


def calendar_in_effect(*, year: AcademicYear, level: str) -> AcademicCalendar | None:
    """The calendar of a year and level once the academic council has approved it; None before."""
    return AcademicCalendar.objects.filter(year=year, level=level, approved_on__isnull=False).first()


def group_list(*, programme_id: int | None = None, form: str = "", level: str = "") -> QuerySet[StudyGroup]:
    groups = StudyGroup.objects.select_related("programme").order_by("code")
    if programme_id:
        groups = groups.filter(programme_id=programme_id)
    if form:
        groups = groups.filter(form_of_study=form)
    if level:
        groups = groups.filter(programme__level=level)
    return groups


def assignment_list(*, user_id: int | None = None) -> QuerySet[TeachingAssignment]:
    assignments = TeachingAssignment.objects.select_related("user", "discipline", "group").order_by(
        "discipline__code", "group__code", "user__last_name", "pk"
    )
    if user_id:
        assignments = assignments.filter(user_id=user_id)
    return assignments


def groups_taught_by(*, user_id: int) -> frozenset[int]:
    """Ids of the groups a teacher or tutor serves: their own groups, and for an assignment without a group,
    every group whose programme's curriculum holds the discipline (one query)."""
    own = TeachingAssignment.objects.filter(user_id=user_id, group__isnull=False).values("group_id")
    everywhere = TeachingAssignment.objects.filter(user_id=user_id, group__isnull=True).values("discipline_id")
    ids = (
        StudyGroup.objects.filter(Q(pk__in=own) | Q(programme__curriculum__discipline_id__in=everywhere))
        .values_list("pk", flat=True)
        .distinct()
    )
    return frozenset(ids)
