"""store_upload / store_bytes: the type read from the bytes, the name agreeing with it, sizes, nothing stored
on a refusal."""

import hashlib
import os

import pytest
from django.core.exceptions import ValidationError

from qashyq.content import storage
from qashyq.content.models import Asset
from qashyq.content.tests.files_helpers import EXE, HTML, MP4, PDF, SVG, VTT, media_files, ooxml, png, upload, zip_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(make_user):
    return make_user("teacher")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("Дәріс 1.pdf", PDF, "application/pdf"),
        ("сурет.png", None, "image/png"),
        ("бейне.mp4", MP4, "video/mp4"),
        ("жазба.vtt", VTT.encode(), "text/vtt"),
        ("есеп.docx", ooxml("docx"), storage.DOCX),
        ("слайдтар.pptx", ooxml("pptx"), storage.PPTX),
        ("кесте.xlsx", ooxml("xlsx"), storage.XLSX),
        ("notes.txt", b"def f():\n    return 1\n", "text/plain"),
        ("package.zip", zip_bytes([("index.html", b"<p>hi</p>")]), "application/zip"),
    ],
)
def test_store_upload_reads_the_type_from_the_bytes(teacher, settings, name, data, expected):
    data = png() if data is None else data
    asset = storage.store_upload(upload=upload(name, data), purpose="file", actor=teacher)
    asset.refresh_from_db()
    assert asset.content_type == expected
    assert asset.original_name == name
    assert asset.size == len(data)
    assert asset.sha256 == hashlib.sha256(data).hexdigest()
    assert asset.uploaded_by == teacher
    assert asset.purpose == "file"
    # stored under a name of its own, never the uploaded one
    assert name not in asset.file.name
    assert asset.file.name.startswith(f"content/file/{asset.pk.hex[:2]}/")
    with asset.file.open("rb") as handle:
        assert handle.read() == data
    assert media_files(settings) == [asset.file.name]


def test_store_upload_keeps_only_the_last_part_of_a_path(teacher):
    asset = storage.store_upload(upload=upload("C:\\Users\\x\\..\\лекция.pdf", PDF), purpose="file", actor=teacher)
    assert asset.original_name == "лекция.pdf"


def _refused(settings, **kwargs) -> str:
    before_rows, before_files = Asset.objects.count(), media_files(settings)
    with pytest.raises(ValidationError) as caught:
        storage.store_upload(purpose="file", **kwargs)
    assert Asset.objects.count() == before_rows
    assert media_files(settings) == before_files
    field = kwargs.get("field", "file")
    assert list(caught.value.message_dict) == [field]
    return caught.value.message_dict[field][0]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("оқулық.pdf", EXE, ["оқулық.pdf", ".pdf", "application/x-dosexec"]),
        ("оқулық.pdf", HTML, ["оқулық.pdf", ".pdf", "text/html"]),
        ("лекция.docx", PDF, ["лекция.docx", ".docx", "application/pdf"]),
        ("slides.pptx", ooxml("docx"), ["slides.pptx", storage.DOCX]),
        ("video.mp4", PDF, ["video.mp4", "application/pdf"]),
        ("noextension", PDF, ["noextension", "application/pdf", ".pdf"]),
    ],
)
def test_a_name_that_lies_about_the_content_is_refused(teacher, settings, name, data, words):
    message = _refused(settings, upload=upload(name, data), actor=teacher)
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    ("name", "data", "detected"),
    [("run.exe", EXE, "application/x-dosexec"), ("page.html", HTML, "text/html"), ("logo.svg", SVG, "image/svg+xml")],
)
def test_executables_pages_and_svg_are_never_accepted_by_default(teacher, settings, name, data, detected):
    message = _refused(settings, upload=upload(name, data), actor=teacher)
    assert name in message
    assert detected in message


def test_a_type_outside_allowed_is_refused_with_the_field_named(teacher, settings):
    message = _refused(
        settings,
        upload=upload("lecture.pdf", PDF),
        actor=teacher,
        allowed=storage.VIDEO_TYPES,
        field="video",
    )
    assert "lecture.pdf" in message
    assert "application/pdf" in message


def test_an_empty_file_is_refused(teacher, settings):
    message = _refused(settings, upload=upload("бос.pdf", b""), actor=teacher)
    assert "бос.pdf" in message


def test_size_limits_come_from_settings_by_type(teacher, settings):
    settings.QASHYQ_UPLOAD_MAX_MB = 1
    settings.QASHYQ_MEDIA_MAX_MB = 2
    settings.QASHYQ_SCORM_MAX_MB = 1
    big_pdf = PDF + b"0" * (1024 * 1024)
    message = _refused(settings, upload=upload("үлкен.pdf", big_pdf), actor=teacher)
    assert "үлкен.pdf" in message
    assert "1 MB" in message
    # the same size is fine for a video (QASHYQ_MEDIA_MAX_MB)
    video = MP4 + b"\x00" * (1024 * 1024 + 100)
    assert storage.store_upload(upload=upload("v.mp4", video), purpose="video", actor=teacher).size == len(video)
    too_big_video = MP4 + b"\x00" * (2 * 1024 * 1024)
    message = _refused(settings, upload=upload("v2.mp4", too_big_video), actor=teacher)
    assert "v2.mp4" in message
    assert "2 MB" in message
    big_zip = zip_bytes([("a.bin", bytes(range(256)) * 4200 + os.urandom(1024 * 1024))])
    message = _refused(settings, upload=upload("p.zip", big_zip), actor=teacher)
    assert "p.zip" in message


def test_max_mb_given_by_the_caller_wins(teacher, settings):
    message = _refused(settings, upload=upload("a.pdf", PDF + b"0" * 2000), actor=teacher, max_mb=0)
    assert "a.pdf" in message


def test_store_bytes_keeps_what_it_is_given(teacher, settings):
    data = zip_bytes([("course.pdf", PDF)])
    asset = storage.store_bytes(data=data, name="case.zip", purpose="case_package", actor=teacher)
    assert (asset.content_type, asset.size, asset.original_name) == ("application/zip", len(data), "case.zip")
    assert asset.sha256 == hashlib.sha256(data).hexdigest()
    given = storage.store_bytes(data=b"x", name="t.txt", purpose="transcript", actor=None, content_type="text/plain")
    assert given.content_type == "text/plain"
    assert given.uploaded_by is None
    assert len(media_files(settings)) == 2
