"""The teacher's journal of a course: from the list of gradebooks to the journal, a score entered in a cell
(htmx: the cell and the row's ratings change in place), changed with the reason the cell asks for, and a score
out of range refused with its message next to the cell. Every page and state goes through axe."""

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from qashyq.audit.models import Event
from qashyq.gradebook.models import CourseResult, Grade
from qashyq.gradebook.tests.factories import gradebook_world
from tests.e2e.support import PASSWORD, Account, BrowserProblems, assert_accessible, path_is


def test_teacher_enters_changes_with_a_reason_and_is_refused_out_of_range(
    page: Page, url: Callable[[str], str], sign_in: Callable[..., None], browser_problems: BrowserProblems
) -> None:
    # A refused score is answered 400 on purpose (the cell shows the message).
    browser_problems.expect(r"answered 400: .*/gradebook/courses/\d+/grades/")
    # A course of two groups; its TK1 column is open for entry (due tomorrow).
    world = gradebook_world()
    tk1 = world.measure("tk1")
    tk1.week, tk1.due_at = None, timezone.now() + timedelta(days=1)
    tk1.save()
    teacher = world.teacher
    teacher.set_password(PASSWORD)
    teacher.save()
    sign_in(page, Account(user=teacher, username=teacher.username, email=teacher.email, password=PASSWORD))
    first, second = sorted(world.students[:2], key=lambda s: (s.last_name, s.first_name, s.pk))

    # The list of gradebooks leads to the course's journal.
    page.goto(url("/gradebook/"))
    assert_accessible(page)
    page.locator(f"#course-{world.course.pk} a").first.click()
    expect(page).to_have_url(path_is(f"/gradebook/courses/{world.course.pk}/journal/"))
    expect(page.locator("#journal caption")).to_be_visible()
    assert_accessible(page)

    # A score: typed in the cell, sent with Enter; the cell and the row's TK1 rating change in place.
    key = f"{tk1.pk}-{first.pk}-1"
    cell = page.locator(f"#s{key}")
    cell.fill("87,5")
    cell.press("Enter")
    expect(page.locator(f"#r{first.pk}-tk1")).to_have_text(re.compile(r"87[.,]50"))
    expect(page.locator(f"#s{key}")).to_have_value(re.compile(r"87[.,]50"))
    expect(page.locator(f"#s{key}")).to_have_attribute("title", re.compile(re.escape(teacher.full_name)))
    assert Grade.objects.get(measure=tk1, student=first).score == Decimal("87.50")
    assert_accessible(page)

    # A change asks for a reason; with it, the grade changes and the ledger keeps the reason.
    page.locator(f"#s{key}").fill("90")
    page.locator(f"#s{key}").press("Enter")
    reason = page.locator(f"#r{key}")
    expect(reason).to_be_visible()
    expect(reason).to_be_focused()
    expect(page.locator(f"#e{key}")).to_be_visible()
    assert_accessible(page)
    assert Grade.objects.get(measure=tk1, student=first).score == Decimal("87.50")
    reason.fill("Жұмыс қайта тексерілді")
    reason.press("Enter")
    expect(page.locator(f"#r{key}")).to_have_count(0)
    expect(page.locator(f"#s{key}")).to_have_value(re.compile(r"90[.,]00"))
    expect(page.locator(f"#r{first.pk}-tk1")).to_have_text(re.compile(r"90[.,]00"))
    changed = Grade.objects.get(measure=tk1, student=first)
    assert (changed.score, changed.changes) == (Decimal("90.00"), 1)
    assert Event.objects.get(action="gradebook.grade_changed").reason == "Жұмыс қайта тексерілді"
    assert CourseResult.objects.get(course=world.course, student=first).tk1 == Decimal("90.00")
    assert_accessible(page)

    # A score out of range is refused with the service's message next to the cell; nothing is written.
    other = f"{tk1.pk}-{second.pk}-1"
    page.locator(f"#s{other}").fill("150")
    page.locator(f"#s{other}").press("Enter")
    with translation.override("kk"):
        message = gettext("A score is a number from 0 to 100 with at most two decimals.")
    expect(page.locator(f"#e{other}")).to_have_text(message)
    expect(page.locator(f"#s{other}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#s{other}")).to_have_value("150")
    assert_accessible(page)
    assert not Grade.objects.filter(student=second).exists()

    # The details of the changed cell: who entered it, when, and its history with the reason.
    page.goto(url(f"/gradebook/courses/{world.course.pk}/grades/{tk1.pk}/{first.pk}/"))
    expect(page.locator("#cell-entered-by")).to_have_text(teacher.full_name)
    expect(page.locator("#cell-history tbody tr")).to_have_count(2)
    expect(page.locator("#cell-history")).to_contain_text("Жұмыс қайта тексерілді")
    assert_accessible(page)
