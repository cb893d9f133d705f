"""Who may see and keep individual study plans and schedules (rules 13, 20).

- The student themselves, the administration service and the head see a plan and a schedule whole.
- A teacher or tutor named on a line of the plan reads them (nothing more).
- Only the administration service changes a plan (its lines, its approval) and a schedule (its entries,
  re-generation). The student, or the administration service, gives the iCal feed a new address.
- Plans and schedules exist once the application is accepted; before that, and for anyone else, 404.
"Not yours" and "does not exist" both give 404.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from qashyq.accounts.api import Role, acting_roles
from qashyq.dlt.models import Schedule, ScheduleEntry, StudyPlan, StudyPlanLine
from qashyq.dlt.permissions import is_administration, sees_everything

STAFF_READERS = frozenset({Role.TEACHER, Role.TUTOR})


def _plans_visible_to(user: Any) -> Q | None:
    """The plans `user` may read, as a filter on StudyPlan; None when none."""
    roles = acting_roles(user)
    if not roles:
        return None
    if sees_everything(user):
        return Q()
    visible = Q(application__student__user_id=user.pk)
    if roles & STAFF_READERS:
        named = StudyPlanLine.objects.filter(plan_id=OuterRef("pk")).filter(Q(teacher_id=user.pk) | Q(tutor_id=user.pk))
        visible |= Q(Exists(named))
    return visible


def access_plan(*, user: Any, application_id: int) -> StudyPlan:
    """The individual study plan of an application, for whom may read it (see the module); else 404."""
    visible = _plans_visible_to(user)
    if visible is None:
        raise Http404
    plan = (
        StudyPlan.objects.filter(visible)
        .select_related("application", "application__student", "approved_by")
        .filter(application_id=application_id)
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def access_schedule(*, user: Any, application_id: int) -> Schedule:
    """The individual schedule of an application: readable by whoever may read its plan; else 404."""
    visible = _plans_visible_to(user)
    if visible is None:
        raise Http404
    plans = StudyPlan.objects.filter(visible).filter(application_id=OuterRef("application_id"))
    schedule = (
        Schedule.objects.filter(Exists(plans), application_id=application_id)
        .select_related("application", "application__student")
        .first()
    )
    if schedule is None:
        raise Http404
    return schedule


def access_feed(*, token: str) -> Schedule:
    """The schedule whose iCal feed has this address (no sign-in: the address is the key); else 404."""
    schedule = (
        Schedule.objects.select_related("application", "application__student", "application__student__user")
        .filter(feed_token=token)
        .first()
        if token
        else None
    )
    if schedule is None:
        raise Http404
    return schedule


def access_plan_line(*, user: Any, line_id: int) -> StudyPlanLine:
    """A line of a plan to change: the administration service only; else 404."""
    if not is_administration(user):
        raise Http404
    line = (
        StudyPlanLine.objects.select_related("plan", "plan__application", "discipline", "course", "teacher", "tutor")
        .filter(pk=line_id)
        .first()
    )
    if line is None:
        raise Http404
    return line


def access_schedule_entry(*, user: Any, entry_id: int) -> ScheduleEntry:
    """An entry of a schedule to change or delete: the administration service only; else 404."""
    if not is_administration(user):
        raise Http404
    entry = (
        ScheduleEntry.objects.select_related("schedule", "schedule__application", "discipline")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def can_edit_plan(*, user: Any) -> bool:
    """Change the lines of a plan (teacher, tutor, course, DLT type), approve it, re-generate it."""
    return is_administration(user)


def can_edit_schedule(*, user: Any) -> bool:
    """Add, change and delete the entries of a schedule, re-generate it."""
    return is_administration(user)


def is_own(*, user: Any, application: Any) -> bool:
    """The student whose application it is (an active account)."""
    return bool(acting_roles(user)) and application.student.user_id == user.pk


def can_see_application(*, user: Any, application: Any) -> bool:
    """Whether the page may link to the application itself (its student, the administration service, the head)."""
    return is_own(user=user, application=application) or sees_everything(user)


def can_see_feed(*, user: Any, schedule: Schedule) -> bool:
    """The address of the iCal feed is shown to the student only: it opens the schedule without signing in."""
    return is_own(user=user, application=schedule.application)


def can_rotate_feed(*, user: Any, schedule: Schedule) -> bool:
    """Give the feed a new address (the old one stops working): the student, or the administration service."""
    return is_own(user=user, application=schedule.application) or is_administration(user)
