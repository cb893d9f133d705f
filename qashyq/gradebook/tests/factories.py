"""Rows the gradebook tests need, written straight to the database (tests may look inside apps).

`gradebook_world()` builds a course of a discipline in the first semester of 2026–2027 (1 September –
30 December 2026) for two groups, two enrolled students with accounts in each group, a teacher of every group,
a tutor limited to the second group, the five control measures TK1, RK1, TK2, RK2 and the exam, the default
scale and policy, and one user of each other role. `grade(...)` writes a grade with its audit event, as the
services would (for tests that need grades without going through `grade_enter`)."""

import importlib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser

from qashyq.academics.models import AcademicPeriod, Discipline, StudyGroup
from qashyq.accounts.tests.factories import UserFactory
from qashyq.content.data import EnrolmentSource, StaffRole
from qashyq.content.models import Course, Enrolment
from qashyq.content.tests.factories import CourseFactory, add_staff
from qashyq.gradebook.data import MeasureKind, RatingPart
from qashyq.gradebook.models import ControlMeasure, Grade, GradingPolicy
from qashyq.gradebook.services import _audit
from qashyq.records.data import StudentStatus
from qashyq.records.models import Student
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student

ALMATY = ZoneInfo("Asia/Almaty")
DEFAULT_MIGRATION = "qashyq.gradebook.migrations.0002_default_scale_and_policy"


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A moment in institution time."""
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def default_policy() -> GradingPolicy:
    """The default scale and policy (seeded by the data migration; written again when a transactional test
    flushed them). Idempotent."""
    policy = GradingPolicy.objects.order_by("valid_from").first()
    if policy is None:
        importlib.import_module(DEFAULT_MIGRATION).add(django_apps, None)
        policy = GradingPolicy.objects.order_by("valid_from").first()
    assert policy is not None
    return policy


# The measures of the world: key → (kind, part, week, due moment).
MEASURES: dict[str, tuple[str, str, int | None, datetime | None]] = {
    "tk1": (MeasureKind.CURRENT, RatingPart.TK1, 4, None),  # held when week 4 ends: 29.09.2026 00:00
    "rk1": (MeasureKind.MIDTERM, RatingPart.RK1, 8, at(2026, 10, 24)),
    "tk2": (MeasureKind.CURRENT, RatingPart.TK2, 12, None),  # held 24.11.2026 00:00
    "rk2": (MeasureKind.MIDTERM, RatingPart.RK2, 15, at(2026, 12, 12)),
    "exam": (MeasureKind.EXAM, RatingPart.EXAM, None, at(2026, 12, 26, 10)),
}


@dataclass
class GradebookWorld:
    discipline: Discipline
    period: AcademicPeriod
    course: Course
    groups: list[StudyGroup]
    students: list[Student]  # two per group, enrolled, with accounts: [g0, g0, g1, g1]
    enrolments: list[Enrolment]
    measures: dict[str, ControlMeasure]
    teacher: Any  # every group
    tutor: Any  # groups[1] only
    admin: Any
    head: Any
    didactics: Any
    it_support: Any
    outsider_teacher: Any  # a teacher of another course
    outsider_tutor: Any  # a tutor of another course
    policy: GradingPolicy
    other_course: Course
    extra: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str) -> Any:
        """The world's user of a role of the access matrices."""
        return {
            "student": self.students[0].user,
            "student_other": self.students[2].user,
            "teacher": self.teacher,
            "tutor": self.tutor,
            "outsider_teacher": self.outsider_teacher,
            "outsider_tutor": self.outsider_tutor,
            "admin": self.admin,
            "administration": self.admin,
            "head": self.head,
            "didactics": self.didactics,
            "it_support": self.it_support,
            "anonymous": AnonymousUser(),
        }[role]

    def measure(self, key: str) -> ControlMeasure:
        return self.measures[key]


def make_measure(course: Course, key: str, **fields: Any) -> ControlMeasure:
    kind, part, week, due_at = MEASURES[key]
    values: dict[str, Any] = {
        "name_kk": key.upper(),
        "name_en": key.upper(),
        "kind": kind,
        "part": part,
        "week": week,
        "due_at": due_at,
        "position": list(MEASURES).index(key),
    }
    values.update(fields)
    return ControlMeasure.objects.create(course=course, **values)


def enrol(course: Course, student: Student) -> Enrolment:
    return Enrolment.objects.create(course=course, student=student, source=EnrolmentSource.GROUP)


def gradebook_world() -> GradebookWorld:
    policy = default_policy()
    programme = make_programme(code="6B06102")
    groups = [make_group("GB-26-1", programme), make_group("GB-26-2", programme)]
    course = CourseFactory.create(name_kk="Деректер қоры", name_en="Databases")
    course.groups.set(groups)
    teacher = UserFactory.create(roles=["teacher"])
    tutor = UserFactory.create(roles=["tutor"])
    add_staff(course, teacher, StaffRole.TEACHER)
    add_staff(course, tutor, StaffRole.TUTOR).groups.set([groups[1]])
    other_course = CourseFactory.create(period=course.period)
    outsider_teacher = UserFactory.create(roles=["teacher"])
    outsider_tutor = UserFactory.create(roles=["tutor"])
    add_staff(other_course, outsider_teacher, StaffRole.TEACHER)
    add_staff(other_course, outsider_tutor, StaffRole.TUTOR)
    students, enrolments = [], []
    for group in (groups[0], groups[0], groups[1], groups[1]):
        student = make_student(
            programme, group=group, status=StudentStatus.ACTIVE, user=UserFactory.create(roles=["student"])
        )
        students.append(student)
        enrolments.append(enrol(course, student))
    measures = {key: make_measure(course, key) for key in MEASURES}
    return GradebookWorld(
        discipline=course.discipline,
        period=course.period,
        course=course,
        groups=groups,
        students=students,
        enrolments=enrolments,
        measures=measures,
        teacher=teacher,
        tutor=tutor,
        admin=UserFactory.create(roles=["administration"]),
        head=UserFactory.create(roles=["head"]),
        didactics=UserFactory.create(roles=["didactics"]),
        it_support=UserFactory.create(roles=["it_support"]),
        outsider_teacher=outsider_teacher,
        outsider_tutor=outsider_tutor,
        policy=policy,
        other_course=other_course,
    )


def grade(
    measure: ControlMeasure,
    student: Student,
    score: str | Decimal,
    *,
    attempt: int = 1,
    by: Any = None,
    entered_at: datetime | None = None,
) -> Grade:
    """A grade written straight to the table with its audit event (no checks, no result refresh)."""
    value = Decimal(score)
    row = Grade.objects.create(
        measure=measure,
        student=student,
        attempt=attempt,
        score=value,
        entered_by=by,
        entered_at=entered_at or at(2026, 9, 28),
    )
    _audit.grade_recorded(
        actor=by,
        grade_id=row.pk,
        measure_id=measure.pk,
        student_id=student.pk,
        attempt=attempt,
        score=value,
        before=None,
    )
    return row
