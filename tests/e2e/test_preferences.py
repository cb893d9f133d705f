"""Preferences: high contrast and larger text change the page for good, and it stays accessible."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from tests.e2e.support import Account, assert_accessible, path_is


def test_high_contrast_and_larger_text(
    page: Page, url: Callable[[str], str], make_account: Callable[..., Account], sign_in: Callable[..., None]
) -> None:
    student = make_account(Role.STUDENT)
    html = page.locator("html")

    sign_in(page, student)
    expect(html).not_to_have_class(re.compile(r"\bqh-(contrast|large)\b"))
    normal_size = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")

    page.locator("header a[href='/accounts/preferences/']").click()
    expect(page).to_have_url(path_is("/accounts/preferences/"))
    assert_accessible(page)

    page.locator("#id_high_contrast").check()
    page.locator("#id_large_text").check()
    page.locator("main form [type=submit]").click()

    expect(page).to_have_url(path_is("/accounts/preferences/"))
    expect(html).to_have_class(re.compile(r"\bqh-contrast\b"))
    expect(html).to_have_class(re.compile(r"\bqh-large\b"))
    expect(page.locator("main [role=status]")).to_be_visible()
    expect(page.locator("#id_high_contrast")).to_be_checked()
    expect(page.locator("#id_large_text")).to_be_checked()
    large_size = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert large_size >= normal_size * 1.2
    assert_accessible(page)

    # Every page keeps them, and stays accessible in them.
    for path in ("/dashboard/student/", "/accounts/2fa/", "/accounts/sessions/"):
        page.goto(url(path))
        expect(html).to_have_class(re.compile(r"\bqh-contrast\b.*\bqh-large\b|\bqh-large\b.*\bqh-contrast\b"))
        assert_accessible(page)
    assert student.refresh().high_contrast
    assert student.user.large_text

    # And they can be turned off again.
    page.goto(url("/accounts/preferences/"))
    page.locator("#id_high_contrast").uncheck()
    page.locator("#id_large_text").uncheck()
    page.locator("main form [type=submit]").click()
    expect(html).not_to_have_class(re.compile(r"\bqh-(contrast|large)\b"))
    assert_accessible(page)
