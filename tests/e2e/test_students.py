"""The student body in the browser: the administration service searches, opens a card and imports an XLSX
(a bad row is shown by row and column, then fixed); a teacher sees only their group with masked IINs;
a student sees only their own card."""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from qashyq.core.iin import iin_mask
from qashyq.records.models import Student
from qashyq.records.tests.student_helpers import (
    make_group,
    make_programme,
    make_student,
    row,
    teach,
    xlsx_from_template,
)
from tests.e2e.support import Account, assert_accessible, path_is

STUDENTS = "/records/students/"
IMPORT = "/records/students/import/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def body(transactional_db: None) -> dict[str, Any]:
    programme = make_programme()
    group_a, group_b = make_group("ИС-26-1", programme), make_group("ИС-26-2", programme)
    return {
        "programme": programme,
        "group_a": group_a,
        "group_b": group_b,
        "aigerim": make_student(programme, group=group_a, last_name="Сейітова", first_name="Айгерім"),
        "arman": make_student(programme, group=group_b, last_name="Жұмабаев", first_name="Арман"),
    }


def card_path(student: Student) -> str:
    return f"/records/students/{student.pk}/"


def test_administration_searches_opens_a_card_and_imports_a_file(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
    body: dict[str, Any],
) -> None:
    administration = make_account(Role.ADMINISTRATION, first_name="Гүлнар", last_name="Байжанова")
    aigerim = body["aigerim"]

    sign_in(page, administration)
    page.locator(f"header nav a[href='{STUDENTS}']").click()
    expect(page).to_have_url(path_is(STUDENTS))
    expect(page.locator("main table tbody tr")).to_have_count(2)
    assert_accessible(page)

    # A name typed in Latin letters finds the Cyrillic record; the full IIN is shown.
    page.locator("#id_q").fill("seiitova")
    page.locator("form[role=search] [type=submit]").click()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody")).to_contain_text(aigerim.iin)
    assert_accessible(page)

    page.locator(f"main a[href='{card_path(aigerim)}']").click()
    expect(page).to_have_url(path_is(card_path(aigerim)))
    expect(page.locator("main h1")).to_have_text("Сейітова Айгерім")
    expect(page.locator("#student-iin")).to_have_text(aigerim.iin)
    expect(page.locator("#student-disability")).to_be_visible()
    expect(page.locator("#performance-heading")).to_be_visible()
    assert_accessible(page)

    # The import: a file with a bad row is refused with the row and column named ...
    page.goto(url(STUDENTS))
    page.locator(f"main a[href='{IMPORT}']").click()
    expect(page).to_have_url(path_is(IMPORT))
    assert_accessible(page)
    good = row(last_name="Оспанова", first_name="Дана")
    wrong_group = row(last_name="Нұрланов", first_name="Ерлан", sex_="male", sex="male", group="ЖОҚ-9")
    page.locator("#id_file").set_input_files(
        files=[{"name": "students.xlsx", "mimeType": XLSX, "buffer": xlsx_from_template([good, wrong_group])}]
    )
    page.locator("main form[enctype] [type=submit]").click()
    problems = page.locator("#import-problems tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first.locator("th")).to_have_text("3")
    expect(problems.first).to_contain_text("group")
    expect(problems.first).to_contain_text("ЖОҚ-9")
    expect(page.locator(f"form[action='{IMPORT}confirm/']")).to_have_count(0)
    assert_accessible(page)
    assert Student.objects.count() == 2

    # ... fixed, it is previewed as ready and imported at once.
    fixed = dict(wrong_group, group="ИС-26-2")
    page.locator("#id_file").set_input_files(
        files=[{"name": "students.xlsx", "mimeType": XLSX, "buffer": xlsx_from_template([good, fixed])}]
    )
    page.locator("main form[enctype] [type=submit]").click()
    expect(page.locator("main [role=status]")).to_be_visible()
    expect(page.locator("#import-problems")).to_have_count(0)
    assert_accessible(page)
    page.locator(f"form[action='{IMPORT}confirm/'] [type=submit]").click()

    expect(page).to_have_url(path_is(STUDENTS))
    expect(page.locator("main [role=status]")).to_be_visible()
    expect(page.locator("main table tbody tr")).to_have_count(4)
    assert_accessible(page)
    imported = Student.objects.get(last_name="Нұрланов")
    assert (imported.group_id, imported.status, imported.birth_date) == (
        body["group_b"].pk,
        "applicant",
        date(2006, 4, 9),
    )


def test_teacher_sees_only_their_group_with_masked_iins(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
    body: dict[str, Any],
) -> None:
    teacher = make_account(Role.TEACHER, first_name="Талғат", last_name="Ержанов")
    teach(teacher.user, body["group_a"])
    aigerim, arman = body["aigerim"], body["arman"]

    sign_in(page, teacher)
    page.locator(f"header nav a[href='{STUDENTS}']").click()
    expect(page).to_have_url(path_is(STUDENTS))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(iin_mask(aigerim.iin))
    expect(page.locator("main")).not_to_contain_text(aigerim.iin)
    expect(page.locator(f"main a[href='{card_path(arman)}']")).to_have_count(0)
    expect(page.locator(f"main a[href='{IMPORT}']")).to_have_count(0)
    assert_accessible(page)

    page.locator(f"main a[href='{card_path(aigerim)}']").click()
    expect(page).to_have_url(path_is(card_path(aigerim)))
    expect(page.locator("#student-iin")).to_have_text(iin_mask(aigerim.iin))
    expect(page.locator("#student-disability")).to_have_count(0)
    assert_accessible(page)

    response = page.goto(url(card_path(arman)))
    assert response is not None
    assert response.status == 404
    assert_accessible(page)


def test_student_sees_only_their_own_card(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
    body: dict[str, Any],
) -> None:
    account = make_account(Role.STUDENT, first_name="Айгерім", last_name="Сейітова")
    aigerim = body["aigerim"]
    aigerim.user = account.user
    aigerim.save(update_fields=["user"])

    sign_in(page, account)
    page.locator("header nav a[href='/records/students/mine/']").click()
    expect(page).to_have_url(path_is(card_path(aigerim)))
    expect(page.locator("#student-iin")).to_have_text(aigerim.iin)  # their own IIN, in full
    expect(page.locator("#student-disability")).to_have_count(0)
    expect(page.locator("main a[href$='/contacts/']")).to_have_count(0)
    assert_accessible(page)

    for path in (card_path(body["arman"]), STUDENTS):
        response = page.goto(url(path))
        assert response is not None
        assert response.status == 404
        assert_accessible(page)
