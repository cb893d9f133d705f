"""Rows the broadcast tests share: a course with its teacher, tutor and student, broadcasts, published items."""

from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.utils import timezone

from qashyq.academics.models import AcademicPeriod
from qashyq.academics.tests.factories import AcademicPeriodFactory
from qashyq.content.data import StaffRole
from qashyq.content.models import Broadcast, Course, Item, ItemVersion
from qashyq.content.tests.factories import CourseFactory, ItemFactory, add_staff

ALMATY = ZoneInfo("Asia/Almaty")


def period() -> AcademicPeriod:
    """The one period of the tests (the factory would make a second "semester 1" of the same year)."""
    found = AcademicPeriod.objects.first()
    return found if found is not None else cast(AcademicPeriod, AcademicPeriodFactory())


def course(**fields: Any) -> Course:
    return cast(Course, CourseFactory(period=period(), **fields))


def staffed_course(*, teacher: Any = None, tutor: Any = None, **fields: Any) -> Course:
    made = course(**fields)
    if teacher is not None:
        add_staff(made, teacher, StaffRole.TEACHER)
    if tutor is not None:
        add_staff(made, tutor, StaffRole.TUTOR)
    return made


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment given in Almaty time."""
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def broadcast(
    of: Course, starts_at: datetime, *, minutes: int = 45, channel: str = "Хабар", **fields: Any
) -> Broadcast:
    """A broadcast row written directly (no overlap check): for reads and permissions."""
    values: dict[str, Any] = {"name_kk": "Тақырып", "created_by": of.created_by}
    values.update(fields)
    return Broadcast.objects.create(course=of, channel=channel, starts_at=starts_at, duration_minutes=minutes, **values)


def published_item(of: Course, *, by: Any, data: dict[str, Any] | None = None, **fields: Any) -> Item:
    """An item of the course with a published version holding `data` (the published snapshot's keys)."""
    item = cast(Item, ItemFactory(section__course=of, **fields))
    snapshot = {
        "name_kk": item.name_kk,
        "name_ru": item.name_ru,
        "name_en": item.name_en,
        "kind": item.kind,
        "available_from": None,
        "available_until": None,
        **(data or {}),
    }
    version = ItemVersion.objects.create(item=item, number=1, data=snapshot, published_by=by)
    item.live_version = version
    item.draft_changed = False
    item.save(update_fields=["live_version", "draft_changed"])
    return item


def soon(hours: float = 24) -> datetime:
    return (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)
