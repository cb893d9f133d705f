"""The content:asset view: login, access check, inline or attachment, byte ranges, methods."""

import pytest
from django.urls import reverse

from qashyq.content.data import AssetPurpose, ItemKind
from qashyq.content.storage import store_upload
from qashyq.content.tests.factories import CourseFactory, ItemFactory, add_staff, enrolled_student
from qashyq.content.tests.files_helpers import MP4, PDF, publish, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_user):
    teacher = make_user("teacher")
    course = CourseFactory()
    add_staff(course, teacher)
    student = enrolled_student(course).student.user
    video = store_upload(upload=upload("Бейне.mp4", MP4), purpose=AssetPurpose.VIDEO, actor=teacher)
    item = ItemFactory(section__course=course, kind=ItemKind.VIDEO, asset=video)
    publish(item, teacher, asset=video)
    draft = store_upload(upload=upload("draft.pdf", PDF), purpose=AssetPurpose.FILE, actor=teacher)
    ItemFactory(section__course=course, kind=ItemKind.FILE, asset=draft)
    return teacher, student, video, draft


def url(asset, **query):
    base = reverse("content:asset", args=[asset.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_anonymous_is_sent_to_sign_in(client, setup):
    _, _, video, _ = setup
    response = client.get(url(video))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_student_streams_a_published_video_with_ranges(client, setup):
    _, student, video, _ = setup
    client.force_login(student)
    whole = client.get(url(video))
    assert whole.status_code == 200
    assert b"".join(whole.streaming_content) == MP4
    assert whole["Content-Disposition"].startswith("inline;")
    part = client.get(url(video), HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == MP4[4:12]
    assert part["Content-Range"] == f"bytes 4-11/{len(MP4)}"
    download = client.get(url(video, download=1))
    assert download["Content-Disposition"].startswith("attachment;")
    assert client.head(url(video)).status_code == 200


def test_a_student_gets_404_for_a_draft_file_and_a_missing_one(client, setup):
    _, student, _, draft = setup
    client.force_login(student)
    assert client.get(url(draft)).status_code == 404
    assert client.get("/content/files/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_the_teacher_gets_the_draft_file(client, setup):
    teacher, _, _, draft = setup
    client.force_login(teacher)
    response = client.get(url(draft))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_only_get_and_head(client, setup):
    teacher, _, video, _ = setup
    client.force_login(teacher)
    assert client.post(url(video)).status_code == 405


def test_x_accel_redirect_through_the_view(client, setup, settings):
    settings.QASHYQ_X_ACCEL_PREFIX = "/media/"
    _, student, video, _ = setup
    client.force_login(student)
    response = client.get(url(video))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/media/{video.file.name}"
    assert response.content == b""
