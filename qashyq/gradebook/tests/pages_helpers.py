"""Worlds for the tests of the student's gradebook, the administration's pages, the charts, the exports and the
REST API: `factories.gradebook_world` with the grades of `results_helpers.SCORES` (s0 passes with B-, s1 is not
admitted, s2 has FX, s3 passed the FX retake) and the results computed."""

from datetime import date
from typing import Any

from qashyq.gradebook.models import ControlMeasure
from qashyq.gradebook.services import results as results_services
from qashyq.gradebook.tests.factories import GradebookWorld, enrol, gradebook_world, make_measure
from qashyq.gradebook.tests.results_helpers import course_in, give, graded_world, period_of

MFA_ROLES = {"admin", "administration", "head", "it_support"}


def results_world() -> GradebookWorld:
    world = graded_world(gradebook_world())
    results_services.results_recalculate(course_ids=[world.course.pk])
    return world


def sign_in(client: Any, world: GradebookWorld, role: str, enrol_totp: Any) -> Any:
    """The client signed in as the world's user of `role` (with TOTP for the roles that need it), asking for
    English pages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    user = world.user(role)
    if role == "anonymous":
        client.logout()
        return client
    enrolled = world.extra.setdefault("totp", set())
    if role in MFA_ROLES and user.pk not in enrolled:
        enrol_totp(user)
        enrolled.add(user.pk)
    client.force_login(user)
    return client


def more_courses(world: GradebookWorld, count: int, *, student_index: int = 0) -> list[Any]:
    """`count` more courses of the next period for one student, each with the five measures and passing grades,
    results computed."""
    period = period_of("2026–2027", date(2027, 1, 20), number=2)
    student = world.students[student_index]
    courses = []
    for _ in range(count):
        course = course_in(period, 4)
        for key in ("tk1", "rk1", "tk2", "rk2", "exam"):
            make_measure(course, key, due_at=None, week=None)
        enrol(course, student)
        give(world, student, {"tk1": "90", "rk1": "90", "tk2": "90", "rk2": "90", "exam": "90"}, course=course)
        courses.append(course)
    results_services.results_recalculate(course_ids=[c.pk for c in courses])
    return courses


def exam_of(course: Any) -> ControlMeasure:
    return ControlMeasure.objects.get(course=course, part="exam")
