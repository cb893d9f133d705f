"""Reads of individual study plans and schedules: the plan by period with its totals, the schedule by month."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from qashyq.academics.data import Component, Cycle, FinalControl
from qashyq.core.i18n import localized
from qashyq.dlt.models import Schedule, ScheduleEntry, StudyPlan, StudyPlanLine
from qashyq.dlt.services.plans import student_position


def label(choices: type, value: str) -> str:
    """The translated label of a choice value (the value itself when unknown)."""
    return str(choices(value).label) if value in choices.values else value  # type: ignore[attr-defined]


@dataclass
class LineRow:
    line: StudyPlanLine
    cycle: str
    component: str
    final_control: str


@dataclass
class PeriodBlock:
    """The lines of one curriculum period, with its credits (all, and those still to study)."""

    number: int
    year: int
    rows: list[LineRow] = field(default_factory=list)
    credits: int = 0
    remaining_credits: int = 0


@dataclass
class YearTotal:
    number: int
    credits: int = 0
    remaining_credits: int = 0


@dataclass
class PlanPage:
    plan: StudyPlan
    periods: list[PeriodBlock]
    years: list[YearTotal]
    per_year: int
    credits: int
    remaining_credits: int
    missing: list[StudyPlanLine]  # remaining lines without a teacher or a tutor


def plan_lines(plan: StudyPlan) -> list[StudyPlanLine]:
    """The lines of a plan by period and discipline code, with what a page shows of them (one query)."""
    return list(
        StudyPlanLine.objects.filter(plan_id=plan.pk)
        .select_related("discipline", "course", "teacher", "tutor")
        .order_by("period_number", "discipline__code", "pk")
    )


def plan_lines_of(*, application_id: int) -> list[StudyPlanLine]:
    """The lines of an application's plan, with their disciplines (one query)."""
    return list(
        StudyPlanLine.objects.filter(plan__application_id=application_id)
        .select_related("discipline")
        .order_by("period_number", "discipline__code", "pk")
    )


def plan_page(*, plan: StudyPlan, today: date | None = None) -> PlanPage:
    """The plan by curriculum period, with the credits of each period, of each academic year (two periods a
    year unless the current year has another count) and overall. Three to five queries."""
    today = today if today is not None else timezone.localdate()
    lines = plan_lines(plan)
    per_year = student_position(course_year=1, today=today).per_year
    periods: dict[int, PeriodBlock] = {}
    years: dict[int, YearTotal] = {}
    for line in lines:
        year = (line.period_number - 1) // per_year + 1
        block = periods.setdefault(line.period_number, PeriodBlock(number=line.period_number, year=year))
        total = years.setdefault(year, YearTotal(number=year))
        block.rows.append(
            LineRow(
                line=line,
                cycle=label(Cycle, line.cycle),
                component=label(Component, line.component),
                final_control=label(FinalControl, line.final_control),
            )
        )
        block.credits += line.credits
        total.credits += line.credits
        if not line.completed:
            block.remaining_credits += line.credits
            total.remaining_credits += line.credits
    return PlanPage(
        plan=plan,
        periods=[periods[n] for n in sorted(periods)],
        years=[years[n] for n in sorted(years)],
        per_year=per_year,
        credits=sum(line.credits for line in lines),
        remaining_credits=sum(line.credits for line in lines if not line.completed),
        missing=[line for line in lines if not line.completed and (line.teacher_id is None or line.tutor_id is None)],
    )


@dataclass
class EntryRow:
    entry: ScheduleEntry
    line: StudyPlanLine | None  # the plan's line of the entry's discipline: its DLT type and tutor

    @property
    def mode(self) -> str:
        return label(FinalControl, self.entry.mode) if self.entry.mode else ""

    @property
    def name(self) -> str:
        """The entry's name in the active language, when it differs from its discipline's."""
        name = localized(self.entry, "name")
        discipline = self.entry.discipline
        return "" if discipline is not None and name == discipline.name else name


@dataclass
class Month:
    first_day: date
    rows: list[EntryRow] = field(default_factory=list)


def schedule_rows(*, schedule: Schedule) -> list[EntryRow]:
    """The entries of a schedule in date order, each with the plan line of its discipline (the first one still
    to study where the discipline has lines in several periods) (two queries)."""
    entries = list(
        ScheduleEntry.objects.filter(schedule_id=schedule.pk)
        .select_related("discipline")
        .order_by("starts_on", "starts_at", "pk")
    )
    lines: dict[int, StudyPlanLine] = {}
    for line in (
        StudyPlanLine.objects.filter(plan__application_id=schedule.application_id)
        .select_related("tutor")
        .order_by("completed", "period_number", "pk")
    ):
        lines.setdefault(line.discipline_id, line)
    return [EntryRow(entry=e, line=lines.get(e.discipline_id) if e.discipline_id else None) for e in entries]


def schedule_months(*, schedule: Schedule) -> list[Month]:
    """The entries of a schedule grouped by the month they start in (two queries)."""
    months: dict[date, Month] = {}
    for row in schedule_rows(schedule=schedule):
        first = row.entry.starts_on.replace(day=1)
        months.setdefault(first, Month(first_day=first)).rows.append(row)
    return [months[key] for key in sorted(months)]
