"""The language switcher: kk (default), ru, en; remembered in a cookie and on the account."""

from collections.abc import Callable

from django.utils import translation
from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from tests.e2e.support import Account, assert_accessible, enter_password, path_is, sign_out, submit, switch_language

# The one visible string these tests read: Django itself translates it into kk and ru.
REQUIRED = "This field is required."


def required_in(language: str) -> str:
    with translation.override(language):
        return translation.gettext(REQUIRED)


def test_django_translates_the_string_read_here() -> None:
    assert required_in("kk") != REQUIRED
    assert required_in("ru") != REQUIRED
    assert required_in("en") == REQUIRED


def test_switch_language_and_keep_it_on_the_account(
    page: Page,
    open_page: Callable[[], Page],
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
) -> None:
    student = make_account(Role.STUDENT)

    # A browser set to Kazakh gets Kazakh, the default.
    page.goto(url("/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("form.qh-language button[value='kk']")).to_have_attribute("aria-current", "true")
    assert_accessible(page)

    for language in ("ru", "en", "kk"):
        switch_language(page, language)
        expect(page).to_have_url(path_is("/accounts/login/"))
        # Each button names its language in that language, marked with lang for screen readers.
        expect(page.locator("form.qh-language button[value='ru']")).to_have_attribute("lang", "ru")
        assert_accessible(page)
        submit(page, "#id_login")  # empty: the form answers in the chosen language
        expect(page.locator("#id_login_error")).to_have_text(required_in(language))
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page)

    # Signed in, the choice is saved on the account.
    sign_in(page, student)
    expect(page).to_have_url(path_is("/dashboard/student/"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    assert_accessible(page)
    switch_language(page, "ru")
    expect(page).to_have_url(path_is("/dashboard/student/"))
    assert_accessible(page)
    assert student.refresh().language == "ru"

    # Signed out, the browser's cookie keeps Russian.
    sign_out(page)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert_accessible(page)

    # Another browser (no cookie, Kazakh locale) starts in Kazakh; signing in brings back Russian.
    other = open_page()
    other.goto(url("/accounts/login/"))
    expect(other.locator("html")).to_have_attribute("lang", "kk")
    assert_accessible(other)
    enter_password(other, student)
    expect(other).to_have_url(path_is("/dashboard/student/"))
    expect(other.locator("html")).to_have_attribute("lang", "ru")
    expect(other.locator("form.qh-language button[value='ru']")).to_have_attribute("aria-current", "true")
    assert_accessible(other)

    # ... and the account's language wins over the cookie of the first browser too.
    switch_language(other, "en")
    assert student.refresh().language == "en"
    assert_accessible(other)
    page.goto(url("/accounts/login/"))
    enter_password(page, student)
    expect(page).to_have_url(path_is("/dashboard/student/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)
