"""Reads of DLT orders (rules 12–14): the list, the students of one order with the state of their three
attachments (R39), the background job that issues them, and the accepted applications an order is built from,
with the disciplines whose missing e-UMK would block them (R42).

The order itself is records' Order, read through records' api (`OrderData`): records' models are not
imported, import-linter keeps apps to each other's api.py."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from qashyq.academics import api as academics_api
from qashyq.academics.data import DisciplineData
from qashyq.content import api as content_api
from qashyq.dlt.data import ApplicationStatus, AttachmentKind, JobStatus
from qashyq.dlt.models import Application, AttachmentJob, Enrolment, Schedule, StudyPlan
from qashyq.records import api as records_api
from qashyq.records.api import OrderData, OrderKind

# A queued or running job that has not moved for this long is taken for dead (its worker stopped): a new
# one may start. No correctness depends on a sweep.
JOB_STALE_AFTER = timedelta(minutes=30)
ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)

READY, MISSING, STALE = "ready", "missing", "stale"
KINDS = (AttachmentKind.APPLICATION, AttachmentKind.STUDY_PLAN, AttachmentKind.SCHEDULE)


# --- Attachments of one student --------------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentCell:
    """One of a student's three attachments: its kind, state (ready / missing / stale) and document."""

    kind: str
    label: str
    state: str
    document_id: int | None = None
    source_version: int | None = None
    current_version: int | None = None

    @property
    def url(self) -> str:
        return reverse("documents:document-download", args=[self.document_id]) if self.document_id else ""


def plan_of(application: Application) -> StudyPlan | None:
    try:
        return application.study_plan
    except StudyPlan.DoesNotExist:
        return None


def schedule_of(application: Application) -> Schedule | None:
    try:
        return application.schedule
    except Schedule.DoesNotExist:
        return None


def attachment_cells(enrolment: Enrolment) -> list[AttachmentCell]:
    """The three attachments of an enrolment, each with its state. Reads `enrolment.attachments.all()` and
    the application's plan and schedule (prefetch them: see `order_enrolments`)."""
    by_kind = {a.kind: a for a in enrolment.attachments.all()}
    application = enrolment.application
    sources: dict[str, int | None] = {AttachmentKind.APPLICATION: 1}
    plan, schedule = plan_of(application), schedule_of(application)
    sources[AttachmentKind.STUDY_PLAN] = plan.version if plan is not None else None
    sources[AttachmentKind.SCHEDULE] = schedule.version if schedule is not None else None
    cells = []
    for kind in KINDS:
        attachment = by_kind.get(kind)
        current = sources[kind]
        label = str(AttachmentKind(kind).label)
        if attachment is None:
            cells.append(AttachmentCell(kind=kind, label=label, state=MISSING, current_version=current))
            continue
        state = READY
        if kind != AttachmentKind.APPLICATION and (current is None or attachment.source_version != current):
            state = STALE
        cells.append(
            AttachmentCell(
                kind=kind,
                label=label,
                state=state,
                document_id=attachment.document_id,
                source_version=attachment.source_version,
                current_version=current,
            )
        )
    return cells


def enrolments_with_attachments(queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Enrolments with what `attachment_cells` reads, in two queries."""
    return queryset.select_related(
        "student", "application", "application__study_plan", "application__schedule", "programme"
    ).prefetch_related("attachments")


def order_enrolments(*, order_id: int) -> list[Enrolment]:
    """The students of a DLT order by name, each with application, plan, schedule and attachments (two
    queries)."""
    return list(enrolments_with_attachments(Enrolment.objects.filter(order_id=order_id)))


@dataclass(frozen=True)
class StudentRow:
    enrolment: Enrolment
    cells: list[AttachmentCell]

    @property
    def complete(self) -> bool:
        return all(c.state == READY for c in self.cells)


def order_student_rows(*, order_id: int) -> list[StudentRow]:
    return [StudentRow(enrolment=e, cells=attachment_cells(e)) for e in order_enrolments(order_id=order_id)]


# --- The background job ----------------------------------------------------------------------------


def job_is_alive(job: AttachmentJob, *, now: Any = None) -> bool:
    """Queued or running, and moved within JOB_STALE_AFTER."""
    now = now or timezone.now()
    return job.status in ACTIVE_JOB_STATUSES and now - job.updated_at < JOB_STALE_AFTER


def job_latest(*, order_id: int) -> AttachmentJob | None:
    return AttachmentJob.objects.filter(order_id=order_id).select_related("started_by").first()


def job_running(*, order_id: int) -> AttachmentJob | None:
    """The job of the order that is queued or running and alive, if any."""
    job = AttachmentJob.objects.filter(order_id=order_id, status__in=ACTIVE_JOB_STATUSES).first()
    return job if job is not None and job_is_alive(job) else None


def job_percent(job: AttachmentJob) -> int:
    if not job.total:
        return 100 if job.status == JobStatus.DONE else 0
    return min(100, round(100 * job.done / job.total))


# --- The list of DLT orders ------------------------------------------------------------------------


@dataclass
class OrderRow:
    order: OrderData
    students: int
    ready: int = 0
    missing: int = 0
    stale: int = 0
    job: AttachmentJob | None = None

    @property
    def expected(self) -> int:
        return 3 * self.students

    @property
    def state(self) -> str:
        """ "ready" when every attachment of every student is current, else "stale" when none is missing,
        else "missing"."""
        if self.missing or self.ready + self.stale < self.expected:
            return MISSING
        return STALE if self.stale else READY

    @property
    def running(self) -> bool:
        return self.job is not None and job_is_alive(self.job)


def dlt_order_list(*, status: str = "", query: str = "") -> list[OrderData]:
    """DLT orders newest first (drafts first), with their number of students; filtered by status and by a
    student's name or the order number (one query)."""
    return records_api.order_list(kind=OrderKind.DLT, status=status, query=query)


def order_rows(orders: Iterable[OrderData]) -> list[OrderRow]:
    """Rows of the list for a page of orders: attachment counts and the latest job (two queries)."""
    rows = {o.id: OrderRow(order=o, students=o.student_count) for o in orders}
    if not rows:
        return []
    enrolments = (
        Enrolment.objects.filter(order_id__in=list(rows))
        .select_related("application__study_plan", "application__schedule")
        .prefetch_related("attachments")
    )
    for enrolment in enrolments:
        row = rows[enrolment.order_id]
        for cell in attachment_cells(enrolment):
            if cell.state == READY:
                row.ready += 1
            elif cell.state == STALE:
                row.stale += 1
            else:
                row.missing += 1
    for job in AttachmentJob.objects.filter(order_id__in=list(rows)).order_by("order_id", "-created_at", "-pk"):
        row = rows[job.order_id]
        if row.job is None:
            row.job = job
    return list(rows.values())


# --- Accepted applications to build an order from ----------------------------------------------------


@dataclass(frozen=True)
class CandidateFilters:
    programme_id: int | None = None
    category: str = ""
    dlt_type: str = ""
    query: str = ""


@dataclass
class Candidate:
    application: Application
    missing_eumk: list[DisciplineData] = field(default_factory=list)


def accepted_applications(*, filters: CandidateFilters | None = None) -> QuerySet[Application]:
    """Accepted applications that no order holds yet, by the student's name."""
    applications = Application.objects.filter(status=ApplicationStatus.ACCEPTED, enrolment__isnull=True).select_related(
        "student", "student__programme", "student__group"
    )
    filters = filters or CandidateFilters()
    if filters.programme_id:
        applications = applications.filter(student__programme_id=filters.programme_id)
    if filters.category:
        applications = applications.filter(category=filters.category)
    if filters.dlt_type:
        applications = applications.filter(granted_type=filters.dlt_type)
    if filters.query:
        words = filters.query.split()
        for word in words[:4]:
            applications = applications.filter(
                Q(student__last_name__icontains=word)
                | Q(student__first_name__icontains=word)
                | Q(student__patronymic__icontains=word)
                | Q(student__iin__startswith=word)
            )
    return applications.order_by("student__last_name", "student__first_name", "pk")


def eumk_missing_by_programme(*, programme_ids: Iterable[int], on: date | None = None) -> dict[int, list[Any]]:
    """For each programme, the disciplines of its whole curriculum that lack an approved e-UMK for the
    academic year of `on` (today when None) (rule 14, R42). A few queries per programme."""
    year = academics_api.year_current(on=on or timezone.localdate())
    result: dict[int, list[Any]] = {}
    for programme_id in sorted(set(programme_ids)):
        ids = [line.discipline.id for line in academics_api.curriculum_lines(programme_id=programme_id)]
        result[programme_id] = (
            content_api.eumk_missing(discipline_ids=ids, year_id=year.id if year else None) if ids else []
        )
    return result


def candidates(*, filters: CandidateFilters | None = None, limit: int = 500) -> list[Candidate]:
    """Accepted applications (at most `limit`), each with the disciplines whose missing e-UMK blocks it."""
    applications = list(accepted_applications(filters=filters)[:limit])
    missing = eumk_missing_by_programme(programme_ids={a.student.programme_id for a in applications})
    return [Candidate(application=a, missing_eumk=missing.get(a.student.programme_id, [])) for a in applications]


def candidate_choices() -> list[tuple[int, str]]:
    """Every accepted application not in an order, as (id, label) for a form (one query)."""
    return [
        (a.pk, f"{a.student.full_name} · № {a.pk}")
        for a in Application.objects.filter(status=ApplicationStatus.ACCEPTED, enrolment__isnull=True)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "pk")
    ]
