"""The administration service builds a programme and its curriculum; a teacher reads it, and cannot change it."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from tests.e2e.support import Account, assert_accessible, path_is


def test_administration_builds_a_programme_and_a_teacher_reads_it(
    page: Page,
    open_page: Callable[[], Page],
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
) -> None:
    from qashyq.academics import services
    from qashyq.academics.models import Programme

    admin = make_account(Role.ADMINISTRATION)
    teacher = make_account(Role.TEACHER, first_name="Ерлан", last_name="Ахметов")
    services.discipline_create(actor=None, code="INF1101", name_kk="Информатика", name_ru="Информатика", credits=5)
    services.discipline_create(actor=None, code="MAT1101", name_kk="Жоғары математика", credits=6)

    # The administration service opens the programmes from the main navigation.
    sign_in(page, admin)
    assert_accessible(page)
    page.locator("header nav a[href='/academics/programmes/']").click()
    expect(page).to_have_url(path_is("/academics/programmes/"))
    assert_accessible(page)

    page.locator("main a[href='/academics/programmes/new/']").click()
    expect(page).to_have_url(path_is("/academics/programmes/new/"))
    assert_accessible(page)

    # A shortened programme without its basis is refused, the error linked to the field, nothing saved.
    page.locator("#id_code").fill("6B06101")
    page.locator("#id_name_kk").fill("Ақпараттық жүйелер")
    page.locator("#id_name_ru").fill("Информационные системы")
    page.locator("#id_level").select_option("bachelor")
    page.locator("#id_forms_offered_0").check()
    page.locator("#id_languages_0").check()
    page.locator("#id_languages_1").check()
    page.locator("#id_periods").fill("4")
    page.locator("#id_shortened").check()
    page.locator("main form [type=submit]").click()
    expect(page.locator("main [role=alert] a[href='#id_shortened_basis']")).to_be_visible()
    expect(page.locator("#id_shortened_basis")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert not Programme.objects.exists()

    page.locator("#id_shortened_basis").select_option("tvet")
    page.locator("main form [type=submit]").click()
    programme = Programme.objects.get(code="6B06101")
    detail = f"/academics/programmes/{programme.pk}/"
    expect(page).to_have_url(path_is(detail))
    expect(page.locator("main h1")).to_contain_text("6B06101")
    expect(page.locator("[data-total-credits]")).to_have_text("0")
    assert_accessible(page)

    # A discipline goes into period 1 with its own credits; the totals follow.
    page.locator("#id_discipline").select_option(label="INF1101 — Информатика (5)")
    page.locator("#id_period_number").select_option("1")
    page.locator("#id_cycle").select_option("basic")
    page.locator("#id_component").select_option("compulsory")
    page.locator("#id_final_control").select_option("exam")
    page.locator("form[action$='/curriculum/add/'] [type=submit]").click()
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+{re.escape(detail)}#period-1$"))
    expect(page.locator("main [role=status]").first).to_be_visible()
    expect(page.locator("[data-period-credits='1']")).to_have_text("5")
    expect(page.locator("[data-year-credits='1']")).to_have_text("5")
    expect(page.locator("[data-total-credits]")).to_have_text("5")
    assert_accessible(page)

    page.locator("#id_discipline").select_option(label="MAT1101 — Жоғары математика (6)")
    page.locator("#id_period_number").select_option("3")
    page.locator("#id_credits").fill("4")
    page.locator("#id_cycle").select_option("general")
    page.locator("#id_component").select_option("university")
    page.locator("#id_final_control").select_option("credit")
    page.locator("form[action$='/curriculum/add/'] [type=submit]").click()
    expect(page.locator("[data-period-credits='3']")).to_have_text("4")
    expect(page.locator("[data-year-credits='1']")).to_have_text("5")
    expect(page.locator("[data-year-credits='2']")).to_have_text("4")
    expect(page.locator("[data-total-credits]")).to_have_text("9")
    # periods 2 and 4 have no disciplines: the page flags them
    expect(page.locator("main .alert-warning li")).to_have_count(2)
    assert_accessible(page)
    assert [
        (e.discipline.code, e.period_number, e.credits) for e in programme.curriculum.order_by("period_number")
    ] == [
        ("INF1101", 1, 5),
        ("MAT1101", 3, 4),
    ]

    # A teacher, in another browser, reads the programme and its curriculum, and has nothing to change.
    other = open_page()
    sign_in(other, teacher)
    assert_accessible(other)
    other.locator("header nav a[href='/academics/programmes/']").click()
    expect(other).to_have_url(path_is("/academics/programmes/"))
    expect(other.locator("main a[href='/academics/programmes/new/']")).to_have_count(0)
    assert_accessible(other)
    other.locator(f"main a[href='{detail}']").click()
    expect(other).to_have_url(path_is(detail))
    expect(other.locator("main")).to_contain_text("Информатика")
    expect(other.locator("[data-total-credits]")).to_have_text("9")
    expect(other.locator("form[action$='/curriculum/add/']")).to_have_count(0)
    expect(other.locator("form[action*='/curriculum/'][action$='/remove/']")).to_have_count(0)
    expect(other.locator(f"main a[href='{detail}edit/']")).to_have_count(0)
    assert_accessible(other)

    response = other.goto(url(f"{detail}edit/"))
    assert response is not None
    assert response.status == 404
    assert_accessible(other)


def test_every_page_of_the_institution_and_the_academic_structure_is_accessible(
    page: Page, url: Callable[[str], str], make_account: Callable[..., Account], sign_in: Callable[..., None]
) -> None:
    """Each page in both of its states (empty, and with data or errors) passes axe."""
    from datetime import date

    from qashyq.academics import services as academics
    from qashyq.organization import services as organization

    admin = make_account(Role.ADMINISTRATION)
    tutor = make_account(Role.TUTOR, first_name="Дана", last_name="Серікова")
    sign_in(page, admin)

    def visit(path: str, status: int = 200) -> None:
        response = page.goto(url(path))
        assert response is not None
        assert response.status == status, path
        assert_accessible(page)

    # Empty states first.
    for path in (
        "/organization/",
        "/organization/edit/",
        "/organization/structure/",
        "/academics/years/",
        "/academics/groups/",
        "/academics/disciplines/",
        "/academics/assignments/",
    ):
        visit(path)

    # A form sent back with errors.
    visit("/organization/edit/")
    page.locator("#id_bin").fill("081240000014")
    page.locator("main form [type=submit]").click()
    expect(page.locator("main [role=alert] a[href='#id_bin']")).to_be_visible()
    assert_accessible(page)

    # Then with data.
    organization.institution_update(
        actor=None,
        name_kk="Qashyq университеті",
        bin="081240000013",
        ownership="private",
        subordination="ҒЖБМ",
        education_levels=["higher"],
        city_kk="Алматы",
        licence_number="KZ36LAA00011387",
        licence_date=date(2020, 3, 1),
        licence_issuer="ҒЖБСҚК",
    )
    dlt = organization.unit_create(actor=None, kind="dlt_unit", name_kk="ҚОТ бөлімі")
    service = organization.unit_create(actor=None, kind="administration", name_kk="Әкімшілендіру", parent=dlt)
    position = organization.position_create(actor=None, unit=service, name_kk="Тьютор", grants_role="tutor")
    member = organization.staff_assign(actor=None, user=tutor.user, position=position, start_date=date(2025, 9, 1))
    programme = academics.programme_create(
        actor=None,
        code="6B06101",
        name_kk="Ақпараттық жүйелер",
        level="bachelor",
        forms_offered=["full_time"],
        languages=["kk"],
        periods=2,
    )
    discipline = academics.discipline_create(actor=None, code="INF1101", name_kk="Информатика", credits=5)
    academics.curriculum_entry_add(
        actor=None,
        programme=programme,
        discipline=discipline,
        period_number=1,
        cycle="basic",
        component="compulsory",
        final_control="exam",
    )
    group = academics.group_create(
        actor=None, code="ИС-25-1", programme=programme, admission_year=2025, language="kk", form_of_study="full_time"
    )
    academics.teaching_assignment_add(actor=None, user=tutor.user, discipline=discipline, role="tutor", group=group)
    year = academics.academic_year_create(
        actor=None, title="2026–2027", start_date=date(2026, 9, 1), end_date=date(2027, 8, 31)
    )
    academics.academic_period_create(
        actor=None, year=year, kind="semester", number=1, start_date=date(2026, 9, 1), end_date=date(2027, 1, 16)
    )
    calendar = academics.calendar_create(actor=None, year=year, level="bachelor")
    academics.calendar_event_add(
        actor=None, calendar=calendar, kind="classes", start_date=date(2026, 9, 1), end_date=date(2026, 12, 19)
    )

    for path in (
        "/organization/",
        "/organization/structure/",
        "/organization/units/new/",
        f"/organization/units/{service.pk}/edit/",
        f"/organization/units/{service.pk}/positions/new/",
        f"/organization/positions/{position.pk}/staff/new/",
        f"/organization/staff/{member.pk}/end/",
        "/academics/programmes/",
        f"/academics/programmes/{programme.pk}/",
        f"/academics/programmes/{programme.pk}/edit/",
        "/academics/disciplines/",
        "/academics/disciplines/new/",
        "/academics/years/",
        "/academics/years/new/",
        f"/academics/years/{year.pk}/periods/new/",
        f"/academics/calendars/{calendar.pk}/",
        "/academics/groups/",
        "/academics/groups/new/",
        f"/academics/groups/{group.pk}/edit/",
        "/academics/assignments/",
        "/academics/assignments/new/",
    ):
        visit(path)

    # An overlapping event is refused on its own page, and an approved calendar shows how to reopen it.
    visit(f"/academics/calendars/{calendar.pk}/")
    page.locator("form[action$='/events/add/'] #id_kind").select_option("holidays")
    page.locator("form[action$='/events/add/'] #id_start_date").fill("2026-12-01")
    page.locator("form[action$='/events/add/'] #id_end_date").fill("2027-01-10")
    page.locator("form[action$='/events/add/'] [type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    assert_accessible(page)
    academics.calendar_approve(actor=None, calendar=calendar, approved_on=date(2026, 6, 25), protocol_number="11")
    visit(f"/academics/calendars/{calendar.pk}/")
    expect(page.locator("form[action$='/reopen/']")).to_have_count(1)
    expect(page.locator("form[action$='/events/add/']")).to_have_count(0)
