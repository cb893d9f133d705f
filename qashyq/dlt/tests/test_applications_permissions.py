"""The full access matrix of permissions/applications.py: every role, anonymous, a deactivated account, the
student themselves against another student, and a staff member who is also a student."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from qashyq.accounts.data import Role
from qashyq.accounts.tests.factories import UserFactory
from qashyq.dlt.data import ApplicationStatus
from qashyq.dlt.permissions import applications as perms
from qashyq.dlt.tests.helpers import dlt_world, make_application
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_student

pytestmark = pytest.mark.django_db

S = ApplicationStatus
ALL_ROLES = list(Role)
STAFF = {Role.ADMINISTRATION, Role.HEAD}


@pytest.fixture
def world():
    return dlt_world()


def student_with_account(world, *roles):
    user = UserFactory(roles=list(roles))
    make_student(world.programme, group=world.group, status=StudentStatus.ACTIVE, user=user)
    return user


def sees(user, application):
    try:
        return perms.access_application(user=user, application_id=application.pk) == application
    except Http404:
        return False


def sees_document(user, application):
    document = application.documents.get()
    try:
        return perms.access_supporting_document(user=user, document_id=document.pk) == document
    except Http404:
        return False


# --- seeing an application and its documents -------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.ACCEPTED])
def test_each_role_without_a_tie(world, role, status):
    """A user of each role who is not the student: the administration service and the head see submitted
    applications; nobody else sees any, and nobody but the student sees a draft."""
    application = make_application(world.student, status=status)
    user = UserFactory(roles=[role])
    expected = role in STAFF and status != S.DRAFT
    assert sees(user, application) is expected
    assert sees_document(user, application) is expected


@pytest.mark.parametrize("status", list(S))
def test_the_student_sees_their_own_at_every_step(world, status):
    application = make_application(world.student, status=status)
    assert sees(world.student_user, application)
    assert sees_document(world.student_user, application)


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED])
def test_another_student_sees_nothing(world, status):
    application = make_application(world.student, status=status)
    other = student_with_account(world, "student")
    assert not sees(other, application)
    assert not sees_document(other, application)


@pytest.mark.parametrize("who", ["student_user", "admin", "head"])
def test_a_deactivated_account_sees_nothing(world, who):
    application = make_application(world.student, status=S.SUBMITTED)
    user = getattr(world, who)
    user.is_active = False
    user.save()
    assert not sees(user, application)
    assert not sees_document(user, application)


def test_anonymous_sees_nothing(world):
    application = make_application(world.student, status=S.SUBMITTED)
    assert not sees(AnonymousUser(), application)
    assert not sees_document(AnonymousUser(), application)


def test_missing_and_not_yours_are_alike(world):
    with pytest.raises(Http404):
        perms.access_application(user=world.admin, application_id=999_999)
    with pytest.raises(Http404):
        perms.access_supporting_document(user=world.admin, document_id=999_999)


def test_a_staff_member_who_is_also_a_student(world):
    user = student_with_account(world, "administration", "student")
    own_draft = make_application(user.student, status=S.DRAFT)
    others = make_application(world.student, status=S.SUBMITTED)
    others_draft_student = student_with_account(world, "student")
    others_draft = make_application(others_draft_student.student, status=S.DRAFT)
    assert sees(user, own_draft)
    assert sees(user, others)
    assert not sees(user, others_draft)


# --- the student's actions --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_can_apply_and_see_own_need_a_linked_record(world, role):
    linked = student_with_account(world, role)
    unlinked = UserFactory(roles=[role])
    assert perms.can_apply(user=linked) is (role == Role.STUDENT)
    assert perms.can_see_own(user=linked) is True
    assert perms.can_apply(user=unlinked) is False
    assert perms.can_see_own(user=unlinked) is False


def test_can_apply_not_for_anonymous_or_deactivated(world):
    assert perms.can_apply(user=AnonymousUser()) is False
    assert perms.can_see_own(user=AnonymousUser()) is False
    world.student_user.is_active = False
    world.student_user.save()
    assert perms.can_apply(user=world.student_user) is False
    assert perms.can_see_own(user=world.student_user) is False


@pytest.mark.parametrize("status", list(S))
def test_the_owner_edits_submits_and_deletes_by_status(world, status):
    application = make_application(world.student, status=status)
    editable = status in (S.DRAFT, S.RETURNED)
    assert perms.can_edit(user=world.student_user, application=application) is editable
    assert perms.can_submit(user=world.student_user, application=application) is editable
    assert perms.can_delete(user=world.student_user, application=application) is (status == S.DRAFT)
    assert perms.is_own(user=world.student_user, application=application) is True


@pytest.mark.parametrize("role", ALL_ROLES)
def test_nobody_else_edits(world, role):
    application = make_application(world.student, status=S.DRAFT)
    user = UserFactory(roles=[role])
    assert perms.can_edit(user=user, application=application) is False
    assert perms.can_delete(user=user, application=application) is False
    assert perms.is_own(user=user, application=application) is False


def test_another_student_anonymous_and_deactivated_do_not_edit(world):
    application = make_application(world.student, status=S.DRAFT)
    for user in (student_with_account(world, "student"), AnonymousUser()):
        assert perms.can_edit(user=user, application=application) is False
        assert perms.can_delete(user=user, application=application) is False
    world.student_user.is_active = False
    world.student_user.save()
    assert perms.can_edit(user=world.student_user, application=application) is False
    assert perms.is_own(user=world.student_user, application=application) is False


def test_an_owner_without_the_student_role_reads_but_does_not_edit(world):
    """An account linked to a record that holds no student role (a teacher who studies, say) sees its own
    application but writes nothing."""
    user = student_with_account(world, "teacher")
    application = make_application(user.student, status=S.DRAFT)
    assert perms.is_own(user=user, application=application) is True
    assert sees(user, application)
    assert perms.can_edit(user=user, application=application) is False
    assert perms.can_delete(user=user, application=application) is False


# --- the review ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_can_see_queue(world, role):
    assert perms.can_see_queue(user=UserFactory(roles=[role])) is (role in STAFF)


def test_can_see_queue_not_anonymous_or_deactivated(world):
    assert perms.can_see_queue(user=AnonymousUser()) is False
    world.admin.is_active = False
    world.admin.save()
    assert perms.can_see_queue(user=world.admin) is False


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("status", list(S))
def test_review_by_role_and_status(world, role, status):
    application = make_application(world.student, status=status)
    user = UserFactory(roles=[role])
    reviewer = role == Role.ADMINISTRATION
    assert perms.can_review(user=user, application=application) is reviewer
    assert perms.can_take_for_review(user=user, application=application) is (reviewer and status == S.SUBMITTED)
    assert perms.can_decide(user=user, application=application) is (reviewer and status == S.UNDER_REVIEW)


def test_the_student_never_reviews(world):
    application = make_application(world.student, status=S.UNDER_REVIEW)
    assert perms.can_review(user=world.student_user, application=application) is False
    assert perms.can_decide(user=world.student_user, application=application) is False


def test_nobody_reviews_their_own(world):
    user = student_with_account(world, "administration", "student")
    own = make_application(user.student, status=S.UNDER_REVIEW)
    assert perms.can_review(user=user, application=own) is False
    assert perms.can_decide(user=user, application=own) is False
    others = make_application(world.student, status=S.UNDER_REVIEW)
    assert perms.can_decide(user=user, application=others) is True


def test_deactivated_and_anonymous_do_not_review(world):
    application = make_application(world.student, status=S.UNDER_REVIEW)
    assert perms.can_review(user=AnonymousUser(), application=application) is False
    world.admin.is_active = False
    world.admin.save()
    assert perms.can_decide(user=world.admin, application=application) is False


# --- the application as a document ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_can_print_by_role(world, role):
    application = make_application(world.student, status=S.SUBMITTED)
    assert perms.can_print(user=UserFactory(roles=[role]), application=application) is (role in STAFF)


@pytest.mark.parametrize("status", list(S))
def test_the_student_prints_once_submitted(world, status):
    application = make_application(world.student, status=status)
    assert perms.can_print(user=world.student_user, application=application) is (status != S.DRAFT)


def test_nobody_prints_a_draft(world):
    application = make_application(world.student, status=S.DRAFT)
    assert perms.can_print(user=world.admin, application=application) is False
    assert perms.can_print(user=AnonymousUser(), application=application) is False
    assert perms.can_print(user=student_with_account(world, "student"), application=application) is False
