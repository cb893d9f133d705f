"""Fields the content API shares. The progress status appears under several names (status, progress, statuses)
and "status" names other apps' enums too: drf-spectacular would name one enum component after each field and warn
about the collision (which `manage.py check --deploy` reports). These fields are described by a pattern instead
of an enum, so no component is made for them."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qashyq.content.data import ProgressStatus

ITEM_STATES = ("draft", "published", "changed")


def _one_of(values: tuple[str, ...] | list[str], *, blank: bool = False) -> dict[str, str]:
    alternatives = "|".join(values)
    return {"type": "string", "pattern": f"^({alternatives}){'?' if blank else ''}$"}


@extend_schema_field(_one_of(ProgressStatus.values))
class ProgressStatusField(serializers.CharField):
    """not_started, viewed or completed."""


@extend_schema_field(_one_of(ProgressStatus.values, blank=True))
class OptionalProgressStatusField(serializers.CharField):
    """A student's progress; "" where there is none to give (staff)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_blank=True, **kwargs)


@extend_schema_field(_one_of(ITEM_STATES, blank=True))
class ItemStateField(serializers.CharField):
    """Staff: draft (not published), published, changed (published, with unpublished changes); "" for students."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_blank=True, **kwargs)
