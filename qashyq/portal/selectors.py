from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from qashyq.accounts.api import Role
from qashyq.audit import api as audit_api
from qashyq.dlt import api as dlt_api
from qashyq.dlt.data import ApplicationStatus, Category, DltType, EnrolmentStatus

# When a user holds several roles, the first of these they hold is their landing page.
LANDING_ORDER = (
    Role.HEAD,
    Role.ADMINISTRATION,
    Role.IT_SUPPORT,
    Role.DIDACTICS,
    Role.TEACHER,
    Role.TUTOR,
    Role.STUDENT,
)


def landing_role(roles: frozenset[Role]) -> Role | None:
    return next((role for role in LANDING_ORDER if role in roles), None)


def role_counts() -> dict[Role, int]:
    """Active accounts per role, in one query."""
    rows = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=Role.values)
        .values("groups__name")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(Role, 0)
    for row in rows:
        counts[Role(row["groups__name"])] = row["n"]
    return counts


def dlt_panel() -> dict[str, Any]:
    """The "Distance learning" panel of the head's and the administration service's dashboards (R56): students
    studying by DLT now by category and by type, and applications by state (drafts are the students' own). Two
    queries."""
    counts = dlt_api.registry_counts()
    return {
        "total": counts.total,
        "by_category": [(Category(value).label, n) for value, n in counts.by_category.items()],
        "by_type": [(DltType(value).label, n) for value, n in counts.by_type.items()],
        "applications": [
            (ApplicationStatus(value).label, n)
            for value, n in counts.applications_by_status.items()
            if value != ApplicationStatus.DRAFT
        ],
    }


def dlt_study(*, user: Any) -> dict[str, Any] | None:
    """A student's DLT study under a signed order, not over yet (type, period, where it stands), for their
    dashboard; None when they have none. One query."""
    study = dlt_api.enrolment_of(user_id=user.pk)
    if study is None or study.status not in (EnrolmentStatus.SIGNED, EnrolmentStatus.ACTIVE):
        return None
    if study.ends_on < timezone.localdate():
        return None
    return {
        "application_id": study.application_id,
        "dlt_type": DltType(study.dlt_type).label,
        "starts_on": study.starts_on,
        "ends_on": study.ends_on,
        "status": EnrolmentStatus(study.status).label,
    }


def dashboard_context(*, role: Role, user: Any) -> dict[str, Any]:
    context: dict[str, Any] = {}
    if role in (Role.HEAD, Role.IT_SUPPORT):
        labels = dict(Role.choices)
        context.update(role_counts=[(labels[r], n) for r, n in role_counts().items()], ledger=audit_api.summary())
    if role in (Role.HEAD, Role.ADMINISTRATION):
        context["dlt"] = dlt_panel()
    if role == Role.STUDENT:
        context["dlt_study"] = dlt_study(user=user)
    return context
