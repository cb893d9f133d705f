"""The academic pages' own navigation, showing only the sections the user may open."""

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from qashyq.academics import permissions

register = template.Library()

SECTIONS = (
    ("academics:programme-list", _("Programmes"), "view"),
    ("academics:discipline-list", _("Disciplines"), "view"),
    ("academics:year-list", _("Academic years and calendars"), "view"),
    ("academics:group-list", _("Study groups"), "view"),
    ("academics:assignment-list", _("Teaching assignments"), "drafts"),
)


@register.inclusion_tag("academics/includes/subnav.html", takes_context=True)
def academics_nav(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    allowed = {"view": permissions.can_view_academics(user=user), "drafts": permissions.can_view_drafts(user=user)}
    current = f"{request.resolver_match.namespace}:{request.resolver_match.url_name}" if request.resolver_match else ""
    return {"sections": [(name, label, name == current) for name, label, need in SECTIONS if allowed[need]]}
