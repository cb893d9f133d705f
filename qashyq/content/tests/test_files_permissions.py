"""access_asset: the full matrix of who may download which stored file; and the delivery permissions."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from qashyq.content.data import AssetPurpose, ItemKind, ProgressStatus, StaffRole
from qashyq.content.models import CasePackage, DidacticResource, ItemProgress, ItemTrack, ScormPackage
from qashyq.content.permissions.delivery import (
    access_case_package,
    access_dispatch,
    can_build_case_package,
    can_manage_delivery,
)
from qashyq.content.permissions.files import access_asset
from qashyq.content.storage import store_bytes
from qashyq.content.tests.factories import CourseFactory, ItemFactory, add_staff, enrolled_student
from qashyq.content.tests.files_helpers import MP4, PDF, VTT, publish

pytestmark = pytest.mark.django_db

USERS = (
    "student",  # enrolled in the course
    "ended_student",  # enrolment ended
    "inactive_student",  # enrolled, account switched off
    "other_student",  # enrolled in another course
    "teacher",  # teacher of the course
    "tutor",  # tutor of the course
    "other_teacher",  # teacher of another course
    "administration",
    "head",
    "didactics",
    "it_support",
    "uploader",  # uploaded every file, holds no other link to them
)
DRAFTS = {"teacher", "tutor", "administration", "head", "didactics"}
CATALOGUE = {"teacher", "tutor", "other_teacher", "administration", "head", "didactics"}

EXPECTED = {
    "draft_file": DRAFTS,  # an item's file, never published
    "published_file": DRAFTS | {"student"},
    "replaced_file": DRAFTS,  # in version 1 only; version 2 names another file
    "published_track": DRAFTS | {"student"},
    "published_transcript": DRAFTS | {"student"},
    "draft_track": DRAFTS,  # a track added after publishing
    "page_image": DRAFTS | {"student"},  # an image inside a published page
    "locked_file": DRAFTS,  # published, opens next week
    "prerequisite_file": DRAFTS,  # published, opens after an item the student has not completed
    "prerequisite_done": DRAFTS | {"student"},  # the same, prerequisite completed
    "scorm_zip": DRAFTS,
    "resource": CATALOGUE,
    "case_package": {"teacher", "administration"},
    "orphan": set(),
}


@pytest.fixture
def world(make_user):
    users = {
        name: make_user(name) for name in ("teacher", "tutor", "administration", "head", "didactics", "it_support")
    }
    users["other_teacher"] = make_user("teacher")
    users["uploader"] = make_user()
    course = CourseFactory()
    other_course = CourseFactory(period=course.period)
    add_staff(course, users["teacher"], StaffRole.TEACHER)
    add_staff(course, users["tutor"], StaffRole.TUTOR)
    add_staff(other_course, users["other_teacher"], StaffRole.TEACHER)
    enrolment = enrolled_student(course)
    users["student"] = enrolment.student.user
    ended = enrolled_student(course)
    ended.active = False
    ended.save()
    users["ended_student"] = ended.student.user
    inactive = enrolled_student(course)
    inactive.student.user.is_active = False
    inactive.student.user.save()
    users["inactive_student"] = inactive.student.user
    users["other_student"] = enrolled_student(other_course).student.user

    def stored(name, data=PDF, purpose=AssetPurpose.FILE, content_type="application/pdf"):
        return store_bytes(data=data, name=name, purpose=purpose, actor=users["uploader"], content_type=content_type)

    a = {key: stored(f"{key}.pdf") for key in ("draft_file", "replaced_file", "published_file", "locked_file")}
    a["prerequisite_file"] = stored("p.pdf")
    a["prerequisite_done"] = stored("p2.pdf")
    a["published_track"] = stored("kk.vtt", VTT.encode(), AssetPurpose.CAPTIONS, "text/vtt")
    a["published_transcript"] = stored("t.txt", b"text", AssetPurpose.TRANSCRIPT, "text/plain")
    a["draft_track"] = stored("ru.vtt", VTT.encode(), AssetPurpose.CAPTIONS, "text/vtt")
    a["page_image"] = stored("img.png", b"\x89PNG", AssetPurpose.IMAGE, "image/png")
    a["scorm_zip"] = stored("pkg.zip", b"PK", AssetPurpose.SCORM, "application/zip")
    a["resource"] = stored("book.pdf", PDF, AssetPurpose.RESOURCE)
    a["case_package"] = stored("case.zip", b"PK", AssetPurpose.CASE_PACKAGE, "application/zip")
    a["orphan"] = stored("orphan.pdf")

    teacher = users["teacher"]
    ItemFactory(section__course=course, kind=ItemKind.FILE, asset=a["draft_file"])
    video = ItemFactory(section__course=course, kind=ItemKind.VIDEO, asset=a["replaced_file"])
    publish(video, teacher, asset=a["replaced_file"])
    video.asset = stored("v.mp4", MP4, AssetPurpose.VIDEO, "video/mp4")
    video.transcript = a["published_transcript"]
    video.save()
    ItemTrack.objects.create(item=video, language="kk", asset=a["published_track"])
    publish(video, teacher, asset=video.asset, transcript=a["published_transcript"], tracks=[a["published_track"]])
    ItemTrack.objects.create(item=video, language="ru", asset=a["draft_track"])  # not published yet
    file_item = ItemFactory(section__course=course, kind=ItemKind.FILE, asset=a["published_file"])
    publish(file_item, teacher, asset=a["published_file"])
    page = ItemFactory(section__course=course, body=f'<p><img src="/content/files/{a["page_image"].pk}/" alt=""></p>')
    publish(page, teacher, body=page.body)
    locked = ItemFactory(section__course=course, kind=ItemKind.FILE, asset=a["locked_file"])
    publish(locked, teacher, asset=a["locked_file"], available_from=(timezone.now() + timedelta(days=7)).isoformat())
    first = ItemFactory(section__course=course)
    publish(first, teacher)
    after = ItemFactory(section__course=course, kind=ItemKind.FILE, asset=a["prerequisite_file"], prerequisite=first)
    publish(after, teacher, asset=a["prerequisite_file"], prerequisite_id=first.pk)
    done_first = ItemFactory(section__course=course)
    publish(done_first, teacher)
    ItemProgress.objects.create(item=done_first, enrolment=enrolment, status=ProgressStatus.COMPLETED)
    after_done = ItemFactory(section__course=course, kind=ItemKind.FILE, asset=a["prerequisite_done"])
    publish(after_done, teacher, asset=a["prerequisite_done"], prerequisite_id=done_first.pk)
    package = ScormPackage.objects.create(
        asset=a["scorm_zip"],
        version="1.2",
        identifier="x",
        title="x",
        launch="index.html",
        root="scorm/x",
        uploaded_by=teacher,
    )
    ItemFactory(section__course=course, kind=ItemKind.SCORM, scorm_package=package)
    DidacticResource.objects.create(
        name_kk="Оқулық",
        kind="e_textbook",
        origin="developed",
        media="network",
        status="in_use",
        asset=a["resource"],
        created_by=users["didactics"],
    )
    CasePackage.objects.create(course=course, status="ready", asset=a["case_package"], requested_by=teacher)
    return users, a, course


@pytest.mark.parametrize("asset_key", list(EXPECTED))
def test_access_asset_matrix(world, asset_key):
    users, assets, _ = world
    asset = assets[asset_key]
    seen = set()
    for name, user in users.items():
        try:
            assert access_asset(user=user, asset_id=asset.pk) == asset
        except Http404:
            continue
        seen.add(name)
    assert seen == EXPECTED[asset_key] | {"uploader"}


def test_a_missing_or_malformed_asset_is_404(world):
    users, _, _ = world
    for user in users.values():
        with pytest.raises(Http404):
            access_asset(user=user, asset_id="00000000-0000-4000-8000-000000000000")
        with pytest.raises(Http404):
            access_asset(user=user, asset_id="not-a-uuid")


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    _, assets, _ = world
    for asset in assets.values():
        with pytest.raises(Http404):
            access_asset(user=AnonymousUser(), asset_id=asset.pk)


def test_a_student_loses_the_file_when_unenrolled(world):
    users, assets, course = world
    access_asset(user=users["student"], asset_id=assets["published_file"].pk)
    course.enrolments.filter(student__user=users["student"]).update(active=False)
    with pytest.raises(Http404):
        access_asset(user=users["student"], asset_id=assets["published_file"].pk)


# --- Delivery permissions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "manage", "build_own", "build_other"),
    [
        ("administration", True, True, True),
        ("teacher", False, True, False),
        ("tutor", False, False, False),
        ("other_teacher", False, False, True),
        ("head", False, False, False),
        ("didactics", False, False, False),
        ("it_support", False, False, False),
        ("student", False, False, False),
        ("inactive_admin", False, False, False),
    ],
)
def test_delivery_permissions(make_user, who, manage, build_own, build_other):
    from qashyq.content.models import Dispatch

    course = CourseFactory()
    other_course = CourseFactory(period=course.period)
    teacher, tutor, other_teacher = make_user("teacher"), make_user("tutor"), make_user("teacher")
    add_staff(course, teacher)
    add_staff(course, tutor, StaffRole.TUTOR)
    add_staff(other_course, other_teacher)
    enrolment = enrolled_student(course)
    users = {
        "teacher": teacher,
        "tutor": tutor,
        "other_teacher": other_teacher,
        "student": enrolment.student.user,
        "inactive_admin": make_user("administration", is_active=False),
    }
    user = users.get(who) or make_user(who)
    assert can_manage_delivery(user=user) is manage
    assert can_build_case_package(user=user, course=course) is build_own
    assert can_build_case_package(user=user, course=other_course) is build_other

    own = CasePackage.objects.create(course=course, requested_by=teacher)
    other = CasePackage.objects.create(course=other_course, requested_by=teacher)
    for package, allowed in ((own, build_own), (other, build_other)):
        if allowed:
            assert access_case_package(user=user, package_id=package.pk) == package
        else:
            with pytest.raises(Http404):
                access_case_package(user=user, package_id=package.pk)
    with pytest.raises(Http404):
        access_case_package(user=user, package_id=other.pk + 100)

    dispatch = Dispatch.objects.create(
        enrolment=enrolment, channel="post", dispatched_on=timezone.localdate(), recorded_by=teacher
    )
    if manage:
        assert access_dispatch(user=user, dispatch_id=dispatch.pk) == dispatch
    else:
        with pytest.raises(Http404):
            access_dispatch(user=user, dispatch_id=dispatch.pk)
    with pytest.raises(Http404):
        access_dispatch(user=user, dispatch_id=dispatch.pk + 100)
