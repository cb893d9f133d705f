"""Sign-in, sign-out, failed sign-in, lockout and MFA changes go to the audit ledger; a change of a user's
groups raises their roles version (accounts/sessions.py); any change of a user drops their cached row
(accounts/backends.py).

These receivers listen to the signals of Django, allauth and axes (libraries), never to
signals between Qashyq's own apps.
"""

from typing import Any

from allauth.mfa import signals as mfa_signals
from axes.signals import user_locked_out
from django.contrib.auth import signals as auth_signals
from django.contrib.auth.models import Group
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.http import HttpRequest

from qashyq.accounts.backends import users_forget
from qashyq.accounts.models import User
from qashyq.accounts.sessions import roles_remember
from qashyq.audit import api as audit_api
from qashyq.core.network import client_ip as _ip


def on_logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_api.record(actor=user, action="accounts.signed_in", target=user, ip=_ip(request))
    if hasattr(request, "session"):
        roles_remember(request.session, user)


def on_logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_api.record(actor=user, action="accounts.signed_out", target=user, ip=_ip(request))


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    login = credentials.get("username") or credentials.get("email") or credentials.get("login") or ""
    audit_api.record(actor=None, action="accounts.sign_in_failed", after={"login": str(login)[:150]}, ip=_ip(request))


def on_locked_out(sender: Any, request: HttpRequest, username: str | None, ip_address: str, **kwargs: Any) -> None:
    audit_api.record(
        actor=None, action="accounts.locked_out", after={"login": (username or "")[:150]}, ip=ip_address or ""
    )


def on_groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """Users' groups (roles) changed: raise their `roles_version`, so their sessions read the roles again."""
    if reverse:  # `instance` is a group: the users added or removed, or all its users before it is emptied
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        users = (
            User.objects.filter(groups=instance) if action == "pre_clear" else User.objects.filter(pk__in=pk_set or ())
        )
    else:
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        users = User.objects.filter(pk=instance.pk)
    _roles_changed(users)


def on_group_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A group (role) is deleted: its users' sessions must read their roles again."""
    _roles_changed(User.objects.filter(groups=instance))


def _roles_changed(users: Any) -> None:
    ids = list(users.values_list("pk", flat=True))
    User.objects.filter(pk__in=ids).update(roles_version=F("roles_version") + 1)
    users_forget(ids)


def on_user_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A user saved or deleted: the next request reads their row again (backends.py)."""
    users_forget([instance.pk])


def _on_authenticator(action: str) -> Any:
    def receiver(sender: Any, request: HttpRequest | None, user: Any, authenticator: Any, **kwargs: Any) -> None:
        audit_api.record(
            actor=user,
            action=action,
            target=user,
            after={"authenticator": authenticator.type, "authenticator_id": authenticator.pk},
            ip=_ip(request),
        )

    return receiver


_RECEIVERS = [
    (auth_signals.user_logged_in, on_logged_in),
    (auth_signals.user_logged_out, on_logged_out),
    (auth_signals.user_login_failed, on_login_failed),
    (user_locked_out, on_locked_out),
    (mfa_signals.authenticator_added, _on_authenticator("accounts.mfa_added")),
    (mfa_signals.authenticator_removed, _on_authenticator("accounts.mfa_removed")),
    (mfa_signals.authenticator_reset, _on_authenticator("accounts.mfa_reset")),
    (mfa_signals.authentication_failed, _on_authenticator("accounts.mfa_failed")),
]


def connect() -> None:
    for signal, receiver in _RECEIVERS:
        signal.connect(receiver, dispatch_uid=f"qashyq.accounts.{signal!r}.{receiver.__qualname__}.{id(receiver)}")
    m2m_changed.connect(on_groups_changed, sender=User.groups.through, dispatch_uid="qashyq.accounts.groups_changed")
    pre_delete.connect(on_group_deleted, sender=Group, dispatch_uid="qashyq.accounts.group_deleted")
    post_save.connect(on_user_changed, sender=User, dispatch_uid="qashyq.accounts.user_saved")
    post_delete.connect(on_user_changed, sender=User, dispatch_uid="qashyq.accounts.user_deleted")
