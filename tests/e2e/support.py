"""What the browser tests share: axe-core, the browser's own complaints, accounts and common steps."""

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import ConsoleMessage, Page, Request, Response, expect

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "Tuyeqan-Sary-2026"

# Reports CSP violations to the console, where BrowserProblems picks them up (added to every context).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`
    + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""


# --- What the browser complains about -----------------------------------------------------------


@dataclass
class BrowserProblems:
    """Console errors, uncaught exceptions, CSP violations and failed sub-resources of one test."""

    entries: list[str] = field(default_factory=list)
    expected: list[re.Pattern[str]] = field(default_factory=list)

    def expect(self, pattern: str) -> None:
        """A complaint this test causes on purpose (a save refused while offline, a score answered 400): it
        is not recorded whenever the browser reports it, even after the step that caused it."""
        self.expected.append(re.compile(pattern))

    def _record(self, entry: str) -> None:
        if not any(pattern.search(entry) for pattern in self.expected):
            self.entries.append(entry)

    def watch(self, page: Page) -> None:
        if _WATCHED.get(id(page)) is self:
            return
        _WATCHED[id(page)] = self
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self._record(f"uncaught exception on {page.url}: {error}"))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def _on_console(self, message: ConsoleMessage) -> None:
        # A document answered with 4xx (a 404 page, a form sent back with errors) is logged as
        # "Failed to load resource"; tests check the status of the documents they open themselves,
        # and failed sub-resources are caught by the two listeners below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            where = (message.location or {}).get("url", "")
            self._record(f"console error ({where}): {message.text}")

    def _on_request_failed(self, request: Request) -> None:
        # ERR_ABORTED: the page went on to another document while this sub-resource (a font, an image) was still
        # loading, and the browser cancelled it; nothing failed.
        if request.resource_type != "document" and request.failure != "net::ERR_ABORTED":
            self._record(f"request failed: {request.method} {request.url} ({request.failure})")

    def _on_response(self, response: Response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            self._record(f"sub-resource answered {response.status}: {response.url}")

    def check(self) -> None:
        if self.entries:
            found, self.entries = self.entries, []
            pytest.fail("The browser reported problems:\n" + "\n".join(f"  - {e}" for e in found), pytrace=False)

    def forget(self) -> None:
        for key in [k for k, v in _WATCHED.items() if v is self]:
            del _WATCHED[key]


_WATCHED: dict[int, BrowserProblems] = {}


# --- Accessibility ------------------------------------------------------------------------------

_axe_source: list[str] = []


def _axe() -> str:
    if not _axe_source:
        if not AXE_JS.exists():
            pytest.fail(f"{AXE_JS} is missing: run `make setup` (npm ci installs axe-core).", pytrace=False)
        _axe_source.append(AXE_JS.read_text(encoding="utf-8"))
    return _axe_source[0]


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} [{violation['impact']}]: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now; fail listing every WCAG 2.0/2.1/2.2 A and AA violation.

    axe is injected with `page.evaluate` (through DevTools, not a <script> tag), so the page's strict
    CSP stays as it is. Whatever the browser reported so far (console errors, CSP violations,
    uncaught exceptions, failed sub-resources) fails the test here too.
    """
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe())
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )
    if violations:
        pytest.fail(
            f"axe found {len(violations)} violation(s) on {page.url}:\n{format_violations(violations)}", pytrace=False
        )
    problems = _WATCHED.get(id(page))
    if problems is not None:
        problems.check()


# --- Accounts -----------------------------------------------------------------------------------


@dataclass
class Account:
    user: Any
    username: str
    email: str
    password: str
    totp: pyotp.TOTP | None = None
    _used_codes: set[str] = field(default_factory=set)

    @property
    def full_name(self) -> str:
        return str(self.user.full_name)

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

    def wrong_code(self) -> str:
        assert self.totp is not None
        now = time.time()
        valid = {self.totp.at(now + offset) for offset in (-60, -30, 0, 30, 60)}
        return next(c for c in ("000000", "111111", "222222", "333333", "444444", "555555") if c not in valid)

    def refresh(self) -> Any:
        """The account as the database has it now (a new object: roles are cached on the old one)."""
        self.user = type(self.user).objects.get(pk=self.user.pk)
        return self.user


# --- Steps --------------------------------------------------------------------------------------


def path_is(path: str) -> re.Pattern[str]:
    """A URL pattern for exactly this path on any host, with or without a query string."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


def submit(page: Page, field_selector: str) -> None:
    """Press the submit button of the form holding `field_selector`."""
    page.locator(f"form:has({field_selector}) [type=submit]").first.click()


def enter_password(page: Page, account: Account, *, login: str | None = None, password: str | None = None) -> None:
    """On the sign-in page: fill in the login (the username unless given) and the password, and send them."""
    page.locator("#id_login").fill(login or account.username)
    page.locator("#id_password").fill(account.password if password is None else password)
    submit(page, "#id_login")


def enter_code(page: Page, code: str) -> None:
    """On an authenticator code page (signing in, or enrolling one): fill in the code and send it."""
    page.locator("#id_code").fill(code)
    submit(page, "#id_code")


def sign_out(page: Page) -> None:
    page.locator("header form[action='/accounts/logout/'] [type=submit]").click()
    expect(page).to_have_url(path_is("/accounts/login/"))


def switch_language(page: Page, code: str) -> None:
    """Press the language switcher's button for `code`; wait for the page in that language."""
    page.locator(f"form.qh-language button[value='{code}']").click()
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator(f"form.qh-language button[value='{code}']")).to_have_attribute("aria-current", "true")
    expect(page.locator("form.qh-language button[aria-current]")).to_have_count(1)


def nav_links(page: Page) -> list[str]:
    """The href of every link in the main navigation's list, in order."""
    return page.locator("header nav ul.navbar-nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def kk(label: object) -> str:
    """A label as a Kazakh page shows it: a source string or a lazy translation, translated into Kazakh."""
    from django.utils import translation

    with translation.override("kk"):
        return translation.gettext(label) if isinstance(label, str) else str(label)
