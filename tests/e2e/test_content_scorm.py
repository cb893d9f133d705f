"""SCORM in Chromium with two real packages (tests' own, one SCORM 1.2 and one SCORM 2004 4th edition): a
teacher uploads each through the item form and publishes it; an enrolled student opens it, the SCO runs in a
sandboxed frame, finds the API in its own window, reports completion and a score, and after a reload resumes
from its suspend data."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from playwright.sync_api import FilePayload, Page, expect

from qashyq.accounts.api import Role
from qashyq.content.data import ProgressStatus
from qashyq.content.models import Item, ItemProgress, ScormRuntime
from qashyq.content.tests.factories import CourseFactory, SectionFactory, add_staff, enrolled_student
from qashyq.content.tests.scorm import package_bytes
from tests.e2e.support import Account, assert_accessible, kk, path_is

PACKAGES = (
    # name, title, version, what the runtime stores when the SCO finishes
    ("scorm12", "Сәлемдесу", "1.2", ("passed", "passed", Decimal("85.00"))),
    ("scorm2004", "Сандар", "2004", ("completed", "passed", Decimal("90.00"))),
)


def test_scorm_12_and_2004_record_completion_score_and_resume(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
    open_page: Callable[[], Page],
) -> None:
    teacher = make_account(Role.TEACHER, first_name="Гүлмира", last_name="Оспанова")
    student = make_account(Role.STUDENT, first_name="Ерлан", last_name="Нұрланов")
    course: Any = CourseFactory()
    add_staff(course, teacher.user)
    section: Any = SectionFactory(course=course, name_kk="1-апта")
    enrolment = enrolled_student(course, user=student.user)

    # The teacher uploads both packages through the item form and publishes them.
    sign_in(page, teacher)
    items: list[Item] = []
    for name, title, _version, _expected in PACKAGES:
        create = f"/content/sections/{section.pk}/items/new/scorm/"
        page.goto(url(create))
        assert_accessible(page)
        page.locator("#id_name_kk").fill(title)
        page.locator("input[name=activity][value=independent]").check()
        page.locator("#id_completion").select_option("scorm")
        payload: FilePayload = {"name": f"{name}.zip", "mimeType": "application/zip", "buffer": package_bytes(name)}
        page.locator("#id_package").set_input_files(files=[payload])
        page.locator("main form[method=post] [type=submit]").last.click()
        item = Item.objects.get(name_kk=title)
        expect(page).to_have_url(path_is(f"/content/items/{item.pk}/"))
        page.locator("#publish").click()
        expect(page.locator("#item-status")).to_be_visible()
        item.refresh_from_db()
        assert item.live_version is not None
        assert item.live_version.data["scorm_package_id"] == item.scorm_package_id
        items.append(item)

    # The teacher's preview runs the package and stores nothing.
    page.goto(url(f"/content/items/{items[0].pk}/scorm/"))
    expect(page.locator("#scorm-preview")).to_be_visible()
    expect(page.frame_locator("#scorm-frame").locator("#saved")).to_have_text("saved visit 1")
    assert not ScormRuntime.objects.exists()

    # The student opens each package from the item page.
    learner = open_page()
    sign_in(learner, student)
    for item, (_name, _title, version, (completion, success, score)) in zip(items, PACKAGES, strict=True):
        learner.goto(url(f"/content/items/{item.pk}/"))
        learner.locator("#scorm-open").click()
        expect(learner).to_have_url(path_is(f"/content/items/{item.pk}/scorm/"))
        frame = learner.frame_locator("#scorm-frame")
        expect(frame.locator("#entry")).to_have_text("ab-initio")
        expect(frame.locator("#learner")).to_have_text("Нұрланов, Ерлан")
        expect(frame.locator("#saved")).to_have_text("saved visit 1")
        assert_accessible(learner)
        # The content runs with an opaque origin: it cannot read the page around it.
        content = learner.frame(url=lambda u: "/content/scorm/" in u)
        assert content is not None
        origin = content.evaluate(
            "() => { try { return String(window.parent.document.title); }"
            " catch (e) { return 'blocked ' + self.origin; } }"
        )
        assert origin == "blocked null"
        runtime = ScormRuntime.objects.get(item=item, enrolment=enrolment)
        assert (runtime.completion_status, runtime.suspend_data, runtime.sessions) == ("incomplete", "visits=1", 1)
        assert ItemProgress.objects.get(item=item, enrolment=enrolment).status == ProgressStatus.VIEWED

        frame.locator("#finish").click()
        expect(frame.locator("#saved")).to_have_text("finished")
        runtime.refresh_from_db()
        assert (runtime.completion_status, runtime.success_status) == (completion, success)
        assert runtime.location == "page-2"
        assert runtime.session_time != ""
        progress = ItemProgress.objects.get(item=item, enrolment=enrolment)
        assert (progress.status, progress.score) == (ProgressStatus.COMPLETED, score)

        # A reload is a new session that resumes where the learner stopped.
        learner.reload()
        expect(frame.locator("#entry")).to_have_text("resume")
        expect(frame.locator("#suspend")).to_have_text("visits=1")
        expect(frame.locator("#location")).to_have_text("page-2")
        expect(frame.locator("#saved")).to_have_text("saved visit 2")
        expect(learner.locator("#scorm-status")).to_contain_text(kk("passed"))
        runtime.refresh_from_db()
        assert (runtime.suspend_data, runtime.sessions, runtime.completion_status) == ("visits=2", 2, completion)
        assert ItemProgress.objects.get(item=item, enrolment=enrolment).status == ProgressStatus.COMPLETED
        assert_accessible(learner)
        assert version in (item.scorm_package.version,)  # type: ignore[union-attr]
