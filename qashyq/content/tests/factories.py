"""Rows the content tests need. Tests may look inside apps; services are tested through their own calls."""

from typing import Any

import factory
from factory.django import DjangoModelFactory

from qashyq.academics.models import AcademicPeriod
from qashyq.academics.tests.factories import AcademicPeriodFactory, DisciplineFactory
from qashyq.accounts.tests.factories import UserFactory
from qashyq.content.data import Activity, DeliveryChannel, EnrolmentSource, ItemKind, StaffRole
from qashyq.content.models import Course, CourseStaff, Enrolment, Item, Section
from qashyq.records.data import StudentStatus
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student


def first_semester() -> AcademicPeriod:
    """The first semester of the factories' year, shared by every course that names no period."""
    period = AcademicPeriod.objects.filter(number=1, year__title="2026–2027").first()
    return period if period is not None else AcademicPeriodFactory.create()


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"C{n:05d}")
    discipline = factory.SubFactory(DisciplineFactory)
    period = factory.LazyFunction(first_semester)
    name_kk = factory.Sequence(lambda n: f"Курс {n}")
    name_ru = factory.Sequence(lambda n: f"Курс {n}")
    name_en = factory.Sequence(lambda n: f"Course {n}")
    created_by = factory.SubFactory(UserFactory)


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(lambda n: n)
    name_kk = factory.Sequence(lambda n: f"{n}-апта")


class ItemFactory(DjangoModelFactory):
    """A draft item; call `publish(item, user)` from the services to make it visible."""

    class Meta:
        model = Item

    section = factory.SubFactory(SectionFactory)
    course = factory.LazyAttribute(lambda i: i.section.course)
    position = factory.Sequence(lambda n: n)
    kind = ItemKind.PAGE
    activity = Activity.INDEPENDENT
    name_kk = factory.Sequence(lambda n: f"Дәріс {n}")
    body = "<p>Мәтін</p>"


def add_staff(course: Course, user: Any, role: str = StaffRole.TEACHER) -> CourseStaff:
    return CourseStaff.objects.create(course=course, user=user, role=role)


def enrolled_student(
    course: Course, *, user: Any | None = None, delivery: str = DeliveryChannel.ELECTRONIC
) -> Enrolment:
    """A studying student with an account, in a group of the course, enrolled in it."""
    group = course.groups.first()
    if group is None:
        programme = make_programme(code=f"6B{course.pk:05d}")
        group = make_group(f"G-{course.code}", programme)
        course.groups.add(group)
    student = make_student(
        group.programme, group=group, status=StudentStatus.ACTIVE, user=user or UserFactory(roles=["student"])
    )
    return Enrolment.objects.create(course=course, student=student, source=EnrolmentSource.GROUP, delivery=delivery)
