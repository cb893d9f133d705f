import pytest
from playwright.sync_api import expect
from tests.e2e.conftest import _axe_source, format_violations, AXE_TAGS
from qashyq.accounts.api import Role


def dump(page, label):
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate("""async (tags) => { const r = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))}));}""", AXE_TAGS)
    print(f"\n===== {label} {page.url}\n{format_violations(result)}")


def test_explore(page, url, make_account, browser_problems):
    it = make_account(Role.IT_SUPPORT)
    student = make_account(Role.STUDENT)
    admin = make_account(Role.ADMINISTRATION, with_totp=False)
    page.goto(url("/accounts/login/"))
    dump(page, "login")
    page.locator("form:has(#id_login) [type=submit]").click()
    dump(page, "login errors")
    page.locator("#id_login").fill(it.username)
    page.locator("#id_password").fill(it.password)
    page.locator("form:has(#id_login) [type=submit]").click()
    dump(page, "2fa")
    page.locator("#id_code").fill("000000")
    page.locator("form:has(#id_code) [type=submit]").click()
    dump(page, "2fa wrong")
    page.locator("#id_code").fill(it.code())
    page.locator("form:has(#id_code) [type=submit]").click()
    dump(page, "dashboard")
    for p in ["/accounts/preferences/", "/accounts/users/", f"/accounts/users/{student.user.pk}/roles/", "/accounts/sessions/", "/accounts/2fa/", "/nope/", "/accounts/logout/", "/accounts/signup/", "/accounts/password/reset/"]:
        page.goto(url(p))
        dump(page, p)
    page.goto(url(f"/accounts/users/{student.user.pk}/roles/"))
    page.locator("main form [type=submit]").click()
    dump(page, "roles error")
    page.context.clear_cookies()
    page.goto(url("/accounts/login/"))
    page.locator("#id_login").fill(admin.username)
    page.locator("#id_password").fill(admin.password)
    page.locator("form:has(#id_login) [type=submit]").click()
    dump(page, "admin no totp")
    print("PROBLEMS", browser_problems.entries)
    browser_problems.entries.clear()
