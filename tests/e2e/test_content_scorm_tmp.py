"""SCORM in Chromium with two real packages (tests' own, one SCORM 1.2 and one SCORM 2004 4th edition): a
teacher uploads each through the item form and publishes it; an enrolled student opens it, the SCO runs in a
sandboxed frame, finds the API in its own window, reports completion and a score, and after a reload resumes
from its suspend data."""

from collections.abc import Callable
from decimal import Decimal

from django.utils import translation
from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from qashyq.content.data import ProgressStatus
from qashyq.content.models import Item, ItemProgress, ScormRuntime
from qashyq.content.tests.factories import CourseFactory, SectionFactory, add_staff, enrolled_student
from qashyq.content.tests.scorm import package_bytes
from tests.e2e.support import Account, assert_accessible, path_is

PACKAGES = (
    # name, title, version, what the runtime stores when the SCO finishes
    ("scorm12", "Сәлемдесу", "1.2", ("passed", "passed", Decimal("85.00"))),
    ("scorm2004", "Сандар", "2004", ("completed", "passed", Decimal("90.00"))),
)


def kk(label: object) -> str:
    with translation.override("kk"):
        return str(label)


def test_scorm_12_and_2004_record_completion_score_and_resume(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
    open_page: Callable[[], Page],
) -> None:
    teacher = make_account(Role.TEACHER, first_name="Гүлмира", last_name="Оспанова")
    student = make_account(Role.STUDENT, first_name="Ерлан", last_name="Нұрланов")
    course = CourseFactory()
    add_staff(course, teacher.user)
    section = SectionFactory(course=course, name_kk="1-апта")
    enrolment = enrolled_student(course, user=student.user)

    sign_in(page, teacher)
    from qashyq.content.tests.scorm import package_upload
    from qashyq.content.services.scorm import scorm_package_upload
    from qashyq.content.services.items import item_publish
    from qashyq.content.tests.factories import ItemFactory
    items = []
    for name, title, _v, _e in PACKAGES:
        it = ItemFactory(section=section, kind="scorm", completion="scorm", body="", name_kk=title, scorm_package=scorm_package_upload(upload=package_upload(name), actor=teacher.user))
        item_publish(actor=teacher.user, item=it)
        items.append(it)
    # The teacher's preview runs the package and stores nothing.
    page.goto(url(f"/content/items/{items[0].pk}/scorm/"))
    expect(page.locator("#scorm-preview")).to_be_visible()
    expect(page.frame_locator("#scorm-frame").locator("#saved")).to_have_text("saved visit 1")
    assert not ScormRuntime.objects.exists()

    # The student opens each package from the item page.
    learner = open_page()
    sign_in(learner, student)
    for item, (_name, title, version, (completion, success, score)) in zip(items, PACKAGES, strict=True):
        learner.goto(url(f"/content/items/{item.pk}/"))
        learner.locator("#scorm-open").click()
        expect(learner).to_have_url(path_is(f"/content/items/{item.pk}/scorm/"))
        frame = learner.frame_locator("#scorm-frame")
        expect(frame.locator("#entry")).to_have_text("ab-initio")
        expect(frame.locator("#learner")).to_have_text("Нұрланов, Ерлан")
        expect(frame.locator("#saved")).to_have_text("saved visit 1")
        assert_accessible(learner)
        # The content runs with an opaque origin: it cannot read the page around it.
        origin = learner.frame(url=lambda u: "/content/scorm/" in u).evaluate(  # type: ignore[union-attr]
            "() => { try { return String(window.parent.document.title); } catch (e) { return 'blocked ' + self.origin; } }"
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
