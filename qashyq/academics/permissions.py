"""Who may see and change the academic structure. "Not yours" and "does not exist" both give 404.

- The administration service changes everything here (programmes, disciplines, curricula, years, periods,
  calendars and the record of their approval, groups, teaching assignments).
- The head sees everything, drafts included, and changes nothing here (the academic council approves a
  calendar; the administration service records that approval).
- Teachers, tutors, students and the didactic-means service read programmes, curricula, disciplines,
  groups and calendars in effect (approved ones).
- IT support and accounts without a role see nothing here.
"""

from typing import Any

from django.http import Http404

from qashyq.academics.models import (
    AcademicCalendar,
    AcademicYear,
    CalendarEvent,
    CurriculumEntry,
    Discipline,
    Programme,
    StudyGroup,
    TeachingAssignment,
)
from qashyq.accounts.api import Role, user_roles

EDITORS = frozenset({Role.ADMINISTRATION})
DRAFT_READERS = frozenset({Role.ADMINISTRATION, Role.HEAD})
READERS = frozenset({Role.ADMINISTRATION, Role.HEAD, Role.TEACHER, Role.TUTOR, Role.STUDENT, Role.DIDACTICS})


def _holds(user: Any, roles: frozenset[Role]) -> bool:
    return bool(user.is_authenticated and user.is_active and user_roles(user) & roles)


def can_view_academics(*, user: Any) -> bool:
    return _holds(user, READERS)


def can_edit_academics(*, user: Any) -> bool:
    return _holds(user, EDITORS)


def can_view_drafts(*, user: Any) -> bool:
    """Calendars not yet approved and teaching assignments."""
    return _holds(user, DRAFT_READERS)


def access_academics(*, user: Any, edit: bool = False) -> None:
    """The lists (programmes, disciplines, years, groups) and, with `edit`, the forms that create things."""
    if not (can_edit_academics(user=user) if edit else can_view_academics(user=user)):
        raise Http404


def access_programme(*, user: Any, programme_id: int, edit: bool = False) -> Programme:
    access_academics(user=user, edit=edit)
    try:
        return Programme.objects.get(pk=programme_id)
    except Programme.DoesNotExist:
        raise Http404 from None


def access_discipline(*, user: Any, discipline_id: int, edit: bool = False) -> Discipline:
    access_academics(user=user, edit=edit)
    try:
        return Discipline.objects.get(pk=discipline_id)
    except Discipline.DoesNotExist:
        raise Http404 from None


def access_curriculum_entry(*, user: Any, entry_id: int) -> CurriculumEntry:
    """A curriculum line to remove."""
    access_academics(user=user, edit=True)
    try:
        return CurriculumEntry.objects.select_related("programme", "discipline").get(pk=entry_id)
    except CurriculumEntry.DoesNotExist:
        raise Http404 from None


def access_academic_year(*, user: Any, year_id: int, edit: bool = False) -> AcademicYear:
    access_academics(user=user, edit=edit)
    try:
        return AcademicYear.objects.get(pk=year_id)
    except AcademicYear.DoesNotExist:
        raise Http404 from None


def access_calendar(*, user: Any, calendar_id: int, edit: bool = False) -> AcademicCalendar:
    """A calendar: readers see it once approved; the head and the administration service see drafts too."""
    access_academics(user=user, edit=edit)
    try:
        calendar = AcademicCalendar.objects.select_related("year").get(pk=calendar_id)
    except AcademicCalendar.DoesNotExist:
        raise Http404 from None
    if not calendar.approved and not can_view_drafts(user=user):
        raise Http404
    return calendar


def access_calendar_event(*, user: Any, event_id: int) -> CalendarEvent:
    """An event to remove."""
    access_academics(user=user, edit=True)
    try:
        return CalendarEvent.objects.select_related("calendar__year").get(pk=event_id)
    except CalendarEvent.DoesNotExist:
        raise Http404 from None


def access_group(*, user: Any, group_id: int, edit: bool = False) -> StudyGroup:
    access_academics(user=user, edit=edit)
    try:
        return StudyGroup.objects.select_related("programme").get(pk=group_id)
    except StudyGroup.DoesNotExist:
        raise Http404 from None


def access_assignments(*, user: Any, edit: bool = False) -> None:
    """The list of teaching assignments (head and administration) and, with `edit`, adding one."""
    if not (can_edit_academics(user=user) if edit else can_view_drafts(user=user)):
        raise Http404


def access_teaching_assignment(*, user: Any, assignment_id: int) -> TeachingAssignment:
    """An assignment to remove."""
    access_assignments(user=user, edit=True)
    try:
        return TeachingAssignment.objects.select_related("user", "discipline", "group").get(pk=assignment_id)
    except TeachingAssignment.DoesNotExist:
        raise Http404 from None
