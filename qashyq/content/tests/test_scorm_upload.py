"""Uploading a SCORM package (services/scorm.py scorm_package_upload): what is stored, and every refusal,
which stores nothing (no row, no file)."""

import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from qashyq.audit.models import Event
from qashyq.content.models import Asset, ScormPackage
from qashyq.content.services.scorm import scorm_package_upload
from qashyq.content.tests.scorm import package_bytes, package_files, package_upload, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(make_user: Any) -> Any:
    return make_user("teacher")


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def nothing_stored() -> Iterator[None]:
    """The test's refusal must leave no package, no asset, no file and no audit event behind."""
    before = (ScormPackage.objects.count(), Asset.objects.count(), Event.objects.count(), stored_files())
    yield
    assert (ScormPackage.objects.count(), Asset.objects.count(), Event.objects.count(), stored_files()) == before


def refused(data: bytes, teacher: Any, filename: str = "package.zip") -> str:
    with pytest.raises(ValidationError) as caught:
        scorm_package_upload(upload=upload(data, filename), actor=teacher)
    assert list(caught.value.message_dict) == ["package"]
    return " ".join(caught.value.message_dict["package"])


# --- Accepted packages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "version", "title", "launch"),
    [
        ("scorm12", "1.2", "Сәлемдесу (SCORM 1.2)", "index.html"),
        ("scorm2004", "2004", "Сандар (SCORM 2004)", "content/index.html"),
    ],
)
def test_package_is_stored_and_unpacked(teacher: Any, name: str, version: str, title: str, launch: str) -> None:
    data = package_bytes(name)
    package = scorm_package_upload(upload=upload(data, f"{name}.zip"), actor=teacher)

    package.refresh_from_db()
    files = package_files(name)
    assert package.version == version
    assert package.title == title
    assert package.identifier == f"kz.qashyq.test.{name}"
    assert package.launch == launch
    assert package.root == f"scorm/{package.pk}"
    assert package.file_count == len(files) == 4
    assert package.total_size == sum(len(b) for b in files.values())
    assert package.uploaded_by == teacher
    assert package.manifest["launch"]["path"] == launch
    assert [o["identifier"] for o in package.manifest["organizations"]] == [
        "ORG-GREETINGS" if name == "scorm12" else "ORG-NUMBERS"
    ]
    asset = package.asset
    assert (asset.purpose, asset.content_type, asset.original_name) == ("scorm", "application/zip", f"{name}.zip")
    assert asset.sha256 == hashlib.sha256(data).hexdigest()
    for path, content in files.items():
        with default_storage.open(f"{package.root}/{path}", "rb") as handle:
            assert handle.read() == content
    event = Event.objects.get(action="content.scorm_package_uploaded")
    assert event.after["version"] == version
    assert event.after["files"] == 4


def test_utf8_names_without_the_utf8_flag_are_read_as_written(teacher: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    files = package_files("scorm12")
    files["index.html"] = files["index.html"].replace(b"style.css", "сурет.css".encode())
    files["сурет.css"] = files.pop("style.css")
    manifest = files["imsmanifest.xml"].replace(b'href="style.css"', 'href="сурет.css"'.encode())
    files["imsmanifest.xml"] = manifest
    # What old archivers do: UTF-8 names without the UTF-8 flag (zipfile then reads them as CP437).
    monkeypatch.setattr(zipfile.ZipInfo, "_encodeFilenameFlags", lambda info: (info.filename.encode(), info.flag_bits))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path, content in files.items():
            archive.writestr(path, content)
    monkeypatch.undo()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        assert "сурет.css" not in archive.namelist()
    package = scorm_package_upload(upload=upload(out.getvalue()), actor=teacher)
    assert default_storage.exists(f"{package.root}/сурет.css")


# --- Refusals -----------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("nothing_stored")
def test_not_a_zip(teacher: Any) -> None:
    assert refused(b"%PDF-1.7 not a zip", teacher, "lesson.zip") == (
        "“lesson.zip” is not a ZIP archive: a SCORM package is a .zip file."
    )


@pytest.mark.usefixtures("nothing_stored")
def test_no_manifest(teacher: Any) -> None:
    data = package_bytes("scorm12", drop=["imsmanifest.xml"])
    assert refused(data, teacher) == "The package has no imsmanifest.xml: it is not a SCORM package."


@pytest.mark.usefixtures("nothing_stored")
def test_manifest_in_a_folder(teacher: Any) -> None:
    data = package_bytes("scorm12", prefix="lesson/")
    assert "must be at the root of the package, but it is in “lesson/”" in refused(data, teacher)


@pytest.mark.usefixtures("nothing_stored")
def test_manifest_not_xml(teacher: Any) -> None:
    broken = package_files("scorm12")["imsmanifest.xml"].replace(b"</organizations>", b"</organisations>")
    message = refused(package_bytes("scorm12", replace={"imsmanifest.xml": broken}), teacher)
    assert message.startswith("imsmanifest.xml is not well-formed XML (line 19)")


@pytest.mark.usefixtures("nothing_stored")
def test_unknown_version(teacher: Any) -> None:
    manifest = (
        b'<?xml version="1.0"?><manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1">'
        b"<metadata><schemaversion>CAM 1.1</schemaversion></metadata><organizations/><resources/></manifest>"
    )
    message = refused(package_bytes("scorm12", replace={"imsmanifest.xml": manifest}), teacher)
    assert message == (
        "imsmanifest.xml declares schema version “CAM 1.1”; only SCORM 1.2 and SCORM 2004 are supported."
    )


@pytest.mark.usefixtures("nothing_stored")
def test_no_organization(teacher: Any) -> None:
    manifest = package_files("scorm12")["imsmanifest.xml"]
    start, end = manifest.index(b"<organizations"), manifest.index(b"</organizations>") + len(b"</organizations>")
    data = package_bytes(
        "scorm12", replace={"imsmanifest.xml": manifest[:start] + b"<organizations/>" + manifest[end:]}
    )
    assert refused(data, teacher) == "imsmanifest.xml lists no organization (the structure of the course)."


@pytest.mark.usefixtures("nothing_stored")
def test_no_sco(teacher: Any) -> None:
    manifest = package_files("scorm2004")["imsmanifest.xml"].replace(
        b'adlcp:scormType="sco"', b'adlcp:scormType="asset"'
    )
    message = refused(package_bytes("scorm2004", replace={"imsmanifest.xml": manifest}), teacher)
    assert message.startswith("The organization “Сандар (SCORM 2004)” of imsmanifest.xml has no SCO")


@pytest.mark.usefixtures("nothing_stored")
def test_referenced_file_missing(teacher: Any) -> None:
    data = package_bytes("scorm12", drop=["sco.js"])
    assert refused(data, teacher) == (
        "imsmanifest.xml, line 21: resource “RES-LESSON” names the file “sco.js”, which is not in the package."
    )


@pytest.mark.usefixtures("nothing_stored")
def test_path_escaping_the_package(teacher: Any) -> None:
    data = package_bytes("scorm12", replace={"../evil.html": b"<script>alert(1)</script>"})
    assert refused(data, teacher) == "“../evil.html” in the archive points outside the archive (“..”)."


@pytest.mark.usefixtures("nothing_stored")
def test_zip_bomb(teacher: Any) -> None:
    data = package_bytes("scorm12", replace={"media/zeros.bin": b"\0" * (8 * 1024 * 1024)})
    assert "“media/zeros.bin” in the archive unpacks to" in refused(data, teacher)
    assert "ZIP bomb" in refused(data, teacher)


@pytest.mark.usefixtures("nothing_stored")
def test_too_many_files(teacher: Any, settings: Any) -> None:
    settings.QASHYQ_SCORM_MAX_FILES = 3
    assert refused(package_bytes("scorm12"), teacher) == "The archive holds 4 files; at most 3 are accepted."


@pytest.mark.usefixtures("nothing_stored")
def test_too_large_unpacked(teacher: Any, settings: Any) -> None:
    settings.QASHYQ_SCORM_MAX_UNPACKED_MB = 1
    data = package_bytes("scorm12", replace={"media/film.bin": bytes(range(256)) * 5000})
    message = refused(data, teacher)
    assert message.startswith("The archive unpacks to more than 1")
    assert message.endswith("(at “media/film.bin”).")


@pytest.mark.usefixtures("nothing_stored")
def test_archive_too_large(teacher: Any, settings: Any) -> None:
    settings.QASHYQ_SCORM_MAX_MB = 0
    assert "the largest file accepted here is 0 MB" in refused(package_bytes("scorm12"), teacher, "big.zip")


@pytest.mark.usefixtures("nothing_stored")
def test_a_failure_while_unpacking_removes_what_was_written(teacher: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from qashyq.content.services import scorm as services

    calls: list[str] = []
    real = services._unpack

    def failing(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: str) -> str:
        calls.append(target)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(archive, info, target)

    monkeypatch.setattr(services, "_unpack", failing)
    with pytest.raises(OSError, match="disk full"):
        scorm_package_upload(upload=package_upload("scorm12"), actor=teacher)
    assert len(calls) == 3
