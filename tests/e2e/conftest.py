"""Browser tests across apps: Playwright drives Debian's Chromium against pytest-django's live server.

Every test is marked `e2e`, runs against the live server (so with a transactional database) and
with an empty cache. Every page a test visits goes through `support.assert_accessible` (axe-core),
and a test fails when the browser reports a console error, an uncaught exception, a CSP violation
or a failed sub-resource.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.support import (
    CSP_LISTENER,
    PASSWORD,
    Account,
    BrowserProblems,
    assert_accessible,
    enter_code,
    enter_password,
    path_is,
)

# The live server runs Django in a thread while Playwright's event loop runs in the test's thread;
# Django's async-safety check would otherwise refuse the database calls the tests make.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.e2e)


# --- Browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"The browser tests need Debian's Chromium at {CHROMIUM}.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "kk-KZ", "timezone_id": "Asia/Almaty"}


@pytest.fixture
def browser_problems() -> Iterator[BrowserProblems]:
    problems = BrowserProblems()
    yield problems
    problems.forget()


@pytest.fixture
def new_context(new_context: Callable[..., BrowserContext], browser_problems: BrowserProblems) -> Iterator[Callable]:
    """pytest-playwright's contexts, each watching its pages for errors and CSP violations."""

    def make(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        context.set_default_timeout(15_000)
        context.add_init_script(script=CSP_LISTENER)
        context.on("page", browser_problems.watch)
        return context

    yield make
    browser_problems.check()


@pytest.fixture
def page(context: BrowserContext, browser_problems: BrowserProblems) -> Page:
    page = context.new_page()
    browser_problems.watch(page)
    return page


@pytest.fixture
def open_page(new_context: Callable[..., BrowserContext], browser_problems: BrowserProblems) -> Callable[[], Page]:
    """`open_page()`: a page in a browser context of its own (another browser, another person)."""

    def make() -> Page:
        page = new_context().new_page()
        browser_problems.watch(page)
        return page

    return make


# --- Server, cache, accounts --------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _server(live_server: Any) -> None:
    """Every browser test runs against the live server (and so with a transactional database)."""


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """allauth keeps rate limits and used TOTP codes in the cache; no test may inherit them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def url(live_server: Any) -> Callable[[str], str]:
    """`url("/accounts/login/")`: that path on the live server."""

    def make(path: str) -> str:
        return live_server.url + path

    return make


@pytest.fixture
def make_account(transactional_db: None) -> Callable[..., Account]:
    """`make_account(Role.X, ...)`: an account made by accounts' own service; roles that require
    MFA (settings.QASHYQ_MFA_REQUIRED_ROLES) get a TOTP authenticator unless `with_totp=False`."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings

    from qashyq.accounts.api import Role, user_create

    serial = iter(range(1, 10_000))

    def make(
        *roles: Role,
        username: str | None = None,
        email: str | None = None,
        with_totp: bool | None = None,
        first_name: str = "Айгерім",
        last_name: str = "Сейітова",
    ) -> Account:
        n = next(serial)
        username = username or f"{(roles[0].value if roles else 'user').replace('_', '')}{n:02d}"
        email = email or f"{username}@e2e.qashyq.kz"
        user = user_create(
            username=username,
            email=email,
            password=PASSWORD,
            first_name=first_name,
            last_name=last_name,
            roles=list(roles),
        )
        if with_totp is None:
            with_totp = any(role.value in settings.QASHYQ_MFA_REQUIRED_ROLES for role in roles)
        totp = None
        if with_totp:
            secret = pyotp.random_base32()
            TOTP.activate(user, secret)
            totp = pyotp.TOTP(secret)
        return Account(user=user, username=username, email=email, password=PASSWORD, totp=totp)

    return make


@pytest.fixture
def start_sign_in(url: Callable[[str], str]) -> Callable[..., None]:
    """`start_sign_in(page, account)`: the sign-in page, then the password; for an account with an
    authenticator, on to the code page. Each page is checked with axe."""

    def run(page: Page, account: Account, *, login: str | None = None) -> None:
        page.goto(url("/accounts/login/"))
        assert_accessible(page)
        enter_password(page, account, login=login)
        if account.totp is not None:
            expect(page).to_have_url(path_is("/accounts/2fa/authenticate/"))
            assert_accessible(page)

    return run


@pytest.fixture
def sign_in(start_sign_in: Callable[..., None]) -> Callable[..., None]:
    """`sign_in(page, account)`: through the real pages: password, then the authenticator code if any."""

    def run(page: Page, account: Account, *, login: str | None = None) -> None:
        start_sign_in(page, account, login=login)
        if account.totp is not None:
            enter_code(page, account.code())
        expect(page).not_to_have_url(path_is("/accounts/login/"))
        expect(page).not_to_have_url(path_is("/accounts/2fa/authenticate/"))

    return run
