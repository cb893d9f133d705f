"""Rows the coursework tests need, written straight to the database (tests may look inside apps).

`coursework_world()` builds a course for two groups with a teacher, a tutor for each group, one enrolled
student with an account in each group, a published assignment item with its assignment (due in a week), the
gradebook's control measure that takes the item's results, and one user of each other role. `upload(...)`
makes an uploaded file whose bytes are what its name says."""

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qashyq.academics.models import StudyGroup
from qashyq.accounts.tests.factories import UserFactory
from qashyq.content.data import Activity, EnrolmentSource, ItemKind, StaffRole
from qashyq.content.models import Course, Enrolment, Item
from qashyq.content.services.items import item_publish
from qashyq.content.tests.factories import CourseFactory, ItemFactory, SectionFactory, add_staff
from qashyq.coursework.models import Assignment
from qashyq.gradebook.data import MeasureKind, MeasureMode, RatingPart
from qashyq.gradebook.models import ControlMeasure
from qashyq.gradebook.tests.factories import default_policy
from qashyq.records.data import StudentStatus
from qashyq.records.models import Student
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
TEXT = "Жұмыс мәтіні: алгоритмдер.\n".encode()

# Roles that must enrol a second factor before they sign in (see the `sign_in` fixture in conftest.py).
MFA_ROLES = frozenset({"admin", "head", "it_support"})


def upload(name: str = "essay.pdf", content: bytes = PDF, content_type: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass
class World:
    course: Course
    groups: list[StudyGroup]
    item: Item
    assignment: Assignment
    measure: ControlMeasure
    teacher: Any
    tutors: list[Any]  # tutors[i] tutors groups[i] only
    students: list[Student]  # one per group, enrolled, with accounts
    enrolments: list[Enrolment]
    admin: Any
    head: Any
    didactics: Any
    it_support: Any
    outsider_teacher: Any  # a teacher of another course
    outsider_tutor: Any  # a tutor of another course
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tutor(self) -> Any:
        """The tutor of the first student's group."""
        return self.tutors[0]

    def user(self, role: str) -> Any:
        """The world's user of a role of the access matrices: "student" is the first student, "tutor" the tutor
        of their group, "tutor_other" the tutor of the other group."""
        return {
            "student": self.students[0].user,
            "student_other": self.students[1].user,
            "teacher": self.teacher,
            "tutor": self.tutors[0],
            "tutor_other": self.tutors[1],
            "outsider_teacher": self.outsider_teacher,
            "outsider_tutor": self.outsider_tutor,
            "admin": self.admin,
            "head": self.head,
            "didactics": self.didactics,
            "it_support": self.it_support,
            "anonymous": AnonymousUser(),
        }[role]


_worlds = itertools.count(1)


def coursework_world(*, due_in: timedelta = timedelta(days=7), measure: bool = True, **settings: Any) -> World:
    default_policy()
    n = next(_worlds)
    programme = make_programme(code=f"6B07{n:03d}")
    groups = [make_group(f"AL-{n}-1", programme), make_group(f"AL-{n}-2", programme)]
    course = CourseFactory.create(name_kk="Алгоритмдер", name_en="Algorithms")
    course.groups.set(groups)
    teacher = UserFactory.create(roles=["teacher"], first_name="Ерлан", last_name="Сатпаев")
    add_staff(course, teacher, StaffRole.TEACHER)
    tutors = []
    for index, group in enumerate(groups):
        tutor = UserFactory.create(roles=["tutor"], first_name="Тьютор", last_name=f"Екінші{index}")
        row = add_staff(course, tutor, StaffRole.TUTOR)
        row.groups.set([group])
        tutors.append(tutor)
    other_course = CourseFactory.create()
    outsider_teacher = UserFactory.create(roles=["teacher"])
    outsider_tutor = UserFactory.create(roles=["tutor"])
    add_staff(other_course, outsider_teacher, StaffRole.TEACHER)
    add_staff(other_course, outsider_tutor, StaffRole.TUTOR)
    students, enrolments = [], []
    for group in groups:
        student = make_student(
            programme, group=group, status=StudentStatus.ACTIVE, user=UserFactory.create(roles=["student"])
        )
        students.append(student)
        enrolments.append(Enrolment.objects.create(course=course, student=student, source=EnrolmentSource.GROUP))
    section = SectionFactory.create(course=course)
    item = ItemFactory.create(
        section=section, course=course, kind=ItemKind.ASSIGNMENT, activity=Activity.INDEPENDENT, name_kk="Эссе"
    )
    item_publish(actor=teacher, item=item)
    item.refresh_from_db()
    fields: dict[str, Any] = {"due_at": timezone.now() + due_in, "file_types": ["pdf", "word", "image"]}
    fields.update(settings)
    assignment = Assignment.objects.create(item=item, course=course, updated_by=teacher, **fields)
    control = None
    if measure:
        control = ControlMeasure.objects.create(
            course=course,
            kind=MeasureKind.ESSAY,
            part=RatingPart.TK1,
            mode=MeasureMode.CASE,
            name_kk="Эссе",
            item=item,
            weight=Decimal(1),
        )
    return World(
        course=course,
        groups=groups,
        item=item,
        assignment=assignment,
        measure=control,  # type: ignore[arg-type]
        teacher=teacher,
        tutors=tutors,
        students=students,
        enrolments=enrolments,
        admin=UserFactory.create(roles=["administration"]),
        head=UserFactory.create(roles=["head"]),
        didactics=UserFactory.create(roles=["didactics"]),
        it_support=UserFactory.create(roles=["it_support"]),
        outsider_teacher=outsider_teacher,
        outsider_tutor=outsider_tutor,
    )


def moment(days: float = 0) -> datetime:
    return timezone.now() + timedelta(days=days)
