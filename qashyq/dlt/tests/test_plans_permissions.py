"""The full access matrix of permissions/plans.py: every role, the student themselves and another student,
the teacher and tutor named on a line and those who are not, anonymous and deactivated accounts, missing rows."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from qashyq.accounts.tests.factories import UserFactory
from qashyq.dlt.data import ApplicationStatus
from qashyq.dlt.models import StudyPlanLine
from qashyq.dlt.permissions.plans import (
    access_feed,
    access_plan,
    access_plan_line,
    access_schedule,
    access_schedule_entry,
    can_edit_plan,
    can_edit_schedule,
    can_rotate_feed,
    can_see_application,
    can_see_feed,
)
from qashyq.dlt.tests.helpers import dlt_world, make_application
from qashyq.dlt.tests.plan_helpers import planned
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_student

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "inactive_admin",
    "inactive_self",
    "self",
    "other_student",
    "admin",
    "head",
    "named_teacher",
    "named_tutor",
    "other_teacher",
    "other_tutor",
    "named_without_role",
    "didactics",
    "it_support",
]
READERS = {"self", "admin", "head", "named_teacher", "named_tutor"}


@pytest.fixture
def setup():
    """An accepted application with its plan and schedule, and one user of each kind."""
    made = planned()
    world = made.world
    other = make_student(
        world.programme, group=world.group, status=StudentStatus.ACTIVE, user=UserFactory(roles=["student"])
    )
    make_application(other, status=ApplicationStatus.ACCEPTED)
    named_without_role = UserFactory(roles=["didactics"])
    StudyPlanLine.objects.filter(plan=made.plan, discipline__code="WEB202").update(teacher=named_without_role)
    people = {
        "anonymous": AnonymousUser(),
        "inactive_admin": UserFactory(roles=["administration"], is_active=False),
        "self": world.student_user,
        "other_student": other.user,
        "admin": world.admin,
        "head": world.head,
        "named_teacher": world.teacher,
        "named_tutor": world.tutor,
        "other_teacher": UserFactory(roles=["teacher"]),
        "other_tutor": UserFactory(roles=["tutor"]),
        "named_without_role": named_without_role,
        "didactics": world.didactics,
        "it_support": world.it_support,
    }
    return made, people


def person(setup, name):
    made, people = setup
    if name == "inactive_self":
        user = made.world.student_user
        user.is_active = False
        user.save(update_fields=["is_active"])
        return user
    return people[name]


@pytest.mark.parametrize("name", PEOPLE)
def test_access_plan(setup, name):
    made = setup[0]
    user = person(setup, name)
    if name in READERS:
        assert access_plan(user=user, application_id=made.application.pk) == made.plan
    else:
        with pytest.raises(Http404):
            access_plan(user=user, application_id=made.application.pk)


@pytest.mark.parametrize("name", PEOPLE)
def test_access_schedule(setup, name):
    made = setup[0]
    user = person(setup, name)
    if name in READERS:
        assert access_schedule(user=user, application_id=made.application.pk) == made.schedule
    else:
        with pytest.raises(Http404):
            access_schedule(user=user, application_id=made.application.pk)


@pytest.mark.parametrize("name", PEOPLE)
def test_nothing_of_an_application_without_a_plan_or_of_a_missing_one(setup, name):
    """Another student's application is accepted but has no plan yet: 404 for everyone, as is a missing id."""
    made = setup[0]
    user = person(setup, name)
    unplanned = made.application.__class__.objects.exclude(pk=made.application.pk).get()
    for application_id in (unplanned.pk, 999_999):
        with pytest.raises(Http404):
            access_plan(user=user, application_id=application_id)
        with pytest.raises(Http404):
            access_schedule(user=user, application_id=application_id)


@pytest.mark.parametrize("name", PEOPLE)
def test_lines_and_entries_are_changed_by_the_administration_service_only(setup, name):
    made = setup[0]
    user = person(setup, name)
    line = made.plan.lines.first()
    entry = made.schedule.entries.first()
    if name == "admin":
        assert access_plan_line(user=user, line_id=line.pk) == line
        assert access_schedule_entry(user=user, entry_id=entry.pk) == entry
        with pytest.raises(Http404):
            access_plan_line(user=user, line_id=999_999)
        with pytest.raises(Http404):
            access_schedule_entry(user=user, entry_id=999_999)
    else:
        with pytest.raises(Http404):
            access_plan_line(user=user, line_id=line.pk)
        with pytest.raises(Http404):
            access_schedule_entry(user=user, entry_id=entry.pk)
    assert can_edit_plan(user=user) is (name == "admin")
    assert can_edit_schedule(user=user) is (name == "admin")


@pytest.mark.parametrize("name", PEOPLE)
def test_the_feed_address_is_the_students_and_the_administration_may_renew_it(setup, name):
    made = setup[0]
    user = person(setup, name)
    assert can_see_feed(user=user, schedule=made.schedule) is (name == "self")
    assert can_rotate_feed(user=user, schedule=made.schedule) is (name in {"self", "admin"})
    assert can_see_application(user=user, application=made.application) is (name in {"self", "admin", "head"})


def test_the_feed_opens_by_its_token_only(setup):
    made = setup[0]
    assert access_feed(token=made.schedule.feed_token) == made.schedule
    for token in ("", "x" * 43, made.schedule.feed_token[:-1]):
        with pytest.raises(Http404):
            access_feed(token=token)


def test_a_world_without_plans_gives_404_to_the_staff_too():
    world = dlt_world()
    application = make_application(world.student, status=ApplicationStatus.SUBMITTED)
    for user in (world.admin, world.head, world.student_user):
        with pytest.raises(Http404):
            access_plan(user=user, application_id=application.pk)
