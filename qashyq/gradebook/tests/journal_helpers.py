"""A course journal of any size for the journal's tests and its benchmark: `students` enrolled students of two
groups and `columns` score columns (the measures of TK1, RK1, TK2, RK2 spread over the semester's weeks, and the
exam with its retake column), most cells graded by the teacher, the results computed by `services.results`."""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qashyq.accounts.tests.factories import UserFactory
from qashyq.content.data import StaffRole
from qashyq.content.models import Course, Enrolment
from qashyq.content.tests.factories import CourseFactory, add_staff
from qashyq.gradebook.data import MeasureKind, RatingPart
from qashyq.gradebook.models import ControlMeasure, Grade
from qashyq.gradebook.services import results as results_services
from qashyq.gradebook.tests.factories import default_policy, enrol
from qashyq.records.data import StudentStatus
from qashyq.records.models import Student
from qashyq.records.tests.student_helpers import make_group, make_programme, make_student


@dataclass
class LargeJournal:
    course: Course
    teacher: Any
    students: list[Student]
    enrolments: list[Enrolment]
    measures: list[ControlMeasure]


def _parts(count: int) -> list[str]:
    """`count` current and midterm measures over the four parts, in journal order: about 40 % TK1, 10 % RK1,
    40 % TK2 and 10 % RK2."""
    parts: list[str] = []
    for n in range(count):
        share = n / count
        if share < 0.4:
            parts.append(RatingPart.TK1)
        elif share < 0.5:
            parts.append(RatingPart.RK1)
        elif share < 0.9:
            parts.append(RatingPart.TK2)
        else:
            parts.append(RatingPart.RK2)
    return parts


def large_journal(
    *, students: int, columns: int, graded: float = 0.85, seed: int = 2026, code: str = ""
) -> LargeJournal:
    """A course with `students` × `columns` score cells (`columns` ≥ 3: the exam gives two, its sitting and the
    retake); the columns stay open for entry (their due moments lie ahead)."""
    rng = random.Random(seed)
    default_policy()
    programme = make_programme(code=f"6B{rng.randint(10000, 99999)}")
    groups = [make_group(f"J-{seed}-{n}", programme) for n in (1, 2)]
    course: Any = CourseFactory.create(**({"code": code} if code else {}))
    course.groups.set(groups)
    teacher = UserFactory.create(roles=["teacher"])
    add_staff(course, teacher, StaffRole.TEACHER)
    people = [
        make_student(programme, group=groups[n % 2], status=StudentStatus.ACTIVE, user=None) for n in range(students)
    ]
    enrolments = [enrol(course, s) for s in people]
    soon = timezone.now() + timedelta(days=3)
    plain = _parts(columns - 2)
    measures = ControlMeasure.objects.bulk_create(
        [
            ControlMeasure(
                course=course,
                name_kk=f"{n + 1}-бақылау",
                kind=MeasureKind.MIDTERM if part in (RatingPart.RK1, RatingPart.RK2) else MeasureKind.CURRENT,
                part=part,
                due_at=soon,
                position=n,
            )
            for n, part in enumerate(plain)
        ]
        + [
            ControlMeasure(
                course=course, name_kk="Емтихан", kind=MeasureKind.EXAM, part=RatingPart.EXAM, due_at=soon, position=999
            )
        ]
    )
    now = timezone.now()
    grades = [
        Grade(
            measure=m,
            student=s,
            score=Decimal(rng.randint(40, 100)),
            entered_by=teacher,
            entered_at=now - timedelta(minutes=rng.randint(1, 5000)),
        )
        for s in people
        for m in measures
        if rng.random() < (graded if m.part != RatingPart.EXAM else graded / 2)
    ]
    Grade.objects.bulk_create(grades, batch_size=2000)
    results_services.results_recalculate(course_ids=[course.pk])
    return LargeJournal(course=course, teacher=teacher, students=people, enrolments=enrolments, measures=measures)
