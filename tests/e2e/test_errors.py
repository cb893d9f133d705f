"""The 404 page: translated, accessible, and the way back."""

from collections.abc import Callable

from django.utils import translation
from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from tests.e2e.support import Account, assert_accessible, switch_language

MISSING = "/no-such-page/"


def page_not_found_in(language: str) -> str:
    with translation.override(language):
        return translation.gettext("Page not found")


def test_not_found_page_is_translated_and_accessible(page: Page, url: Callable[[str], str]) -> None:
    response = page.goto(url(MISSING))
    assert response is not None
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("main h1")).to_have_text(page_not_found_in("kk"))
    expect(page).to_have_title(f"{page_not_found_in('kk')} · Qashyq")
    expect(page.locator("main a[href='/']")).to_be_visible()
    assert_accessible(page)

    for language in ("ru", "en"):
        switch_language(page, language)
        expect(page.locator("main h1")).to_have_text(page_not_found_in(language))
        assert_accessible(page)


def test_not_found_page_for_a_signed_in_user(
    page: Page, url: Callable[[str], str], make_account: Callable[..., Account], sign_in: Callable[..., None]
) -> None:
    student = make_account(Role.STUDENT)
    sign_in(page, student)
    response = page.goto(url(MISSING))
    assert response is not None
    assert response.status == 404
    expect(page.locator("main h1")).to_have_text(page_not_found_in("kk"))
    # The navigation is still there, so the way back is one step.
    expect(page.locator("header nav a[href='/dashboard/student/']")).to_be_visible()
    assert_accessible(page)
