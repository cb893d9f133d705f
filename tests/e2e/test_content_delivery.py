"""Case technology: the administration service moves a student to paper delivery, builds the course's case
package and watches its progress bar (htmx polling) until the package is ready, downloads it, then records the
dispatch to the student and its receipt. Every page passes axe."""

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from qashyq.accounts.api import Role
from qashyq.content.data import CasePackageStatus, DeliveryChannel
from qashyq.content.models import CasePackage, Dispatch
from qashyq.content.services import delivery as delivery_services
from qashyq.content.tests.factories import CourseFactory, ItemFactory, SectionFactory, enrolled_student
from qashyq.content.tests.files_helpers import publish
from tests.e2e.support import Account, assert_accessible, path_is


def test_paper_delivery_case_package_dispatch_and_receipt(
    page: Page,
    url: Callable[[str], str],
    make_account: Callable[..., Account],
    sign_in: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    administration = make_account(Role.ADMINISTRATION, first_name="Гүлнар", last_name="Байжанова")
    course = CourseFactory(code="INF-201", name_kk="Деректер қоры", name_en="Databases")
    section = SectionFactory(course=course, position=1, name_kk="1-апта. Кіріспе")
    for position, title in enumerate(("Реляциялық модель", "SQL тілі", "Тапсырма: кесте құру"), start=1):
        item = ItemFactory(section=section, position=position, name_kk=title)
        publish(item, course.created_by, body=f"<p>{title}: ә ғ қ ң ө ұ ү һ і</p>")
    enrolment = enrolled_student(course)
    student = enrolment.student
    # The build is left to this test (as a worker would run it), so that the page really polls for it.
    queued: list[int] = []
    monkeypatch.setattr(delivery_services, "enqueue", lambda task, package_id: queued.append(package_id))

    # The delivery page: the student studies electronically; the administration service moves them to paper.
    sign_in(page, administration)
    delivery = f"/content/courses/{course.pk}/delivery/"
    page.goto(url(delivery))
    assert_accessible(page)
    row = page.locator("#course-delivery tbody tr", has_text=student.last_name)
    expect(row.locator("select[name=delivery]")).to_have_value(DeliveryChannel.ELECTRONIC)
    row.locator("select[name=delivery]").select_option(DeliveryChannel.PAPER)
    row.locator("button[type=submit]").click()
    expect(page).to_have_url(path_is(delivery))
    expect(row.locator("select[name=delivery]")).to_have_value(DeliveryChannel.PAPER)
    expect(row.locator(f"a[href='/content/enrolments/{enrolment.pk}/dispatch/']")).to_be_visible()
    assert_accessible(page)
    enrolment.refresh_from_db()
    assert enrolment.delivery == DeliveryChannel.PAPER

    # The case package: build it and watch the progress bar until it is ready.
    case = f"/content/courses/{course.pk}/case/"
    page.locator(f"main a[href='{case}']").click()
    expect(page).to_have_url(path_is(case))
    assert_accessible(page)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(path_is(case))
    status = page.locator(".qh-case-status")
    expect(status).to_have_attribute("data-status", CasePackageStatus.QUEUED)
    expect(status).to_have_attribute("hx-trigger", "every 2s")
    expect(status.locator("progress")).to_have_attribute("value", "0")
    assert_accessible(page)
    assert len(queued) == 1
    package = delivery_services.case_package_build(package_id=queued[0])  # what the worker does
    assert package.status == CasePackageStatus.READY, package.error
    # The next poll brings the finished bar and the download link, and polling stops.
    expect(status).to_have_attribute("data-status", CasePackageStatus.READY, timeout=10_000)
    expect(status.locator("progress")).to_have_attribute("value", "100")
    expect(status).not_to_have_attribute("hx-trigger", "every 2s")
    download_link = status.locator(f"a[href='/content/files/{package.asset_id}/?download=1']")
    expect(download_link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == package.asset.original_name
    archive = zipfile.ZipFile(io.BytesIO(_read(download)))
    assert {"course.pdf", "offline/index.html", "offline/01-03.html"} <= set(archive.namelist())
    assert "Тапсырма: кесте құру" in archive.read("offline/01-03.html").decode()

    # The dispatch by post with a tracking number, then its receipt.
    page.goto(url(delivery))
    row = page.locator("#course-delivery tbody tr", has_text=student.last_name)
    row.locator(f"a[href='/content/enrolments/{enrolment.pk}/dispatch/']").click()
    expect(page).to_have_url(path_is(f"/content/enrolments/{enrolment.pk}/dispatch/"))
    assert_accessible(page)
    expect(page.locator("#id_dispatched_on")).to_have_value(timezone.localdate().isoformat())
    expect(page.locator("#id_package")).to_have_value(str(package.pk))
    page.locator("#id_channel").select_option("post")
    page.locator("#id_tracking_number").fill("RR123456789KZ")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(path_is(delivery))
    expect(row).to_contain_text("RR123456789KZ")
    assert_accessible(page)
    dispatch = Dispatch.objects.get()
    assert (dispatch.enrolment_id, dispatch.package_id, dispatch.channel) == (enrolment.pk, package.pk, "post")
    row.locator(f"a[href='/content/dispatches/{dispatch.pk}/receive/']").click()
    expect(page).to_have_url(path_is(f"/content/dispatches/{dispatch.pk}/receive/"))
    assert_accessible(page)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(path_is(delivery))
    expect(row.locator(f"a[href='/content/dispatches/{dispatch.pk}/receive/']")).to_have_count(0)
    assert_accessible(page)
    dispatch.refresh_from_db()
    assert dispatch.received_on == timezone.localdate()
    assert CasePackage.objects.get().status == CasePackageStatus.READY


def _read(download: Any) -> bytes:
    with open(download.path(), "rb") as handle:
        return handle.read()
