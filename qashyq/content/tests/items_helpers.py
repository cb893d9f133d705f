"""What the item tests share: a course with its teacher and an enrolled student, real small media files and
uploads, and counters that prove a refusal stored nothing."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from qashyq.accounts.api import Role
from qashyq.accounts.tests.factories import UserFactory
from qashyq.content.data import Activity, ItemKind
from qashyq.content.models import Asset, Course, Enrolment, Item, ItemTrack, ItemVersion, Section
from qashyq.content.services import items as services
from qashyq.content.tests.factories import CourseFactory, SectionFactory, add_staff, enrolled_student
from qashyq.content.tests.files_helpers import EXE, PDF, png

MEDIA = Path(__file__).resolve().parent / "media"
CLIP = MEDIA / "clip.webm"  # 2 s, 160×90, VP8 + Vorbis, made once with ffmpeg (see the e2e test)
CAPTIONS_KK = MEDIA / "captions.kk.vtt"
BROKEN_VTT = MEDIA / "broken.vtt"
FORMULA = r"<p>Пифагор теоремасы: \(a^2 + b^2 = c^2\)</p><p>$$\sum_{i=1}^{n} i = \frac{n(n+1)}{2}$$</p>"


@dataclass
class Place:
    course: Course
    section: Section
    teacher: Any
    student: Any
    enrolment: Enrolment


def make_place() -> Place:
    course: Any = CourseFactory()
    teacher = UserFactory(roles=[Role.TEACHER])
    add_staff(course, teacher)
    student = UserFactory(roles=[Role.STUDENT])
    enrolment = enrolled_student(course, user=student)
    section: Any = SectionFactory(course=course)
    return Place(course=course, section=section, teacher=teacher, student=student, enrolment=enrolment)


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def clip() -> SimpleUploadedFile:
    return upload("clip.webm", CLIP.read_bytes(), "video/webm")


def captions(name: str = "captions.kk.vtt") -> SimpleUploadedFile:
    return upload(name, CAPTIONS_KK.read_bytes(), "text/vtt")


def broken_captions() -> SimpleUploadedFile:
    return upload("broken.vtt", BROKEN_VTT.read_bytes(), "text/vtt")


def pdf(name: str = "lecture.pdf") -> SimpleUploadedFile:
    return upload(name, PDF, "application/pdf")


def exe_as_pdf() -> SimpleUploadedFile:
    return upload("syllabus.pdf", EXE, "application/pdf")


def image(name: str = "scheme.png") -> SimpleUploadedFile:
    return upload(name, png(), "image/png")


def counts() -> dict[str, int]:
    return {
        "assets": Asset.objects.count(),
        "items": Item.objects.count(),
        "versions": ItemVersion.objects.count(),
        "tracks": ItemTrack.objects.count(),
    }


def stored_files(settings: Any) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def new_item(place: Place, kind: str = ItemKind.PAGE, **fields: Any) -> Item:
    values: dict[str, Any] = {"name_kk": "Дәріс", "activity": Activity.INDEPENDENT} | fields
    if kind == ItemKind.PAGE:
        values.setdefault("body", "<p>Мәтін</p>")
    if kind == ItemKind.VIDEO:
        values.setdefault("upload", clip())
    if kind == ItemKind.FILE:
        values.setdefault("upload", pdf())
    if kind == ItemKind.LINK:
        values.setdefault("url", "https://edu.gov.kz/")
    return services.item_create(actor=place.teacher, section=place.section, kind=kind, **values)


def video_with_captions(place: Place, **fields: Any) -> Item:
    item = new_item(place, ItemKind.VIDEO, **fields)
    services.item_track_add(actor=place.teacher, item=item, language="kk", kind="captions", upload=captions())
    return item
