from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from qashyq.accounts.data import Role
from qashyq.accounts.models import User

_ROLE_VALUES = frozenset(Role.values)


def user_roles(user: User) -> frozenset[Role]:
    """The user's roles, read once per user object (one query, then cached on it)."""
    cached: frozenset[Role] | None = getattr(user, "_qashyq_roles", None)
    if cached is None:
        if not user.is_authenticated:
            return frozenset()
        names = user.groups.values_list("name", flat=True)
        cached = frozenset(Role(name) for name in names if name in _ROLE_VALUES)
        user._qashyq_roles = cached  # type: ignore[attr-defined]
    return cached


def acting_roles(user: Any) -> frozenset[Role]:
    """The roles a user may act with now: none for nobody, an anonymous visitor or a deactivated account."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    return user_roles(user)


def user_requires_mfa(user: User) -> bool:
    required = set(settings.QASHYQ_MFA_REQUIRED_ROLES)
    return any(role.value in required for role in user_roles(user))


def user_list_with_roles(*, search: str = "") -> QuerySet[User]:
    from django.contrib.auth.models import Group

    users = User.objects.order_by("last_name", "first_name", "username").prefetch_related(
        Prefetch("groups", queryset=Group.objects.order_by("name"))
    )
    if search:
        from django.db.models import Q

        users = users.filter(
            Q(username__icontains=search)
            | Q(email__icontains=search)
            | Q(last_name__icontains=search)
            | Q(first_name__icontains=search)
        )
    return users
