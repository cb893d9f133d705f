"""The gradebook in the browser: a student opens their grades from the navigation and reads, for a discipline
they are not admitted to yet, what is still missing; the head opens a change request to a locked grade and
approves it with a note, and the grade changes. Every page goes through axe."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pyotp
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from playwright.sync_api import Page, expect

from qashyq.gradebook.data import ChangeStatus
from qashyq.gradebook.models import Grade, GradeChangeRequest, GradingPolicy
from qashyq.gradebook.services import locks as lock_services
from qashyq.gradebook.tests.pages_helpers import results_world
from tests.e2e.support import PASSWORD, Account, assert_accessible, path_is

GRADES = "/gradebook/me/"
CHANGES = "/gradebook/change-requests/"


def account(user, *, totp: bool = False) -> Account:
    """The world's user as a browser account: a known password, and an authenticator when asked."""
    user.set_password(PASSWORD)
    user.save()
    code = None
    if totp:
        secret = pyotp.random_base32()
        TOTP.activate(user, secret)
        code = pyotp.TOTP(secret)
    return Account(user=user, username=user.username, email=user.email, password=PASSWORD, totp=code)


def test_student_sees_a_discipline_they_are_not_admitted_to_with_its_reasons(
    page: Page, sign_in: Callable[..., None]
) -> None:
    world = results_world()  # the second student: RK1 not graded, admission rating 36.25
    student = world.students[1]
    sign_in(page, account(student.user))

    page.locator(f"header nav a[href='{GRADES}']").click()
    expect(page).to_have_url(path_is(GRADES))
    course = page.locator(f"#course-{world.course.pk}")
    expect(course).to_be_visible()
    expect(course.locator("h4")).to_contain_text(world.course.code)
    missing = course.locator(".missing")
    expect(missing).to_be_visible()
    expect(missing.locator("li")).to_have_count(2)
    expect(missing.locator("li").first).to_contain_text("RK1")
    expect(missing.locator("li").nth(1)).to_contain_text("36")
    # the measures' table: RK1 not graded, the others with their scores
    rows = course.locator("table.measures tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text("40")
    expect(course.locator("table.results td.letter")).to_have_text("—")
    expect(page.locator("#own-xlsx")).to_have_attribute("href", "/gradebook/me/export.xlsx")
    assert_accessible(page)

    # The dashboard's card leads here too.
    page.goto(page.url.replace(GRADES, "/"))
    page.locator(f"main .qh-card a[href='{GRADES}']").click()
    expect(page).to_have_url(path_is(GRADES))


def test_head_approves_a_change_request_to_a_locked_grade(page: Page, sign_in: Callable[..., None]) -> None:
    world = results_world()
    lock_services.period_close(actor=world.admin, period_id=world.period.pk)
    request = lock_services.change_request_create(
        actor=world.teacher,
        measure_id=world.measures["tk1"].pk,
        student_id=world.students[0].pk,
        score=Decimal("75"),
        reason="Қосындыда қате кеткен",
    )
    sign_in(page, account(world.head, totp=True))

    page.locator("header nav a[href='/gradebook/periods/']").click()
    expect(page).to_have_url(path_is("/gradebook/periods/"))
    expect(page.locator(f"#period-{world.period.pk} .badge")).to_be_visible()  # closed
    assert_accessible(page)
    page.locator(f"main a[href='{CHANGES}']").click()
    expect(page).to_have_url(path_is(CHANGES))
    row = page.locator(f"#request-{request.pk}")
    expect(row).to_contain_text("Қосындыда қате кеткен")
    expect(row).to_contain_text("75")
    assert_accessible(page)

    row.locator(f"a[href='{CHANGES}{request.pk}/']").click()
    expect(page).to_have_url(path_is(f"{CHANGES}{request.pk}/"))
    assert_accessible(page)
    page.locator("#id_note").fill("Қағаз ведомость тексерілді")
    page.locator("#decision-form button[value=approve]").click()

    expect(page).to_have_url(path_is(CHANGES))
    expect(page.locator(".qh-messages")).to_be_visible()
    expect(page.locator(f"#request-{request.pk} .status")).to_contain_text("Қағаз ведомость тексерілді")
    assert_accessible(page)
    request.refresh_from_db()
    assert (request.status, request.decided_by_id) == (ChangeStatus.APPROVED, world.head.pk)
    assert Grade.objects.get(measure=world.measures["tk1"], student=world.students[0]).score == Decimal("75.00")
    assert GradeChangeRequest.objects.filter(status=ChangeStatus.PENDING).count() == 0


def test_administration_pages_of_the_gradebook_are_accessible(
    page: Page, url: Callable[[str], str], sign_in: Callable[..., None]
) -> None:
    world = results_world()
    sign_in(page, account(world.admin, totp=True))
    for path in (
        f"/gradebook/courses/{world.course.pk}/distribution/",
        f"/gradebook/periods/{world.period.pk}/distribution/",
        f"/gradebook/courses/{world.course.pk}/reopen/",
        "/gradebook/policy/",
        f"/gradebook/periods/{world.period.pk}/close/",
    ):
        response = page.goto(url(path))
        assert response is not None
        assert response.status == 200, path
        if "distribution" in path:
            expect(page.locator("svg#letters-chart")).to_be_visible()
            expect(page.locator("svg#scores-chart")).to_be_visible()
        assert_accessible(page)

    # Closing the period without the confirmation says what is missing; with it, the period is closed.
    page.locator("#close-form [type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("#id_confirm")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.locator("#id_confirm").check()
    page.locator("#close-form [type=submit]").click()
    expect(page).to_have_url(path_is("/gradebook/periods/"))
    expect(page.locator(f"#period-{world.period.pk} .badge")).to_be_visible()
    assert_accessible(page)

    # A new version of the grading policy, from the day after the period just closed, with a 45 % exam.
    page.goto(url("/gradebook/policy/"))
    starts = max(world.period.end_date, timezone.localdate()) + timedelta(days=1)
    page.locator("#id_valid_from").fill(f"{starts:%Y-%m-%d}")
    page.locator("#id_exam_weight").fill("0.45")
    page.locator("#policy-form [type=submit]").click()
    expect(page).to_have_url(path_is("/gradebook/policy/"))
    expect(page.locator(".qh-messages")).to_be_visible()
    assert_accessible(page)
    assert GradingPolicy.objects.order_by("-valid_from").first().exam_weight == Decimal("0.45")
