"""IT support changes a person's roles on the roles page, with a reason that goes to the audit ledger."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role, user_roles
from qashyq.audit import api as audit_api
from tests.e2e.support import Account, assert_accessible, path_is


def test_it_support_changes_roles_with_a_reason(
    page: Page, url: Callable[[str], str], make_account: Callable[..., Account], sign_in: Callable[..., None]
) -> None:
    it_support = make_account(Role.IT_SUPPORT)
    target = make_account(Role.STUDENT, first_name="Дәурен", last_name="Оспанов")
    roles_page = f"/accounts/users/{target.user.pk}/roles/"

    sign_in(page, it_support)
    page.locator("header nav a[href='/accounts/users/']").click()
    expect(page).to_have_url(path_is("/accounts/users/"))
    assert_accessible(page)

    page.locator("#q").fill(target.username)
    page.locator("form[role=search] [type=submit]").click()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    assert_accessible(page)

    page.locator(f"main a[href='{roles_page}']").click()
    expect(page).to_have_url(path_is(roles_page))
    expect(page.locator("main h1")).to_contain_text(target.full_name)
    expect(page.locator("input[name=roles][value=student]")).to_be_checked()
    assert_accessible(page)

    # Without a reason nothing changes, and the page says what is missing.
    page.locator("input[name=roles][value=teacher]").check()
    page.locator("main form [type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("main [role=alert] a[href='#id_reason']")).to_be_visible()
    assert_accessible(page)
    assert user_roles(target.refresh()) == {Role.STUDENT}

    reason = "Приказ № 42-к: назначен преподавателем"
    page.locator("input[name=roles][value=teacher]").check()
    page.locator("#id_reason").fill(reason)
    page.locator("main form [type=submit]").click()

    expect(page).to_have_url(path_is("/accounts/users/"))
    expect(page.locator("main [role=status]")).to_contain_text(target.full_name)
    assert_accessible(page)

    assert user_roles(target.refresh()) == {Role.STUDENT, Role.TEACHER}
    events = audit_api.events_for(target_type="accounts.user", target_id=str(target.user.pk))
    change = [e for e in events if e["action"] == "accounts.roles_changed"][-1]
    assert change["reason"] == reason
    assert change["actor_label"] == it_support.username
    assert change["before"] == {"roles": ["student"]}
    assert change["after"] == {"roles": ["student", "teacher"]}
