"""Each role's dashboard opens for its holder, and the navigation offers only that role's items."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from qashyq.portal.navigation import nav_items_for
from tests.e2e.support import Account, assert_accessible, nav_links, path_is

USERS_AND_ROLES = "/accounts/users/"


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_role_dashboard_and_navigation(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
    role: Role,
) -> None:
    person = make_account(role)
    dashboard = f"/dashboard/{role.value}/"

    sign_in(page, person)
    expect(page).to_have_url(path_is(dashboard))
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text(person.full_name)
    assert_accessible(page)

    # Exactly the role's entries of the navigation, in order: its dashboard first.
    expected = [item.url for item in nav_items_for(frozenset({role}))]
    assert nav_links(page) == expected
    assert expected[0] == dashboard
    assert (USERS_AND_ROLES in expected) is (role == Role.IT_SUPPORT)
    expect(page.locator(f"header nav a[href='{dashboard}']")).to_have_attribute("aria-current", "page")
    if role != Role.IT_SUPPORT:
        expect(page.locator(f"a[href='{USERS_AND_ROLES}']")).to_have_count(0)

    # Another role's dashboard, and pages of other roles, do not exist for this person.
    other = Role.TEACHER if role == Role.STUDENT else Role.STUDENT
    response = page.goto(url(f"/dashboard/{other.value}/"))
    assert response is not None
    assert response.status == 404
    assert_accessible(page)
    if role != Role.IT_SUPPORT:
        response = page.goto(url(USERS_AND_ROLES))
        assert response is not None
        assert response.status == 404
        assert_accessible(page)


def test_holder_of_two_roles_sees_both_dashboards(
    page: Page, url: Callable[[str], str], make_account: Callable[..., Account], sign_in: Callable[..., None]
) -> None:
    person = make_account(Role.TEACHER, Role.TUTOR)

    sign_in(page, person)
    expect(page).to_have_url(path_is("/dashboard/teacher/"))
    assert_accessible(page)
    links = nav_links(page)
    assert links == [item.url for item in nav_items_for(frozenset({Role.TEACHER, Role.TUTOR}))]
    assert links[:2] == ["/dashboard/teacher/", "/dashboard/tutor/"]

    page.locator("header nav a[href='/dashboard/tutor/']").click()
    expect(page).to_have_url(path_is("/dashboard/tutor/"))
    expect(page.locator("header nav a[href='/dashboard/tutor/']")).to_have_attribute("aria-current", "page")
    assert_accessible(page)
