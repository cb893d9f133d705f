"""XLSX exports of the gradebook's views: the course journal (the viewer's groups only), a course's and a
period's grade distribution; the file name carries the course code (or the period) and the date, the headers
are in the language of the request. (The student's own gradebook: test_student_views.)"""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qashyq.gradebook.exports import filename
from qashyq.gradebook.tests.pages_helpers import results_world, sign_in

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world():
    return results_world()


def journal_url(world) -> str:
    return reverse("gradebook:journal-xlsx", args=[world.course.pk])


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(BytesIO(response.content))


def test_the_file_name_has_the_parts_and_the_date():
    assert filename("IS-2101", "", on=date(2027, 1, 20)) == "gradebook-is-2101-2027-01-20.xlsx"
    assert filename("ИС 26/1", "distribution", on=date(2027, 1, 20)) == "gradebook-ис-261-distribution-2027-01-20.xlsx"


def test_the_journal_as_xlsx(client, world, enrol_totp):
    response = sign_in(client, world, "teacher", enrol_totp).get(journal_url(world))
    today = timezone.localdate().isoformat()
    code = world.course.code.lower()
    assert response["Content-Disposition"] == f'attachment; filename="gradebook-{code}-{today}.xlsx"'
    book = workbook(response)
    assert book.sheetnames == ["Journal", "Columns"]
    rows = list(book["Journal"].values)
    header = rows[0]
    assert header[:2] == ("Student", "Study group")
    assert header[2:9] == (
        "TK1 (TK1)",
        "RK1 (RK1)",
        "TK2 (TK2)",
        "RK2 (RK2)",
        "EXAM (Exam)",
        "EXAM (FX retake)",
        "TK1",
    )
    assert header[-5:] == ("Exam", "Final", "Letter", "Digital", "Traditional")
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {s.full_name for s in world.students}
    first = by_name[world.students[0].full_name]
    assert (first["Study group"], first["TK1 (TK1)"], first["EXAM (Exam)"], first["EXAM (FX retake)"]) == (
        world.groups[0].code,
        70,
        85,
        None,
    )
    assert (first["R1"], first["Adm."], first["Final"], first["Letter"], first["Traditional"]) == (
        75,
        75,
        79,
        "B-",
        "Good",
    )
    assert first["Admitted"] == "yes"
    not_admitted = by_name[world.students[1].full_name]
    assert (not_admitted["RK1 (RK1)"], not_admitted["Admitted"], not_admitted["Letter"]) == (None, "no", None)
    retaken = by_name[world.students[3].full_name]
    assert (retaken["EXAM (FX retake)"], retaken["Final"]) == (70, 76)
    legend = list(book["Columns"].values)
    assert legend[0] == ("Column", "Meaning")
    assert ("R1", "Rating 1: (TK1 + RK1) / 2") in legend


def test_a_tutor_exports_their_groups_only(client, world, enrol_totp):
    client = sign_in(client, world, "tutor", enrol_totp)
    rows = list(workbook(client.get(journal_url(world)))["Journal"].values)[1:]
    assert {r[0] for r in rows} == {world.students[2].full_name, world.students[3].full_name}
    assert client.get(journal_url(world), {"group": world.groups[0].pk}).status_code == 404


def test_one_group_of_the_journal(client, world, enrol_totp):
    client = sign_in(client, world, "admin", enrol_totp)
    response = client.get(journal_url(world), {"group": world.groups[0].pk})
    group = world.groups[0].code.lower()
    assert f"-{group}-" in response["Content-Disposition"]
    rows = list(workbook(response)["Journal"].values)[1:]
    assert {r[0] for r in rows} == {world.students[0].full_name, world.students[1].full_name}


def test_the_headers_are_in_the_language_of_the_request(client, world, enrol_totp):
    client = sign_in(client, world, "teacher", enrol_totp)
    rows = list(workbook(client.get(journal_url(world), HTTP_ACCEPT_LANGUAGE="ru")).worksheets[0].values)
    assert rows[0][0] == "Обучающийся"


@pytest.mark.parametrize(
    ("role", "status"),
    [("teacher", 200), ("head", 200), ("student", 404), ("outsider_teacher", 404), ("didactics", 404)],
)
def test_who_may_export_the_journal(client, world, enrol_totp, role, status):
    assert sign_in(client, world, role, enrol_totp).get(journal_url(world)).status_code == status


def test_anonymous_exports_nothing(client, world):
    assert client.get(journal_url(world)).status_code == 302
    assert client.get(reverse("gradebook:own-gradebook-xlsx")).status_code == 302


def test_a_courses_distribution_as_xlsx(client, world, enrol_totp):
    client = sign_in(client, world, "teacher", enrol_totp)
    response = client.get(reverse("gradebook:course-distribution-xlsx", args=[world.course.pk]))
    assert f"gradebook-{world.course.code.lower()}-distribution-" in response["Content-Disposition"]
    book = workbook(response)
    assert book.sheetnames == ["Letter grades", "Final scores"]
    letters = list(book["Letter grades"].values)
    assert letters[0] == ("Letter grade", "Points", "Students")
    assert ("B-", "75–79", 2) in letters
    assert ("FX", "25–49", 1) in letters
    assert letters[-1] == ("Total with a letter", None, 3)
    scores = list(book["Final scores"].values)
    assert scores[0] == ("Final score", "Students")
    assert ("70–79", 2) in scores
    assert ("90–100", 0) in scores
    assert scores[-2:] == [("Total with a final score", 3), ("Mean final score", 73)]


def test_a_periods_distribution_as_xlsx(client, world, enrol_totp):
    client = sign_in(client, world, "head", enrol_totp)
    response = client.get(reverse("gradebook:period-distribution-xlsx", args=[world.period.pk]))
    assert "-distribution-" in response["Content-Disposition"]
    book = workbook(response)
    assert book.sheetnames == ["Courses", "Letter grades", "Final scores"]
    courses = list(book["Courses"].values)
    header = courses[0]
    assert header[:2] == ("Course", "Title")
    assert header[-2:] == ("Students", "Mean final score")
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in courses[1:]}
    mine = rows[world.course.code]
    assert (mine["B-"], mine["FX"], mine["A"], mine["Students"], mine["Mean final score"]) == (2, 1, 0, 4, 73)
    assert rows[world.other_course.code]["Students"] == 0
    assert rows["Total"]["B-"] == 2
