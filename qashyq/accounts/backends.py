"""The signed-in user of each request, read from the cache instead of the database.

Every signed-in request loads its user (Django's `get_user`: the session's user id, then the row, then the
session's hash checked against the row's password). On an exam day that row is read some 25,000 times in a few
minutes, and the query is about a tenth of a question page's or an answer save's CPU, the database's
included. The row is kept in the cache instead (USER_CACHE_SECONDS) and forgotten the moment it changes:
every save or deletion of a user (its signals), and the bulk updates of roles versions (receivers.py) —
so a user deactivated, or whose password changed, is signed out at their next request, as before. Django
still checks the session's hash and `is_active` on the cached row."""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.core.cache import cache
from django.db import transaction

from qashyq.accounts.models import User

USER_CACHE_SECONDS = 300
_KEY = "accounts:user:{}"


def user_cached(user_id: Any) -> User | None:
    key = _KEY.format(user_id)
    user = cache.get(key)
    if user is None:
        user = User.objects.filter(pk=user_id).first()
        if user is not None:
            cache.set(key, user, USER_CACHE_SECONDS)
    return user


def users_forget(user_ids: Any) -> None:
    """Drop these users' cached rows (they changed): now, and again when the change commits, so that a request
    that read the old row while the transaction was open cannot keep it."""
    keys = [_KEY.format(pk) for pk in user_ids]
    cache.delete_many(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete_many(keys))


class AuthenticationBackend(AllauthBackend):
    """allauth's backend (sign-in by username or e-mail) whose `get_user` reads the cached row."""

    def get_user(self, user_id: Any) -> User | None:
        user = user_cached(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
