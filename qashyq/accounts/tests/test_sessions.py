"""A signed-in user's roles are kept in their session with the user's roles version (accounts/sessions.py): a
request reads the user but not their roles, and a change of roles is seen at the user's next request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qashyq.accounts import services
from qashyq.accounts.data import Role
from qashyq.accounts.models import User
from qashyq.accounts.sessions import SESSION_KEY
from qashyq.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def dashboard(role: Role) -> str:
    return reverse("portal:dashboard", kwargs={"role": role.value})


def version(user: User) -> int:
    return User.objects.values_list("roles_version", flat=True).get(pk=user.pk)


def roles_reads(queries: CaptureQueriesContext) -> int:
    return sum('"auth_group"' in query["sql"] for query in queries.captured_queries)


def test_signing_in_keeps_the_roles_with_their_version(client, make_user):
    make_user(Role.TUTOR, Role.STUDENT, username="dana")  # setting the groups raised the version to 1
    assert client.post("/accounts/login/", {"login": "dana", "password": TEST_PASSWORD}).status_code == 302
    assert client.session[SESSION_KEY] == [1, ["student", "tutor"]]


def test_a_signed_in_request_reads_the_user_once_and_the_roles_never(client, make_user):
    client.force_login(make_user(Role.TEACHER))  # signs in as the sign-in page does: the roles go to the session
    with CaptureQueriesContext(connection) as first:
        assert client.get(dashboard(Role.TEACHER)).status_code == 200
    assert roles_reads(first) == 0
    with CaptureQueriesContext(connection) as queries:
        assert client.get(dashboard(Role.TEACHER)).status_code == 200
    # The teacher's dashboard reads nothing of its own, and the user's row comes from the cache: the session.
    sqls = [query["sql"] for query in queries.captured_queries]
    assert len(sqls) == 1
    assert 'FROM "django_session"' in sqls[0]
    assert roles_reads(queries) == 0


def test_a_change_of_roles_is_seen_at_the_next_request(client, make_user):
    user = make_user(Role.STUDENT)
    it_support = make_user(Role.IT_SUPPORT)
    client.force_login(user)
    assert client.get(dashboard(Role.TEACHER)).status_code == 404

    services.user_roles_set(
        actor=it_support, user=User.objects.get(pk=user.pk), roles=[Role.STUDENT, Role.TEACHER], reason="Appointed"
    )
    with CaptureQueriesContext(connection) as changed:
        assert client.get(dashboard(Role.TEACHER)).status_code == 200
    assert roles_reads(changed) == 1
    assert client.session[SESSION_KEY] == [2, ["student", "teacher"]]
    with CaptureQueriesContext(connection) as after:
        assert client.get(dashboard(Role.TEACHER)).status_code == 200
    assert roles_reads(after) == 0

    services.user_roles_set(actor=it_support, user=User.objects.get(pk=user.pk), roles=[Role.TEACHER], reason="Left")
    assert client.get(dashboard(Role.STUDENT)).status_code == 404
    assert client.session[SESSION_KEY] == [3, ["teacher"]]


def test_changes_from_the_user_side_raise_the_version(make_user):
    user = make_user(Role.STUDENT)
    tutor = Group.objects.get(name=Role.TUTOR.value)
    assert version(user) == 1
    user.groups.add(tutor)
    assert version(user) == 2
    user.groups.remove(tutor)
    assert version(user) == 3
    user.groups.clear()
    assert version(user) == 4


def test_changes_from_the_group_side_raise_the_version_of_its_users_only(make_user):
    first, second, bystander = make_user(Role.STUDENT), make_user(Role.STUDENT), make_user(Role.TUTOR)
    tutor = Group.objects.get(name=Role.TUTOR.value)
    tutor.user_set.remove(bystander)
    assert [version(u) for u in (first, second, bystander)] == [1, 1, 2]
    tutor.user_set.add(first, second)
    assert [version(u) for u in (first, second, bystander)] == [2, 2, 2]
    tutor.user_set.remove(first)
    assert [version(u) for u in (first, second, bystander)] == [3, 2, 2]
    tutor.user_set.clear()
    assert [version(u) for u in (first, second, bystander)] == [3, 3, 2]


def test_deleting_a_group_raises_the_version_of_its_users_only(make_user):
    member, bystander = make_user(Role.TUTOR), make_user(Role.STUDENT)
    Group.objects.get(name=Role.TUTOR.value).delete()
    assert [version(member), version(bystander)] == [2, 1]


@pytest.mark.parametrize("kept", [[0, ["head"]], [7, ["head"]], ["head"], "head", None])
def test_roles_kept_for_another_version_or_in_another_shape_are_read_again(client, make_user, kept):
    user = make_user(Role.STUDENT)
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = kept
    session.save()
    assert client.get(dashboard(Role.HEAD)).status_code == 404
    assert client.session[SESSION_KEY] == [1, ["student"]]
    assert client.get(dashboard(Role.STUDENT)).status_code == 200


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, make_user):
    user = make_user(Role.STUDENT)
    client.force_login(user)
    assert client.get("/").url == dashboard(Role.STUDENT)
    user.is_active = False
    user.save(update_fields=["is_active"])  # as the account's form does: the cached row is dropped
    assert client.get("/").url.startswith(reverse("account_login"))
    assert client.get(dashboard(Role.STUDENT)).url.startswith(reverse("account_login"))
