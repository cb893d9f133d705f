"""A graded semester for the tests of the printed documents: the factories' world with every score entered and
the results computed, and the same student's results in two more courses (a second semester and the next
academic year), so that a transcript has GPA per period, per year and cumulative.

Scores (TK1, RK1, TK2, RK2, exam; the policy's defaults: R = (TK + RK)/2, final = 0.6 × admission + 0.4 × exam):

- students[0] (group 1): 90, 80, 85, 95, exam 90 → R1 85, R2 90, admission 87.50, final 88.50 → B+ (3.33)
- students[1] (group 1): 40, 30 and nothing else → not admitted
- students[2] (group 2): 100 everywhere, exam 96 → final 98.40 → A (4.00)
- students[3] (group 2): 60, 50, 70, 60, exam 30 (FX), retake 70 → R1 55, R2 65, admission 60, final 64 → C- (1.67)

students[0] also passes "Algorithms" (3 credits, semester 2: final 97.60 → A) and is given F in "Physics"
(4 credits, 2027–2028: not admitted when the period closed). GPA: semester 1 3.33 (5 credits), semester 2 4.00
(3), year 2026–2027 (5 × 3.33 + 3 × 4)/8 = 3.58, year 2027–2028 0.00, cumulative 28.65/12 = 2.39."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from qashyq.academics.models import AcademicPeriod, AcademicYear
from qashyq.academics.tests.factories import DisciplineFactory
from qashyq.content.data import StaffRole
from qashyq.content.models import Course
from qashyq.content.tests.factories import CourseFactory, add_staff
from qashyq.gradebook.models import PeriodClosure
from qashyq.gradebook.services.results import results_recalculate
from qashyq.gradebook.tests.factories import GradebookWorld, enrol, grade, gradebook_world, make_measure
from qashyq.records.tests.printing_data import make_institution

SCORES = {
    0: {"tk1": "90", "rk1": "80", "tk2": "85", "rk2": "95", "exam": "90"},
    1: {"tk1": "40", "rk1": "30"},
    2: {"tk1": "100", "rk1": "100", "tk2": "100", "rk2": "100", "exam": "96"},
    3: {"tk1": "60", "rk1": "50", "tk2": "70", "rk2": "60", "exam": "30"},
}


@dataclass
class PrintWorld:
    world: GradebookWorld
    second: Course  # semester 2 of 2026–2027
    third: Course  # semester 1 of 2027–2028, closed

    def __getattr__(self, name: str) -> Any:
        return getattr(self.world, name)


def _course(period: AcademicPeriod, code: str, name_kk: str, name_ru: str, name_en: str, credits: int) -> Course:
    discipline = DisciplineFactory.create(code=code, name_kk=name_kk, name_ru=name_ru, name_en=name_en, credits=credits)
    return CourseFactory.create(discipline=discipline, period=period, code=f"{code}-C", name_kk=name_kk)


def print_world() -> PrintWorld:
    world = gradebook_world()
    make_institution()
    discipline = world.discipline
    discipline.code, discipline.credits = "DB101", 5
    discipline.name_kk, discipline.name_ru, discipline.name_en = "Деректер қоры", "Базы данных", "Databases"
    discipline.save()
    for index, scores in SCORES.items():
        for key, score in scores.items():
            grade(world.measures[key], world.students[index], score, by=world.teacher)
    grade(world.measures["exam"], world.students[3], "70", attempt=2, by=world.teacher)

    year = world.period.year
    spring = AcademicPeriod.objects.create(
        year=year, kind="semester", number=2, start_date=date(2027, 1, 11), end_date=date(2027, 5, 30)
    )
    second = _course(spring, "ALG102", "Алгоритмдер", "Алгоритмы", "Algorithms", 3)
    next_year = AcademicYear.objects.create(title="2027–2028", start_date=date(2027, 9, 1), end_date=date(2028, 8, 31))
    autumn = AcademicPeriod.objects.create(
        year=next_year, kind="semester", number=1, start_date=date(2027, 9, 1), end_date=date(2027, 12, 30)
    )
    third = _course(autumn, "PHY201", "Физика", "Физика", "Physics", 4)
    student = world.students[0]
    for course in (second, third):
        course.groups.add(world.groups[0])
        add_staff(course, world.teacher, StaffRole.TEACHER)
        enrol(course, student)
    measures = {key: make_measure(second, key, due_at=None) for key in ("tk1", "rk1", "exam")}
    for key, score in (("tk1", "96"), ("rk1", "98"), ("exam", "99")):
        grade(measures[key], student, score, by=world.teacher)
    make_measure(third, "rk1", due_at=None)
    PeriodClosure.objects.create(period=autumn, closed_by=world.admin)
    results_recalculate(course_ids=[world.course.id, second.id, third.id])
    return PrintWorld(world=world, second=second, third=third)
