"""DLT enrolment in the browser (issue 5, rules 10–14, 20): a student called up for military service writes an
application with a call-up notice; the administration service returns it with a comment, the student corrects
it, the service accepts it with network technology and approves the individual study plan, builds the order
and its attachments; the head signs it (second factor at sign-in); the student is enrolled and subscribes to
their schedule's iCal feed. Then the refusals (no document, a full-time student for military service, a missing
e-UMK at signing) and the registry with its XLSX export."""

import io
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone, translation
from icalendar import Calendar
from openpyxl import load_workbook
from playwright.sync_api import FilePayload, Page, expect

from qashyq.academics.data import FormOfStudy
from qashyq.accounts.api import Role
from qashyq.accounts.tests.factories import TEST_PASSWORD, UserFactory
from qashyq.demo.dlt import small_pdf
from qashyq.dlt import rules
from qashyq.dlt.data import ApplicationStatus, Category, DltType, DocumentType, PlanStatus
from qashyq.dlt.models import Application, Enrolment, StudyPlan
from qashyq.dlt.services import applications as application_services
from qashyq.dlt.services import orders as order_services
from qashyq.dlt.services import plans as plan_services
from qashyq.dlt.tests.helpers import dlt_world, make_application
from qashyq.documents import services as document_services
from qashyq.records.data import OrderStatus, StudentStatus
from qashyq.records.tests.student_helpers import make_group, make_student
from tests.e2e.support import Account, assert_accessible, kk, path_is, sign_out

MINE = "/dlt/applications/mine/"
QUEUE = "/dlt/applications/"
ORDERS = "/dlt/orders/"
REGISTRY = "/dlt/registry/"
MINIMAL_PDF = b"%PDF-1.7\n%e2e test\n"

JUSTIFICATION = "Мерзімді әскери қызметке шақырылдым; оқуды кейс және желілік технология бойынша жалғастырғым келеді."
CORRECTED = (
    "Мерзімді әскери қызметке 2026 жылғы желтоқсанда шақырылдым (шақыру қағазы қоса беріледі); әскери бөлімде "
    "интернет бар, сондықтан оқуды желілік технология бойынша жалғастырғым келеді."
)
RETURN_COMMENT = "Негіздемеде әскери бөлімге келу күнін және байланыс мүмкіндігін көрсетіңіз."


def _account(user: Any) -> Account:
    """A student account made by the DLT helpers (UserFactory's password, no second factor)."""
    return Account(user=user, username=user.username, email=user.email, password=TEST_PASSWORD)


def _notice_pdf(name: str) -> list[FilePayload]:
    data = small_pdf(["Call-up notice for conscript military service", name, "Department of Defence Affairs"])
    return [{"name": "call-up-notice.pdf", "mimeType": "application/pdf", "buffer": data}]


@pytest.fixture
def fast_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that do not read the issued documents skip WeasyPrint (the live server runs in this process)."""
    monkeypatch.setattr(document_services, "pdf_render", lambda **kwargs: MINIMAL_PDF)


def _open_nav(page: Page, href: str) -> None:
    page.locator(f"header nav a[href='{href}']").click()
    expect(page).to_have_url(path_is(href))
    assert_accessible(page)


def _accepted_in_order(world: Any, admin: Account, *, sign_with: Account | None = None) -> Application:
    """An accepted application of the world's student with an approved plan, in a DLT order (signed when
    `sign_with` is given), through the services."""
    application = make_application(world.student, status=ApplicationStatus.UNDER_REVIEW, reviewer=admin.user)
    application = application_services.application_accept(
        actor=admin.user, application=application, granted_type=DltType.NETWORK
    )
    plan_services.study_plan_approve(actor=admin.user, plan=StudyPlan.objects.get(application=application))
    order = order_services.dlt_order_create(
        actor=admin.user, application_ids=[application.pk], effective_date=timezone.localdate()
    )
    if sign_with is not None:
        order_services.dlt_order_sign(actor=sign_with.user, order_id=order.id)
    return application


def test_military_application_from_draft_to_enrolment(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
    fast_pdf: None,
) -> None:
    world = dlt_world(form_of_study="correspondence")
    student = _account(world.student_user)
    admin = make_account(Role.ADMINISTRATION, first_name="Гүлнар", last_name="Қасымова")
    head = make_account(Role.HEAD, first_name="Ерлан", last_name="Сәтбаев")
    today = timezone.localdate()

    # The student writes the application: military service, a justification, network and case technology.
    sign_in(page, student)
    _open_nav(page, MINE)
    page.locator("#write-application").click()
    expect(page).to_have_url(path_is("/dlt/applications/new/"))
    assert_accessible(page)
    page.locator(f"input[name=category][value={Category.MILITARY}]").check()
    page.locator("#id_justification").fill(JUSTIFICATION)
    page.locator(f"input[name=dlt_types][value={DltType.NETWORK}]").check()
    page.locator(f"input[name=dlt_types][value={DltType.CASE}]").check()
    page.locator("#id_starts_on").fill((today + timedelta(days=5)).isoformat())
    page.locator("#id_ends_on").fill((today + timedelta(days=370)).isoformat())
    page.locator("main form[method=post] [type=submit]").click()
    application = Application.objects.get(student=world.student)
    documents = f"/dlt/applications/{application.pk}/documents/"
    detail = f"/dlt/applications/{application.pk}/"
    expect(page).to_have_url(path_is(documents))
    assert_accessible(page)

    # ... uploads the call-up notice (a real PDF) and submits.
    page.locator("#id_doc_type").select_option(DocumentType.MILITARY)
    page.locator("#id_upload").set_input_files(files=_notice_pdf(world.student.full_name))
    page.locator("#id_issued_on").fill((today - timedelta(days=3)).isoformat())
    page.locator("#id_description").fill("Павлодар қаласының қорғаныс істері басқармасының шақыру қағазы")
    page.locator("main form[enctype] [type=submit]").click()
    expect(page).to_have_url(path_is(documents))
    expect(page.locator("#documents tbody")).to_contain_text("call-up-notice.pdf")
    assert_accessible(page)
    page.locator(f"main a.btn[href='{detail}']").click()
    expect(page).to_have_url(path_is(detail))
    expect(page.locator("#outstanding")).to_have_count(0)
    assert_accessible(page)
    page.locator("#submit [type=submit]").click()
    expect(page).to_have_url(path_is(detail))
    expect(page.locator("#steps [aria-current=step]")).to_contain_text(kk(ApplicationStatus.SUBMITTED.label))
    assert_accessible(page)
    sign_out(page)

    # The administration service takes it up and returns it with a comment.
    sign_in(page, admin)
    _open_nav(page, QUEUE)
    page.locator(f"#applications a[href='{detail}']").click()
    expect(page).to_have_url(path_is(detail))
    assert_accessible(page)
    page.locator("#review [type=submit]").click()
    expect(page.locator("#steps [aria-current=step]")).to_contain_text(kk(ApplicationStatus.UNDER_REVIEW.label))
    expect(page.locator("#checks-pass")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_comment").fill(RETURN_COMMENT)
    page.locator("#review button[value=return]").click()
    expect(page.locator("#application-comment")).to_contain_text(RETURN_COMMENT)
    assert_accessible(page)
    sign_out(page)

    # The student sees the comment, corrects the justification and submits again.
    sign_in(page, student)
    _open_nav(page, MINE)
    expect(page.locator("#notices")).to_contain_text(RETURN_COMMENT)
    page.locator(f"#applications a[href='{detail}']").click()
    expect(page.locator("#application-comment")).to_contain_text(RETURN_COMMENT)
    assert_accessible(page)
    page.locator(f"#actions a[href='{detail}edit/']").click()
    expect(page.locator("#return-comment")).to_contain_text(RETURN_COMMENT)
    assert_accessible(page)
    page.locator("#id_justification").fill(CORRECTED)
    page.locator("main form[method=post] [type=submit]").click()
    expect(page).to_have_url(path_is(detail))
    expect(page.locator("#content")).to_contain_text(CORRECTED)
    page.locator("#submit [type=submit]").click()
    expect(page.locator("#steps [aria-current=step]")).to_contain_text(kk(ApplicationStatus.SUBMITTED.label))
    assert_accessible(page)
    sign_out(page)

    # The administration service accepts it with network technology; the plan and the schedule appear, and it
    # approves the plan.
    sign_in(page, admin)
    page.goto(url(detail))
    page.locator("#review [type=submit]").click()
    expect(page.locator("#id_granted_type")).to_be_visible()
    page.locator("#id_granted_type").select_option(DltType.NETWORK)
    page.locator("#review button[value=accept]").click()
    expect(page.locator("#granted-type")).to_have_text(kk(DltType.NETWORK.label))
    assert_accessible(page)
    plan_url = f"/dlt/applications/{application.pk}/plan/"
    page.locator(f"#actions a[href='{plan_url}']").click()
    expect(page).to_have_url(path_is(plan_url))
    for discipline in world.disciplines:
        expect(page.locator("main")).to_contain_text(discipline.code)
    expect(page.locator("#plan-missing")).to_have_count(0)
    assert_accessible(page)
    page.locator("#approve [type=submit]").click()
    expect(page.locator("#plan-status")).to_have_text(kk(PlanStatus.APPROVED.label))
    expect(page.locator("#plan-approved")).to_contain_text(admin.full_name)
    assert_accessible(page)
    schedule_url = f"/dlt/applications/{application.pk}/schedule/"
    page.locator(f"#actions a[href='{schedule_url}']").click()
    expect(page).to_have_url(path_is(schedule_url))
    expect(page.locator("main table tbody tr").first).to_be_visible()
    assert_accessible(page)

    # ... builds the order from the accepted application: the three attachments are issued in the background,
    # the progress is shown, then a link to each.
    _open_nav(page, ORDERS)
    page.locator(f"main a[href='{ORDERS}new/']").click()
    expect(page).to_have_url(path_is(f"{ORDERS}new/"))
    assert_accessible(page)
    page.locator(f"#application-{application.pk}").check()
    page.locator("#order-form [type=submit]").click()
    enrolment = Enrolment.objects.get(application=application)
    order_url = f"{ORDERS}{enrolment.order_id}/"
    expect(page).to_have_url(path_is(order_url))
    expect(page.locator("#job-progress")).to_have_attribute("data-status", "done")
    expect(page.locator("#job-progress progress")).to_have_attribute("value", "3")
    links = page.locator(f"#enrolment-{enrolment.pk} [data-state=ready] a")
    expect(links).to_have_count(3)
    assert_accessible(page)
    attachment = page.request.get(url(links.first.get_attribute("href") or ""))
    assert attachment.status == 200
    assert attachment.body().startswith(b"%PDF")
    sign_out(page)

    # The head signs it.
    sign_in(page, head)
    page.goto(url(order_url))
    assert_accessible(page)
    page.locator(f"main a[href='{order_url}sign/']").click()
    expect(page).to_have_url(path_is(f"{order_url}sign/"))
    expect(page.locator("#sign-ready")).to_be_visible()
    expect(page.locator("main")).to_contain_text(world.student.full_name)
    assert_accessible(page)
    page.locator("main form[method=post] [type=submit]").click()
    expect(page).to_have_url(path_is(order_url))
    expect(page.locator("#order-status")).to_have_text(kk(OrderStatus.IN_FORCE.label))
    expect(page.locator("#order-documents li")).to_have_count(2)
    assert_accessible(page)
    sign_out(page)

    # The student is enrolled, sees the plan and the schedule, and subscribes to the schedule's iCal feed.
    sign_in(page, student)
    _open_nav(page, MINE)
    expect(page.locator("#applications tbody tr").first).to_contain_text(kk(ApplicationStatus.ENROLLED.label))
    page.locator(f"#applications a[href='{detail}']").click()
    expect(page.locator("#steps")).to_contain_text(kk(ApplicationStatus.ENROLLED.label))
    assert_accessible(page)
    page.locator(f"#actions a[href='{plan_url}']").click()
    expect(page.locator("#plan-status")).to_have_text(kk(PlanStatus.APPROVED.label))
    assert_accessible(page)
    page.locator(f"#actions a[href='{schedule_url}']").click()
    expect(page).to_have_url(path_is(schedule_url))
    assert_accessible(page)
    address = page.locator("#feed-https").input_value()
    assert re.fullmatch(r"https?://[^/]+/dlt/schedule/[\w-]+\.ics", address), address
    expect(page.locator("#feed-webcal")).to_have_attribute("href", re.compile(r"^webcal://"))
    response = page.request.get(url(urlsplit(address).path))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body())
    assert calendar.name == "VCALENDAR"
    assert calendar.walk("VEVENT"), "the feed has no events"

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ENROLLED
    assert [e.status_to for e in application.events.order_by("pk")] == [
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.RETURNED,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.IN_ORDER,
        ApplicationStatus.ENROLLED,
    ]


def test_submission_refusals_name_what_is_wrong(
    page: Page,
    url: Callable[[str], str],
    sign_in: Callable[..., None],
) -> None:
    world = dlt_world(form_of_study="correspondence")
    student = _account(world.student_user)
    today = timezone.localdate()

    # Without a document nothing is submitted: the page names what is missing.
    sign_in(page, student)
    page.goto(url("/dlt/applications/new/"))
    page.locator(f"input[name=category][value={Category.MILITARY}]").check()
    page.locator("#id_justification").fill(JUSTIFICATION)
    page.locator(f"input[name=dlt_types][value={DltType.CASE}]").check()
    page.locator("#id_starts_on").fill((today + timedelta(days=5)).isoformat())
    page.locator("#id_ends_on").fill((today + timedelta(days=370)).isoformat())
    page.locator("main form[method=post] [type=submit]").click()
    application = Application.objects.get(student=world.student)
    detail = f"/dlt/applications/{application.pk}/"
    page.goto(url(detail))
    with translation.override("kk"):
        missing = rules.application_problems(
            justification=JUSTIFICATION,
            dlt_types=[DltType.CASE],
            starts_on=today + timedelta(days=5),
            ends_on=today + timedelta(days=370),
            document_count=0,
        )
        needed = rules.eligibility_problems(category=Category.MILITARY, form_of_study=FormOfStudy.CORRESPONDENCE)
    assert [p.field for p in missing] == ["documents"]
    expect(page.locator("#outstanding")).to_contain_text(missing[0].message)
    assert_accessible(page)
    page.locator("#submit [type=submit]").click()
    errors = page.locator("#application-errors")
    expect(errors).to_contain_text(missing[0].message)
    expect(errors).to_contain_text(needed[0].message)
    expect(errors).to_contain_text(kk(DocumentType.MILITARY.label))
    assert_accessible(page)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    sign_out(page)

    # A full-time student asking for the military category is refused with the rule about the form of study,
    # though the call-up notice is attached.
    full_time = make_group("ИС-25-2", world.programme, form_of_study=FormOfStudy.FULL_TIME, admission_year=2025)
    user = UserFactory(roles=[Role.STUDENT])
    record = make_student(world.programme, group=full_time, status=StudentStatus.ACTIVE, user=user, course_year=1)
    record.form_of_study = FormOfStudy.FULL_TIME
    record.save(update_fields=["form_of_study"])
    draft = make_application(record, status=ApplicationStatus.DRAFT, category=Category.MILITARY)
    with translation.override("kk"):
        refusal = rules.eligibility_problems(
            category=Category.MILITARY, form_of_study=FormOfStudy.FULL_TIME, document_types={DocumentType.MILITARY}
        )
    assert [p.field for p in refusal] == ["category"]
    sign_in(page, _account(user))
    page.goto(url(f"/dlt/applications/{draft.pk}/"))
    expect(page.locator("#outstanding")).to_contain_text(refusal[0].message)
    assert_accessible(page)
    page.locator("#submit [type=submit]").click()
    expect(page.locator("#application-errors")).to_contain_text(refusal[0].message)
    expect(page.locator("#application-errors")).to_contain_text(kk(FormOfStudy.FULL_TIME.label))
    assert_accessible(page)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_an_order_is_not_signed_while_an_eumk_is_missing(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
    fast_pdf: None,
) -> None:
    world = dlt_world(eumk_missing=1)
    admin = make_account(Role.ADMINISTRATION)
    head = make_account(Role.HEAD)
    application = _accepted_in_order(world, admin)
    order_id = Enrolment.objects.get(application=application).order_id
    lacking = world.disciplines[-1]
    sign_url = f"{ORDERS}{order_id}/sign/"

    # The administration service sees the order blocked already when it builds one.
    sign_in(page, head)
    page.goto(url(f"{ORDERS}{order_id}/"))
    expect(page.locator(f"#enrolment-{application.enrolment.pk} [data-state=ready]")).to_have_count(3)
    assert_accessible(page)
    page.locator(f"main a[href='{sign_url}']").click()
    expect(page).to_have_url(path_is(sign_url))
    problems = page.locator("#sign-problems")
    expect(problems).to_contain_text(f"{lacking.code} {lacking.name_kk}")
    expect(problems).to_contain_text(world.student.full_name)
    for discipline in world.disciplines[:-1]:
        expect(problems).not_to_contain_text(discipline.code)
    assert_accessible(page)
    # Signing anyway is refused with the same message, and nothing is signed.
    page.locator("main form[method=post] [type=submit]").click()
    expect(page.locator("#sign-problems")).to_contain_text(f"{lacking.code} {lacking.name_kk}")
    assert_accessible(page)
    page.goto(url(f"{ORDERS}{order_id}/"))
    expect(page.locator("#order-status")).to_have_text(kk(OrderStatus.DRAFT.label))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_ORDER


def test_registry_filters_and_exports_xlsx(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
    fast_pdf: None,
) -> None:
    world = dlt_world()
    admin = make_account(Role.ADMINISTRATION)
    head = make_account(Role.HEAD)
    _accepted_in_order(world, admin, sign_with=head)

    sign_in(page, admin)
    _open_nav(page, REGISTRY)
    rows = page.locator("#registry tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(world.student.full_name)
    # Filtered by another category: nobody; by the student's: the student, with the counts.
    page.locator("#id_category").select_option(Category.EXCHANGE)
    page.locator("main form[method=get] [type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{REGISTRY}\?.*category={Category.EXCHANGE}"))
    expect(page.locator("#registry tbody tr")).to_have_count(1)
    expect(page.locator("#registry tbody")).to_contain_text(kk("No students on DLT match."))
    assert_accessible(page)
    page.locator("#id_category").select_option(Category.MILITARY)
    page.locator("#id_dlt_type").select_option(DltType.NETWORK)
    page.locator("main form[method=get] [type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{REGISTRY}\?.*category={Category.MILITARY}"))
    expect(page.locator("#registry tbody tr")).to_have_count(1)
    expect(page.locator("#registry tbody")).to_contain_text(world.student.full_name)
    expect(page.locator("#by-category tfoot")).to_contain_text("1")
    assert_accessible(page)

    # The export of the filtered list.
    with page.expect_download() as info:
        page.locator(f"main a[href^='{REGISTRY}export.xlsx']").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = download.path()
    assert path is not None
    sheet = load_workbook(io.BytesIO(path.read_bytes()), read_only=True).worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(values) == 2
    assert values[1][0] == world.student.full_name
    assert values[1][4] == kk(Category.MILITARY.label)
