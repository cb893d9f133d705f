"""What other apps (the portal's dashboards and reports) may use of DLT enrolment: the registry's counts (R56)
and a student's DLT study."""

from datetime import date

from django.db.models import Case, Count, IntegerField, Value, When
from django.utils import timezone

from qashyq.dlt.data import ApplicationStatus, Category, DltEnrolmentData, DltType, EnrolmentStatus, RegistryCounts
from qashyq.dlt.models import Application, Enrolment
from qashyq.dlt.selectors.registry import studying_now

__all__ = ["DltEnrolmentData", "enrolment_of", "registry_counts"]


def registry_counts(*, today: date | None = None) -> RegistryCounts:
    """Students studying by DLT now (under an order in force, their DLT period not over) in all, by category, by
    DLT type and by programme code, and applications by status. Every category, type and status is a key (0 when
    none); programmes only where someone studies. Two queries."""
    today = today or timezone.localdate()
    by_category = dict.fromkeys(Category.values, 0)
    by_type = dict.fromkeys(DltType.values, 0)
    by_programme: dict[str, int] = {}
    total = 0
    cells = (
        Enrolment.objects.filter(studying_now(today=today))
        .order_by()
        .values_list("category", "dlt_type", "programme__code")
        .annotate(n=Count("pk"))
    )
    for category, dlt_type, code, n in cells:
        by_category[category] = by_category.get(category, 0) + n
        by_type[dlt_type] = by_type.get(dlt_type, 0) + n
        by_programme[code] = by_programme.get(code, 0) + n
        total += n
    applications = dict.fromkeys(ApplicationStatus.values, 0)
    for status, n in Application.objects.order_by().values_list("status").annotate(n=Count("pk")):
        applications[status] = n
    return RegistryCounts(
        total=total,
        by_category=by_category,
        by_type=by_type,
        by_programme=dict(sorted(by_programme.items())),
        applications_by_status=applications,
    )


def enrolment_of(
    *, student_id: int | None = None, user_id: int | None = None, today: date | None = None
) -> DltEnrolmentData | None:
    """The student's current DLT enrolment (under an order in force, its period not over), else their latest one
    not cancelled (the latest start first), else their latest cancelled one; None when they never had one. The
    student is named by their record (`student_id`) or by their account (`user_id`). One query."""
    if student_id is not None and user_id is None:
        enrolments = Enrolment.objects.filter(student_id=student_id)
    elif user_id is not None and student_id is None:
        enrolments = Enrolment.objects.filter(student__user_id=user_id)
    else:
        raise TypeError("enrolment_of() takes either student_id or user_id")
    today = today or timezone.localdate()
    enrolment = (
        enrolments.annotate(
            rank=Case(
                When(studying_now(today=today), then=Value(0)),
                When(status=EnrolmentStatus.CANCELLED, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "-starts_on", "-pk")
        .first()
    )
    if enrolment is None:
        return None
    return DltEnrolmentData(
        id=enrolment.pk,
        student_id=enrolment.student_id,
        order_id=enrolment.order_id,
        dlt_type=enrolment.dlt_type,
        category=enrolment.category,
        starts_on=enrolment.starts_on,
        ends_on=enrolment.ends_on,
        status=enrolment.status,
        application_id=enrolment.application_id,
    )
