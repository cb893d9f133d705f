"""Rows the course and progress tests share: a course with two groups and one person of every kind, and a
publishing shortcut that writes a version in the format of interfaces.md (ITEMS' own `item_publish` is tested
by ITEMS; one course test goes through it)."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from qashyq.accounts.api import Role
from qashyq.accounts.tests.factories import UserFactory
from qashyq.content.data import EnrolmentSource, StaffRole
from qashyq.content.models import Course, CourseStaff, Enrolment, Item, ItemVersion
from qashyq.content.tests.factories import CourseFactory, ItemFactory, SectionFactory, add_staff
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student


def version_data(item: Item) -> dict[str, Any]:
    """An item's draft as `ItemVersion.data` holds it (interfaces.md)."""
    return {
        "name_kk": item.name_kk,
        "name_ru": item.name_ru,
        "name_en": item.name_en,
        "kind": item.kind,
        "activity": item.activity,
        "completion": item.completion,
        "minutes": item.minutes,
        "body": item.body,
        "url": item.url,
        "asset": None,
        "transcript": None,
        "scorm_package_id": item.scorm_package_id,
        "tracks": [],
        "available_from": item.available_from.isoformat() if item.available_from else None,
        "available_until": item.available_until.isoformat() if item.available_until else None,
        "prerequisite_id": item.prerequisite_id,
    }


def publish(item: Item, by: Any = None) -> ItemVersion:
    """Publish the item's draft as its next version."""
    number = (item.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ItemVersion.objects.create(
        item=item, number=number, data=version_data(item), published_by=by or item.course.created_by
    )
    item.live_version = version
    item.draft_changed = False
    item.save(update_fields=["live_version", "draft_changed", "updated_at"])
    return version


def make_items(course: Course, count: int, *, sections: int = 3, published: bool = True, **fields: Any) -> list[Item]:
    """`count` items spread over `sections` new sections of the course, in order."""
    blocks = [SectionFactory(course=course, position=n) for n in range(sections)]
    items = []
    for n in range(count):
        item: Any = ItemFactory(section=blocks[n % sections], course=course, position=n, minutes=10, **fields)
        if published:
            publish(item)
        items.append(item)
    return items


@dataclass
class World:
    course: Course
    other_course: Course
    group_a: Any
    group_b: Any
    people: dict[str, Any] = field(default_factory=dict)
    enrolment: Enrolment | None = None  # of people["student_enrolled"]
    ended: Enrolment | None = None  # of people["student_ended"]
    student_b: Enrolment | None = None  # an enrolled student of group B (no account)


PEOPLE = (
    "student_enrolled",
    "student_not_enrolled",
    "student_ended",
    "teacher",
    "other_teacher",
    "tutor_all",
    "tutor_limited",
    "other_tutor",
    "administration",
    "head",
    "didactics",
    "it_support",
    "anonymous",
    "inactive_teacher",
    "teacher_without_role",
)
# Those who see nothing of the course or of the other one: part of every access matrix too.
SEE_NOTHING = frozenset(
    {"student_not_enrolled", "student_ended", "it_support", "anonymous", "inactive_teacher", "teacher_without_role"}
)


def assert_matrix_names_everyone(*groups: set[str]) -> None:
    """The sets of an access matrix name only people of PEOPLE, and everyone but SEE_NOTHING."""
    named = set().union(*groups)
    assert named <= set(PEOPLE)
    assert set(PEOPLE) - named == SEE_NOTHING


def make_world() -> World:
    """A course for groups A and B with: an enrolled student (A), a student of A not enrolled, a student whose
    enrolment ended, its teacher, a teacher of another course, a tutor of every group, a tutor limited to
    group B, a tutor of another course, administration, head, didactics, IT support, an anonymous visitor, an
    inactive teacher of the course and a staff teacher who no longer holds the teacher role."""
    programme = make_programme(code="6B06199")
    group_a = make_group("ИС-26-1", programme)
    group_b = make_group("ИС-26-2", programme)
    course: Any = CourseFactory(code="IS-2101")
    course.groups.set([group_a, group_b])
    other: Any = CourseFactory(code="IS-9999", period=course.period)
    people: dict[str, Any] = {}

    def student_user(key: str) -> Any:
        people[key] = UserFactory(roles=[Role.STUDENT])
        return make_student(programme, group=group_a, status=StudentStatus.ACTIVE, user=people[key])

    enrolled = Enrolment.objects.create(
        course=course, student=student_user("student_enrolled"), source=EnrolmentSource.GROUP
    )
    student_user("student_not_enrolled")
    ended = Enrolment.objects.create(
        course=course,
        student=student_user("student_ended"),
        source=EnrolmentSource.GROUP,
        active=False,
        ended_at=timezone.now(),
    )
    student_b = Enrolment.objects.create(
        course=course,
        student=make_student(programme, group=group_b, status=StudentStatus.ACTIVE),
        source=EnrolmentSource.GROUP,
    )
    people["teacher"] = UserFactory(roles=[Role.TEACHER])
    add_staff(course, people["teacher"])
    people["other_teacher"] = UserFactory(roles=[Role.TEACHER])
    add_staff(other, people["other_teacher"])
    people["tutor_all"] = UserFactory(roles=[Role.TUTOR])
    add_staff(course, people["tutor_all"], StaffRole.TUTOR)
    people["tutor_limited"] = UserFactory(roles=[Role.TUTOR])
    limited: CourseStaff = add_staff(course, people["tutor_limited"], StaffRole.TUTOR)
    limited.groups.set([group_b])
    people["other_tutor"] = UserFactory(roles=[Role.TUTOR])
    add_staff(other, people["other_tutor"], StaffRole.TUTOR)
    for role in (Role.ADMINISTRATION, Role.HEAD, Role.DIDACTICS, Role.IT_SUPPORT):
        people[role.value] = UserFactory(roles=[role])
    people["anonymous"] = AnonymousUser()
    people["inactive_teacher"] = UserFactory(roles=[Role.TEACHER], is_active=False)
    add_staff(course, people["inactive_teacher"])
    people["teacher_without_role"] = UserFactory(roles=[Role.STUDENT])
    add_staff(course, people["teacher_without_role"])
    return World(
        course=course,
        other_course=other,
        group_a=group_a,
        group_b=group_b,
        people=people,
        enrolment=enrolled,
        ended=ended,
        student_b=student_b,
    )


def fresh(user: Any) -> Any:
    """The account as the database has it now (roles are cached on a user object)."""
    if user.is_anonymous:
        return user
    return type(user).objects.get(pk=user.pk)


def with_items(course: Course, count: int = 3) -> list[Item]:
    return make_items(course, count)


def item_in(course: Course, section: Any = None, **fields: Any) -> Item:
    section = section or course.sections.first() or SectionFactory(course=course)
    item: Any = ItemFactory(section=section, course=course, **fields)
    return item
