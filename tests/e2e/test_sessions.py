"""allauth's sessions page: see where you are signed in, and sign out everywhere else."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from tests.e2e.support import Account, assert_accessible, path_is


def test_sign_out_other_sessions(
    page: Page,
    open_page: Callable[[], Page],
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
) -> None:
    student = make_account(Role.STUDENT)
    laptop, phone = page, open_page()
    sign_in(laptop, student)
    sign_in(phone, student)
    expect(phone).to_have_url(path_is("/dashboard/student/"))

    laptop.locator("header a[href='/accounts/sessions/']").click()
    expect(laptop).to_have_url(path_is("/accounts/sessions/"))
    sessions = laptop.locator("main table tbody tr")
    expect(sessions).to_have_count(2)
    assert_accessible(laptop)

    laptop.locator("main form[action='/accounts/sessions/'] [type=submit]").click()
    expect(laptop).to_have_url(path_is("/accounts/sessions/"))
    expect(sessions).to_have_count(1)
    expect(laptop.locator("main [role=status]")).to_be_visible()
    assert_accessible(laptop)

    # The other browser is signed out; this one is not.
    phone.goto(url("/dashboard/student/"))
    expect(phone).to_have_url(path_is("/accounts/login/"))
    assert_accessible(phone)
    laptop.goto(url("/dashboard/student/"))
    expect(laptop).to_have_url(path_is("/dashboard/student/"))
    assert_accessible(laptop)
