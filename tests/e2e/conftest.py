"""Browser tests across apps: Playwright drives Debian's Chromium against pytest-django's live server.

Every page a test visits goes through `assert_accessible` (axe-core, WCAG 2.2 AA rules), and a test
fails when the browser reports a console error, an uncaught exception, a Content Security Policy
violation or a failed sub-resource.
"""

import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response, expect

# The live server runs Django in a thread next to Playwright's event loop; Django's async-safety
# check would otherwise refuse the database calls the tests make between browser steps.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
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
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "Tuyeqan-Sary-2026"
MFA_ROLES = frozenset({"head", "administration", "it_support"})

expect.set_options(timeout=10_000)

# Reports CSP violations to the console, where the console listener below picks them up.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.e2e)


# --- Browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "kk-KZ", "timezone_id": "Asia/Almaty"}


@dataclass
class BrowserProblems:
    """What the browser complained about during one test."""

    entries: list[str] = field(default_factory=list)
    _watched: set[int] = field(default_factory=set)

    def watch(self, page: Page) -> None:
        if id(page) in self._watched:
            return
        self._watched.add(id(page))
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.entries.append(f"uncaught exception on {page.url}: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def _on_console(self, message: ConsoleMessage) -> None:
        # A document answered with 4xx/5xx is logged as "Failed to load resource"; tests check the
        # status of the pages they open themselves, and failed sub-resources are caught below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            where = message.location.get("url", "") if message.location else ""
            self.entries.append(f"console error ({where}): {message.text}")

    def _on_request_failed(self, request: Request) -> None:
        if request.resource_type != "document":
            self.entries.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _on_response(self, response: Response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            self.entries.append(f"sub-resource answered {response.status}: {response.url}")

    def check(self) -> None:
        if self.entries:
            found, self.entries = self.entries, []
            pytest.fail("The browser reported problems:\n" + "\n".join(f"  - {e}" for e in found), pytrace=False)


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def new_context(new_context: Callable[..., BrowserContext], browser_problems: BrowserProblems) -> Iterator[Callable]:
    """pytest-playwright's contexts, each watching its pages for errors and CSP violations."""

    def make(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        context.set_default_timeout(15_000)
        context.add_init_script(script=_CSP_LISTENER)
        context.on("page", browser_problems.watch)
        return context

    yield make
    browser_problems.check()


@pytest.fixture
def page(context: BrowserContext, browser_problems: BrowserProblems) -> Page:
    page = context.new_page()
    browser_problems.watch(page)
    return page


# --- Accessibility ------------------------------------------------------------------------------

_AXE_SOURCE: str | None = None


def _axe_source() -> str:
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        if not AXE_JS.exists():
            pytest.fail(f"{AXE_JS} is missing: run `make setup` (npm ci installs axe-core).", pytrace=False)
        _AXE_SOURCE = AXE_JS.read_text(encoding="utf-8")
    return _AXE_SOURCE


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} [{violation['impact']}]: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page, problems: "BrowserProblems | None" = None) -> None:
    """Run axe-core on the page as it is now and fail listing every WCAG 2.2 A/AA violation.

    axe is injected with `page.evaluate` (through DevTools), not a <script> tag, so the page's
    strict CSP stays untouched. Also fails on whatever the browser reported so far.
    """
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )
    if result:
        pytest.fail(f"axe found {len(result)} violation(s) on {page.url}:\n{format_violations(result)}", pytrace=False)
    if problems is not None:
        problems.check()


@pytest.fixture
def accessible(browser_problems: BrowserProblems) -> Callable[[Page], None]:
    """`accessible(page)`: axe on the page, and no browser problems so far."""

    def check(page: Page) -> None:
        assert_accessible(page, browser_problems)

    return check


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
    """`url("/accounts/login/")` on the live server."""

    def make(path: str) -> str:
        return live_server.url + path

    return make


@dataclass
class Account:
    user: Any
    username: str
    email: str
    password: str
    totp: pyotp.TOTP | None = None
    _used_codes: set[str] = field(default_factory=set)

    def code(self) -> str:
        """A TOTP code the server has not seen yet (allauth refuses a code used before)."""
        assert self.totp is not None, f"{self.username} has no authenticator"
        now = time.time()
        # MFA_TOTP_TOLERANCE = 1: the previous and the next period's codes are accepted too.
        for offset in (0, 30, -30):
            code = self.totp.at(now + offset)
            if code not in self._used_codes:
                self._used_codes.add(code)
                return code
        raise AssertionError("no unused TOTP code left in the tolerance window")

    def refresh(self) -> Any:
        self.user.refresh_from_db()
        return self.user


@pytest.fixture
def make_account(transactional_db: None) -> Callable[..., Account]:
    """`make_account(Role.X, ...)`: an account made by accounts' own service, with TOTP where the role needs it."""
    from allauth.mfa.totp.internal.auth import TOTP

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
        base = roles[0].value if roles else "user"
        username = username or f"{base.replace('_', '')}{n:02d}"
        email = email or f"{username}@e2e.qashyq.kz"
        user = user_create(
            username=username,
            email=email,
            password=PASSWORD,
            first_name=first_name,
            last_name=last_name,
            roles=list(roles),
        )
        totp = None
        if with_totp is None:
            with_totp = any(role.value in MFA_ROLES for role in roles)
        if with_totp:
            secret = pyotp.random_base32()
            TOTP.activate(user, secret)
            totp = pyotp.TOTP(secret)
        return Account(user=user, username=username, email=email, password=PASSWORD, totp=totp)

    return make


# --- Steps shared by the tests ------------------------------------------------------------------


def path_is(path: str) -> re.Pattern[str]:
    """A URL pattern matching exactly this path on any host, with or without a query string."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


@pytest.fixture
def sign_in(url: Callable[[str], str], accessible: Callable[[Page], None]) -> Callable[..., None]:
    """Sign in through the real pages: password, then the authenticator code when the account has one."""

    def run(page: Page, account: Account, *, login: str | None = None) -> None:
        page.goto(url("/accounts/login/"))
        expect(page.locator("#id_login")).to_be_visible()
        accessible(page)
        page.locator("#id_login").fill(login or account.username)
        page.locator("#id_password").fill(account.password)
        page.locator("form:has(#id_login) [type=submit]").click()
        if account.totp is not None:
            expect(page).to_have_url(path_is("/accounts/2fa/authenticate/"))
            accessible(page)
            page.locator("#id_code").fill(account.code())
            page.locator("form:has(#id_code) [type=submit]").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/(login|2fa/authenticate)/"))

    return run


def sign_out(page: Page) -> None:
    page.locator("header form[action='/accounts/logout/'] [type=submit]").click()
    expect(page).to_have_url(path_is("/accounts/login/"))


def switch_language(page: Page, code: str) -> None:
    """Press the language switcher's button for `code` and wait for the page in that language."""
    page.locator(f"form.qh-language button[value='{code}']").click()
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator(f"form.qh-language button[value='{code}']")).to_have_attribute("aria-current", "true")
    expect(page.locator("form.qh-language button[aria-current]")).to_have_count(1)
