"""The administration service builds a programme and its curriculum; a teacher reads it, and cannot change it."""

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
    expect(page).to_have_url(path_is(detail))
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
    assert [(e.discipline.code, e.period_number, e.credits) for e in programme.curriculum.order_by("period_number")] == [
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
    assert response is not None and response.status == 404
    assert_accessible(other)
