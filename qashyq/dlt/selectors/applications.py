"""Reads of DLT applications: the student's own, the review queue, an application's page (its steps, trail,
documents) and what still stands in the way of submitting or accepting it."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.academics.data import ProgrammeData
from qashyq.dlt import rules
from qashyq.dlt.data import CLOSED_STATUSES, ApplicationStatus
from qashyq.dlt.models import Application, ApplicationEvent, SupportingDocument
from qashyq.organization import api as organization_api
from qashyq.records import api as records_api
from qashyq.records.data import StudentData, StudentStatus

PAGE_SIZE = 50


def student_of(*, user: Any) -> int | None:
    """The id of the student record of an account, if it has one (one query)."""
    if user is None or not user.is_authenticated:
        return None
    return records_api.student_for_user(user_id=user.pk)


def open_application(*, student_id: int) -> Application | None:
    """The student's application that is not finished (at most one: a constraint keeps it so)."""
    return Application.objects.filter(student_id=student_id).exclude(status__in=CLOSED_STATUSES).first()


def applications_of_student(*, student_id: int) -> list[Application]:
    """A student's applications, newest first, each with `unseen`: how many of its steps they have not seen
    (one query)."""
    return list(
        Application.objects.filter(student_id=student_id)
        .annotate(unseen=Count("events", filter=Q(events__seen_at__isnull=True)))
        .order_by("-created_at", "-pk")
    )


def notices_of_student(*, student_id: int) -> list[ApplicationEvent]:
    """The steps of a student's applications they have not seen yet, newest first: their in-app notices."""
    return list(
        ApplicationEvent.objects.filter(application__student_id=student_id, seen_at__isnull=True)
        .select_related("application")
        .order_by("-created_at", "-pk")
    )


def application_documents(*, application: Application) -> list[SupportingDocument]:
    """The supporting documents with their stored files, as attached (one query)."""
    return list(application.documents.select_related("file").order_by("created_at", "pk"))


def application_events(*, application: Application) -> list[ApplicationEvent]:
    """The trail of an application, oldest first, with who took each step (one query)."""
    return list(application.events.select_related("actor").order_by("created_at", "pk"))


# --- where an application stands -------------------------------------------------------------------------

# The way an application goes when all is well (rule 11).
MAIN_WAY = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.IN_ORDER,
    ApplicationStatus.ENROLLED,
)
DONE, CURRENT, TODO, STOPPED = "done", "current", "todo", "stopped"


@dataclass(frozen=True)
class Step:
    status: str
    label: str
    state: str  # done / current / todo / stopped (returned, rejected, cancelled)


def application_steps(application: Application) -> list[Step]:
    """The way from draft to enrolment with where the application stands on it. A returned application stands
    after "under review" (it goes back to the student); a rejected one ends there; a cancelled order ends the
    way after "in an order"."""
    status = application.status
    off_way: dict[str, str] = {
        ApplicationStatus.RETURNED: ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.REJECTED: ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.CANCELLED: ApplicationStatus.IN_ORDER,
    }
    labels = dict(ApplicationStatus.choices)
    if status in off_way:
        reached = MAIN_WAY.index(off_way[status])
        steps = [Step(s, str(labels[s]), DONE) for s in MAIN_WAY[: reached + 1]]
        steps.append(Step(status, str(labels[status]), STOPPED))
        if status == ApplicationStatus.RETURNED:
            steps += [Step(s, str(labels[s]), TODO) for s in MAIN_WAY[reached + 1 :]]
        return steps
    here = MAIN_WAY.index(ApplicationStatus(status))
    steps = []
    for index, step in enumerate(MAIN_WAY):
        if index < here or (index == here and step == ApplicationStatus.ENROLLED):
            state = DONE  # enrolment is the end of the way: nothing is pending there
        elif index == here:
            state = CURRENT
        else:
            state = TODO
        steps.append(Step(step, str(labels[step]), state))
    return steps


# --- what stands in the way -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What eligibility rests on, read from the student's record and programme."""

    student: StudentData
    programme: ProgrammeData | None


def application_facts(application: Application) -> Facts:
    student = records_api.student_get(student_id=application.student_id)
    assert student is not None  # the application's foreign key protects it
    return Facts(student=student, programme=academics_api.programme_get(programme_id=student.programme_id))


def eligibility_problems(application: Application, *, facts: Facts | None = None) -> list[rules.Problem]:
    """Whether the student belongs to the category they apply in (rule 10), by the documents attached now."""
    facts = facts or application_facts(application)
    programme = facts.programme
    return rules.eligibility_problems(
        category=application.category,
        programme_code=programme.code if programme else "",
        programme_shortened=programme.shortened if programme else False,
        shortened_basis=programme.shortened_basis if programme else "",
        disability=facts.student.disability,
        bolashak=facts.student.bolashak,
        form_of_study=facts.student.form_of_study,
        host_institution=application.host_institution,
        host_country=application.host_country,
        abroad_from=application.abroad_from,
        abroad_until=application.abroad_until,
        document_types=set(application.documents.values_list("doc_type", flat=True)),
    )


def permission_problems(*, on: date) -> list[rules.Problem]:
    """The institution may use DLT on `on` (R3): every reason why not."""
    permission = organization_api.dlt_allowed(on=on)
    return [rules.Problem("", reason) for reason in permission.reasons]


def _common_problems(application: Application, *, today: date | None = None) -> list[rules.Problem]:
    """The checks of every application (rule 11); the start is checked against `today` when it is given."""
    return rules.application_problems(
        justification=application.justification,
        dlt_types=application.dlt_types,
        starts_on=application.starts_on,
        ends_on=application.ends_on,
        document_count=application.documents.count(),
        today=today,
    )


def submission_problems(application: Application, *, today: date) -> list[rules.Problem]:
    """Everything that keeps the application from being submitted today: the common checks (justification, DLT
    types, period, a document), the category's conditions, the student's status and the institution's
    permission to use DLT over the period. All of them at once."""
    facts = application_facts(application)
    problems = _common_problems(application, today=today)
    if facts.student.status != StudentStatus.ACTIVE:
        problems.append(
            rules.Problem(
                "",
                _("Only a studying student applies for DLT; your record's status is “%(status)s”.")
                % {"status": StudentStatus(facts.student.status).label},
            )
        )
    problems += eligibility_problems(application, facts=facts)
    problems += permission_problems(on=application.starts_on or today)
    return problems


def acceptance_problems(application: Application) -> list[rules.Problem]:
    """What keeps the administration service from accepting: the same checks as at submission, except that the
    start may have passed while it was reviewed."""
    facts = application_facts(application)
    problems = _common_problems(application)
    problems += eligibility_problems(application, facts=facts)
    if application.starts_on is not None:
        problems += permission_problems(on=application.starts_on)
    return problems


# --- the review queue ------------------------------------------------------------------------------------


def application_queue(
    *, status: str = "", category: str = "", programme_id: int | None = None, q: str = ""
) -> QuerySet[Application]:
    """The submitted applications (drafts stay the student's own) that match the filters, newest submission
    first, each with its student, programme and group (one query per page, one to count)."""
    applications = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    if status:
        applications = applications.filter(status=status)
    if category:
        applications = applications.filter(category=category)
    if programme_id:
        applications = applications.filter(student__programme_id=programme_id)
    for word in records_api.search_fold(q).split()[:5]:
        applications = applications.filter(student__search_text__contains=word)
    return applications.select_related("student", "student__programme", "student__group").order_by(
        "-submitted_at", "-pk"
    )
