"""Who may see and do what with DLT applications, orders, plans and schedules. "Not yours" and "does not
exist" both give 404. Each area has its module (applications, plans, orders, registry); the role tests they
share are here."""

from typing import Any

from qashyq.accounts.api import Role, acting_roles

STAFF_ROLES = frozenset({Role.ADMINISTRATION, Role.HEAD})


def is_administration(user: Any) -> bool:
    """The learning-process administration service: reviews applications, builds orders, keeps plans."""
    return Role.ADMINISTRATION in acting_roles(user)


def is_head(user: Any) -> bool:
    """The head of the organization: the addressee of applications, signs DLT orders (rule 12)."""
    return Role.HEAD in acting_roles(user)


def sees_everything(user: Any) -> bool:
    """The administration service and the head see every application, order, plan and schedule."""
    return bool(acting_roles(user) & STAFF_ROLES)
