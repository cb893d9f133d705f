"""The teacher's side of a test: the teacher opens the test item (the test is made), sets a time limit and a
blueprint, grants a student extra time, grades an essay with its rubric, and reads the item analysis. Every
page goes through axe."""

import re
from collections.abc import Callable
from decimal import Decimal

from playwright.sync_api import Page, expect

from qashyq.assessment.data import AttemptStatus
from qashyq.assessment.models import Accommodation, Attempt, Test
from qashyq.assessment.tests.helpers import exam_world
from qashyq.assessment.tests.teacher_helpers import essay_slot, finished_attempt
from tests.e2e.support import PASSWORD, Account, assert_accessible, path_is


def test_teacher_sets_up_a_test_grades_an_essay_and_reads_the_analysis(
    page: Page, url: Callable[[str], str], sign_in: Callable[..., None]
) -> None:
    world = exam_world()
    teacher = world.teacher
    teacher.set_password(PASSWORD)
    teacher.save()
    sign_in(page, Account(user=teacher, username=teacher.username, email=teacher.email, password=PASSWORD))

    # The test item of the course: the test is made on first opening.
    page.goto(url(f"/assessment/items/{world.item.pk}/"))
    test = Test.objects.get(item=world.item)
    expect(page).to_have_url(path_is(f"/assessment/tests/{test.pk}/"))
    expect(page.locator("#blueprint-problems")).to_be_visible()
    assert_accessible(page)

    # A time limit.
    page.locator("#nav-settings").click()
    expect(page).to_have_url(path_is(f"/assessment/tests/{test.pk}/settings/"))
    assert_accessible(page)
    page.locator("#id_time_limit_minutes").fill("45")
    page.locator("#settings-save").click()
    expect(page).to_have_url(path_is(f"/assessment/tests/{test.pk}/"))
    expect(page.locator("#summary-time-limit")).to_contain_text("45")
    test.refresh_from_db()
    assert test.time_limit_minutes == 45

    # A blueprint: every question of the bank's topic.
    page.locator("#nav-blueprint").click()
    expect(page).to_have_url(path_is(f"/assessment/tests/{test.pk}/blueprint/"))
    assert_accessible(page)
    page.locator("#id_bank").select_option(str(world.bank.pk))
    page.locator("#id_categories").select_option(str(world.category.pk))
    page.locator("#id_count").fill(str(len(world.questions)))
    page.locator("#rule-add").click()
    expect(page.locator("#blueprint-rules tbody tr")).to_have_count(1)
    expect(page.locator("#blueprint-problems")).to_have_count(0)
    assert_accessible(page)

    # Extra time for the second student.
    page.locator("#nav-accommodations").click()
    assert_accessible(page)
    student = world.students[1]
    page.locator("#id_student").select_option(str(student.pk))
    page.locator("#id_extra_time_percent").fill("50")
    page.locator("#id_reason").fill("Көру қабілеті нашар (R10)")
    page.locator("#accommodation-save").click()
    expect(page.locator(f"#accommodation-{student.pk}")).to_be_visible()
    assert Accommodation.objects.get(test=test, student=student).extra_time_percent == 50
    assert_accessible(page)

    # A student has finished an attempt; its essay awaits grading.
    attempt = finished_attempt(world, test)
    assert attempt.status == AttemptStatus.NEEDS_GRADING
    page.goto(url("/assessment/grading/"))
    assert_accessible(page)
    page.locator(f"#pending-{essay_slot(attempt).pk} a").click()
    expect(page).to_have_url(re.compile(rf"/assessment/attempts/{attempt.pk}/grade/\d+/$"))
    assert_accessible(page)
    page.locator("#id_rubric_0").fill("3")
    page.locator("#id_rubric_1").fill("1")
    page.locator("#id_feedback").fill("Жақсы жауап.")
    page.locator("#grade-save").click()
    expect(page).to_have_url(path_is(f"/assessment/attempts/{attempt.pk}/"))
    assert_accessible(page)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert essay_slot(attempt).score == Decimal("0.80")
    expect(page.locator("#attempt-score")).to_contain_text(re.compile(r"8[.,]80 / 9[.,]00"))

    # The item analysis.
    page.goto(url(f"/assessment/tests/{test.pk}/analysis/"))
    expect(page.locator("#score-chart")).to_be_visible()
    expect(page.locator("#question-stats tbody tr")).to_have_count(len(world.questions))
    assert_accessible(page)
    page.locator("#distribution-table").locator("xpath=..").locator("summary").click()
    expect(page.locator("#distribution-table")).to_be_visible()
    assert_accessible(page)
    page.goto(url(f"/assessment/tests/{test.pk}/results/"))
    expect(page.locator(f"#student-{world.students[0].pk}")).to_contain_text(re.compile(r"97[.,]78"))
    assert_accessible(page)
    assert Attempt.objects.filter(test=test).count() == 1
