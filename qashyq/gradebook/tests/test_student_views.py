"""The student's own gradebook page and its XLSX: every course by period with measures, ratings, admission and
what is missing, the final grade and the GPA; FX with its retake window, F to be studied again; only for the
student themself, in a fixed number of queries."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from openpyxl import load_workbook

from qashyq.gradebook.services import locks as lock_services
from qashyq.gradebook.tests.pages_helpers import more_courses, results_world, sign_in

pytestmark = pytest.mark.django_db

PAGE = reverse("gradebook:own-gradebook")
XLSX = reverse("gradebook:own-gradebook-xlsx")


@pytest.fixture
def world():
    return results_world()


def test_a_passed_course_with_its_measures_ratings_letter_and_gpa(client, world, enrol_totp):
    response = sign_in(client, world, "student", enrol_totp).get(PAGE)
    assert response.status_code == 200
    book = response.context["book"]
    [line] = book.courses
    assert line.course.id == world.course.pk
    assert [m.name for m in line.measures] == ["TK1", "RK1", "TK2", "RK2", "EXAM"]
    assert [str(m.score) for m in line.measures] == ["70.00", "80.00", "60.00", "90.00", "85.00"]
    assert line.measures[1].due_at == world.measures["rk1"].due_at
    assert line.measures[0].week == 4
    result = line.result
    # R1 = 75, R2 = 75, admission 75, final 0.6 × 75 + 0.4 × 85 = 79 → B-
    assert (str(result.r1), str(result.r2), str(result.admission), str(result.final)) == (
        "75.00",
        "75.00",
        "75.00",
        "79.00",
    )
    assert (result.letter, str(result.gpa), line.traditional, line.outcome) == ("B-", "2.67", "Good", "passed")
    assert line.missing == ()
    assert str(book.gpa.gpa) == "2.67"
    html = response.content.decode()
    assert 'id="gpa-cumulative"' in html
    assert "B-" in html
    assert "79.00" in html
    assert world.course.code in html


def test_a_student_not_admitted_sees_what_is_missing(client, world, enrol_totp):
    client = sign_in(client, world, "student", enrol_totp)
    client.force_login(world.students[1].user)
    response = client.get(PAGE)
    [line] = response.context["book"].courses
    assert line.outcome == "not_admitted"
    assert line.missing == ("RK1: not graded yet", "Admission rating 36.25 below 50")
    html = response.content.decode()
    assert "Not admitted to the exam yet. Still missing:" in html
    assert "RK1: not graded yet" in html
    assert "Admission rating 36.25 below 50" in html


def test_fx_shows_the_retake_window(client, world, enrol_totp):
    client = sign_in(client, world, "student", enrol_totp)
    client.force_login(world.students[2].user)
    response = client.get(PAGE)
    [line] = response.context["book"].courses
    assert line.outcome == "fx"
    # the first sitting was entered on 28.09.2026 12:00 (the factory's moment); the window is 14 days
    assert f"{line.retake_until:%Y-%m-%d %H:%M}" == "2026-10-12 07:00"  # UTC
    with translation.override("en"):
        until = date_format(timezone.localtime(line.retake_until), "SHORT_DATETIME_FORMAT")
    assert f"you may retake the exam free of charge until {until}." in response.content.decode()


def test_a_passed_retake_shows_both_sittings(client, world, enrol_totp):
    client = sign_in(client, world, "student", enrol_totp)
    client.force_login(world.students[3].user)
    [line] = client.get(PAGE).context["book"].courses
    exam = line.measures[-1]
    assert (str(exam.score), str(exam.retake)) == ("40.00", "70.00")
    assert (line.result.exam_attempt, line.result.letter, line.outcome) == (2, "B-", "passed")
    assert line.retake_until is None


def test_f_after_the_period_closes_is_to_be_studied_again(client, world, enrol_totp):
    lock_services.period_close(actor=world.admin, period_id=world.period.pk)
    client = sign_in(client, world, "student", enrol_totp)
    client.force_login(world.students[1].user)
    response = client.get(PAGE)
    [block] = response.context["book"].periods
    [line] = block.courses
    assert block.closed is True
    assert (line.outcome, line.result.letter, line.repeat) == ("f", "F", True)
    html = response.content.decode()
    assert "F: the discipline is to be studied again in a later period." in html
    assert "closed: grades are locked" in html
    assert str(response.context["book"].gpa.gpa) == "0.00"


def test_courses_are_grouped_by_year_and_period_with_their_gpa(client, world, enrol_totp):
    more_courses(world, 2)
    response = sign_in(client, world, "student", enrol_totp).get(PAGE)
    book = response.context["book"]
    [year] = book.years
    autumn, spring = year.periods
    assert [c.course.id for c in autumn.courses] == [world.course.pk]
    assert len(spring.courses) == 2
    assert {c.result.letter for c in spring.courses} == {"A-"}  # 90 everywhere
    # autumn: 5 cr × 2.67; spring: 2 × 4 cr × 3.67; the year: (13.35 + 29.36) / 13 = 3.285…
    assert (str(autumn.gpa.gpa), str(spring.gpa.gpa), str(year.gpa.gpa)) == ("2.67", "3.67", "3.29")
    assert str(book.gpa.gpa) == "3.29"


def test_the_page_takes_a_fixed_number_of_queries(client, world, enrol_totp, django_assert_num_queries):
    client = sign_in(client, world, "student", enrol_totp)
    client.get(PAGE)  # the session's roles are read once per session
    with django_assert_num_queries(15) as few:
        assert client.get(PAGE).status_code == 200
    more_courses(world, 3)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(PAGE)
    assert len(response.context["book"].courses) == 4


@pytest.mark.parametrize("role", ["teacher", "tutor", "admin", "head", "didactics", "it_support"])
def test_only_a_student_has_a_gradebook_of_their_own(client, world, enrol_totp, role):
    client = sign_in(client, world, role, enrol_totp)
    assert client.get(PAGE).status_code == 404
    assert client.get(XLSX).status_code == 404


def test_anonymous_is_sent_to_sign_in(client):
    for url in (PAGE, XLSX):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_student_without_courses_sees_an_empty_page(client, world, enrol_totp):
    from qashyq.content.models import Enrolment
    from qashyq.gradebook.models import CourseResult

    CourseResult.objects.filter(student=world.students[0]).delete()
    Enrolment.objects.filter(student=world.students[0]).delete()
    response = sign_in(client, world, "student", enrol_totp).get(PAGE)
    assert response.status_code == 200
    assert 'id="no-courses"' in response.content.decode()


def test_the_page_only_answers_get(client, world, enrol_totp):
    assert sign_in(client, world, "student", enrol_totp).post(PAGE).status_code == 405


def test_xlsx_of_the_own_gradebook(client, world, enrol_totp):
    client = sign_in(client, world, "student", enrol_totp)
    client.force_login(world.students[1].user)
    response = client.get(XLSX)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="gradebook-')
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Results", "Control measures", "GPA"]
    results = list(book["Results"].values)
    assert results[0][:5] == ("Academic year", "Period", "Course", "Discipline", "Credits")
    header = results[0]
    row = dict(zip(header, results[1], strict=True))
    assert row["Course"] == world.course.code
    assert row["Admitted to the exam"] == "no"
    assert row["What is still missing"] == "RK1: not graded yet; Admission rating 36.25 below 50"
    assert row["Status"] == "Not admitted to the exam"
    measures = list(book["Control measures"].values)
    assert measures[0] == (
        "Course",
        "Control measure",
        "Part of the rating",
        "Due",
        "Points needed to pass",
        "Score",
        "FX retake",
    )
    assert [(r[1], r[5]) for r in measures[1:]] == [
        ("TK1", 40),
        ("RK1", None),
        ("TK2", 50),
        ("RK2", 55),
        ("EXAM", None),
    ]
