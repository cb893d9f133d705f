"""What other apps may use of the academic structure: groups, programmes, and who teaches which groups."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q

from qashyq.academics.data import (
    CalendarEventData,
    CurriculumLineData,
    DisciplineData,
    GroupData,
    PeriodData,
    ProgrammeData,
    TeachingData,
    YearData,
)
from qashyq.academics.models import (
    AcademicPeriod,
    AcademicYear,
    CalendarEvent,
    CurriculumEntry,
    Discipline,
    Programme,
    StudyGroup,
    TeachingAssignment,
)
from qashyq.academics.selectors import groups_taught_by as _groups_taught_by

__all__ = [
    "CalendarEventData",
    "CurriculumLineData",
    "DisciplineData",
    "GroupData",
    "PeriodData",
    "ProgrammeData",
    "TeachingData",
    "YearData",
    "calendar_events",
    "curriculum_lines",
    "discipline_get",
    "discipline_list",
    "group_get",
    "group_list",
    "groups_by_code",
    "groups_taught_by",
    "period_current",
    "period_get",
    "period_list",
    "programme_get",
    "programme_list",
    "programmes_by_code",
    "teaching_staff",
    "year_current",
    "year_get",
]


def _programme_data(programme: Programme) -> ProgrammeData:
    return ProgrammeData(
        id=programme.pk,
        code=programme.code,
        name_kk=programme.name_kk,
        name_ru=programme.name_ru,
        name_en=programme.name_en,
        level=programme.level,
        periods=programme.periods,
        shortened=programme.shortened,
        shortened_basis=programme.shortened_basis,
        forms_offered=tuple(programme.forms_offered),
        languages=tuple(programme.languages),
    )


def _group_data(group: StudyGroup) -> GroupData:
    return GroupData(
        id=group.pk,
        code=group.code,
        programme_id=group.programme_id,
        programme_code=group.programme.code,
        admission_year=group.admission_year,
        language=group.language,
        form_of_study=group.form_of_study,
        capacity=group.capacity,
        closed=group.closed,
    )


def group_get(*, group_id: int) -> GroupData | None:
    group = StudyGroup.objects.select_related("programme").filter(pk=group_id).first()
    return _group_data(group) if group is not None else None


def programme_get(*, programme_id: int) -> ProgrammeData | None:
    programme = Programme.objects.filter(pk=programme_id).first()
    return _programme_data(programme) if programme is not None else None


def group_list() -> list[GroupData]:
    """Every study group, by code (one query)."""
    return [_group_data(g) for g in StudyGroup.objects.select_related("programme").order_by("code")]


def programme_list() -> list[ProgrammeData]:
    """Every programme, by code (one query)."""
    return [_programme_data(p) for p in Programme.objects.order_by("code")]


def groups_by_code(*, codes: Iterable[str]) -> dict[str, GroupData]:
    """The groups with these codes, keyed by code; unknown codes are simply absent (one query)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return {g.code: _group_data(g) for g in StudyGroup.objects.select_related("programme").filter(code__in=wanted)}


def programmes_by_code(*, codes: Iterable[str]) -> dict[str, ProgrammeData]:
    """The programmes with these codes, keyed by code; unknown codes are simply absent (one query)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return {p.code: _programme_data(p) for p in Programme.objects.filter(code__in=wanted)}


def groups_taught_by(*, user_id: int) -> frozenset[int]:
    """Ids of the groups where the user is a teacher or tutor; an assignment without a group counts for every
    group of the programmes whose curriculum holds its discipline."""
    return _groups_taught_by(user_id=user_id)


def _discipline_data(discipline: Discipline) -> DisciplineData:
    return DisciplineData(
        id=discipline.pk,
        code=discipline.code,
        name_kk=discipline.name_kk,
        name_ru=discipline.name_ru,
        name_en=discipline.name_en,
        credits=discipline.credits,
    )


def _year_data(year: AcademicYear) -> YearData:
    return YearData(id=year.pk, title=year.title, start_date=year.start_date, end_date=year.end_date)


def _period_data(period: AcademicPeriod) -> PeriodData:
    return PeriodData(
        id=period.pk,
        year_id=period.year_id,
        year_title=period.year.title,
        kind=period.kind,
        number=period.number,
        start_date=period.start_date,
        end_date=period.end_date,
    )


def discipline_get(*, discipline_id: int) -> DisciplineData | None:
    discipline = Discipline.objects.filter(pk=discipline_id).first()
    return _discipline_data(discipline) if discipline is not None else None


def discipline_list(*, ids: Iterable[int] | None = None) -> list[DisciplineData]:
    """Disciplines by code: all, or those with these ids (one query)."""
    disciplines = Discipline.objects.order_by("code")
    if ids is not None:
        disciplines = disciplines.filter(pk__in=list(ids))
    return [_discipline_data(d) for d in disciplines]


def curriculum_lines(*, programme_id: int) -> list[CurriculumLineData]:
    """The whole curriculum of a programme, by period and discipline code (one query)."""
    entries = (
        CurriculumEntry.objects.filter(programme_id=programme_id)
        .select_related("discipline")
        .order_by("period_number", "discipline__code", "pk")
    )
    return [
        CurriculumLineData(
            discipline=_discipline_data(e.discipline),
            period_number=e.period_number,
            credits=e.credits,
            cycle=e.cycle,
            component=e.component,
            final_control=e.final_control,
        )
        for e in entries
    ]


def year_get(*, year_id: int) -> YearData | None:
    year = AcademicYear.objects.filter(pk=year_id).first()
    return _year_data(year) if year is not None else None


def year_current(*, on: date) -> YearData | None:
    """The academic year that holds `on`, else the next one to start, else the last one."""
    years = AcademicYear.objects.order_by("start_date")
    year = (
        years.filter(start_date__lte=on, end_date__gte=on).first()
        or years.filter(start_date__gt=on).first()
        or years.last()
    )
    return _year_data(year) if year is not None else None


def period_get(*, period_id: int) -> PeriodData | None:
    period = AcademicPeriod.objects.select_related("year").filter(pk=period_id).first()
    return _period_data(period) if period is not None else None


def period_current(*, on: date) -> PeriodData | None:
    """The academic period that holds `on`, else the next one to start, else the last one."""
    periods = AcademicPeriod.objects.select_related("year").order_by("start_date")
    period = (
        periods.filter(start_date__lte=on, end_date__gte=on).first()
        or periods.filter(start_date__gt=on).first()
        or periods.last()
    )
    return _period_data(period) if period is not None else None


def period_list(*, year_id: int | None = None) -> list[PeriodData]:
    """Academic periods by start (one query)."""
    periods = AcademicPeriod.objects.select_related("year").order_by("start_date", "number")
    if year_id is not None:
        periods = periods.filter(year_id=year_id)
    return [_period_data(p) for p in periods]


def calendar_events(*, level: str, start: date, end: date) -> list[CalendarEventData]:
    """The events of approved calendars of a programme level that overlap [start, end], by date (one query)."""
    events = (
        CalendarEvent.objects.filter(
            calendar__level=level, calendar__approved_on__isnull=False, start_date__lte=end, end_date__gte=start
        )
        .select_related("period")
        .order_by("start_date", "end_date", "pk")
    )
    return [
        CalendarEventData(
            id=e.pk,
            kind=e.kind,
            period_id=e.period_id,
            period_number=e.period.number if e.period is not None else None,
            start_date=e.start_date,
            end_date=e.end_date,
        )
        for e in events
    ]


def teaching_staff(*, discipline_ids: Iterable[int], group_id: int | None) -> list[TeachingData]:
    """Who teaches and tutors these disciplines for a group: assignments to that group and to all groups
    (one query)."""
    assignments = TeachingAssignment.objects.filter(discipline_id__in=sorted(set(discipline_ids))).order_by("pk")
    if group_id is None:
        assignments = assignments.filter(group__isnull=True)
    else:
        assignments = assignments.filter(Q(group_id=group_id) | Q(group__isnull=True))
    return [
        TeachingData(user_id=a.user_id, discipline_id=a.discipline_id, group_id=a.group_id, role=a.role)
        for a in assignments
    ]
