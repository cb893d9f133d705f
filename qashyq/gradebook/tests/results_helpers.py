"""Grades and students for the tests of the computed results (on top of factories.gradebook_world)."""

from datetime import date
from decimal import Decimal
from typing import Any

from qashyq.academics.models import AcademicPeriod, AcademicYear
from qashyq.content.data import Activity, ItemKind
from qashyq.content.models import Course, Enrolment, Item, ScormRuntime
from qashyq.content.tests.factories import CourseFactory, SectionFactory
from qashyq.gradebook.models import ControlMeasure
from qashyq.gradebook.tests.factories import GradebookWorld, enrol, grade, make_measure
from qashyq.records.data import StudentStatus
from qashyq.records.models import Student
from qashyq.records.tests.student_helpers import make_student

D = Decimal

# The world's four students: s0 passes with B-, s1 is not admitted (RK1 not graded, rating 36.25), s2 has FX
# (exam 40), s3 passed the FX retake (70 → B-).
SCORES: list[dict[str, str]] = [
    {"tk1": "70", "rk1": "80", "tk2": "60", "rk2": "90", "exam": "85"},
    {"tk1": "40", "tk2": "50", "rk2": "55"},
    {"tk1": "80", "rk1": "80", "tk2": "80", "rk2": "80", "exam": "40"},
    {"tk1": "80", "rk1": "80", "tk2": "80", "rk2": "80", "exam": "40", "retake": "70"},
]


def give(world: GradebookWorld, student: Student, scores: dict[str, str], *, course: Course | None = None) -> None:
    """Write the student's grades by measure key ("retake": the exam's attempt 2)."""
    measures = world.measures if course is None else {m.part: m for m in ControlMeasure.objects.filter(course=course)}
    for key, value in scores.items():
        if key == "retake":
            grade(measures["exam"], student, value, attempt=2)
        else:
            grade(measures[key], student, value)


def graded_world(world: GradebookWorld) -> GradebookWorld:
    for student, scores in zip(world.students, SCORES, strict=True):
        give(world, student, scores)
    return world


def more_students(world: GradebookWorld, count: int, scores: dict[str, str] | None = None) -> list[Student]:
    """`count` more students of the first group, enrolled in the world's course, each with `scores`."""
    programme = world.groups[0].programme
    added = []
    for _ in range(count):
        student = make_student(programme, group=world.groups[0], status=StudentStatus.ACTIVE)
        enrol(world.course, student)
        give(world, student, scores or SCORES[0])
        added.append(student)
    return added


def extra_measures(world: GradebookWorld, count: int) -> list[ControlMeasure]:
    """`count` more current-control measures of TK1 (one query each)."""
    return [make_measure(world.course, "tk1", name_kk=f"ТК1-{i}", position=10 + i) for i in range(count)]


def period_of(year_title: str, start: date, number: int = 1) -> AcademicPeriod:
    year, _ = AcademicYear.objects.get_or_create(
        title=year_title, defaults={"start_date": start, "end_date": date(start.year + 1, 8, 31)}
    )
    return AcademicPeriod.objects.create(
        year=year, kind="semester", number=number, start_date=start, end_date=date(start.year + 1, 1, 31)
    )


def course_in(period: AcademicPeriod, credits: int, **fields: Any) -> Course:
    course = CourseFactory.create(period=period, **fields)
    course.discipline.credits = credits
    course.discipline.save(update_fields=["credits"])
    return course


def scorm_item(course: Course) -> Item:
    return Item.objects.create(
        course=course,
        section=SectionFactory.create(course=course),
        kind=ItemKind.SCORM,
        activity=Activity.INDEPENDENT,
        name_kk="SCORM",
    )


def scorm_runtime(item: Item, enrolment: Enrolment, **scores: Any) -> ScormRuntime:
    return ScormRuntime.objects.create(
        item=item, enrolment=enrolment, **{k: D(str(v)) if v is not None else None for k, v in scores.items()}
    )
