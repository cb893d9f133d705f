"""Who may do what with accounts. "Not yours" and "does not exist" both give 404."""

from django.http import Http404

from qashyq.accounts.data import Role
from qashyq.accounts.models import User
from qashyq.accounts.selectors import user_roles


def can_manage_roles(*, user: User) -> bool:
    return user.is_authenticated and user.is_active and Role.IT_SUPPORT in user_roles(user)


def access_user_for_role_change(*, user: User, user_id: int) -> User:
    """The account whose roles `user` may change: IT support only, never their own."""
    if not can_manage_roles(user=user) or user.pk == user_id:
        raise Http404
    try:
        return User.objects.get(pk=user_id)
    except User.DoesNotExist:
        raise Http404 from None


def access_dashboard(*, user: User, role: Role) -> Role:
    """A role's dashboard opens only for a holder of that role."""
    if not user.is_authenticated or role not in user_roles(user):
        raise Http404
    return role
