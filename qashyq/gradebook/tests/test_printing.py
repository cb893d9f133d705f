"""The printed documents of the gradebook: what the grade sheets (RK1, RK2, exam; Kazakh and Russian) and the
transcripts (Kazakh, Russian, English) say, read back with pdftotext; that each is a registered, verifiable
document; the queries of the transcript; and who may print and download them (full matrix)."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from qashyq.audit.models import Event
from qashyq.documents.models import Document
from qashyq.documents.tests.pdf import pdf_text, stored_bytes
from qashyq.gradebook import printing
from qashyq.gradebook.permissions import access_course_gradebook
from qashyq.gradebook.selectors.transcripts import transcript_get
from qashyq.gradebook.tests.print_helpers import PrintWorld, print_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw() -> PrintWorld:
    return print_world()


def _sheet(pw: PrintWorld, *, session: str, language: str, group: int | None, user=None) -> Document:
    user = user or pw.admin
    access = access_course_gradebook(user=user, course_id=pw.course.id)
    data = printing.grade_sheet_issue(access=access, group_id=group, session=session, language=language, actor=user)
    return Document.objects.get(pk=data.id)


def _text(document: Document, tmp_path) -> str:
    return pdf_text(stored_bytes(document), tmp_path)


# --- Grade sheets ---------------------------------------------------------------------------------------


def test_the_exam_sheet_of_a_group_in_russian(pw, tmp_path):
    document = _sheet(pw, session="exam", language="ru", group=pw.groups[0].id)
    text = _text(document, tmp_path)
    first, second = pw.students[0], pw.students[1]
    assert "ОБРАЗЦОВЫЙ УНИВЕРСИТЕТ ИМЕНИ АЛЬ-ФАРАБИ" in text
    assert "ЭКЗАМЕНАЦИОННАЯ ВЕДОМОСТЬ" in text
    assert f"№ {pw.course.id}-{pw.groups[0].id}-EX-1" in text
    assert "Дисциплина: DB101 «Базы данных»" in text
    assert "Количество кредитов: 5" in text
    assert "Группа: GB-26-1" in text
    assert "Академический период: 2026–2027 учебный год, семестр 1" in text
    assert f"Преподаватель: {pw.teacher.full_name}" in text
    # admission rating, exam, final, letter, digital equivalent, traditional grade
    assert f"{first.full_name} 87,50 90,00 88,50 B+ 3,33 Хорошо" in text
    assert f"{second.full_name} 17,50 не допущен(а) — — — —" in text
    assert pw.students[2].full_name not in text  # the other group
    assert "Тьютор" not in text  # the tutor teaches the other group only
    # totals by letter: one B+, one not admitted, of two
    assert (
        "Оценка A A- B+ B B- C+ C C- D+ D FX F Не допущены к экзамену Без оценки Всего "
        "Количество 0 0 1 0 0 0 0 0 0 0 0 0 1 0 2 "
        "Доля, % 0,0 0,0 50,0 0,0 0,0 0,0 0,0 0,0 0,0 0,0 0,0 0,0 50,0 0,0 100,0"
    ) in text
    assert "Преподаватель: ____________" in text
    assert "Заведующий кафедрой / декан: ____________" in text
    assert "Дата: «___» ____________ 20___ г." in text
    assert document.verification_code in text


def test_the_exam_sheet_of_every_group_marks_the_retake(pw, tmp_path):
    text = _text(_sheet(pw, session="exam", language="kk", group=None), tmp_path)
    assert "ЕМТИХАН ВЕДОМОСЫ" in text
    assert "Топ: GB-26-1, GB-26-2" in text
    assert f"{pw.students[2].full_name} GB-26-2 100,00 96,00 98,40 A 4,00 Өте жақсы" in text
    assert f"{pw.students[3].full_name} GB-26-2 60,00 70,00* 64,00 C- 1,67 Қанағаттанарлық" in text
    assert f"{pw.students[1].full_name} GB-26-1 17,50 жіберілмеді" in text
    assert "* — FX бағасын қайта тапсыру нәтижесі." in text
    assert "Саны 1 0 1 0 0 0 0 1 0 0 0 0 1 0 4" in text


def test_the_midterm_sheets_show_current_control_midterm_rating_and_its_letter(pw, tmp_path):
    rk1 = _text(_sheet(pw, session="rk1", language="kk", group=pw.groups[1].id), tmp_path)
    assert "1-АРАЛЫҚ БАҚЫЛАУ (АБ1) ВЕДОМОСЫ" in rk1
    assert "Ағымдағы бақылау 1 Аралық бақылау 1 (АБ1) Рейтинг 1 (Р1) Әріптік баға" in rk1
    assert f"{pw.students[2].full_name} 100,00 100,00 100,00 A" in rk1
    assert f"{pw.students[3].full_name} 60,00 50,00 55,00 D+" in rk1
    assert f"Тьютор: {pw.tutor.full_name}" in rk1
    assert "Саны 1 0 0 0 0 0 0 0 1 0 0 0 0 2" in rk1
    rk2 = _text(_sheet(pw, session="rk2", language="ru", group=pw.groups[0].id), tmp_path)
    assert "ВЕДОМОСТЬ РУБЕЖНОГО КОНТРОЛЯ 2 (РК2)" in rk2
    assert f"{pw.students[0].full_name} 85,00 95,00 90,00 A-" in rk2
    # nothing graded in TK2 and RK2: the parts count 0
    assert f"{pw.students[1].full_name} 0,00 0,00 0,00 F" in rk2


def test_a_grade_sheet_is_a_registered_verifiable_document(pw, client, tmp_path):
    document = _sheet(pw, session="exam", language="ru", group=pw.groups[0].id)
    pdf = stored_bytes(document)
    assert document.kind == printing.KIND_GRADE_SHEET
    assert (document.target_type, document.target_id) == (
        "gradebook.gradesheet",
        f"{pw.course.id}-{pw.groups[0].id}-exam",
    )
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.issued_by == pw.admin
    assert document.title == f"Экзаменационная ведомость № {document.number} ({pw.course.code}, GB-26-1)"
    assert Event.objects.filter(action="documents.issued", target_id=str(document.pk)).count() == 1
    page = client.get(f"/documents/verify/{document.verification_code}/")
    assert page.status_code == 200
    assert document.number in page.content.decode()
    # a second sheet of the same course, group and session gets the next number
    again = _sheet(pw, session="exam", language="kk", group=pw.groups[0].id)
    assert again.number == f"{pw.course.id}-{pw.groups[0].id}-EX-2"


def test_a_grade_sheet_in_another_language_or_session_is_refused_and_nothing_is_issued(pw):
    access = access_course_gradebook(user=pw.admin, course_id=pw.course.id)
    with pytest.raises(ValidationError) as english:
        printing.grade_sheet_issue(access=access, group_id=None, session="exam", language="en", actor=pw.admin)
    assert english.value.code == "language"
    with pytest.raises(ValidationError) as session:
        printing.grade_sheet_issue(access=access, group_id=None, session="rk3", language="kk", actor=pw.admin)
    assert session.value.code == "session"
    assert not Document.objects.exists()
    assert not Event.objects.filter(action="documents.issued").exists()


# --- Transcripts ----------------------------------------------------------------------------------------


def _transcript(pw: PrintWorld, language: str, student_index: int = 0) -> Document:
    data = printing.transcript_issue(student_id=pw.students[student_index].id, language=language, actor=pw.admin)
    return Document.objects.get(pk=data.id)


def test_the_transcript_in_english(pw, tmp_path):
    text = _text(_transcript(pw, "en"), tmp_path)
    student = pw.students[0]
    assert "AL-FARABI MODEL UNIVERSITY" in text
    assert "TRANSCRIPT No. " in text
    assert f"Student: {student.name_latin}" in text
    assert "Educational programme: 6B06102" in text
    assert "Group: GB-26-1" in text
    # every discipline by academic period: credits, points, letter, digital equivalent, traditional grade
    assert "Academic year 2026–2027, semester 1 1 DB101 Databases 5 88.50 B+ 3.33 Good" in text
    assert "Period total: 5 credits, GPA 3.33" in text
    assert "Academic year 2026–2027, semester 2 2 ALG102 Algorithms 3 97.80 A 4.00 Excellent" in text
    assert "Period total: 3 credits, GPA 4.00 Year total: 8 credits, GPA 3.58" in text
    # F given at the period's closure, without an exam: no points, counts 0 in the GPA
    assert "Academic year 2027–2028, semester 1 3 PHY201 Physics 4 — F 0.00 Unsatisfactory" in text
    assert "Period total: 4 credits, GPA 0.00 Year total: 4 credits, GPA 0.00" in text
    assert "Total: 12 credits, cumulative GPA 2.39" in text


def test_the_transcript_in_kazakh_and_russian(pw, tmp_path):
    kk = _text(_transcript(pw, "kk"), tmp_path)
    student = pw.students[0]
    assert f"Білім алушы: {student.full_name}" in kk
    assert "2026–2027 оқу жылы, 1-семестр 1 DB101 Деректер қоры 5 88,50 B+ 3,33 Жақсы" in kk
    assert "Оқу жылы бойынша: кредит — 8, GPA — 3,58" in kk
    assert "Барлығы: кредит — 12, жинақталған GPA — 2,39" in kk
    ru = _text(_transcript(pw, "ru"), tmp_path)
    assert f"Обучающийся: {student.full_name}" in ru
    assert "2026–2027 учебный год, семестр 2 2 ALG102 Алгоритмы 3 97,80 A 4,00 Отлично" in ru
    assert "Физика 4 — F 0,00 Неудовлетворительно" in ru
    assert "Всего: кредитов — 12, накопленный GPA — 2,39" in ru


def test_a_transcript_lists_only_final_letters(pw, tmp_path):
    text = _text(_transcript(pw, "en", student_index=1), tmp_path)  # not admitted: no final letter yet
    assert "No discipline has a final grade yet." in text
    assert "Databases" not in text


def test_a_transcript_is_registered_numbered_and_verifiable(pw, client, tmp_path):
    document = _transcript(pw, "ru")
    student = pw.students[0]
    pdf = stored_bytes(document)
    assert (document.kind, document.target_type, document.target_id) == (
        "gradebook.transcript",
        "gradebook.transcript",
        str(student.id),
    )
    assert document.number == f"{student.id}-1"
    assert document.title == f"Транскрипт № {student.id}-1"  # public: names nobody
    assert student.last_name not in document.title
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.verification_code in _text(document, tmp_path)
    page = client.post(
        f"/documents/verify/{document.verification_code}/",
        {"file": SimpleUploadedFile("copy.pdf", pdf, content_type="application/pdf")},
    )
    assert page.status_code == 200
    assert page.context["matches"] is True
    assert _transcript(pw, "en").number == f"{student.id}-2"


def test_the_transcript_reads_a_fixed_number_of_queries(pw, django_assert_num_queries):
    with django_assert_num_queries(20):
        transcript = transcript_get(student_id=pw.students[0].id, language="en")
    assert transcript is not None
    assert [line.code for line in transcript.lines] == ["DB101", "ALG102", "PHY201"]
    assert transcript_get(student_id=10**9, language="en") is None


def test_an_unknown_student_or_language_has_no_transcript(pw):
    with pytest.raises(Http404):
        printing.transcript_issue(student_id=10**9, language="kk", actor=pw.admin)
    with pytest.raises(ValidationError) as error:
        printing.transcript_issue(student_id=pw.students[0].id, language="de", actor=pw.admin)
    assert error.value.code == "language"
    assert not Document.objects.exists()


# --- Who may print and download (every role) --------------------------------------------------------------

# role → may have the transcript of students[0]
TRANSCRIPT_MATRIX = {
    "student": True,  # their own
    "student_other": False,
    "teacher": False,
    "tutor": False,
    "outsider_teacher": False,
    "outsider_tutor": False,
    "administration": True,
    "head": True,
    "didactics": False,
    "it_support": False,
    "anonymous": False,
}


@pytest.mark.parametrize(("role", "allowed"), TRANSCRIPT_MATRIX.items())
def test_access_transcript(pw, role, allowed):
    user = pw.user(role)
    student_id = pw.students[0].id
    if allowed:
        assert printing.access_transcript(user=user, student_id=student_id).id == student_id
    else:
        with pytest.raises(Http404):
            printing.access_transcript(user=user, student_id=student_id)
    assert printing.can_download_transcript(user, str(student_id)) is allowed


def test_no_one_has_a_transcript_of_a_student_who_does_not_exist(pw):
    for role in ("administration", "head", "student"):
        with pytest.raises(Http404):
            printing.access_transcript(user=pw.user(role), student_id=10**9)
    assert printing.can_download_transcript(pw.admin, "abc") is False
    assert printing.can_download_transcript(pw.admin, str(10**9)) is False


# role → may download the sheet of (group 1, group 2, every group)
SHEET_MATRIX = {
    "student": (False, False, False),
    "student_other": (False, False, False),
    "teacher": (True, True, True),
    "tutor": (False, True, False),  # the second group only
    "outsider_teacher": (False, False, False),
    "outsider_tutor": (False, False, False),
    "administration": (True, True, True),
    "head": (True, True, True),
    "didactics": (False, False, False),
    "it_support": (False, False, False),
    "anonymous": (False, False, False),
}


@pytest.mark.parametrize(("role", "expected"), SHEET_MATRIX.items())
def test_can_download_grade_sheet(pw, role, expected):
    user = pw.user(role)
    course = pw.course.id
    found = tuple(
        printing.can_download_grade_sheet(user, f"{course}-{group}-exam")
        for group in (pw.groups[0].id, pw.groups[1].id, 0)
    )
    assert found == expected


def test_a_grade_sheet_of_a_group_outside_the_course_or_a_bad_target_is_downloadable_by_no_one(pw):
    other_group = 10**6
    assert printing.can_download_grade_sheet(pw.admin, f"{pw.course.id}-{other_group}-exam") is False
    for target in ("", "abc", f"{pw.course.id}-x-exam", f"{10**9}-0-exam", f"{pw.course.id}-0"):
        assert printing.can_download_grade_sheet(pw.admin, target) is False


def test_a_downloaded_transcript_opens_for_its_student_and_not_for_another(pw, client):
    document = _transcript(pw, "kk")
    client.force_login(pw.students[0].user)
    response = client.get(f"/documents/{document.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    client.force_login(pw.students[2].user)
    assert client.get(f"/documents/{document.pk}/pdf/").status_code == 404
