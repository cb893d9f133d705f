"""Small real files for the storage tests: what each format's first bytes look like to libmagic."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qashyq.content.models import ItemVersion

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)
HTML = b"<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 40
VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nСәлем, <b>әлем</b>!\n\n00:04.000 --> 00:00:06.500\nЕкінші &amp; соңғы\n"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def zip_bytes(members: list[tuple[str, bytes]], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()


def ooxml(kind: str) -> bytes:
    """A minimal Office Open XML file; [Content_Types].xml is NOT the first member, as Office often writes it,
    so libmagic alone sees only a ZIP."""
    main = {
        "docx": (
            "word/document.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        ),
        "pptx": (
            "ppt/presentation.xml",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        ),
        "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    }[kind]
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{main[0]}" ContentType="{main[1]}"/></Types>'
    ).encode()
    return zip_bytes([("_rels/.rels", b"<Relationships/>"), (main[0], b"<x/>"), ("[Content_Types].xml", types)])


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def media_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- Published versions, written the way item_publish writes them (interfaces.md) ---------------------


def version_data(item, *, asset=None, transcript=None, tracks=(), body="", **extra):
    def ref(a):
        return None if a is None else {"id": str(a.pk), "name": a.original_name, "type": a.content_type, "size": a.size}

    data = {
        "name_kk": item.name_kk,
        "name_ru": "",
        "name_en": "",
        "kind": item.kind,
        "activity": item.activity,
        "completion": item.completion,
        "minutes": 0,
        "body": body,
        "url": "",
        "asset": ref(asset),
        "transcript": ref(transcript),
        "scorm_package_id": None,
        "tracks": [{"language": "kk", "kind": "captions", "asset_id": str(t.pk)} for t in tracks],
        "available_from": None,
        "available_until": None,
        "prerequisite_id": None,
    }
    data.update(extra)
    return data


def publish(item, by, **data):
    number = item.versions.count() + 1
    version = ItemVersion.objects.create(item=item, number=number, data=version_data(item, **data), published_by=by)
    item.live_version = version
    item.draft_changed = False
    item.save(update_fields=["live_version", "draft_changed"])
    return version
