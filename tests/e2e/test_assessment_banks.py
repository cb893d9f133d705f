"""Question banks in the browser (issue 6): a teacher makes a bank, imports a file in the Kazakh
<question>/<variant> format with one bad question (sees the problem with its line; nothing is saved), fixes
it, checks the preview, saves, sees the questions, edits one, and exports the bank to GIFT. Every page goes
through axe, and the browser may report no CSP violation."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from qashyq.assessment.data import QuestionType
from qashyq.assessment.models import Bank, Question
from qashyq.content.tests.factories import CourseFactory, add_staff
from tests.e2e.support import Account, assert_accessible, path_is

GOOD = """<question>Қазақстанның астанасы қай қала?
<variant>Астана
<variant>Алматы
<variant>Шымкент
<question2>2 + 2 = ?
<variant>4
<variant>5
<variant>3
"""
BAD = GOOD + "<question3>Жалғыз нұсқасы бар сұрақ\n<variant>Бір\n"
FIXED = GOOD + "<question3>Екі нұсқасы бар сұрақ\n<variant>Бір\n<variant>Екі\n"


def _file(name: str, text: str) -> dict[str, object]:
    return {"name": name, "mimeType": "text/plain", "buffer": text.encode()}


def test_teacher_imports_fixes_saves_edits_and_exports(
    page: Page, url: Callable[[str], str], make_account: Callable[..., Account], sign_in: Callable[..., None]
) -> None:
    teacher = make_account(Role.TEACHER, first_name="Әсел", last_name="Жұмабаева")
    course = CourseFactory(name_kk="Информатика")
    add_staff(course, teacher.user)
    sign_in(page, teacher)

    # A new bank of the discipline the teacher teaches.
    page.goto(url("/assessment/banks/"))
    assert_accessible(page)
    page.locator("#bank-create").click()
    expect(page).to_have_url(path_is("/assessment/banks/new/"))
    assert_accessible(page)
    page.locator("#id_discipline").select_option(str(course.discipline_id))
    page.locator("#id_name").fill("Информатика: аралық бақылау")
    page.locator("main form button[type=submit]").click()
    bank = Bank.objects.get(name="Информатика: аралық бақылау")
    expect(page).to_have_url(path_is(f"/assessment/banks/{bank.pk}/"))
    assert_accessible(page)

    # The file with a bad question: the problem with its line, no save button, nothing saved.
    page.locator("#import").click()
    expect(page).to_have_url(path_is(f"/assessment/banks/{bank.pk}/import/"))
    assert_accessible(page)
    page.locator("#id_file").set_input_files(_file("аралық.txt", BAD))
    page.locator("#id_difficulty_tags").check()
    page.locator("#read-file").click()
    expect(page.locator("#problems")).to_contain_text("аралық.txt")
    expect(page.locator("#problems li")).to_have_count(1)
    expect(page.locator("#problems li").first).to_contain_text("9")
    expect(page.locator("#confirm")).to_have_count(0)
    assert_accessible(page)
    assert not Question.objects.filter(bank=bank).exists()

    # Fixed: the preview lists the three questions with the right answers marked; saved on confirmation.
    page.locator("#upload-again").click()
    page.locator("#id_file").set_input_files(_file("аралық.txt", FIXED))
    page.locator("#read-file").click()
    expect(page.locator("#parsed tbody tr")).to_have_count(3)
    expect(page.locator("#parsed tbody tr").first).to_contain_text("Астана")
    expect(page.locator("#problems")).to_have_count(0)
    assert_accessible(page)
    assert not Question.objects.filter(bank=bank).exists()
    page.locator("#confirm").click()
    expect(page).to_have_url(path_is(f"/assessment/banks/{bank.pk}/"))
    expect(page.locator("#questions tbody tr")).to_have_count(3)
    assert_accessible(page)
    assert sorted(Question.objects.filter(bank=bank).values_list("difficulty", flat=True)) == [1, 2, 3]

    # Edit one question: the text and the right option.
    question = Question.objects.filter(bank=bank).order_by("pk").first()
    assert question is not None
    page.locator(f"#question-{question.pk} a").click()
    expect(page).to_have_url(path_is(f"/assessment/questions/{question.pk}/"))
    assert_accessible(page)
    page.locator("#edit").click()
    expect(page).to_have_url(path_is(f"/assessment/questions/{question.pk}/edit/"))
    assert_accessible(page)
    page.locator("#id_stem").fill("Қазақстан Республикасының астанасы?")
    page.locator("#id_row_3_text").fill("Қарағанды")
    page.locator("#save").click()
    expect(page).to_have_url(path_is(f"/assessment/questions/{question.pk}/"))
    expect(page.locator(".question-stem")).to_contain_text("Қазақстан Республикасының астанасы?")
    expect(page.locator(".question-options li")).to_have_count(4)
    assert_accessible(page)

    # Export to GIFT.
    page.goto(url(f"/assessment/banks/{bank.pk}/"))
    with page.expect_download() as info:
        page.locator("#export-gift").click()
    download = info.value
    assert download.suggested_filename.endswith(".gift.txt")
    content = download.path().read_text(encoding="utf-8")
    assert "Қазақстан Республикасының астанасы?" in content
    assert "Қарағанды" in content

    # The editor of every type is accessible.
    for qtype in QuestionType.values:
        page.goto(url(f"/assessment/banks/{bank.pk}/questions/new/{qtype}/"))
        expect(page.locator("#question-form")).to_be_visible()
        assert_accessible(page)
