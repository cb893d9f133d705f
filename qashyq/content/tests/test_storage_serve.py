"""asset_response / stored_response: local files with byte ranges, nginx X-Accel-Redirect, S3 presigned URLs."""

import time
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
from django.test import RequestFactory
from moto import mock_aws

from qashyq.content import storage
from qashyq.content.tests.files_helpers import HTML, MP4, PDF, SVG, png, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def rf():
    return RequestFactory()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def _stored(name, data, content_type=None):
    if content_type:
        return storage.store_bytes(data=data, name=name, purpose="file", actor=None, content_type=content_type)
    return storage.store_upload(upload=upload(name, data), purpose="file", actor=None)


def test_a_local_file_is_streamed_whole_with_its_name(rf):
    asset = _stored("Дәріс.pdf", PDF)
    response = storage.asset_response(request=rf.get("/"), asset=asset)
    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''%D0%94%D3%99%D1%80%D1%96%D1%81.pdf"


def test_download_asks_for_an_attachment(rf):
    asset = _stored("notes.pdf", PDF)
    response = storage.asset_response(request=rf.get("/"), asset=asset, download=True)
    assert response["Content-Disposition"] == 'attachment; filename="notes.pdf"'


@pytest.mark.parametrize(
    ("name", "data", "inline"),
    [("a.png", None, True), ("v.mp4", MP4, True), ("doc.docx", b"PK", False), ("p.html", HTML, False)],
)
def test_only_previewable_types_are_inline(rf, name, data, inline):
    content_type = {"doc.docx": storage.DOCX, "p.html": "text/html"}.get(name)
    asset = _stored(name, png() if data is None else data, content_type)
    disposition = storage.asset_response(request=rf.get("/"), asset=asset)["Content-Disposition"]
    assert disposition.startswith("inline;" if inline else "attachment;")


def test_svg_is_never_inline(rf):
    asset = _stored("logo.svg", SVG, "image/svg+xml")
    assert storage.asset_response(request=rf.get("/"), asset=asset)["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=100-", 100, None), ("bytes=-50", None, None), ("bytes=10-999999", 10, None)],
)
def test_a_single_byte_range_gets_206(rf, header, first, last):
    asset = _stored("v.mp4", MP4)
    size = len(MP4)
    response = storage.asset_response(request=rf.get("/", HTTP_RANGE=header), asset=asset)
    if first is None:
        first = size - 50
    if last is None:
        last = size - 1
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{size}"
    assert response["Content-Length"] == str(last - first + 1)
    assert body(response) == MP4[first : last + 1]


def test_a_range_past_the_end_gets_416(rf):
    asset = _stored("v.mp4", MP4)
    response = storage.asset_response(request=rf.get("/", HTTP_RANGE=f"bytes={len(MP4)}-"), asset=asset)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(MP4)}"


def test_several_ranges_get_the_whole_file(rf):
    asset = _stored("v.mp4", MP4)
    response = storage.asset_response(request=rf.get("/", HTTP_RANGE="bytes=0-1,5-9"), asset=asset)
    assert response.status_code == 200
    assert body(response) == MP4


def test_nginx_sends_the_file_after_x_accel_redirect(rf, settings):
    settings.QASHYQ_X_ACCEL_PREFIX = "/media/"
    asset = _stored("Дәріс.pdf", PDF)
    response = storage.asset_response(request=rf.get("/"), asset=asset, download=True)
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/media/{asset.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_stored_response_serves_a_raw_path_inline(rf, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("scorm/abc/index.html", ContentFile(b"<p>SCORM</p>"))
    response = storage.stored_response(request=rf.get("/"), name=name, content_type="text/html")
    assert response.status_code == 200
    assert body(response) == b"<p>SCORM</p>"
    assert response["Content-Type"] == "text/html"
    assert "Content-Disposition" not in response
    settings.QASHYQ_X_ACCEL_PREFIX = "/media"
    assert storage.stored_response(request=rf.get("/"), name=name, content_type="text/html")["X-Accel-Redirect"] == (
        f"/media/{name}"
    )


@pytest.fixture
def s3(settings):
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="qashyq-test")
        settings.S3_BUCKET = "qashyq-test"
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "qashyq-test",
                    "region_name": "us-east-1",
                    "access_key": "testing",
                    "secret_key": "testing",
                    "default_acl": None,
                    "file_overwrite": False,
                    "querystring_auth": True,
                    "querystring_expire": 120,
                },
            },
        }
        yield boto3.client("s3", region_name="us-east-1")


def test_s3_stores_and_redirects_to_a_presigned_url(rf, s3, settings):
    teacher = None
    asset = storage.store_upload(upload=upload("Дәріс.pdf", PDF), purpose="file", actor=teacher)
    stored = s3.get_object(Bucket="qashyq-test", Key=asset.file.name)["Body"].read()
    assert stored == PDF
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.pdf"))

    response = storage.asset_response(request=rf.get("/"), asset=asset, download=True)
    assert response.status_code == 302
    location = urlparse(response["Location"])
    query = parse_qs(location.query)
    assert location.path.endswith(asset.file.name)
    assert query["response-content-disposition"] == ["attachment; filename*=utf-8''%D0%94%D3%99%D1%80%D1%96%D1%81.pdf"]
    assert query["response-content-type"] == ["application/pdf"]
    # short-lived and signed (signature version 2 or 4, whichever the client chose)
    if "X-Amz-Expires" in query:
        assert query["X-Amz-Expires"] == ["120"]
        assert "X-Amz-Signature" in query
    else:
        assert 100 <= int(query["Expires"][0]) - time.time() <= 121
        assert "Signature" in query
