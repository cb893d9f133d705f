"""Reads of the administration service's and the head's pages: the change requests to locked grades (with the
grade they would change), the academic periods and whether each is closed, the entry windows reopened in a
course, and the dated versions of the grading policy and of the letter scale."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from qashyq.academics import api as academics_api
from qashyq.academics.data import PeriodData
from qashyq.core.i18n import localized
from qashyq.gradebook.data import ChangeStatus
from qashyq.gradebook.models import (
    ControlMeasure,
    EntryReopen,
    Grade,
    GradeBand,
    GradeChangeRequest,
    GradeScale,
    GradingPolicy,
    PeriodClosure,
)

PAGE_SIZE = 50


# --- Change requests -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    """A change request with what the pages show of it: the course, measure and student by name, the grade it
    would change (None: not graded yet), who asked and who decided."""

    request: GradeChangeRequest
    course_id: int
    course_code: str
    course_title: str
    measure_name: str
    student_name: str
    current: Decimal | None
    requested_by: str
    decided_by: str

    @property
    def pending(self) -> bool:
        return self.request.status == ChangeStatus.PENDING

    @property
    def status_label(self) -> str:
        return str(ChangeStatus(self.request.status).label)


def _requests() -> QuerySet[GradeChangeRequest]:
    return GradeChangeRequest.objects.select_related(
        "measure", "measure__course", "student", "requested_by", "decided_by"
    ).order_by("-requested_at", "-pk")


def _rows(requests: list[GradeChangeRequest]) -> list[ChangeRow]:
    """The rows of these requests, with the grades they would change (one query)."""
    grades: dict[tuple[int, int, int], Decimal] = {}
    if requests:
        wanted = Q()
        for r in requests:
            wanted |= Q(measure_id=r.measure_id, student_id=r.student_id, attempt=r.attempt)
        for measure_id, student_id, attempt, score in Grade.objects.filter(wanted).values_list(
            "measure_id", "student_id", "attempt", "score"
        ):
            grades[(measure_id, student_id, attempt)] = score
    rows = []
    for r in requests:
        course = r.measure.course
        rows.append(
            ChangeRow(
                request=r,
                course_id=course.pk,
                course_code=course.code,
                course_title=localized(course, "name"),
                measure_name=r.measure.name,
                student_name=r.student.full_name,
                current=grades.get((r.measure_id, r.student_id, r.attempt)),
                requested_by=r.requested_by.full_name,
                decided_by=r.decided_by.full_name if r.decided_by is not None else "",
            )
        )
    return rows


def change_requests(*, status: str = "", page: int | str = 1) -> tuple[Page, list[ChangeRow], dict[str, int]]:
    """One page of the change requests (of one status when given), newest first, and how many wait per status.
    Four queries: the counts, the page's count, the page, the grades."""
    counts = dict.fromkeys(ChangeStatus.values, 0)
    for found, number in GradeChangeRequest.objects.values_list("status").annotate(n=Count("pk")).order_by():
        counts[found] = number
    requests = _requests()
    if status:
        requests = requests.filter(status=status)
    paginator = Paginator(requests, PAGE_SIZE)
    current = paginator.get_page(page)
    return current, _rows(list(current.object_list)), counts


def change_request(*, request: GradeChangeRequest) -> ChangeRow:
    """The row of one request (two queries)."""
    return _rows([_requests().get(pk=request.pk)])[0]


# --- Periods -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRow:
    period: PeriodData
    closure: PeriodClosure | None

    @property
    def closed(self) -> bool:
        return self.closure is not None


def periods() -> list[PeriodRow]:
    """Every academic period, latest first, with its closure (two queries)."""
    closures = {c.period_id: c for c in PeriodClosure.objects.select_related("closed_by")}
    return [PeriodRow(period=p, closure=closures.get(p.id)) for p in reversed(academics_api.period_list())]


def period_row(*, period_id: int) -> PeriodRow | None:
    period = academics_api.period_get(period_id=period_id)
    if period is None:
        return None
    closure = PeriodClosure.objects.select_related("closed_by").filter(period_id=period_id).first()
    return PeriodRow(period=period, closure=closure)


# --- Reopened entry windows ----------------------------------------------------------------------------------


def measure_choices(*, course_id: int) -> list[tuple[int, str]]:
    """The course's control measures as (id, name), in journal order (one query)."""
    return [(m.pk, m.name) for m in ControlMeasure.objects.filter(course_id=course_id).order_by("position", "pk")]


@dataclass(frozen=True)
class ReopenRow:
    reopen: EntryReopen
    measure_name: str
    student_name: str
    created_by: str

    def open_at(self, now: datetime) -> bool:
        return self.reopen.until >= now


def reopens_of(*, course_id: int) -> list[ReopenRow]:
    """The entry windows reopened in the course, newest first (one query)."""
    reopens = (
        EntryReopen.objects.filter(measure__course_id=course_id)
        .select_related("measure", "student", "created_by")
        .order_by("-created_at", "-pk")
    )
    return [
        ReopenRow(
            reopen=r,
            measure_name=r.measure.name,
            student_name=r.student.full_name,
            created_by=r.created_by.full_name,
        )
        for r in reopens
    ]


# --- The grading policy and the scale ------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyVersions:
    """Every dated version of the policy and of the scale, newest first; the policy in force on the day asked
    (before every version, the first) and its scale."""

    policies: list[GradingPolicy]
    scales: list[GradeScale]
    policy: GradingPolicy | None
    scale: GradeScale | None


def policy_versions(*, on: date) -> PolicyVersions:
    """The policies (with their scale) and the scales with their bands (three queries)."""
    policies = list(GradingPolicy.objects.select_related("scale").order_by("-valid_from"))
    scales = list(
        GradeScale.objects.prefetch_related(
            Prefetch("bands", queryset=GradeBand.objects.order_by("-min_points"))
        ).order_by("-valid_from")
    )
    in_force = next((p for p in policies if p.valid_from <= on), policies[-1] if policies else None)
    scale = next((s for s in scales if in_force is not None and s.pk == in_force.scale_id), None)
    return PolicyVersions(policies=policies, scales=scales, policy=in_force, scale=scale)
