"""A student takes a timed test with the keyboard only: starts it, answers, loses the connection, changes an
answer, reloads the page while offline, comes back online, and the answer kept in the browser reaches the
server; then submits and reads the result. Every page goes through axe, and the browser may report nothing
but the requests that failed while it was offline."""

import contextlib
import re
import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from qashyq.assessment.data import AttemptStatus, QuestionType
from qashyq.assessment.models import Attempt, AttemptEvent, AttemptQuestion, Question
from qashyq.assessment.tests.helpers import ExamWorld, exam_world, make_test
from qashyq.assessment.tests.teacher_helpers import started_attempt
from tests.e2e.support import PASSWORD, Account, BrowserProblems, assert_accessible, path_is

KEEP = (QuestionType.SINGLE, QuestionType.MATCHING, QuestionType.ORDERING, QuestionType.SHORT)


def stored(attempt: Attempt, qtype: str) -> Any:
    return AttemptQuestion.objects.get(attempt=attempt, type=qtype).answer


def wait_for(check: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("the server did not get the answer in time")


def student_account(world: ExamWorld) -> Account:
    """The world's first student, who signs in with the e2e password."""
    user = world.students[0].user
    user.set_password(PASSWORD)
    user.save()
    return Account(user=user, username=user.username, email=user.email, password=PASSWORD)


def next_by_keyboard(page) -> None:
    """The next question by the keyboard, once every save is acknowledged: a page left mid-request aborts the
    request (the server has the answer already; a later save of the same answer may still be on its way)."""
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bqh-has-unsent\b"))
    page.locator("#qh-next").focus()
    page.keyboard.press("Enter")


def test_student_takes_a_timed_test_by_keyboard_and_loses_no_answer_offline(
    page: Page,
    url: Callable[[str], str],
    sign_in: Callable[..., None],
    browser_problems: BrowserProblems,
) -> None:
    # Saves refused while offline, as this test makes them, are what the page must survive.
    browser_problems.expect(r"request failed: POST .*/answers/\d+/ \(net::(ERR_INTERNET_DISCONNECTED|ERR_FAILED)\)")
    world = exam_world()
    Question.objects.exclude(type__in=KEEP).update(archived=True)
    test = make_test(world, count=len(KEEP), time_limit_minutes=30)
    student = student_account(world)
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, student)
    page.goto(url(f"/assessment/items/{world.item.pk}/"))
    expect(page).to_have_url(path_is(f"/assessment/tests/{test.pk}/"))
    assert_accessible(page)
    page.locator("#attempt-start").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/assessment/take/\d+/q/1/$"))
    attempt = Attempt.objects.get(test=test)
    expect(page.locator("#qh-timer-value")).to_have_text(re.compile(r"^(29|30):\d\d$"))
    assert_accessible(page)

    # 1. Single choice: the radio button by the keyboard.
    page.locator("#qh-option-a").focus()
    page.keyboard.press("Space")
    wait_for(lambda: stored(attempt, QuestionType.SINGLE) == {"choice": "a"})
    expect(page.locator("#qh-status")).not_to_be_empty()
    expect(page.locator("#qh-nav-1")).to_have_class(re.compile("qh-answered"))
    next_by_keyboard(page)

    # 2. Matching: each select by the keyboard.
    expect(page).to_have_url(path_is(f"/assessment/take/{attempt.pk}/q/2/"))
    assert_accessible(page)
    for pair, capital in (("p1", "Astana"), ("p2", "Paris"), ("p3", "Tokyo")):
        page.locator(f"#qh-pair-{pair}").select_option(label=capital)
    wait_for(lambda: stored(attempt, QuestionType.MATCHING) == {"pairs": {"p1": "p1", "p2": "p2", "p3": "p3"}})
    next_by_keyboard(page)

    # 3. Ordering with the Up/Down buttons: the focus stays on the button pressed.
    expect(page).to_have_url(path_is(f"/assessment/take/{attempt.pk}/q/3/"))
    assert_accessible(page)
    shown = page.locator(".qh-order-item").evaluate_all("items => items.map(i => i.dataset.id)")
    for target, item_id in enumerate(["i1", "i2", "i3"]):
        place = shown.index(item_id)
        while place > target:
            page.locator(f".qh-order-item[data-id='{item_id}'] .qh-up").focus()
            page.keyboard.press("Enter")
            expect(page.locator(f".qh-order-item[data-id='{item_id}'] .qh-up")).to_be_focused()
            shown.insert(place - 1, shown.pop(place))
            place -= 1
    keep = page.locator("#qh-order-keep")
    if keep.is_visible():
        keep.focus()
        page.keyboard.press("Enter")
    wait_for(lambda: stored(attempt, QuestionType.ORDERING) == {"order": ["i1", "i2", "i3"]})
    next_by_keyboard(page)

    # 4. Short answer typed, saved after a pause.
    question_url = f"/assessment/take/{attempt.pk}/q/4/"
    expect(page).to_have_url(path_is(question_url))
    assert_accessible(page)
    page.locator("#qh-text").focus()
    page.keyboard.type("Abai")
    wait_for(lambda: stored(attempt, QuestionType.SHORT) == {"text": "Abai"})

    # Offline: the changed answer stays in the browser; the reload fails; back online it reaches the server.
    # (Saves are also refused at the network layer: Chromium's offline emulation lets a request through on a
    # connection it already holds.)
    page.route("**/answers/**", lambda route: route.abort("internetdisconnected"))
    page.context.set_offline(True)
    page.locator("#qh-text").press("Control+a")
    page.keyboard.type("Auezov")
    expect(page.locator("body")).to_have_class(re.compile("qh-has-unsent"))
    expect(page.locator("#qh-nav-4")).to_have_class(re.compile("qh-unsent"))
    assert stored(attempt, QuestionType.SHORT) == {"text": "Abai"}
    kept = page.evaluate(f"() => localStorage.getItem('qashyq-attempt-{attempt.pk}')")
    assert kept is not None
    assert "Auezov" in kept
    with contextlib.suppress(PlaywrightError):
        page.reload()  # no connection: the browser shows its own error page
    page.context.set_offline(False)
    page.unroute("**/answers/**")
    page.goto(url(question_url))
    wait_for(lambda: stored(attempt, QuestionType.SHORT) == {"text": "Auezov"})
    expect(page.locator("#qh-text")).to_have_value("Auezov")
    expect(page.locator("body")).not_to_have_class(re.compile("qh-has-unsent"))
    assert_accessible(page)

    # A page of the attempt sends what this browser kept: saves fail (online), then another question opens.
    page.route("**/answers/**", lambda route: route.abort("failed"))
    page.locator("#qh-text").press("Control+a")
    page.keyboard.type("M. Auezov")
    expect(page.locator("#qh-nav-4")).to_have_class(re.compile("qh-unsent"))
    time.sleep(0.5)
    assert stored(attempt, QuestionType.SHORT) == {"text": "Auezov"}
    page.unroute("**/answers/**")
    page.goto(url(f"/assessment/take/{attempt.pk}/q/1/"))
    wait_for(lambda: stored(attempt, QuestionType.SHORT) == {"text": "M. Auezov"})
    expect(page.locator("#qh-nav-4")).not_to_have_class(re.compile("qh-unsent"))
    page.goto(url(question_url))
    expect(page.locator("#qh-text")).to_have_value("M. Auezov")

    # Offline and online again on the same page: the `online` event resends.
    page.route("**/answers/**", lambda route: route.abort("internetdisconnected"))
    page.context.set_offline(True)
    page.locator("#qh-text").press("Control+a")
    page.keyboard.type("Mukhtar Auezov")
    expect(page.locator("#qh-nav-4")).to_have_class(re.compile("qh-unsent"))
    time.sleep(0.5)
    assert stored(attempt, QuestionType.SHORT) == {"text": "M. Auezov"}
    page.unroute("**/answers/**")
    page.context.set_offline(False)
    wait_for(lambda: stored(attempt, QuestionType.SHORT) == {"text": "Mukhtar Auezov"})
    wait_for(lambda: AttemptEvent.objects.filter(attempt=attempt, kind="reconnected").exists())

    # The summary, then submit with the confirmation, by the keyboard.
    page.locator("#qh-finish").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(path_is(f"/assessment/take/{attempt.pk}/summary/"))
    assert_accessible(page)
    page.locator("#submit-confirm").focus()
    page.keyboard.press("Space")
    page.locator("#submit-attempt").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(path_is(f"/assessment/take/{attempt.pk}/result/"))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.percent == 100
    expect(page.locator("#result-score")).to_contain_text("100")
    assert_accessible(page)


def test_at_the_deadline_the_page_sends_the_answer_and_submits_by_itself(
    page: Page,
    url: Callable[[str], str],
    sign_in: Callable[..., None],
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from qashyq.assessment.data import FinishedBy

    world = exam_world()
    Question.objects.exclude(type=QuestionType.TRUE_FALSE).update(archived=True)
    test = make_test(world, count=1, time_limit_minutes=10)
    student = student_account(world)
    attempt = started_attempt(world, test)
    sign_in(page, student)
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=now + timedelta(seconds=5), hard_deadline=now + timedelta(seconds=65)
    )
    page.goto(url(f"/assessment/take/{attempt.pk}/q/1/"))
    page.locator("#qh-true").focus()
    page.keyboard.press("Space")
    expect(page).to_have_url(path_is(f"/assessment/take/{attempt.pk}/result/"), timeout=20_000)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.finished_by == FinishedBy.STUDENT  # submitted by the page, within the grace period
    assert attempt.percent == 100
    assert_accessible(page)


def test_every_question_type_is_accessible_and_formulas_are_typeset(
    page: Page,
    url: Callable[[str], str],
    sign_in: Callable[..., None],
) -> None:
    from qashyq.assessment.models import QuestionVersion

    world = exam_world()
    single = world.questions[QuestionType.SINGLE].current
    QuestionVersion.objects.filter(pk=single.pk).update(stem="Solve \\(x^2 = 4\\), x > 0.")
    test = make_test(world, time_limit_minutes=30)
    student = student_account(world)
    attempt = started_attempt(world, test)
    sign_in(page, student)
    for question in AttemptQuestion.objects.filter(attempt=attempt).order_by("position"):
        page.goto(url(f"/assessment/take/{attempt.pk}/q/{question.position}/"))
        expect(page.locator("#qh-answer")).to_have_attribute("data-qtype", question.type)
        if question.type == QuestionType.SINGLE:
            expect(page.locator("#qh-stem mjx-container").first).to_be_attached()
        if question.type == QuestionType.ESSAY:
            page.locator("#qh-text").fill("Three words here")
            expect(page.locator("#qh-word-count")).to_contain_text("3")
            # Leave only once the save is stored: a page left mid-request aborts it.
            wait_for(lambda: stored(attempt, QuestionType.ESSAY) == {"text": "Three words here"})
            expect(page.locator("body")).not_to_have_class(re.compile(r"\bqh-has-unsent\b"))
        assert_accessible(page)
    page.set_viewport_size({"width": 640, "height": 480})  # 200 % zoom of a 1280 × 960 window
    page.goto(url(f"/assessment/take/{attempt.pk}/q/1/"))
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page)
