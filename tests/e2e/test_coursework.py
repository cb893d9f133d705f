"""Collection and hand-over of control materials in the browser (rule 16; R15–R17): the teacher writes the
instructions and a late penalty; a student submits an essay from the course item and prints the receipt; the
administration service sees it on the collection dashboard and hands it to the tutor of the student's group; the
tutor confirms receiving it and returns it for revision; the student resubmits; the tutor accepts it with a
score, which lands in the gradebook. Every page goes through axe."""

import hashlib
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from playwright.sync_api import FilePayload, Page, expect

from qashyq.accounts.api import Role
from qashyq.accounts.tests.factories import TEST_PASSWORD
from qashyq.coursework.data import SubmissionStatus
from qashyq.coursework.models import Handover, Submission
from qashyq.coursework.tests.helpers import PDF, coursework_world
from qashyq.gradebook.models import Grade
from tests.e2e.support import Account, assert_accessible, path_is


def _account(user: Any) -> Account:
    return Account(user=user, username=user.username, email=user.email, password=TEST_PASSWORD)


def test_submit_hand_over_confirm_return_resubmit_accept(
    page: Page,
    open_page: Callable[[], Page],
    url: Callable[[str], str],
    sign_in: Callable[..., None],
    make_account: Callable[..., Account],
) -> None:
    world = coursework_world()
    student, tutor = world.students[0], world.tutor
    admin = make_account(Role.ADMINISTRATION, first_name="Гүлнар", last_name="Қасымова")

    # The teacher writes the instructions and gives a penalty for late work.
    lectern = open_page()
    sign_in(lectern, _account(world.teacher))
    lectern.goto(url(f"/coursework/items/{world.item.pk}/"))
    expect(lectern).to_have_url(path_is(f"/coursework/assignments/{world.assignment.pk}/"))
    assert_accessible(lectern)
    lectern.locator("#nav-settings").click()
    assert_accessible(lectern)
    lectern.locator("#id_instructions").fill("Алгоритмнің күрделілігін бағалаңыз, 1500–2000 сөз.")
    lectern.locator("#id_late_policy_1").check()  # accepted with a penalty
    lectern.locator("#id_late_penalty_percent").fill("10")
    lectern.locator("#settings-save").click()
    expect(lectern).to_have_url(path_is(f"/coursework/assignments/{world.assignment.pk}/"))
    expect(lectern.locator("#assignment-late-policy")).to_contain_text("10")
    assert_accessible(lectern)

    # The student opens the assignment from the course item and submits an essay with a file.
    sign_in(page, _account(student.user))
    page.goto(url(f"/content/items/{world.item.pk}/"))
    page.locator("#item-owner-link a").click()
    expect(page).to_have_url(path_is(f"/coursework/assignments/{world.assignment.pk}/"))
    expect(page.locator("#assignment-instructions")).to_contain_text("1500–2000 сөз")
    assert_accessible(page)
    page.locator("#id_text").fill("Алгоритмдердің күрделілігі туралы эссе.")
    essay: FilePayload = {"name": "эссе.pdf", "mimeType": "application/pdf", "buffer": PDF}
    page.locator("#id_attachments").set_input_files(files=[essay])
    page.locator("#submit-save").click()
    first = Submission.objects.get(student=student)
    number = str(first.number)
    expect(page).to_have_url(path_is(f"/coursework/submissions/{first.pk}/"))
    expect(page.locator(f"#receipt-{first.pk}")).to_contain_text(number)
    expect(page.locator(f"#receipt-files-{first.pk}")).to_contain_text(hashlib.sha256(PDF).hexdigest())
    assert_accessible(page)
    page.locator("#receipt-print-link").click()
    expect(page).to_have_url(path_is(f"/coursework/submissions/{first.pk}/receipt/"))
    expect(page.locator("#receipt-print")).to_be_visible()
    assert_accessible(page)

    # The administration service finds it on the collection dashboard and hands it to the group's tutor.
    office = open_page()
    sign_in(office, admin)
    office.goto(url(f"/coursework/collection/?course={world.course.pk}"))
    expect(office.locator(f"#row-{world.assignment.pk}-{student.pk}")).to_contain_text(number)
    expect(office.locator(f"#row-{world.assignment.pk}-{world.students[1].pk}")).to_be_visible()
    assert_accessible(office)
    office.locator(f"#choose-{first.pk}").check()
    office.locator("#batch-hand-over").click()
    expect(office.locator(f"#choose-{first.pk}")).to_have_count(0)
    expect(office.locator(f"#row-{world.assignment.pk}-{student.pk}")).to_contain_text(tutor.full_name)
    assert_accessible(office)
    assert Handover.objects.get(submission=first).tutor_id == tutor.pk
    office.locator("#workload-link").click()
    expect(office.locator(f"#tutor-{tutor.pk}")).to_contain_text(tutor.full_name)
    assert_accessible(office)
    office.goto(url(f"/coursework/assignments/{world.assignment.pk}/"))
    expect(office.locator(f"#work-{student.pk}")).to_contain_text(number)
    assert_accessible(office)
    office.locator("#nav-paper").click()
    expect(office.locator("#paper-form")).to_be_visible()
    assert_accessible(office)

    # The tutor confirms receiving it and returns it for revision.
    desk = open_page()
    sign_in(desk, _account(tutor))
    desk.goto(url("/coursework/workload/"))
    assert_accessible(desk)
    desk.locator(f"#waiting-{first.pk} a").click()
    expect(desk).to_have_url(path_is(f"/coursework/submissions/{first.pk}/"))
    assert_accessible(desk)
    desk.locator("#confirm-receipt").click()
    expect(desk.locator("#confirm-receipt")).to_have_count(0)
    assert Submission.objects.get(pk=first.pk).status == SubmissionStatus.RECEIVED
    desk.locator("#review-link").click()
    expect(desk).to_have_url(path_is(f"/coursework/submissions/{first.pk}/review/"))
    assert_accessible(desk)
    desk.locator("#id_decision_0").check()  # return for revision
    desk.locator("#id_feedback").fill("Қорытындыда күрделілік бағасын дәлелдеңіз.")
    desk.locator("#review-save").click()
    expect(desk).to_have_url(path_is(f"/coursework/submissions/{first.pk}/"))
    expect(desk.locator("#review-feedback")).to_contain_text("күрделілік бағасын")
    assert_accessible(desk)

    # The student reads the feedback and submits the revised work.
    page.goto(url(f"/coursework/assignments/{world.assignment.pk}/"))
    expect(page.locator("#return-feedback")).to_contain_text("күрделілік бағасын")
    assert_accessible(page)
    page.locator("#id_text").fill("Толықтырылған эссе: O(n log n) бағасы дәлелденді.")
    page.locator("#submit-save").click()
    second = Submission.objects.get(student=student, attempt=2)
    expect(page).to_have_url(path_is(f"/coursework/submissions/{second.pk}/"))
    assert_accessible(page)
    assert second.status == SubmissionStatus.HANDED_OVER
    assert Handover.objects.get(submission=second).tutor_id == tutor.pk

    # The revised work is back with the tutor, who accepts it with a score.
    desk.goto(url("/coursework/workload/"))
    desk.locator(f"#waiting-{second.pk} a").click()
    desk.locator("#review-link").click()
    assert_accessible(desk)
    desk.locator("#id_decision_1").check()  # accept
    desk.locator("#id_points").fill("85")
    desk.locator("#id_feedback").fill("Жақсы жұмыс.")
    desk.locator("#review-save").click()
    expect(desk).to_have_url(path_is(f"/coursework/submissions/{second.pk}/"))
    expect(desk.locator("#review-score")).to_contain_text(re.compile(r"85[.,]00"))
    assert_accessible(desk)
    assert Submission.objects.get(pk=second.pk).status == SubmissionStatus.ACCEPTED
    assert Grade.objects.get(measure=world.measure, student=student).score == Decimal("85.00")

    # The student sees the work accepted, the grade in the gradebook.
    page.goto(url(f"/coursework/submissions/{second.pk}/"))
    expect(page.locator("#gradebook-note")).to_be_visible()
    assert_accessible(page)
