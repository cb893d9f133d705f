"""REST API v1 of the gradebook: a student's own grades and results, a course's gradebook for those who may open
it, a student's transcript data for the student, the administration service and the head. 403 without signing
in, 404 for what is not yours, fixed query counts, and the endpoints in the OpenAPI schema."""

from decimal import Decimal

import pytest
from django.urls import reverse

from qashyq.gradebook.services import locks as lock_services
from qashyq.gradebook.tests.pages_helpers import more_courses, results_world, sign_in
from qashyq.gradebook.tests.results_helpers import more_students

pytestmark = pytest.mark.django_db

ME = reverse("api-gradebook-me")
EVERY_ROLE = [
    "student",
    "student_other",
    "teacher",
    "tutor",
    "outsider_teacher",
    "admin",
    "head",
    "didactics",
    "it_support",
]


@pytest.fixture
def world():
    return results_world()


def course_url(course_id: int) -> str:
    return reverse("api-gradebook-course", args=[course_id])


def transcript_url(student_id: int) -> str:
    return reverse("api-gradebook-transcript", args=[student_id])


def test_anonymous_gets_403_everywhere(client, world):
    for url in (ME, course_url(world.course.pk), transcript_url(world.students[0].pk)):
        assert client.get(url).status_code == 403


# --- Own grades ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_own_grades_are_a_students(client, world, enrol_totp, role):
    expected = 200 if role in {"student", "student_other"} else 404
    assert sign_in(client, world, role, enrol_totp).get(ME).status_code == expected


def test_own_grades_shape_and_values(client, world, enrol_totp):
    body = sign_in(client, world, "student", enrol_totp).get(ME).json()
    assert body["student_id"] == world.students[0].pk
    [course] = body["courses"]
    assert course["course_id"] == world.course.pk
    assert course["code"] == world.course.code
    assert (course["credits"], course["period_id"], course["period_closed"]) == (5, world.period.pk, False)
    assert (course["outcome"], course["missing"], course["retake_until"], course["study_again"]) == (
        "passed",
        [],
        None,
        False,
    )
    result = course["result"]
    assert {k: result[k] for k in ("r1", "r2", "admission", "exam", "final", "letter", "gpa")} == {
        "r1": "75.00",
        "r2": "75.00",
        "admission": "75.00",
        "exam": "85.00",
        "final": "79.00",
        "letter": "B-",
        "gpa": "2.67",
    }
    assert (result["admitted"], result["exam_attempt"], result["traditional"]) == (True, 1, "Good")
    assert [m["name"] for m in course["measures"]] == ["TK1", "RK1", "TK2", "RK2", "EXAM"]
    assert [m["score"] for m in course["measures"]] == ["70.00", "80.00", "60.00", "90.00", "85.00"]
    assert course["measures"][0]["week"] == 4
    assert course["measures"][1]["due_at"].startswith("2026-10-24")
    assert set(course["measures"][0]) == {
        "id",
        "name",
        "part",
        "due_at",
        "week",
        "weight",
        "required",
        "pass_points",
        "score",
        "retake",
    }
    assert body["gpa"]["gpa"] == "2.67"
    assert body["gpa"]["credits"] == 5
    assert body["gpa"]["periods"] == [
        {
            "period_id": world.period.pk,
            "year_id": world.period.year_id,
            "year": "2026–2027",
            "number": 1,
            "credits": 5,
            "gpa": "2.67",
        }
    ]


def test_own_grades_of_a_student_not_admitted_say_what_is_missing(client, world, enrol_totp):
    client = sign_in(client, world, "student", enrol_totp)
    client.force_login(world.students[1].user)
    [course] = client.get(ME).json()["courses"]
    assert course["outcome"] == "not_admitted"
    assert course["missing"] == ["RK1: not graded yet", "Admission rating 36.25 below 50"]
    assert course["result"]["admitted"] is False
    assert course["measures"][1]["score"] is None


def test_own_grades_of_fx_and_f(client, world, enrol_totp):
    client = sign_in(client, world, "student", enrol_totp)
    client.force_login(world.students[2].user)
    [fx] = client.get(ME).json()["courses"]
    assert fx["outcome"] == "fx"
    assert fx["retake_until"].startswith("2026-10-12")
    lock_services.period_close(actor=world.admin, period_id=world.period.pk)
    client.force_login(world.students[1].user)
    [f] = client.get(ME).json()["courses"]
    assert (f["outcome"], f["study_again"], f["period_closed"], f["result"]["letter"]) == ("f", True, True, "F")


def test_own_grades_take_a_fixed_number_of_queries(client, world, enrol_totp, django_assert_num_queries):
    client = sign_in(client, world, "student", enrol_totp)
    client.get(ME)
    with django_assert_num_queries(15) as few:
        client.get(ME)
    more_courses(world, 3)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(ME).json()["courses"]) == 4


# --- A course's gradebook ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("teacher", 200),
        ("tutor", 200),
        ("admin", 200),
        ("head", 200),
        ("outsider_teacher", 404),
        ("student", 404),
        ("didactics", 404),
        ("it_support", 404),
    ],
)
def test_who_reads_a_courses_gradebook(client, world, enrol_totp, role, status):
    assert sign_in(client, world, role, enrol_totp).get(course_url(world.course.pk)).status_code == status


def test_a_courses_gradebook_shape_and_values(client, world, enrol_totp):
    body = sign_in(client, world, "teacher", enrol_totp).get(course_url(world.course.pk)).json()
    assert (body["course_id"], body["code"], body["period_id"], body["closed"]) == (
        world.course.pk,
        world.course.code,
        world.period.pk,
        False,
    )
    assert set(body["group_ids"]) == {g.pk for g in world.groups}
    columns = body["columns"]
    assert [(c["part"], c["attempt"]) for c in columns] == [
        ("tk1", 1),
        ("rk1", 1),
        ("tk2", 1),
        ("rk2", 1),
        ("exam", 1),
        ("retake", 2),
    ]
    assert columns[0]["key"] == f"{world.measures['tk1'].pk}-1"
    students = {s["student_id"]: s for s in body["students"]}
    assert set(students) == {s.pk for s in world.students}
    first = students[world.students[0].pk]
    assert first["scores"] == ["70.00", "80.00", "60.00", "90.00", "85.00", None]
    assert (first["result"]["final"], first["result"]["letter"], first["result"]["outcome"]) == (
        "79.00",
        "B-",
        "passed",
    )
    assert students[world.students[3].pk]["scores"][-1] == "70.00"
    assert students[world.students[1].pk]["result"]["admitted"] is False


def test_a_tutor_reads_their_groups_only(client, world, enrol_totp):
    client = sign_in(client, world, "tutor", enrol_totp)
    body = client.get(course_url(world.course.pk)).json()
    assert {s["student_id"] for s in body["students"]} == {world.students[2].pk, world.students[3].pk}
    assert body["group_ids"] == [world.groups[1].pk]
    assert client.get(course_url(world.course.pk), {"group": world.groups[0].pk}).status_code == 404
    assert client.get(course_url(world.course.pk), {"group": world.groups[1].pk}).status_code == 200
    assert client.get(course_url(world.course.pk), {"group": "x"}).status_code == 400


def test_an_unknown_course_is_404(client, world, enrol_totp):
    assert sign_in(client, world, "admin", enrol_totp).get(course_url(999_999)).status_code == 404


def test_a_courses_gradebook_takes_a_fixed_number_of_queries(client, world, enrol_totp, django_assert_num_queries):
    client = sign_in(client, world, "teacher", enrol_totp)
    client.get(course_url(world.course.pk))
    with django_assert_num_queries(14) as few:
        client.get(course_url(world.course.pk))
    more_students(world, 5)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(course_url(world.course.pk)).json()["students"]) == 9


# --- Transcripts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("student", 200),  # their own
        ("student_other", 404),
        ("teacher", 404),
        ("tutor", 404),
        ("admin", 200),
        ("head", 200),
        ("didactics", 404),
        ("it_support", 404),
    ],
)
def test_who_reads_a_transcript(client, world, enrol_totp, role, status):
    response = sign_in(client, world, role, enrol_totp).get(transcript_url(world.students[0].pk))
    assert response.status_code == status


def test_a_transcript_shape_and_values(client, world, enrol_totp):
    client = sign_in(client, world, "head", enrol_totp)
    body = client.get(transcript_url(world.students[0].pk), {"language": "en"}).json()
    assert body["student"] == {
        "id": world.students[0].pk,
        "full_name": world.students[0].full_name,
        "programme_code": "6B06102",
        "group_code": world.groups[0].code,
    }
    assert (body["language"], body["credits"], body["gpa"]) == ("en", 5, "2.67")
    [year] = body["years"]
    assert (year["title"], year["credits"], year["gpa"]) == ("2026–2027", 5, "2.67")
    [period] = year["periods"]
    assert (period["period_id"], period["number"], period["gpa"]) == (world.period.pk, 1, "2.67")
    [line] = period["lines"]
    assert line == {
        "course_id": world.course.pk,
        "code": world.discipline.code,
        "name": world.discipline.name_en or world.discipline.name_kk,
        "credits": 5,
        "points": "79.00",
        "letter": "B-",
        "gpa": "2.67",
        "traditional": "Good",
    }
    russian = client.get(transcript_url(world.students[0].pk), {"language": "ru"}).json()
    assert russian["years"][0]["periods"][0]["lines"][0]["traditional"] == "Хорошо"


def test_a_transcript_leaves_out_what_is_not_final(client, world, enrol_totp):
    client = sign_in(client, world, "admin", enrol_totp)
    fx = client.get(transcript_url(world.students[2].pk)).json()  # FX waits for its retake
    assert (fx["years"], fx["credits"], fx["gpa"]) == ([], 0, None)


def test_a_bad_language_or_an_unknown_student(client, world, enrol_totp):
    client = sign_in(client, world, "admin", enrol_totp)
    assert client.get(transcript_url(world.students[0].pk), {"language": "de"}).status_code == 400
    assert client.get(transcript_url(999_999)).status_code == 404


def test_a_transcript_takes_a_fixed_number_of_queries(client, world, enrol_totp, django_assert_num_queries):
    client = sign_in(client, world, "student", enrol_totp)
    url = transcript_url(world.students[0].pk)
    client.get(url)
    with django_assert_num_queries(22) as few:
        client.get(url)
    more_courses(world, 3)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(url).json()
    assert body["credits"] == 5 + 3 * 4
    assert Decimal(body["gpa"]) > Decimal("2.67")


# --- The schema ----------------------------------------------------------------------------------------------


def test_the_schema_lists_the_gradebook_endpoints(client, world, enrol_totp):
    response = sign_in(client, world, "teacher", enrol_totp).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/gradebook/me/",
        "/api/v1/gradebook/courses/{course_id}/",
        "/api/v1/gradebook/students/{student_id}/transcript/",
    ):
        assert "200" in paths[path]["get"]["responses"], path
    parameters = {p["name"] for p in paths["/api/v1/gradebook/courses/{course_id}/"]["get"]["parameters"]}
    assert "group" in parameters
