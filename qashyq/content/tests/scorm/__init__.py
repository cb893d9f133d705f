"""Two small SCORM packages written for the tests (one SCORM 1.2, one SCORM 2004 4th edition), each a single
HTML SCO that finds the API the standard way, resumes from its suspend data, and reports completion, a score,
suspend data, location and session time. They are kept as source files and zipped at test time."""

import io
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

HERE = Path(__file__).resolve().parent
PACKAGES = ("scorm12", "scorm2004")


def package_files(name: str) -> dict[str, bytes]:
    """{path in the package: bytes} of the package `name` ("scorm12" or "scorm2004")."""
    root = HERE / name
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def zip_bytes(members: Mapping[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for path, data in members.items():
            archive.writestr(path, data)
    return buffer.getvalue()


def package_bytes(
    name: str,
    *,
    replace: Mapping[str, bytes] | None = None,
    drop: Iterable[str] = (),
    prefix: str = "",
) -> bytes:
    """The package zipped; `replace` changes or adds members, `drop` leaves some out, `prefix` puts everything
    in a folder (a common mistake)."""
    members = package_files(name)
    members.update(replace or {})
    for path in drop:
        members.pop(path, None)
    return zip_bytes({prefix + path: data for path, data in members.items()})


def upload(data: bytes, filename: str = "package.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(filename, data, content_type="application/zip")


def package_upload(name: str, **changes: Any) -> SimpleUploadedFile:
    return upload(package_bytes(name, **changes), f"{name}.zip")


def published_scorm_item(
    name: str = "scorm12", *, teacher: Any = None, student_user: Any = None, period: Any = None
) -> tuple[Any, Any, Any]:
    """A published SCORM item of a course (through the services), its teacher and an enrolled student:
    (item, teacher, enrolment)."""
    from qashyq.accounts.tests.factories import UserFactory
    from qashyq.content.data import CompletionRule, ItemKind
    from qashyq.content.services.items import item_publish
    from qashyq.content.services.scorm import scorm_package_upload
    from qashyq.content.tests.factories import (
        CourseFactory,
        ItemFactory,
        SectionFactory,
        add_staff,
        enrolled_student,
    )

    teacher = teacher or UserFactory(roles=["teacher"])
    section: Any = SectionFactory(course=CourseFactory(period=period)) if period is not None else SectionFactory()
    add_staff(section.course, teacher)
    package = scorm_package_upload(upload=package_upload(name), actor=teacher)
    item: Any = ItemFactory(
        section=section,
        kind=ItemKind.SCORM,
        completion=CompletionRule.SCORM,
        body="",
        scorm_package=package,
        name_kk=f"SCORM сабақ {name}",
    )
    item_publish(actor=teacher, item=item)
    enrolment = enrolled_student(section.course, user=student_user)
    return item, teacher, enrolment
