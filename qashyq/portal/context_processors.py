from typing import Any

from django.http import HttpRequest

from qashyq.accounts.api import user_roles
from qashyq.portal.navigation import nav_items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": nav_items_for(user_roles(user))}
