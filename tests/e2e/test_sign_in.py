"""Signing in: by username or e-mail, with a second factor, and enrolling one where a role requires it."""

import re
from collections.abc import Callable

import pyotp
import pytest
from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from tests.e2e.support import Account, assert_accessible, enter_code, enter_password, path_is, submit


@pytest.mark.parametrize("login_with", ["username", "email"])
def test_student_signs_in_by_username_or_email(
    page: Page, url: Callable[[str], str], make_account: Callable[..., Account], login_with: str
) -> None:
    student = make_account(Role.STUDENT)

    page.goto(url("/"))
    expect(page).to_have_url(path_is("/accounts/login/"))
    assert_accessible(page)
    # Sign-up is closed: accounts come from the institution.
    expect(page.locator("a[href*='/accounts/signup/']")).to_have_count(0)
    expect(page.locator("#id_login")).to_have_attribute("autocomplete", "email")
    expect(page.locator("#id_password")).to_have_attribute("autocomplete", "current-password")

    enter_password(page, student, login=student.username if login_with == "username" else student.email)

    expect(page).to_have_url(path_is("/dashboard/student/"))
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text(student.full_name)
    assert_accessible(page)


def test_wrong_password_is_refused_with_an_alert(
    page: Page, url: Callable[[str], str], make_account: Callable[..., Account]
) -> None:
    student = make_account(Role.STUDENT)
    page.goto(url("/accounts/login/"))
    assert_accessible(page)

    # Nothing filled in: each field says so, and the message is tied to its input.
    submit(page, "#id_login")
    expect(page.locator("#id_login")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_login")).to_have_attribute("aria-describedby", re.compile(r"\bid_login_error\b"))
    expect(page.locator("#id_login_error")).to_be_visible()
    assert_accessible(page)

    enter_password(page, student, password="not-the-password")
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page).to_have_url(path_is("/accounts/login/"))
    # The password typed is never sent back.
    expect(page.locator("#id_password")).to_have_value("")
    assert_accessible(page)


def test_head_signs_in_with_password_then_authenticator_code(
    page: Page, make_account: Callable[..., Account], start_sign_in: Callable[..., None]
) -> None:
    head = make_account(Role.HEAD)

    start_sign_in(page, head)  # on to the code page
    expect(page.locator("#id_code")).to_have_attribute("autocomplete", "one-time-code")
    enter_code(page, head.code())

    expect(page).to_have_url(path_is("/dashboard/head/"))
    expect(page.locator("main")).to_contain_text(head.full_name)
    # The head's dashboard shows the institution: accounts per role, and the students on DLT.
    expect(page.locator("main table").last).to_be_visible()
    expect(page.locator("#dlt-by-category")).to_be_visible()
    assert_accessible(page)


def test_wrong_authenticator_code_shows_an_error_and_stays(
    page: Page, make_account: Callable[..., Account], start_sign_in: Callable[..., None]
) -> None:
    head = make_account(Role.HEAD)
    start_sign_in(page, head)

    enter_code(page, head.wrong_code())

    expect(page).to_have_url(path_is("/accounts/2fa/authenticate/"))
    code = page.locator("#id_code")
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(code).to_have_attribute("aria-describedby", re.compile(r"\bid_code_error\b"))
    expect(page.locator("#id_code_error")).to_be_visible()
    expect(page.locator("#id_code_error")).not_to_be_empty()
    assert_accessible(page)

    # The right code still completes the sign-in.
    enter_code(page, head.code())
    expect(page).to_have_url(path_is("/dashboard/head/"))
    assert_accessible(page)


def test_administration_without_an_authenticator_must_enrol_one(
    page: Page, url: Callable[[str], str], make_account: Callable[..., Account], start_sign_in: Callable[..., None]
) -> None:
    admin = make_account(Role.ADMINISTRATION, with_totp=False)
    start_sign_in(page, admin)

    # Straight to the set-up page: the password was typed a moment ago.
    expect(page).to_have_url(path_is("/accounts/2fa/totp/activate/"))
    expect(page.locator("main img")).to_have_attribute("alt", re.compile(r"\S"))
    assert_accessible(page)

    # Every page outside /accounts/ leads back here until the authenticator is enrolled.
    page.goto(url("/dashboard/administration/"))
    expect(page).to_have_url(path_is("/accounts/2fa/totp/activate/"))
    assert_accessible(page)

    secret = page.locator("#authenticator_secret").input_value()
    enter_code(page, pyotp.TOTP(secret).now())
    expect(page).not_to_have_url(path_is("/accounts/2fa/totp/activate/"))
    assert_accessible(page)

    page.goto(url("/"))
    expect(page).to_have_url(path_is("/dashboard/administration/"))
    assert_accessible(page)
