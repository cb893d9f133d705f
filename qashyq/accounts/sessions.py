"""A signed-in user's roles kept in their session, so that a request does not read them again.

Every request needs the roles (RequireMfaMiddleware, the navigation, the permission checks), and they rarely
change. The session keeps them with the user's `roles_version` at that moment; the user row, read on every
request anyway, tells whether they are still current (the version rises whenever the user's groups change:
receivers.on_groups_changed), else they are read again and kept anew."""

from typing import Any

from qashyq.accounts.data import Role
from qashyq.accounts.models import User
from qashyq.accounts.selectors import user_roles

SESSION_KEY = "_qashyq_roles"
_ROLE_VALUES = frozenset(Role.values)


def roles_remember(session: Any, user: User) -> None:
    """Keep the user's roles (read now, or already on the user object) in the session."""
    session[SESSION_KEY] = [user.roles_version, sorted(user_roles(user))]


def roles_recall(session: Any, user: User) -> None:
    """Give `user` the roles its session keeps when they are current (no query), else read and keep them."""
    kept = session.get(SESSION_KEY)
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == user.roles_version:
        user._qashyq_roles = frozenset(Role(name) for name in kept[1] if name in _ROLE_VALUES)  # type: ignore[attr-defined]
    else:
        roles_remember(session, user)
