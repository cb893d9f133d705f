"""The gradebook's measures and documents in the browser: a teacher adds a control measure (a due date outside the
period is refused next to its field) and finds it in the journal's columns; a teacher downloads grade sheets; a
student downloads their own transcript in three languages; the administration service issues the transcripts of
a group in bulk, follows the job's progress until it is done and downloads the ZIP, and reopens an entry window
for a student. Every page and state goes through axe."""

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from qashyq.audit.models import Event
from qashyq.documents.models import Document
from qashyq.documents.tests.pdf import pdf_text
from qashyq.gradebook import printing, tasks
from qashyq.gradebook.models import ControlMeasure, EntryReopen, JobStatus, TranscriptJob
from qashyq.gradebook.services import transcripts as transcript_services
from qashyq.gradebook.tests.factories import gradebook_world
from qashyq.gradebook.tests.print_helpers import print_world
from tests.e2e.support import PASSWORD, Account, assert_accessible, kk, path_is

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def account(user: Any, *, totp: bool = False) -> Account:
    """The world's user as a browser account: a known password, and an authenticator when asked."""
    user.set_password(PASSWORD)
    user.save()
    code = None
    if totp:
        secret = pyotp.random_base32()
        TOTP.activate(user, secret)
        code = pyotp.TOTP(secret)
    return Account(user=user, username=user.username, email=user.email, password=PASSWORD, totp=code)


@dataclass
class Downloaded:
    content_type: str
    filename: str
    content: bytes


@contextmanager
def downloading(page: Page, path: str) -> Iterator[list[Downloaded]]:
    """What the block's click downloads: the answer of the URL holding `path` (its content type),
    the file's suggested name and its bytes (appended to the yielded list once the block ends)."""
    found: list[Downloaded] = []
    with (
        page.expect_response(lambda r: r.request.method == "GET" and path in r.url) as answer,
        page.expect_download() as info,
    ):
        yield found
    download = info.value
    saved = download.path()
    assert saved is not None
    response = answer.value
    assert response.status == 200, response.url
    found.append(Downloaded(response.headers["content-type"], download.suggested_filename, Path(saved).read_bytes()))


def kk_text(message: str, **values: Any) -> str:
    with translation.override("kk"):
        return translation.gettext(message) % values if values else translation.gettext(message)


def field_error(page: Page, name: str) -> Locator:
    return page.locator(f"#id_{name}_error")


# --- Control measures -----------------------------------------------------------------------------------------


def test_teacher_adds_a_control_measure_and_a_due_date_outside_the_period_is_refused(
    page: Page, sign_in: Callable[..., None]
) -> None:
    world = gradebook_world()  # the period: 1 September – 30 December 2026
    course = world.course
    sign_in(page, account(world.teacher))

    page.locator("header nav a[href='/gradebook/']").click()
    page.locator(f"#course-{course.pk} a").first.click()
    expect(page).to_have_url(path_is(f"/gradebook/courses/{course.pk}/journal/"))
    assert_accessible(page)
    page.locator("#measures-link").click()
    expect(page).to_have_url(path_is(f"/gradebook/courses/{course.pk}/measures/"))
    expect(page.locator("#measure-list tbody tr")).to_have_count(5)
    assert_accessible(page)

    page.locator("#measure-add").click()
    expect(page).to_have_url(path_is(f"/gradebook/courses/{course.pk}/measures/new/"))
    assert_accessible(page)
    page.locator("#id_name_kk").fill("Зертханалық жұмыс")
    page.locator("#id_name_en").fill("Laboratory work")
    page.locator("#id_kind").select_option("control_work")
    page.locator("#id_part").select_option("tk1")
    page.locator("#id_mode").select_option("case")
    page.locator("#id_week").fill("6")
    page.locator("#id_weight").fill("1,5")
    page.locator("#id_due_at").fill("2027-01-15T18:00")  # after the period's end
    page.locator("#id_required").check()
    page.locator("#id_pass_points").fill("50")
    page.locator("#id_late_allowed").uncheck()
    page.locator("#measure-save").click()

    # The service's refusal sits under the due date; nothing is written.
    message = kk_text(
        "The due date must fall inside the course's academic period, %(start)s – %(end)s.",
        start="01.09.2026",
        end="30.12.2026",
    )
    expect(field_error(page, "due_at")).to_have_text(message)
    expect(page.locator("#id_due_at")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name_kk")).to_have_value("Зертханалық жұмыс")  # the rest is kept
    assert_accessible(page)
    assert ControlMeasure.objects.filter(course=course).count() == 5

    page.locator("#id_due_at").fill("2026-10-10T18:00")
    page.locator("#measure-save").click()
    expect(page).to_have_url(path_is(f"/gradebook/courses/{course.pk}/measures/"))
    expect(page.locator(".qh-messages")).to_contain_text("Зертханалық жұмыс")
    measure = ControlMeasure.objects.get(course=course, name_kk="Зертханалық жұмыс")
    assert (measure.kind, measure.part, measure.mode, measure.week) == ("control_work", "tk1", "case", 6)
    assert (measure.weight, measure.pass_points, measure.required, measure.late_allowed) == (
        Decimal("1.50"),
        Decimal("50.00"),
        True,
        False,
    )
    assert timezone.localtime(measure.due_at).strftime(DATETIME_LOCAL) == "2026-10-10T18:00"
    row = page.locator(f"#measure-{measure.pk}")
    expect(page.locator("#measure-list tbody tr")).to_have_count(6)
    expect(row.locator("th")).to_have_text("Зертханалық жұмыс")
    expect(row).to_contain_text(kk("Control work"))
    expect(row).to_contain_text("10.10.2026 18:00")
    expect(row).to_contain_text("1,50")
    assert_accessible(page)

    # The journal has a column for it among the TK1 columns.
    page.locator(f"main a[href='/gradebook/courses/{course.pk}/journal/']").last.click()
    expect(page).to_have_url(path_is(f"/gradebook/courses/{course.pk}/journal/"))
    header = page.locator(f"#h{measure.pk}-1")
    expect(header).to_contain_text("Зертханалық жұмыс")
    expect(header).to_contain_text("6")  # the week
    columns = page.locator("#journal thead th.qh-col[id]").evaluate_all("cells => cells.map(c => c.id)")
    tk1, rk1 = world.measure("tk1").pk, world.measure("rk1").pk
    assert columns[:3] == [f"h{tk1}-1", f"h{measure.pk}-1", f"h{rk1}-1"]
    assert_accessible(page)


# --- Grade sheets ---------------------------------------------------------------------------------------------


def test_teacher_downloads_grade_sheets(
    page: Page, url: Callable[[str], str], sign_in: Callable[..., None], tmp_path: Path
) -> None:
    pw = print_world()
    course, second_group = pw.course, pw.groups[1]
    sign_in(page, account(pw.teacher))
    page.goto(url(f"/gradebook/courses/{course.pk}/journal/"))
    assert_accessible(page)
    page.locator(f"main a[href='/gradebook/courses/{course.pk}/sheets/']").click()
    expect(page).to_have_url(path_is(f"/gradebook/courses/{course.pk}/sheets/"))
    expect(page.locator("#id_language")).to_have_value("kk")  # the interface's language
    assert_accessible(page)

    # RK1 of the second group, in Kazakh.
    page.locator("#id_session").select_option("rk1")
    page.locator("#id_group").select_option(str(second_group.pk))
    with downloading(page, "/documents/") as found:
        page.locator("main form [type=submit]").click()
    sheet = found[0]
    assert sheet.content_type == "application/pdf"
    assert sheet.content.startswith(b"%PDF")
    assert sheet.filename.endswith(".pdf")
    document = Document.objects.get()
    assert (document.kind, document.language, document.issued_by_id) == (
        printing.KIND_GRADE_SHEET,
        "kk",
        pw.teacher.pk,
    )
    assert document.target_id == f"{course.pk}-{second_group.pk}-rk1"
    text = pdf_text(sheet.content, tmp_path)
    assert "1-АРАЛЫҚ БАҚЫЛАУ (АБ1) ВЕДОМОСЫ" in text
    assert f"{pw.students[2].full_name} 100,00 100,00 100,00 A" in text
    assert document.verification_code in text
    expect(page).to_have_url(path_is(f"/gradebook/courses/{course.pk}/sheets/"))  # the page stays
    assert_accessible(page)

    # The exam of every group, in Russian.
    page.locator("#id_session").select_option("exam")
    page.locator("#id_group").select_option("")
    page.locator("#id_language").select_option("ru")
    with downloading(page, "/documents/") as found:
        page.locator("main form [type=submit]").click()
    exam = found[0]
    assert exam.content_type == "application/pdf"
    assert exam.content.startswith(b"%PDF")
    latest = Document.objects.order_by("-pk").first()
    assert latest is not None
    assert Document.objects.count() == 2
    assert (latest.language, latest.target_id) == ("ru", f"{course.pk}-0-exam")
    text = pdf_text(exam.content, tmp_path)
    assert "ЭКЗАМЕНАЦИОННАЯ ВЕДОМОСТЬ" in text
    assert "Группа: GB-26-1, GB-26-2" in text
    assert_accessible(page)


# --- Transcripts ----------------------------------------------------------------------------------------------


def test_student_downloads_their_own_transcript_in_three_languages(
    page: Page, sign_in: Callable[..., None], tmp_path: Path
) -> None:
    pw = print_world()
    student = pw.students[0]
    sign_in(page, account(student.user))
    page.locator("header nav a[href='/gradebook/me/']").click()
    expect(page).to_have_url(path_is("/gradebook/me/"))
    expect(page.locator("#own-transcript a")).to_have_count(3)
    assert_accessible(page)

    expected = {
        "kk": "Барлығы: кредит — 12, жинақталған GPA — 2,39",
        "ru": "Всего: кредитов — 12, накопленный GPA — 2,39",
        "en": "Total: 12 credits, cumulative GPA 2.39",
    }
    for language, total in expected.items():
        with downloading(page, "/documents/") as found:
            page.locator(f"#own-transcript a[lang={language}]").click()
        transcript = found[0]
        assert transcript.content_type == "application/pdf"
        assert transcript.content.startswith(b"%PDF")
        document = Document.objects.order_by("-pk").first()
        assert document is not None
        assert (document.kind, document.target_id, document.language) == (
            printing.KIND_TRANSCRIPT,
            str(student.pk),
            language,
        )
        assert total in pdf_text(transcript.content, tmp_path)
    assert Document.objects.count() == 3
    expect(page).to_have_url(path_is("/gradebook/me/"))
    assert_accessible(page)


def test_administration_issues_the_transcripts_of_a_group_and_downloads_the_zip(
    page: Page, sign_in: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    pw = print_world()
    group = pw.groups[1]
    # The job is only queued by the page; the test then runs the task as a worker would, while the page polls.
    queued: list[int] = []
    monkeypatch.setattr(transcript_services, "enqueue", lambda task, job_id: queued.append(job_id))
    sign_in(page, account(pw.admin, totp=True))

    page.locator("header nav a[href='/gradebook/transcripts/']").click()
    expect(page).to_have_url(path_is("/gradebook/transcripts/"))
    assert_accessible(page)

    # Without a group, the form says what is missing; nothing is queued.
    page.locator("#job-form input[name=scope][value=group]").check()
    page.locator("#job-form [type=submit]").click()
    expect(field_error(page, "group")).to_have_text(kk_text("Choose a group."))
    assert_accessible(page)
    assert not TranscriptJob.objects.exists()

    page.locator("#job-form input[name=scope][value=group]").check()
    page.locator("#id_group").select_option(str(group.pk))
    page.locator("#id_language").select_option("en")
    page.locator("#job-form [type=submit]").click()
    expect(page).to_have_url(path_is("/gradebook/transcripts/"))
    expect(page.locator(".qh-messages")).to_be_visible()
    job = TranscriptJob.objects.get()
    assert queued == [job.pk]
    row = page.locator(f"#job-{job.pk}")
    expect(row).to_have_attribute("data-status", JobStatus.QUEUED)
    expect(row).to_have_attribute("hx-trigger", re.compile(r"^every \d+s$"))
    expect(row.locator("th")).to_contain_text("GB-26-2")
    expect(row.locator("progress")).to_have_attribute("value", "0")
    expect(row.locator("a")).to_have_count(0)  # no archive yet
    assert_accessible(page)

    # A worker runs the job; the row follows its progress by itself and ends done, with the archive's link.
    assert tasks.transcript_job_run.delay(job.pk).get() == 2
    row = page.locator(f"#job-{job.pk}")
    expect(row).to_have_attribute("data-status", JobStatus.DONE)
    expect(row.locator("progress")).to_have_attribute("value", "2")
    expect(row.locator("progress")).to_have_attribute("max", "2")
    expect(row).not_to_have_attribute("hx-trigger", re.compile(".*"))  # done: it stops asking
    expect(page.locator(f"#job-{job.pk}-label")).to_contain_text("2")
    assert_accessible(page)

    with downloading(page, f"/gradebook/transcripts/{job.pk}/zip/") as found:
        row.locator(f"a[href='/gradebook/transcripts/{job.pk}/zip/']").click()
    archive = found[0]
    assert archive.content_type == "application/zip"
    assert archive.filename == f"transcripts-{job.pk}-en.zip"
    assert archive.content.startswith(b"PK")
    names = sorted(zipfile.ZipFile(io.BytesIO(archive.content)).namelist())
    third, fourth = pw.students[2], pw.students[3]
    assert names == sorted(
        [f"GB-26-2/{third.full_name}-{third.pk}-en.pdf", f"GB-26-2/{fourth.full_name}-{fourth.pk}-en.pdf"]
    )
    assert Document.objects.filter(kind=printing.KIND_TRANSCRIPT, language="en").count() == 2
    assert_accessible(page)


# --- Reopening an entry window --------------------------------------------------------------------------------


def test_administration_reopens_an_entry_window_for_a_student(
    page: Page, url: Callable[[str], str], sign_in: Callable[..., None]
) -> None:
    world = gradebook_world()
    course, tk1, student = world.course, world.measure("tk1"), world.students[1]
    sign_in(page, account(world.admin, totp=True))
    page.goto(url(f"/gradebook/courses/{course.pk}/journal/"))
    assert_accessible(page)
    page.locator(f"main a[href='/gradebook/courses/{course.pk}/reopen/']").click()
    expect(page).to_have_url(path_is(f"/gradebook/courses/{course.pk}/reopen/"))
    expect(page.locator("#reopens tbody tr")).to_have_count(1)  # "none yet"
    assert_accessible(page)

    until = timezone.localtime(timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    page.locator("#id_measure").select_option(str(tk1.pk))
    page.locator("#id_student").select_option(str(student.pk))
    page.locator("#id_until").fill(until.strftime(DATETIME_LOCAL))

    # Without a reason, nothing is reopened.
    page.locator("#reopen-form [type=submit]").click()
    expect(field_error(page, "reason")).to_be_visible()
    expect(page.locator("#id_reason")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert not EntryReopen.objects.exists()

    page.locator("#id_reason").fill("Студент ауырып қалды, анықтама бар")
    page.locator("#reopen-form [type=submit]").click()
    expect(page).to_have_url(path_is(f"/gradebook/courses/{course.pk}/reopen/"))
    expect(page.locator(".qh-messages")).to_contain_text(kk_text("The entry window was reopened."))
    rows = page.locator("#reopens tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("TK1")
    expect(rows.first).to_contain_text(student.full_name)
    expect(rows.first).to_contain_text(until.strftime("%d.%m.%Y %H:%M"))
    expect(rows.first).to_contain_text("Студент ауырып қалды, анықтама бар")
    expect(rows.first).to_contain_text(world.admin.full_name)
    assert_accessible(page)
    reopen = EntryReopen.objects.get()
    assert (reopen.measure_id, reopen.student_id, reopen.until, reopen.created_by_id) == (
        tk1.pk,
        student.pk,
        until,
        world.admin.pk,
    )
    assert Event.objects.get(action="gradebook.entry_reopened").reason == "Студент ауырып қалды, анықтама бар"
