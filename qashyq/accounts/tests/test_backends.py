"""A signed-in request reads its user's row from the cache (accounts/backends.py); any change of the user drops
it, so deactivation, a new password, deletion and new roles are all seen at the user's next request."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qashyq.accounts.backends import user_cached
from qashyq.accounts.data import Role
from qashyq.accounts.models import User

pytestmark = pytest.mark.django_db


def dashboard(role: Role) -> str:
    return reverse("portal:dashboard", kwargs={"role": role.value})


def user_reads(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return sum('FROM "accounts_user"' in q["sql"] for q in queries.captured_queries)


def test_the_row_is_read_once_then_taken_from_the_cache(client, make_user):
    user = make_user(Role.STUDENT)
    client.force_login(user)  # saves last_login: the row is not cached yet
    assert user_reads(client, dashboard(Role.STUDENT)) == 1
    assert user_reads(client, dashboard(Role.STUDENT)) == 0
    assert user_cached(user.pk).username == user.username


def test_a_saved_user_is_read_again_with_what_changed(client, make_user):
    user = make_user(Role.STUDENT)
    client.force_login(user)
    client.get(dashboard(Role.STUDENT))
    user.large_text = True
    user.save(update_fields=["large_text"])
    assert user_reads(client, dashboard(Role.STUDENT)) == 1
    assert user_cached(user.pk).large_text is True


def test_a_new_password_signs_the_other_sessions_out(client, make_user):
    user = make_user(Role.STUDENT)
    client.force_login(user)
    assert client.get(dashboard(Role.STUDENT)).status_code == 200
    user.set_password("another-Secret-2026")
    user.save()
    assert client.get(dashboard(Role.STUDENT)).url.startswith(reverse("account_login"))


def test_a_deleted_user_is_signed_out(client, make_user):
    user = make_user(Role.STUDENT)
    client.force_login(user)
    assert client.get(dashboard(Role.STUDENT)).status_code == 200
    User.objects.filter(pk=user.pk).delete()  # a queryset's delete sends post_delete for each row
    assert client.get(dashboard(Role.STUDENT)).url.startswith(reverse("account_login"))
    assert user_cached(user.pk) is None


def test_roles_taken_in_bulk_are_seen_at_the_next_request(client, make_user):
    user = make_user(Role.TEACHER)
    client.force_login(user)
    assert client.get(dashboard(Role.TEACHER)).status_code == 200
    Group.objects.get(name=Role.TEACHER.value).user_set.clear()  # the roles versions rise in one UPDATE
    assert user_reads(client, dashboard(Role.TEACHER)) == 1
    assert client.get(dashboard(Role.TEACHER)).status_code == 404  # a dashboard of a role not held


def test_a_row_cached_while_the_change_was_open_is_dropped_at_the_commit(
    client, make_user, django_capture_on_commit_callbacks
):
    user = make_user(Role.STUDENT)
    with django_capture_on_commit_callbacks(execute=True):
        user.is_active = False
        user.save(update_fields=["is_active"])
        stale = User.objects.get(pk=user.pk)
        stale.is_active = True  # a concurrent request's read from before the commit
        cache.set(f"accounts:user:{user.pk}", stale, 300)
    assert user_cached(user.pk).is_active is False
