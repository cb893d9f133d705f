from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qashyq.accounts.data import Role
from qashyq.accounts.models import User
from qashyq.accounts.roles import ROLE_PERMISSIONS
from qashyq.accounts.selectors import user_roles
from qashyq.audit import api as audit_api


def roles_sync() -> None:
    """Make one group per role holding exactly its permission set."""
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    by_label = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[w.split(".", 1)[1] for w in wanted]
        )
    }
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set([by_label[p] for p in ROLE_PERMISSIONS[role] if p in by_label])


def roles_sync_after_migrate(**kwargs: Any) -> None:
    roles_sync()


def user_create(
    *,
    username: str,
    email: str | None,
    password: str | None,
    password_hash: str | None = None,
    first_name: str = "",
    last_name: str = "",
    patronymic: str = "",
    iin: str | None = None,
    roles: Iterable[Role] = (),
    actor: User | None = None,
) -> User:
    user = User(
        username=username,
        email=email or None,
        first_name=first_name,
        last_name=last_name,
        patronymic=patronymic,
        iin=iin or None,
    )
    if password:
        user.set_password(password)
    elif password_hash:
        user.password = password_hash  # already hashed (bulk imports hash once for many accounts)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        audit_api.record(actor=actor, action="accounts.user_created", target=user, after={"username": username})
        if roles:
            user_roles_set(actor=actor, user=user, roles=roles, reason=_("Account created"))
    return user


def user_roles_set(*, actor: User | None, user: User, roles: Iterable[Role], reason: str) -> User:
    """Replace the user's roles with `roles`, recording what changed."""
    new = frozenset(Role(r) for r in roles)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the roles change.")})
    with transaction.atomic():
        before = user_roles(user)
        if new == before:
            return user
        user.groups.set(Group.objects.filter(name__in=[r.value for r in new]))
        user._qashyq_roles = new  # type: ignore[attr-defined]
        audit_api.record(
            actor=actor,
            action="accounts.roles_changed",
            target=user,
            before={"roles": sorted(before)},
            after={"roles": sorted(new)},
            reason=reason,
        )
    return user


def user_preferences_update(
    *, user: User, language: str | None = None, high_contrast: bool | None = None, large_text: bool | None = None
) -> User:
    changed: list[str] = []
    if language is not None:
        if language not in dict(settings.LANGUAGES):
            raise ValidationError({"language": _("Unknown language code “%(value)s”.") % {"value": language}})
        user.language = language
        changed.append("language")
    if high_contrast is not None:
        user.high_contrast = high_contrast
        changed.append("high_contrast")
    if large_text is not None:
        user.large_text = large_text
        changed.append("large_text")
    if changed:
        user.save(update_fields=changed)
    return user
