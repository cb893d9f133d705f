"""Delivery on paper and case technology: channels, dispatch and receipt records, building a case package."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qashyq.audit.models import Event
from qashyq.content.data import AssetPurpose, CasePackageStatus, DeliveryChannel, ItemKind
from qashyq.content.models import Asset, CasePackage, Dispatch, Enrolment, ItemTrack, ScormPackage
from qashyq.content.services import delivery as services
from qashyq.content.storage import store_bytes
from qashyq.content.tests.factories import CourseFactory, ItemFactory, SectionFactory, add_staff, enrolled_student
from qashyq.content.tests.files_helpers import MP4, PDF, VTT, png, publish
from qashyq.documents.tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user("administration")


@pytest.fixture
def course():
    return CourseFactory(language="kk", name_kk="Ақпараттық жүйелер негіздері")


def events(action):
    return list(Event.objects.filter(action=action).order_by("seq"))


# --- Delivery channel -------------------------------------------------------------------------------


def test_delivery_set_changes_the_channel_and_is_audited(admin, course):
    enrolment = enrolled_student(course)
    services.enrolment_delivery_set(actor=admin, enrolment=enrolment, delivery=DeliveryChannel.PAPER)
    enrolment.refresh_from_db()
    assert enrolment.delivery == DeliveryChannel.PAPER
    [event] = events("content.delivery_changed")
    assert event.before == {"delivery": "electronic"}
    assert event.after["delivery"] == "paper"
    # the same channel again changes nothing and records nothing
    services.enrolment_delivery_set(actor=admin, enrolment=enrolment, delivery=DeliveryChannel.PAPER)
    assert len(events("content.delivery_changed")) == 1


def test_delivery_set_refuses_bad_input_and_other_roles(admin, course, make_user):
    enrolment = enrolled_student(course)
    with pytest.raises(ValidationError) as caught:
        services.enrolment_delivery_set(actor=admin, enrolment=enrolment, delivery="pigeon")
    assert "delivery" in caught.value.message_dict
    teacher = make_user("teacher")
    add_staff(course, teacher)
    with pytest.raises(PermissionDenied):
        services.enrolment_delivery_set(actor=teacher, enrolment=enrolment, delivery=DeliveryChannel.PAPER)
    Enrolment.objects.filter(pk=enrolment.pk).update(active=False)
    enrolment.refresh_from_db()
    with pytest.raises(ValidationError):
        services.enrolment_delivery_set(actor=admin, enrolment=enrolment, delivery=DeliveryChannel.PAPER)
    enrolment.refresh_from_db()
    assert enrolment.delivery == DeliveryChannel.ELECTRONIC
    assert events("content.delivery_changed") == []


# --- Dispatch and receipt -------------------------------------------------------------------------


def test_dispatch_and_receipt_are_recorded_and_audited(admin, course):
    enrolment = enrolled_student(course, delivery=DeliveryChannel.PAPER)
    today = timezone.localdate()
    dispatch = services.dispatch_record(
        actor=admin,
        enrolment=enrolment,
        channel="post",
        dispatched_on=today - timedelta(days=3),
        tracking_number="  RR 123456789 KZ ",
        note="Қазпошта",
    )
    dispatch.refresh_from_db()
    assert (dispatch.channel, dispatch.dispatched_on, dispatch.tracking_number, dispatch.note) == (
        "post",
        today - timedelta(days=3),
        "RR 123456789 KZ",
        "Қазпошта",
    )
    assert dispatch.recorded_by == admin
    assert dispatch.received_on is None
    [recorded] = events("content.dispatch_recorded")
    assert recorded.after["tracking_number"] == "RR 123456789 KZ"
    assert recorded.after["dispatched_on"] == (today - timedelta(days=3)).isoformat()

    services.dispatch_receive(actor=admin, dispatch=dispatch, received_on=today - timedelta(days=1))
    dispatch.refresh_from_db()
    assert dispatch.received_on == today - timedelta(days=1)
    [received] = events("content.dispatch_received")
    assert received.before == {"received_on": None}
    assert received.after["received_on"] == (today - timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("delivery", "channel", "days_ago", "field"),
    [
        (DeliveryChannel.ELECTRONIC, "post", 0, "__all__"),
        (DeliveryChannel.PAPER, "pigeon", 0, "channel"),
        (DeliveryChannel.PAPER, "courier", -1, "dispatched_on"),
    ],
)
def test_dispatch_refusals_store_nothing(admin, course, delivery, channel, days_ago, field):
    enrolment = enrolled_student(course, delivery=delivery)
    with pytest.raises(ValidationError) as caught:
        services.dispatch_record(
            actor=admin,
            enrolment=enrolment,
            channel=channel,
            dispatched_on=timezone.localdate() - timedelta(days=days_ago),
        )
    assert field in caught.value.message_dict
    assert Dispatch.objects.count() == 0
    assert events("content.dispatch_recorded") == []


def test_dispatch_needs_a_ready_package_of_the_same_course(admin, course):
    enrolment = enrolled_student(course, delivery=DeliveryChannel.PAPER)
    other = CasePackage.objects.create(course=CourseFactory(period=course.period), requested_by=admin, status="ready")
    queued = CasePackage.objects.create(course=course, requested_by=admin)
    for package in (other, queued):
        with pytest.raises(ValidationError) as caught:
            services.dispatch_record(
                actor=admin, enrolment=enrolment, channel="disc", dispatched_on=timezone.localdate(), package=package
            )
        assert "package" in caught.value.message_dict
    ready = CasePackage.objects.create(course=course, requested_by=admin, status="ready")
    dispatch = services.dispatch_record(
        actor=admin, enrolment=enrolment, channel="disc", dispatched_on=timezone.localdate(), package=ready
    )
    assert dispatch.package == ready


def test_receipt_refusals(admin, course, make_user):
    enrolment = enrolled_student(course, delivery=DeliveryChannel.PAPER)
    today = timezone.localdate()
    dispatch = services.dispatch_record(
        actor=admin, enrolment=enrolment, channel="courier", dispatched_on=today - timedelta(days=2)
    )
    for received_on in (today - timedelta(days=3), today + timedelta(days=1)):
        with pytest.raises(ValidationError) as caught:
            services.dispatch_receive(actor=admin, dispatch=dispatch, received_on=received_on)
        assert "received_on" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.dispatch_receive(actor=make_user("head"), dispatch=dispatch, received_on=today)
    dispatch.refresh_from_db()
    assert dispatch.received_on is None
    services.dispatch_receive(actor=admin, dispatch=dispatch, received_on=today)
    with pytest.raises(ValidationError):
        services.dispatch_receive(actor=admin, dispatch=dispatch, received_on=today)
    assert len(events("content.dispatch_received")) == 1


# --- Case package ---------------------------------------------------------------------------------


def _asset(name, data, purpose, content_type, actor):
    return store_bytes(data=data, name=name, purpose=purpose, actor=actor, content_type=content_type)


@pytest.fixture
def rich_course(course, make_user):
    """Two sections with a published page (with an image and a formula), file, video (captions, transcript),
    link, assignment and SCORM item; a draft and a too-large video that must not be copied."""
    teacher = make_user("teacher")
    add_staff(course, teacher)
    first = SectionFactory(course=course, position=1, name_kk="1-апта. Кіріспе")
    second = SectionFactory(course=course, position=2, name_kk="2-апта. Деректер")
    SectionFactory(course=course, position=3, name_kk="Бос бөлім")  # nothing published: left out
    image = _asset("сызба.png", png(), AssetPurpose.IMAGE, "image/png", teacher)
    body = (
        f"<h2>Кіріспе</h2><p>Әріптер: ә ғ қ ң ө ұ ү һ і. Формула \\(E = mc^2\\).</p>"
        f'<p><img src="/content/files/{image.pk}/" alt="Сызба"></p><p><a href="/content/courses/">курстар</a></p>'
    )
    page = ItemFactory(section=first, position=1, kind=ItemKind.PAGE, name_kk="Кіріспе дәріс", body=body)
    publish(page, teacher, body=body, images=[str(image.pk)], minutes=30)
    pdf = _asset("Оқулық.pdf", PDF, AssetPurpose.FILE, "application/pdf", teacher)
    file_item = ItemFactory(section=first, position=2, kind=ItemKind.FILE, name_kk="Оқулық", asset=pdf)
    publish(file_item, teacher, asset=pdf, body="<p>Оқулықты оқыңыз.</p>")
    video = _asset("дәріс.mp4", MP4, AssetPurpose.VIDEO, "video/mp4", teacher)
    captions = _asset("kk.vtt", VTT.encode(), AssetPurpose.CAPTIONS, "text/vtt", teacher)
    transcript = _asset("t.txt", "Толық мәтін.".encode(), AssetPurpose.TRANSCRIPT, "text/plain", teacher)
    video_item = ItemFactory(section=first, position=3, kind=ItemKind.VIDEO, name_kk="Бейнедәріс", asset=video)
    ItemTrack.objects.create(item=video_item, language="kk", asset=captions)
    publish(video_item, teacher, asset=video, transcript=transcript, tracks=[captions])
    big = _asset("үлкен.mp4", MP4 * 40, AssetPurpose.VIDEO, "video/mp4", teacher)
    big_captions = _asset("kk2.vtt", VTT.encode(), AssetPurpose.CAPTIONS, "text/vtt", teacher)
    big_item = ItemFactory(section=second, position=1, kind=ItemKind.VIDEO, name_kk="Ұзақ бейне", asset=big)
    publish(big_item, teacher, asset=big, tracks=[big_captions])
    link = ItemFactory(section=second, position=2, kind=ItemKind.LINK, name_kk="Сілтеме", url="https://egov.kz/")
    publish(link, teacher, url="https://egov.kz/")
    task = ItemFactory(section=second, position=3, kind=ItemKind.ASSIGNMENT, name_kk="Тапсырма 1")
    publish(task, teacher, body="<p>Кестені толтырыңыз және тапсырыңыз.</p>")
    scorm_zip = _asset("p.zip", b"PK", AssetPurpose.SCORM, "application/zip", teacher)
    package = ScormPackage.objects.create(
        asset=scorm_zip, version="1.2", identifier="p", title="p", launch="index.html", root="x", uploaded_by=teacher
    )
    scorm = ItemFactory(section=second, position=4, kind=ItemKind.SCORM, name_kk="Интерактив", scorm_package=package)
    publish(scorm, teacher, scorm_package_id=package.pk)
    draft_pdf = _asset("draft.pdf", PDF, AssetPurpose.FILE, "application/pdf", teacher)
    ItemFactory(section=second, position=5, kind=ItemKind.FILE, name_kk="Жоба нұсқа", asset=draft_pdf)
    return teacher, {"image": image, "pdf": pdf, "video": video, "captions": captions, "big": big}


def _zip(package) -> zipfile.ZipFile:
    with package.asset.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_case_package_holds_pdf_files_and_offline_copy(
    rich_course, course, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.QASHYQ_CASE_MEDIA_MAX_MB = 0.01  # ~10 kB: the long video stays out, the short one goes in
    teacher, _assets = rich_course
    with django_capture_on_commit_callbacks(execute=True):
        package = services.case_package_request(actor=teacher, course=course)
    package.refresh_from_db()
    assert package.status == CasePackageStatus.READY, package.error
    assert package.done == package.total > 0
    assert package.percent == 100
    assert package.asset.purpose == AssetPurpose.CASE_PACKAGE
    assert package.asset.content_type == "application/zip"
    assert package.asset.original_name.startswith(course.code)
    zf = _zip(package)
    names = set(zf.namelist())
    assert {"course.pdf", "README.txt", "offline/index.html", "offline/style.css"} <= names
    assert {f"offline/01-0{n}.html" for n in (1, 2, 3)} | {f"offline/02-0{n}.html" for n in (1, 2, 3, 4)} <= names
    assert not any(n.startswith("offline/03") for n in names)  # the empty section is left out
    files = {n for n in names if n.startswith("files/")}
    assert files == {
        "files/01-01-image-1.png",
        "files/01-02-Оқулық.pdf",
        "files/01-03-дәріс.mp4",
        "files/01-03-captions-kk.vtt",
        "files/01-03-transcript.txt",
        "files/02-01-captions-kk.vtt",
    }
    assert zf.read("files/01-02-Оқулық.pdf") == PDF
    assert zf.read("files/01-03-дәріс.mp4") == MP4
    assert zf.read("files/01-01-image-1.png") == png()
    # the draft and the too-large recording are not there; the README says what was left out
    readme = zf.read("README.txt").decode()
    assert "үлкен.mp4" in readme
    # offline pages: relative links only, the image from the files folder, own style sheet, no scripts
    page = zf.read("offline/01-01.html").decode()
    assert 'src="../files/01-01-image-1.png"' in page
    assert "/content/files/" not in page
    assert 'href="style.css"' in page
    assert 'href="index.html"' in page
    assert 'href="01-02.html"' in page
    assert "<script" not in "".join(zf.read(n).decode() for n in names if n.endswith(".html"))
    assert f'href="{settings.QASHYQ_PUBLIC_URL.rstrip("/")}/content/courses/"' in page
    assert "\\(E = mc^2\\)" in page
    video_page = zf.read("offline/01-03.html").decode()
    assert '<video controls preload="metadata" src="../files/01-03-дәріс.mp4">' in video_page
    assert 'src="../files/01-03-captions-kk.vtt"' in video_page
    assert "Толық мәтін." in video_page
    big_page = zf.read("offline/02-01.html").decode()
    assert "<video" not in big_page
    assert "Сәлем, әлем!" in big_page  # the transcript made from the captions
    index = zf.read("offline/index.html").decode()
    for title in ("Кіріспе дәріс", "Оқулық", "Бейнедәріс", "Тапсырма 1", "Интерактив"):
        assert title in index
    assert "Жоба нұсқа" not in index
    # the printed course: every published item in order, Kazakh letters, the assignment's description
    text = pdf_text(zf.read("course.pdf"), tmp_path)
    positions = [text.find(t) for t in ("Кіріспе дәріс", "Оқулық", "Бейнедәріс", "Ұзақ бейне", "Тапсырма 1")]
    assert -1 not in positions
    assert "ә ғ қ ң ө ұ ү һ і" in text
    assert "Кестені толтырыңыз және тапсырыңыз." in text
    assert "E = mc^2" in text
    assert "Жоба нұсқа" not in text
    [event] = events("content.case_package_built")
    assert event.after["items"] == 7
    assert event.after["left_out"] == 1


def test_a_failed_build_is_recorded(rich_course, course, monkeypatch, django_capture_on_commit_callbacks):
    teacher, _ = rich_course

    def broken(self, context):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(services._Builder, "pdf", broken)
    before = Asset.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        package = services.case_package_request(actor=teacher, course=course)
    package.refresh_from_db()
    assert package.status == CasePackageStatus.FAILED
    assert package.error == "RuntimeError: no fonts"
    assert package.asset is None
    assert package.finished_at is not None
    assert Asset.objects.count() == before


def test_request_returns_the_running_build_and_refuses_others(rich_course, course, make_user):
    teacher, _ = rich_course
    first = services.case_package_request(actor=teacher, course=course)  # the task waits for the commit
    assert services.case_package_request(actor=teacher, course=course) == first
    CasePackage.objects.filter(pk=first.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    second = services.case_package_request(actor=teacher, course=course)
    assert second != first
    first.refresh_from_db()
    assert first.status == CasePackageStatus.FAILED
    assert first.error.startswith("interrupted")
    tutor = make_user("tutor")
    add_staff(course, tutor, "tutor")
    for user in (tutor, make_user("head"), make_user("student")):
        with pytest.raises(PermissionDenied):
            services.case_package_request(actor=user, course=course)
    assert CasePackage.objects.count() == 2


def test_a_package_is_built_once(rich_course, course):
    teacher, _ = rich_course
    package = CasePackage.objects.create(course=course, requested_by=teacher)
    assert services.case_package_build(package_id=package.pk).status == CasePackageStatus.READY
    asset_id = CasePackage.objects.get(pk=package.pk).asset_id
    again = services.case_package_build(package_id=package.pk)  # a task delivered twice
    assert again.asset_id == asset_id
    assert Asset.objects.filter(purpose=AssetPurpose.CASE_PACKAGE).count() == 1


def test_an_empty_course_still_builds(course, admin):
    package = CasePackage.objects.create(course=course, requested_by=admin)
    package = services.case_package_build(package_id=package.pk)
    assert package.status == CasePackageStatus.READY, package.error
    zf = _zip(package)
    assert "offline/index.html" in zf.namelist()
    assert re.search(r"course\.pdf", " ".join(zf.namelist()))


def test_only_the_newest_package_files_are_kept(course, admin, settings, django_capture_on_commit_callbacks):
    packages = []
    for _ in range(services.KEEP_PACKAGE_FILES + 2):
        package = CasePackage.objects.create(course=course, requested_by=admin)
        with django_capture_on_commit_callbacks(execute=True):
            packages.append(services.case_package_build(package_id=package.pk))
    names = [p.asset.file.name for p in packages]
    for package in packages:
        package.refresh_from_db()
    kept = [p for p in packages if p.asset_id is not None]
    assert [p.pk for p in kept] == [p.pk for p in packages[-services.KEEP_PACKAGE_FILES :]]
    assert all(p.status == CasePackageStatus.READY for p in packages)
    stored = {str(f.relative_to(settings.MEDIA_ROOT)) for f in settings.MEDIA_ROOT.rglob("*") if f.is_file()}
    assert stored == set(names[-services.KEEP_PACKAGE_FILES :])
    assert Asset.objects.filter(purpose=AssetPurpose.CASE_PACKAGE).count() == services.KEEP_PACKAGE_FILES
