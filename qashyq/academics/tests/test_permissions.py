"""The full access matrix of every access_* and can_* function in academics.permissions."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from qashyq.academics import permissions
from qashyq.academics.tests.factories import (
    AcademicCalendarFactory,
    AcademicYearFactory,
    CalendarEventFactory,
    CurriculumEntryFactory,
    DisciplineFactory,
    ProgrammeFactory,
    StudyGroupFactory,
    TeachingAssignmentFactory,
)
from qashyq.accounts.data import Role

ROLES = [None, *Role]  # None: anonymous
EDITORS = {Role.ADMINISTRATION}
DRAFT_READERS = {Role.ADMINISTRATION, Role.HEAD}
READERS = {Role.ADMINISTRATION, Role.HEAD, Role.TEACHER, Role.TUTOR, Role.STUDENT, Role.DIDACTICS}


def actor(make_user, role):
    return AnonymousUser() if role is None else make_user(role)


def check(call, allowed, expected):
    if allowed:
        assert call() == expected
    else:
        with pytest.raises(Http404):
            call()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_can_functions(make_user, role):
    user = actor(make_user, role)
    assert permissions.can_view_academics(user=user) is (role in READERS)
    assert permissions.can_edit_academics(user=user) is (role in EDITORS)
    assert permissions.can_view_drafts(user=user) is (role in DRAFT_READERS)


@pytest.mark.django_db
def test_inactive_accounts_and_accounts_without_roles_see_nothing(make_user):
    for user in (make_user(Role.ADMINISTRATION, is_active=False), make_user()):
        assert permissions.can_view_academics(user=user) is False
        assert permissions.can_edit_academics(user=user) is False
        assert permissions.can_view_drafts(user=user) is False


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("edit", [False, True])
def test_access_academics(make_user, role, edit):
    allowed = role in (EDITORS if edit else READERS)
    check(lambda: permissions.access_academics(user=actor(make_user, role), edit=edit), allowed, None)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("edit", [False, True])
def test_access_programme(make_user, role, edit):
    programme = ProgrammeFactory()
    user = actor(make_user, role)
    allowed = role in (EDITORS if edit else READERS)
    check(lambda: permissions.access_programme(user=user, programme_id=programme.pk, edit=edit), allowed, programme)
    with pytest.raises(Http404):
        permissions.access_programme(user=user, programme_id=programme.pk + 100, edit=edit)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("edit", [False, True])
def test_access_discipline(make_user, role, edit):
    discipline = DisciplineFactory()
    user = actor(make_user, role)
    allowed = role in (EDITORS if edit else READERS)
    check(lambda: permissions.access_discipline(user=user, discipline_id=discipline.pk, edit=edit), allowed, discipline)
    with pytest.raises(Http404):
        permissions.access_discipline(user=user, discipline_id=discipline.pk + 100, edit=edit)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_access_curriculum_entry(make_user, role):
    entry = CurriculumEntryFactory()
    user = actor(make_user, role)
    check(lambda: permissions.access_curriculum_entry(user=user, entry_id=entry.pk), role in EDITORS, entry)
    with pytest.raises(Http404):
        permissions.access_curriculum_entry(user=user, entry_id=entry.pk + 100)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("edit", [False, True])
def test_access_academic_year(make_user, role, edit):
    year = AcademicYearFactory()
    user = actor(make_user, role)
    allowed = role in (EDITORS if edit else READERS)
    check(lambda: permissions.access_academic_year(user=user, year_id=year.pk, edit=edit), allowed, year)
    with pytest.raises(Http404):
        permissions.access_academic_year(user=user, year_id=year.pk + 100, edit=edit)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("edit", [False, True])
@pytest.mark.parametrize("approved", [False, True])
def test_access_calendar(make_user, role, edit, approved):
    calendar = AcademicCalendarFactory(
        approved_on=date(2026, 6, 25) if approved else None, protocol_number="11" if approved else ""
    )
    user = actor(make_user, role)
    allowed = role in EDITORS if edit else role in READERS and (approved or role in DRAFT_READERS)
    check(lambda: permissions.access_calendar(user=user, calendar_id=calendar.pk, edit=edit), allowed, calendar)
    with pytest.raises(Http404):
        permissions.access_calendar(user=user, calendar_id=calendar.pk + 100, edit=edit)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_access_calendar_event(make_user, role):
    event = CalendarEventFactory(kind="classes", start_date=date(2026, 9, 1), end_date=date(2026, 12, 19))
    user = actor(make_user, role)
    check(lambda: permissions.access_calendar_event(user=user, event_id=event.pk), role in EDITORS, event)
    with pytest.raises(Http404):
        permissions.access_calendar_event(user=user, event_id=event.pk + 100)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("edit", [False, True])
def test_access_group(make_user, role, edit):
    group = StudyGroupFactory()
    user = actor(make_user, role)
    allowed = role in (EDITORS if edit else READERS)
    check(lambda: permissions.access_group(user=user, group_id=group.pk, edit=edit), allowed, group)
    with pytest.raises(Http404):
        permissions.access_group(user=user, group_id=group.pk + 100, edit=edit)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("edit", [False, True])
def test_access_assignments(make_user, role, edit):
    allowed = role in (EDITORS if edit else DRAFT_READERS)
    check(lambda: permissions.access_assignments(user=actor(make_user, role), edit=edit), allowed, None)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_access_teaching_assignment(make_user, role):
    assignment = TeachingAssignmentFactory(user=make_user(Role.TEACHER))
    user = actor(make_user, role)
    check(
        lambda: permissions.access_teaching_assignment(user=user, assignment_id=assignment.pk),
        role in EDITORS,
        assignment,
    )
    with pytest.raises(Http404):
        permissions.access_teaching_assignment(user=user, assignment_id=assignment.pk + 100)
