import pytest
from playwright.sync_api import expect
from tests.e2e.conftest import _axe_source, format_violations, AXE_TAGS
from qashyq.accounts.api import Role

N = [0]
def dump(page, label):
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate("""async (tags) => { const r = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))}));}""", AXE_TAGS)
    N[0] += 1
    page.screenshot(path=f"/tmp/shots/{N[0]:02d}-{label.replace('/', '_')}.png", full_page=True)
    print(f"\n===== {label} {page.url}\n{format_violations(result)}")


def test_explore(page, url, make_account, browser_problems):
    import os; os.makedirs("/tmp/shots", exist_ok=True)
    it = make_account(Role.IT_SUPPORT)
    student = make_account(Role.STUDENT)
    admin = make_account(Role.ADMINISTRATION, with_totp=False)
    page.goto(url("/accounts/signup/"))
    dump(page, "signup")
    page.goto(url("/accounts/password/reset/"))
    dump(page, "reset")
    page.goto(url("/accounts/login/"))
    dump(page, "login")
    page.locator("form:has(#id_login) [type=submit]").click()
    dump(page, "login errors")
    page.locator("#id_login").fill(it.username)
    page.locator("#id_password").fill("wrong")
    page.locator("form:has(#id_login) [type=submit]").click()
    dump(page, "login wrong")
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
    for p in ["/accounts/preferences/", "/accounts/users/", f"/accounts/users/{student.user.pk}/roles/", "/accounts/sessions/", "/accounts/2fa/", "/nope/", "/accounts/logout/", "/accounts/reauthenticate/"]:
        page.goto(url(p))
        dump(page, p)
    page.goto(url(f"/accounts/users/{student.user.pk}/roles/"))
    page.locator("main form [type=submit]").click()
    dump(page, "roles error")
    page.goto(url("/accounts/preferences/"))
    page.locator("#id_high_contrast").check()
    page.locator("#id_large_text").check()
    page.locator("main form [type=submit]").click()
    dump(page, "contrast prefs")
    for p in ["/dashboard/it_support/", "/accounts/users/", "/accounts/sessions/", "/accounts/2fa/"]:
        page.goto(url(p))
        dump(page, "contrast" + p)
    page.context.clear_cookies()
    page.goto(url("/accounts/login/"))
    page.locator("#id_login").fill(admin.username)
    page.locator("#id_password").fill(admin.password)
    page.locator("form:has(#id_login) [type=submit]").click()
    dump(page, "admin no totp")
    page.locator("#id_password").fill(admin.password)
    page.locator("form:has(#id_password) [type=submit]").click()
    dump(page, "activate")
    page.locator("#id_code").fill("123456")
    page.locator("form:has(#id_code) [type=submit]").click()
    dump(page, "activate wrong")
    print("PROBLEMS", browser_problems.entries)
    browser_problems.entries.clear()
