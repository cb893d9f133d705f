"""The didactic catalogue and an e-UMK from start to approval (rules 14, 17): the didactic-means service adds a
resource; a teacher builds the e-UMK of their discipline and submits it (refused first while a required component
is empty); the service returns it with a comment; the teacher fixes it and submits again; the service approves it,
and the coverage report of the programme counts it."""

import re
from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from qashyq.academics.tests.factories import (
    AcademicPeriodFactory,
    AcademicYearFactory,
    CurriculumEntryFactory,
    DisciplineFactory,
    ProgrammeFactory,
)
from qashyq.accounts.api import Role
from qashyq.content.data import EumkStatus
from qashyq.content.models import DidacticResource, Eumk, EumkComponentType
from qashyq.content.tests.catalogue_helpers import ensure_default_components
from qashyq.content.tests.factories import CourseFactory, ItemFactory, add_staff
from tests.e2e.support import Account, assert_accessible, kk, path_is, sign_out

CATALOGUE = "/content/catalogue/"
EUMKS = "/content/eumk/"
COVERAGE = "/content/eumk/coverage/"


def _world(teacher: Account) -> dict:
    today = timezone.localdate()
    start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    year = AcademicYearFactory(
        title=f"{start.year}–{start.year + 1}", start_date=start, end_date=date(start.year + 1, 8, 31)
    )
    period = AcademicPeriodFactory(year=year, start_date=start, end_date=start + timedelta(days=120))
    informatics = DisciplineFactory(code="INF101", name_kk="Информатика", name_ru="Информатика")
    maths = DisciplineFactory(code="MAT102", name_kk="Математика", name_ru="Математика")
    programme = ProgrammeFactory(code="6B06101")
    CurriculumEntryFactory(programme=programme, discipline=informatics, period_number=1)
    CurriculumEntryFactory(programme=programme, discipline=maths, period_number=2)
    course = CourseFactory(discipline=informatics, period=period, code="INF101-26", name_kk="Информатика")
    add_staff(course, teacher.user)
    syllabus = ItemFactory(section__course=course, name_kk="Пәннің силлабусы")
    lecture = ItemFactory(section__course=course, name_kk="Кіріспе дәріс")
    # Only the syllabus and the lecture materials are required here; the rest stays optional.
    ensure_default_components()
    EumkComponentType.objects.exclude(code__in=["syllabus", "lectures"]).update(required=False)
    return {"informatics": informatics, "programme": programme, "syllabus": syllabus, "lecture": lecture}


def _open_eumk(page: Page, eumk: Eumk) -> None:
    page.locator("header nav a[href='/content/eumk/']").click()
    expect(page).to_have_url(path_is(EUMKS))
    assert_accessible(page)
    page.locator(f"main a[href='/content/eumk/{eumk.pk}/']").click()
    expect(page).to_have_url(path_is(f"/content/eumk/{eumk.pk}/"))
    assert_accessible(page)


def _link(page: Page, component: str, material: str) -> None:
    page.locator("#id_component").select_option(str(EumkComponentType.objects.get(code=component).pk))
    page.locator("#id_material").select_option(material)
    page.locator("#link-form [type=submit]").click()
    expect(page.locator("main .qh-messages, .qh-messages")).to_be_visible()


def test_catalogue_and_eumk_from_start_to_approval(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
) -> None:
    didactics = make_account(Role.DIDACTICS, first_name="Сәуле", last_name="Әбілқасымова")
    teacher = make_account(Role.TEACHER, first_name="Арман", last_name="Жұмабаев")
    world = _world(teacher)

    # The didactic-means service adds an e-textbook to the catalogue.
    sign_in(page, didactics)
    page.locator(f"header nav a[href='{CATALOGUE}']").click()
    expect(page).to_have_url(path_is(CATALOGUE))
    assert_accessible(page)
    page.locator("main a[href='/content/catalogue/new/']").click()
    assert_accessible(page)
    # Nothing is added without a title; the page says what is missing.
    page.locator("main form [type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("#id_name_kk")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.locator("#id_name_kk").fill("Информатика негіздері: электрондық оқулық")
    page.locator("#id_name_ru").fill("Основы информатики: электронный учебник")
    page.locator("#id_kind").select_option("e_textbook")
    page.locator("#id_origin").select_option("developed")
    page.locator("#id_medium").select_option("network")
    page.locator("#id_status").select_option("in_use")
    page.locator("#id_disciplines").select_option(str(world["informatics"].pk))
    page.locator("#id_authors").fill("Әбілқасымова С.")
    page.locator("#id_year").fill("2026")
    page.locator("#id_url").fill("https://library.example.kz/inf101")
    page.locator("main form [type=submit]").click()
    resource = DidacticResource.objects.get()
    expect(page).to_have_url(path_is(f"/content/catalogue/{resource.pk}/"))
    expect(page.locator("#resource-facts")).to_contain_text("INF101")
    assert_accessible(page)
    sign_out(page)

    # The teacher starts the e-UMK of their discipline for this year.
    sign_in(page, teacher)
    page.locator("header nav a[href='/content/eumk/']").click()
    expect(page).to_have_url(path_is(EUMKS))
    assert_accessible(page)
    page.locator("#to-start a").first.click()
    assert_accessible(page)
    page.locator("main form [type=submit]").click()
    eumk = Eumk.objects.get()
    detail = f"/content/eumk/{eumk.pk}/"
    expect(page).to_have_url(path_is(detail))
    expect(page.locator("#eumk-status")).to_have_text(kk(EumkStatus.INCOMPLETE.label))
    assert_accessible(page)

    # The syllabus only: submitting is refused, naming the empty required component.
    _link(page, "syllabus", f"item:{world['syllabus'].pk}")
    expect(page.locator("#component-syllabus")).to_contain_text("Пәннің силлабусы")
    assert_accessible(page)
    page.locator("#submit [type=submit]").click()
    expect(page.locator("#eumk-error")).to_contain_text(EumkComponentType.objects.get(code="lectures").name_kk)
    assert_accessible(page)
    eumk.refresh_from_db()
    assert eumk.status == EumkStatus.INCOMPLETE

    # The catalogue's textbook fills the lecture materials; now it goes for review.
    page.goto(url(detail))
    _link(page, "lectures", f"resource:{resource.pk}")
    expect(page.locator("#component-lectures")).to_contain_text("Информатика негіздері")
    page.locator("#id_comment").first.fill("Тексеруге дайын")
    page.locator("#submit [type=submit]").click()
    expect(page.locator("#eumk-status")).to_have_text(kk(EumkStatus.UNDER_REVIEW.label))
    expect(page.locator("#link-form")).to_have_count(0)  # frozen under review
    assert_accessible(page)
    sign_out(page)

    # The didactic-means service returns it with a comment.
    sign_in(page, didactics)
    _open_eumk(page, eumk)
    page.locator("#review textarea").fill("Дәріс материалдарына кіріспе дәрісті қосыңыз.")
    page.locator("#review button[value=return]").click()
    expect(page.locator("#eumk-status")).to_have_text(kk(EumkStatus.INCOMPLETE.label))
    expect(page.locator("#trail")).to_contain_text("Дәріс материалдарына кіріспе дәрісті қосыңыз.")
    assert_accessible(page)
    sign_out(page)

    # The teacher reads the comment, adds the lecture and submits again.
    sign_in(page, teacher)
    _open_eumk(page, eumk)
    expect(page.locator("#trail")).to_contain_text("Дәріс материалдарына кіріспе дәрісті қосыңыз.")
    _link(page, "lectures", f"item:{world['lecture'].pk}")
    expect(page.locator("#component-lectures")).to_contain_text("Кіріспе дәріс")
    page.locator("#submit [type=submit]").click()
    expect(page.locator("#eumk-status")).to_have_text(kk(EumkStatus.UNDER_REVIEW.label))
    assert_accessible(page)
    sign_out(page)

    # The didactic-means service approves it; the coverage report of the programme counts it.
    sign_in(page, didactics)
    _open_eumk(page, eumk)
    page.locator("#review button[value=approve]").click()
    expect(page.locator("#eumk-status")).to_have_text(kk(EumkStatus.APPROVED.label))
    expect(page.locator("#eumk-approved-by")).to_have_text(didactics.full_name)
    assert_accessible(page)
    eumk.refresh_from_db()
    assert (eumk.status, eumk.approved_by_id, eumk.approved_on) == (
        EumkStatus.APPROVED,
        didactics.user.pk,
        timezone.localdate(),
    )
    assert [r.action for r in eumk.reviews.all()] == ["submitted", "returned", "submitted", "approved"]

    page.goto(url(EUMKS))
    page.locator(f"main a[href='{COVERAGE}']").click()
    expect(page).to_have_url(path_is(COVERAGE))
    page.locator("#id_programme").select_option(str(world["programme"].pk))
    page.locator("main form[method=get] [type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{COVERAGE}\?programme={world['programme'].pk}"))
    expect(page.locator("#coverage-summary")).to_contain_text("1")
    expect(page.locator("#coverage-summary")).to_contain_text("2")
    expect(page.locator("#coverage tbody tr")).to_have_count(2)
    expect(page.locator(f"#coverage a[href='{detail}']")).to_contain_text(kk(EumkStatus.APPROVED.label))
    assert_accessible(page)
