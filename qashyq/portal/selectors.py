from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count

from qashyq.accounts.api import Role
from qashyq.audit import api as audit_api

# When a user holds several roles, the first of these they hold is their landing page.
LANDING_ORDER = (
    Role.HEAD,
    Role.ADMINISTRATION,
    Role.IT_SUPPORT,
    Role.DIDACTICS,
    Role.TEACHER,
    Role.TUTOR,
    Role.STUDENT,
)


def landing_role(roles: frozenset[Role]) -> Role | None:
    return next((role for role in LANDING_ORDER if role in roles), None)


def role_counts() -> dict[Role, int]:
    """Active accounts per role, in one query."""
    rows = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=Role.values)
        .values("groups__name")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(Role, 0)
    for row in rows:
        counts[Role(row["groups__name"])] = row["n"]
    return counts


def dashboard_context(*, role: Role) -> dict[str, Any]:
    if role in (Role.HEAD, Role.IT_SUPPORT):
        labels = dict(Role.choices)
        return {
            "role_counts": [(labels[r], n) for r, n in role_counts().items()],
            "ledger": audit_api.summary(),
        }
    return {}
