"""What other apps may use of accounts: roles, who holds them, and the dashboard gate."""

from qashyq.accounts.data import AuthedRequest, Role
from qashyq.accounts.permissions import access_dashboard
from qashyq.accounts.selectors import acting_roles, user_roles
from qashyq.accounts.services import user_create, user_roles_set

__all__ = ["AuthedRequest", "Role", "access_dashboard", "acting_roles", "user_create", "user_roles", "user_roles_set"]
