"""Reads of assignments and submissions: who may receive a work (the tutor of the student's group), a student's
history, the staff's list of an assignment, the collection dashboard, the tutors' workload and the overdue
hand-overs. Each decides what it joins, so a page costs the same few queries whatever it shows."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from qashyq.academics import api as academics_api
from qashyq.accounts.api import Role
from qashyq.content import api as content_api
from qashyq.content.data import StaffRole
from qashyq.coursework import rules
from qashyq.coursework.data import WITH_TUTOR, SubmissionStatus
from qashyq.coursework.models import Assignment, Handover, Submission, SubmissionFile


def grading_days() -> int:
    """Days a tutor has to review a work handed to them before it counts as overdue (setting, 7 by default)."""
    return int(getattr(settings, "QASHYQ_COURSEWORK_GRADING_DAYS", 7))


# --- Who receives a work ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    user_id: int
    name: str
    role: str  # content's StaffRole: a tutor of the student's group, a tutor of every group, a teacher


def recipients_map(pairs: Iterable[tuple[int, int | None]]) -> dict[tuple[int, int | None], list[Recipient]]:
    """For each (course, student's group): who may receive its works, the responsible one first — the tutors
    assigned to that group, then the tutors of every group, then the course's teachers — each still holding
    their role on an active account. Three queries, whatever the number of pairs."""
    pairs = set(pairs)
    if not pairs:
        return {}
    staff = content_api.course_staff(course_ids={course_id for course_id, _ in pairs})
    user_ids = {s.user_id for s in staff}
    wanted = {StaffRole.TUTOR.value: Role.TUTOR.value, StaffRole.TEACHER.value: Role.TEACHER.value}
    users = (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .annotate(
            is_tutor=Count("groups", filter=Q(groups__name=wanted["tutor"])),
            is_teacher=Count("groups", filter=Q(groups__name=wanted["teacher"])),
        )
        .only("pk", "username", "first_name", "last_name", "patronymic")
    )
    holders = {u.pk: u for u in users}
    found: dict[tuple[int, int | None], list[Recipient]] = {}
    for course_id, group_id in pairs:
        ranked: list[tuple[int, Any]] = []
        for member in staff:
            if member.course_id != course_id:
                continue
            user = holders.get(member.user_id)
            if user is None:
                continue
            if member.role == StaffRole.TUTOR and user.is_tutor:
                if member.group_ids and group_id in member.group_ids:
                    ranked.append((0, member))
                elif not member.group_ids:
                    ranked.append((1, member))
            elif member.role == StaffRole.TEACHER and user.is_teacher:
                ranked.append((2, member))
        seen: set[int] = set()
        result = []
        for _, member in sorted(ranked, key=lambda r: (r[0], holders[r[1].user_id].full_name, r[1].user_id)):
            if member.user_id in seen:
                continue
            seen.add(member.user_id)
            result.append(Recipient(user_id=member.user_id, name=holders[member.user_id].full_name, role=member.role))
        found[(course_id, group_id)] = result
    return found


def recipients_for(*, course_id: int, group_id: int | None) -> list[Recipient]:
    return recipients_map([(course_id, group_id)])[(course_id, group_id)]


# --- A student's submissions -----------------------------------------------------------------------


def _with_history(submissions: QuerySet[Submission]) -> QuerySet[Submission]:
    return submissions.select_related(
        "submitted_by", "handover", "handover__tutor", "review", "review__tutor", "student"
    ).prefetch_related(
        Prefetch("files", queryset=SubmissionFile.objects.order_by("position", "pk")),
        Prefetch("handovers", queryset=Handover.objects.select_related("tutor", "handed_by").order_by("handed_at")),
    )


def submissions_of_student(*, assignment: Assignment, student_id: int) -> list[Submission]:
    """The student's attempts at the assignment, the latest first, each with its files, hand-overs and review
    (three queries)."""
    rows = Submission.objects.filter(assignment=assignment, student_id=student_id).order_by("-attempt")
    return list(_with_history(rows))


def latest_submission(*, assignment: Assignment, student_id: int) -> Submission | None:
    return (
        Submission.objects.filter(assignment=assignment, student_id=student_id)
        .select_related("review", "review__tutor")
        .order_by("-attempt")
        .first()
    )


def receipt_payload(submission: Submission, files: Iterable[SubmissionFile]) -> dict[str, Any]:
    """What a receipt vouches for; its SHA-256 (`rules.receipt_digest`) is the receipt's check code."""
    return {
        "number": submission.number,
        "assignment": submission.assignment_id,
        "student": submission.student_id,
        "attempt": submission.attempt,
        "channel": submission.channel,
        "submitted_at": submission.submitted_at.isoformat(),
        "received_on": submission.received_on.isoformat() if submission.received_on else "",
        "late": submission.late,
        "text_sha256": submission.text_sha256,
        "files": [[f.name, f.size, f.sha256] for f in files],
    }


def receipt_intact(submission: Submission) -> bool:
    """Whether the stored submission still matches its receipt's check code."""
    files = list(submission.files.all())
    text_ok = submission.text_sha256 == rules.text_digest(submission.text)
    return text_ok and submission.digest == rules.receipt_digest(receipt_payload(submission, files))


# --- The staff's list of an assignment -------------------------------------------------------------


@dataclass
class StudentRow:
    """A student of the course and their latest submission of one assignment (None: nothing yet)."""

    student_id: int
    name: str
    group_id: int | None
    group: str
    submission: Submission | None = None
    overdue: bool = False


def _group_codes(group_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {g for g in group_ids if g is not None}
    return {g.id: g.code for g in academics_api.group_list() if g.id in ids} if ids else {}


def _latest_by_student(submissions: Iterable[Submission]) -> dict[tuple[int, int], Submission]:
    latest: dict[tuple[int, int], Submission] = {}
    for submission in submissions:
        key = (submission.assignment_id, submission.student_id)
        if key not in latest or latest[key].attempt < submission.attempt:
            latest[key] = submission
    return latest


def assignment_students(*, assignment: Assignment, group_ids: frozenset[int] | None, now: datetime) -> list[StudentRow]:
    """Every active student of the assignment's course (of these groups only, unless None) with their latest
    submission. Four queries."""
    enrolments = content_api.course_enrolments(course_id=assignment.course_id, group_ids=group_ids)
    submissions = Submission.objects.filter(assignment=assignment, student_id__in=[e.student_id for e in enrolments])
    latest = _latest_by_student(submissions.select_related("handover", "handover__tutor"))
    codes = _group_codes(e.group_id for e in enrolments)
    days = grading_days()
    rows = []
    for e in enrolments:
        submission = latest.get((assignment.pk, e.student_id))
        rows.append(
            StudentRow(
                student_id=e.student_id,
                name=e.full_name,
                group_id=e.group_id,
                group=codes.get(e.group_id or 0, ""),
                submission=submission,
                overdue=_overdue(submission, now=now, days=days),
            )
        )
    return rows


def _overdue(submission: Submission | None, *, now: datetime, days: int) -> bool:
    if submission is None or submission.status not in WITH_TUTOR or submission.handover is None:
        return False
    return rules.grading_overdue(handed_at=submission.handover.handed_at, now=now, days=days)


# --- The collection dashboard ----------------------------------------------------------------------


class Show:
    """What the collection dashboard lists (the `show` filter)."""

    ALL = ""
    MISSING = "missing"  # nothing submitted yet
    LATE = "late"
    NOT_HANDED = "not_handed"
    WITH_TUTOR = "with_tutor"
    OVERDUE = "overdue"
    RETURNED = "returned"
    ACCEPTED = "accepted"


@dataclass
class AssignmentSummary:
    assignment: Assignment
    enrolled: int = 0
    submitted: int = 0
    late: int = 0
    not_handed: int = 0
    with_tutor: int = 0
    overdue: int = 0
    returned: int = 0
    accepted: int = 0

    @property
    def missing(self) -> int:
        return max(self.enrolled - self.submitted, 0)


@dataclass
class CollectionRow:
    assignment: Assignment
    student_id: int
    name: str
    group_id: int | None
    group: str
    submission: Submission | None
    overdue: bool
    recipient: Recipient | None = None


@dataclass
class CollectionChoices:
    """What the dashboard's filters offer: the courses that have assignments, and the groups and assignments
    of the chosen course (of every course when none is chosen)."""

    courses: list[tuple[int, str]]
    groups: list[tuple[int, str]]
    assignments: list[tuple[int, str]]
    chosen: list[Assignment]


@dataclass
class Collection:
    """The summary of each assignment chosen, and, for a chosen course, a row per student and assignment."""

    summaries: list[AssignmentSummary] = field(default_factory=list)
    rows: list[CollectionRow] = field(default_factory=list)


def _assignments(course_id: int | None) -> list[Assignment]:
    rows = Assignment.objects.select_related("item", "course").order_by("course__code", "due_at", "pk")
    if course_id is not None:
        rows = rows.filter(course_id=course_id)
    return list(rows)


def _matches(row: CollectionRow, show: str) -> bool:
    submission = row.submission
    if show == Show.MISSING:
        return submission is None
    if submission is None:
        return show == Show.ALL
    return {
        Show.ALL: True,
        Show.LATE: submission.late,
        Show.NOT_HANDED: submission.status == SubmissionStatus.SUBMITTED,
        Show.WITH_TUTOR: submission.status in WITH_TUTOR,
        Show.OVERDUE: row.overdue,
        Show.RETURNED: submission.status == SubmissionStatus.RETURNED,
        Show.ACCEPTED: submission.status == SubmissionStatus.ACCEPTED,
    }.get(show, True)


def collection_choices(*, course_id: int | None = None) -> CollectionChoices:
    """The courses with assignments; the groups and assignments of `course_id` (every course's when None or
    when it has no assignment). Three queries."""
    all_assignments = _assignments(None)
    courses: dict[int, str] = {}
    for a in all_assignments:
        courses.setdefault(a.course_id, f"{a.course.code} · {a.course.name}")
    if course_id not in courses:
        course_id = None
    chosen = [a for a in all_assignments if course_id is None or a.course_id == course_id]
    group_ids = set(
        Assignment.objects.filter(pk__in=[a.pk for a in chosen], course__groups__isnull=False)
        .values_list("course__groups", flat=True)
        .distinct()
    )
    codes = _group_codes(group_ids)
    return CollectionChoices(
        courses=sorted(courses.items(), key=lambda c: c[1]),
        groups=sorted(((g, codes.get(g, "")) for g in group_ids), key=lambda g: g[1]),
        assignments=[(a.pk, a.item.name) for a in chosen],
        chosen=chosen,
    )


def collection(
    *,
    choices: CollectionChoices,
    course_id: int | None = None,
    group_id: int | None = None,
    assignment_id: int | None = None,
    show: str = Show.ALL,
    now: datetime | None = None,
) -> Collection:
    """What the administration service collects (R15, R16), for the assignments of `choices` (one assignment
    when `assignment_id` is given): a summary per assignment — enrolled, submitted, late, not handed over, with
    a tutor, overdue, returned, accepted —, and for a chosen course a row per student and assignment, filtered
    by group and `show`, with the responsible tutor of each work not handed over yet. A fixed number of
    queries, whatever the number of students and courses."""
    now = now or timezone.now()
    days = grading_days()
    chosen = [a for a in choices.chosen if course_id is None or a.course_id == course_id]
    if assignment_id is not None:
        chosen = [a for a in chosen if a.pk == assignment_id]
    result = Collection()
    if not chosen:
        return result
    if course_id is None:
        result.summaries = _summaries(chosen, group_id=group_id, now=now, days=days)
        return result

    enrolments = [
        e for e in content_api.course_enrolments(course_id=course_id) if group_id is None or e.group_id == group_id
    ]
    codes = dict(choices.groups)
    submissions = Submission.objects.filter(
        assignment__in=chosen, student_id__in=[e.student_id for e in enrolments]
    ).select_related("handover", "handover__tutor")
    latest = _latest_by_student(submissions)
    for assignment in chosen:
        summary = AssignmentSummary(assignment=assignment, enrolled=len(enrolments))
        for e in enrolments:
            submission = latest.get((assignment.pk, e.student_id))
            overdue = _overdue(submission, now=now, days=days)
            if submission is not None:
                _count(summary, status=submission.status, late=submission.late, overdue=overdue)
            row = CollectionRow(
                assignment=assignment,
                student_id=e.student_id,
                name=e.full_name,
                group_id=e.group_id,
                group=codes.get(e.group_id or 0, ""),
                submission=submission,
                overdue=overdue,
            )
            if _matches(row, show):
                result.rows.append(row)
        result.summaries.append(summary)

    waiting = [r for r in result.rows if r.submission is not None and r.submission.status == SubmissionStatus.SUBMITTED]
    if waiting:
        recipients = recipients_map((course_id, r.group_id) for r in waiting)
        for row in waiting:
            found = recipients.get((course_id, row.group_id)) or []
            row.recipient = found[0] if found else None
    due_last = now + timedelta(days=365 * 100)
    result.rows.sort(key=lambda r: (r.group, r.name, r.student_id, r.assignment.due_at or due_last, r.assignment.pk))
    return result


def _count(summary: AssignmentSummary, *, status: str, late: bool, overdue: bool) -> None:
    summary.submitted += 1
    summary.late += late
    summary.not_handed += status == SubmissionStatus.SUBMITTED
    summary.with_tutor += status in WITH_TUTOR
    summary.overdue += overdue
    summary.returned += status == SubmissionStatus.RETURNED
    summary.accepted += status == SubmissionStatus.ACCEPTED


def _summaries(
    assignments: list[Assignment], *, group_id: int | None, now: datetime, days: int
) -> list[AssignmentSummary]:
    """The summary of each assignment over every course: enrolled students counted in the database, the latest
    submission of each student read as plain values (two queries)."""
    active = Q(course__enrolments__active=True)
    if group_id is not None:
        active &= Q(course__enrolments__student__group_id=group_id)
    enrolled = dict(
        Assignment.objects.filter(pk__in=[a.pk for a in assignments])
        .annotate(n=Count("course__enrolments", filter=active, distinct=True))
        .values_list("pk", "n")
    )
    rows = Submission.objects.filter(assignment__in=assignments).values(
        "assignment_id", "student_id", "attempt", "status", "late", "handover__handed_at"
    )
    if group_id is not None:
        rows = rows.filter(student__group_id=group_id)
    latest: dict[tuple[int, int], Any] = {}
    for row in rows:
        key = (row["assignment_id"], row["student_id"])
        if key not in latest or latest[key]["attempt"] < row["attempt"]:
            latest[key] = row
    summaries = {a.pk: AssignmentSummary(assignment=a, enrolled=enrolled.get(a.pk, 0)) for a in assignments}
    for (assignment_pk, _student), row in latest.items():
        handed_at = row["handover__handed_at"]
        overdue = (
            row["status"] in WITH_TUTOR
            and handed_at is not None
            and rules.grading_overdue(handed_at=handed_at, now=now, days=days)
        )
        _count(summaries[assignment_pk], status=row["status"], late=row["late"], overdue=overdue)
    return list(summaries.values())


# --- The tutors' workload --------------------------------------------------------------------------


@dataclass
class WorkloadLine:
    tutor_id: int
    name: str
    handed: int = 0  # every hand-over now current
    unconfirmed: int = 0
    to_review: int = 0
    overdue: int = 0
    returned: int = 0
    accepted: int = 0

    @property
    def graded(self) -> int:
        return self.returned + self.accepted


def workload_overview(*, now: datetime | None = None) -> list[WorkloadLine]:
    """Per tutor (by name): the works now handed to them, how many wait for their confirmation, for their
    review, how many of those are overdue, and how many they returned or accepted. Two queries."""
    now = now or timezone.now()
    limit = now - timedelta(days=grading_days())
    rows = (
        Submission.objects.filter(handover__isnull=False)
        .values("handover__tutor_id")
        .annotate(
            handed=Count("pk"),
            unconfirmed=Count("pk", filter=Q(status=SubmissionStatus.HANDED_OVER)),
            to_review=Count("pk", filter=Q(status=SubmissionStatus.RECEIVED)),
            overdue=Count("pk", filter=Q(status__in=WITH_TUTOR, handover__handed_at__lt=limit)),
            returned=Count("pk", filter=Q(status=SubmissionStatus.RETURNED)),
            accepted=Count("pk", filter=Q(status=SubmissionStatus.ACCEPTED)),
        )
    )
    counts = {r["handover__tutor_id"]: r for r in rows}
    users = (
        get_user_model()
        .objects.filter(pk__in=list(counts))
        .only("pk", "username", "first_name", "last_name", "patronymic")
    )
    lines = []
    for user in users:
        r = counts[user.pk]
        lines.append(
            WorkloadLine(
                tutor_id=user.pk,
                name=user.full_name,
                handed=r["handed"],
                unconfirmed=r["unconfirmed"],
                to_review=r["to_review"],
                overdue=r["overdue"],
                returned=r["returned"],
                accepted=r["accepted"],
            )
        )
    return sorted(lines, key=lambda line: (line.name, line.tutor_id))


@dataclass
class WorkloadItem:
    submission: Submission
    due: datetime
    overdue: bool


def workload_of(*, tutor_id: int, now: datetime | None = None) -> list[WorkloadItem]:
    """The works now handed to a tutor, those waiting for them first (oldest hand-over first), then those they
    reviewed (latest first). One query."""
    now = now or timezone.now()
    days = grading_days()
    submissions = (
        Submission.objects.filter(handover__tutor_id=tutor_id)
        .select_related("assignment", "assignment__item", "assignment__course", "student", "handover", "review")
        .order_by("handover__handed_at", "pk")
    )
    items = []
    for submission in submissions:
        assert submission.handover is not None
        handed_at = submission.handover.handed_at
        items.append(
            WorkloadItem(
                submission=submission,
                due=rules.grading_due(handed_at=handed_at, days=days),
                overdue=_overdue(submission, now=now, days=days),
            )
        )
    waiting = [i for i in items if i.submission.status in WITH_TUTOR]
    done = [i for i in items if i.submission.status not in WITH_TUTOR]
    done.sort(key=lambda i: i.submission.review.reviewed_at if hasattr(i.submission, "review") else now, reverse=True)
    return waiting + done


def overdue_handovers(*, now: datetime | None = None, days: int | None = None) -> dict[int, list[Handover]]:
    """The current hand-overs older than `days` (the setting, unless given) whose work is not reviewed yet, by
    tutor, oldest first (one query)."""
    now = now or timezone.now()
    limit = now - timedelta(days=grading_days() if days is None else days)
    handovers = (
        Handover.objects.filter(
            handed_at__lt=limit,
            submission__status__in=WITH_TUTOR,
            submission__handover_id=F("pk"),
        )
        .select_related("tutor", "submission", "submission__assignment__item", "submission__student")
        .order_by("tutor_id", "handed_at", "pk")
    )
    found: dict[int, list[Handover]] = defaultdict(list)
    for handover in handovers:
        found[handover.tutor_id].append(handover)
    return dict(found)
