"""Private files: storing uploads after checking their content, and serving them after an access check.

Storing: the content type is read from the bytes (python-magic, with the Office formats told apart by their
`[Content_Types].xml`), never from the name; the name's extension must agree with what the bytes are (an
executable or a web page named ``.pdf`` is refused), sizes are limited by settings, and the SHA-256 is kept.
A refused file stores nothing.

Serving (after the caller's access check): a short-lived presigned URL when the files live in S3; an empty
response with ``X-Accel-Redirect`` when nginx sends the files (``QASHYQ_X_ACCEL_PREFIX``); otherwise a streamed
response that honours a single byte range (video seeking). Only previewable types are ever shown inline; HTML
and SVG never are.
"""

import hashlib
import html
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from typing import IO, Any, cast

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from qashyq.content.models import Asset

# --- What may be stored ----------------------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PPSX = "application/vnd.openxmlformats-officedocument.presentationml.slideshow"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODP = "application/vnd.oasis.opendocument.presentation"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOC = "application/msword"
PPT = "application/vnd.ms-powerpoint"
XLS = "application/vnd.ms-excel"

DOCUMENT_TYPES = frozenset(
    {
        "application/pdf",
        DOCX,
        PPTX,
        PPSX,
        XLSX,
        ODT,
        ODP,
        ODS,
        DOC,
        PPT,
        XLS,
        "application/rtf",
        "text/rtf",
        "text/plain",
        "text/csv",
    }
)
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})  # never SVG: it may hold scripts
VIDEO_TYPES = frozenset({"video/mp4", "video/webm", "video/ogg", "video/quicktime"})
AUDIO_TYPES = frozenset(
    {
        "audio/mpeg",
        "audio/mp4",
        "audio/ogg",
        "audio/webm",
        "audio/wav",
        "audio/x-wav",
        "audio/flac",
        "audio/x-flac",
    }
)
VTT_TYPES = frozenset({"text/vtt"})
ZIP_TYPES = frozenset({"application/zip"})
ALL_TYPES = DOCUMENT_TYPES | IMAGE_TYPES | VIDEO_TYPES | AUDIO_TYPES | VTT_TYPES | ZIP_TYPES

# The extensions a name may carry for each content type read from the bytes.
EXTENSIONS: dict[str, frozenset[str]] = {
    "application/pdf": frozenset({"pdf"}),
    DOCX: frozenset({"docx"}),
    PPTX: frozenset({"pptx"}),
    PPSX: frozenset({"ppsx"}),
    XLSX: frozenset({"xlsx"}),
    ODT: frozenset({"odt"}),
    ODP: frozenset({"odp"}),
    ODS: frozenset({"ods"}),
    DOC: frozenset({"doc"}),
    PPT: frozenset({"ppt", "pps"}),
    XLS: frozenset({"xls"}),
    "application/rtf": frozenset({"rtf"}),
    "text/rtf": frozenset({"rtf"}),
    "text/plain": frozenset({"txt", "text", "csv", "md"}),
    "text/csv": frozenset({"csv", "txt"}),
    "text/vtt": frozenset({"vtt"}),
    "image/png": frozenset({"png"}),
    "image/jpeg": frozenset({"jpg", "jpeg", "jpe"}),
    "image/gif": frozenset({"gif"}),
    "image/webp": frozenset({"webp"}),
    "image/svg+xml": frozenset({"svg"}),
    "video/mp4": frozenset({"mp4", "m4v"}),
    "video/webm": frozenset({"webm", "weba"}),
    "video/ogg": frozenset({"ogv", "ogg"}),
    "video/quicktime": frozenset({"mov", "qt"}),
    "audio/mpeg": frozenset({"mp3", "mpga"}),
    "audio/mp4": frozenset({"m4a", "mp4"}),
    "audio/webm": frozenset({"weba", "webm"}),
    "audio/ogg": frozenset({"ogg", "oga", "opus"}),
    "audio/wav": frozenset({"wav"}),
    "audio/x-wav": frozenset({"wav"}),
    "audio/flac": frozenset({"flac"}),
    "audio/x-flac": frozenset({"flac"}),
    "application/zip": frozenset({"zip"}),
}

# Shown in the browser (Content-Disposition: inline) unless a download is asked for. Never HTML or SVG.
PREVIEW_TYPES = frozenset({"application/pdf", "text/vtt", "text/plain"}) | IMAGE_TYPES | VIDEO_TYPES | AUDIO_TYPES
NEVER_INLINE = frozenset({"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml"})

# Legacy (OLE) Office files: libmagic sometimes names only the container; the extension then tells which.
_OLE_TYPES = frozenset({"application/x-ole-storage", "application/CDFV2", "application/vnd.ms-office"})
_OLE_BY_EXTENSION = {"doc": DOC, "xls": XLS, "ppt": PPT, "pps": PPT}
_TEXT_EXTENSIONS = frozenset({"txt", "text", "csv", "md"})
_OOXML_MAIN = (
    ("wordprocessingml.document.main+xml", DOCX),
    ("presentationml.presentation.main+xml", PPTX),
    ("presentationml.slideshow.main+xml", PPSX),
    ("spreadsheetml.sheet.main+xml", XLSX),
)
_ODF = {ODT: ODT, ODP: ODP, ODS: ODS}
_SNIFF_BYTES = 64 * 1024
_MB = 1024 * 1024


def _extension(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return ext.lower() if dot and _ else ""


def clean_name(name: str) -> str:
    """The last part of an uploaded name, without control characters, at most 255 characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "file"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) < 20 else name[:255]
    return name


def _office_type(stream: IO[bytes]) -> str | None:
    """The Office type of a ZIP-based document (OOXML or OpenDocument), None for any other ZIP."""
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as zf:
            names = set(zf.namelist())
            if "[Content_Types].xml" in names:
                info = zf.getinfo("[Content_Types].xml")
                if info.file_size <= _MB:
                    types = zf.read(info).decode("utf-8", "replace")
                    for marker, mime in _OOXML_MAIN:
                        if marker in types:
                            return mime
            if "mimetype" in names and zf.getinfo("mimetype").file_size <= 200:
                declared = zf.read("mimetype").decode("ascii", "replace").strip()
                return _ODF.get(declared)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError, EOFError):
        return None
    finally:
        stream.seek(0)
    return None


def detect_type(stream: IO[bytes], *, name: str) -> str:
    """The content type of the bytes in `stream` (rewound afterwards). The name only chooses between
    types the bytes cannot tell apart (plain text is plain text whatever its extension claims)."""
    stream.seek(0)
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    mime = magic.from_buffer(head, mime=True) if head else "application/x-empty"
    ext = _extension(name)
    if mime == "application/zip" or mime in _ODF or mime.startswith("application/vnd.openxmlformats"):
        mime = _office_type(stream) or mime
    elif mime in _OLE_TYPES and ext in _OLE_BY_EXTENSION:
        mime = _OLE_BY_EXTENSION[ext]
    elif mime == "text/plain" and ext == "vtt" and head.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
        mime = "text/vtt"
    elif (
        mime.startswith("text/")
        and mime not in NEVER_INLINE
        and mime not in ("text/vtt", "text/rtf")
        and ext in _TEXT_EXTENSIONS
    ):
        # Plain text that libmagic takes for source code (text/x-c, text/x-python…) is still plain text.
        mime = "text/csv" if mime == "text/csv" else "text/plain"
    elif mime == "audio/x-m4a" or (mime == "video/mp4" and ext == "m4a"):
        mime = "audio/mp4"
    elif mime == "video/webm" and ext == "weba":
        mime = "audio/webm"
    return mime


def default_max_mb(content_type: str) -> int:
    """The size limit of a content type: media, ZIP packages, or any other upload."""
    if content_type in VIDEO_TYPES or content_type in AUDIO_TYPES:
        return int(settings.QASHYQ_MEDIA_MAX_MB)
    if content_type in ZIP_TYPES:
        return int(settings.QASHYQ_SCORM_MAX_MB)
    return int(settings.QASHYQ_UPLOAD_MAX_MB)


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _save(*, stream: IO[bytes], name: str, purpose: str, actor: Any, content_type: str, size: int) -> Asset:
    """Write the file and then its row (with the bytes' SHA-256); a failure to write the row removes the file
    again."""
    asset = Asset(
        purpose=purpose,
        original_name=name,
        content_type=content_type,
        size=size,
        sha256=_sha256(stream),
        uploaded_by=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
    )
    asset.file.save(name, File(stream, name=name), save=False)
    try:
        with transaction.atomic():
            asset.save(force_insert=True)
    except BaseException:
        if asset.file.name:
            asset.file.storage.delete(asset.file.name)
        raise
    return asset


def store_upload(
    *,
    upload: Any,
    purpose: str,
    actor: Any,
    allowed: frozenset[str] | None = None,
    max_mb: int | None = None,
    field: str = "file",
) -> Asset:
    """Check an uploaded file (a Django UploadedFile or any named, seekable file) and store it as an Asset.

    Refuses an empty file, a type outside `allowed` (default: every type this module knows), a name whose
    extension does not agree with the bytes, and a file over `max_mb` (default by type: documents and images
    QASHYQ_UPLOAD_MAX_MB, video and audio QASHYQ_MEDIA_MAX_MB, ZIP QASHYQ_SCORM_MAX_MB). A refusal raises
    ValidationError({field: message naming the file}) and stores nothing.
    """
    name = clean_name(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    if not size:
        raise ValidationError({field: _("“%(name)s” is empty.") % {"name": name}})
    stream: IO[bytes] = upload.file if hasattr(upload, "file") and upload.file is not None else upload
    content_type = detect_type(stream, name=name)
    accepted = ALL_TYPES if allowed is None else allowed
    if content_type not in accepted:
        raise ValidationError(
            {
                field: _("“%(name)s” is not a kind of file accepted here: its content is %(type)s.")
                % {"name": name, "type": content_type}
            }
        )
    extensions = EXTENSIONS.get(content_type)
    ext = _extension(name)
    if extensions is not None and ext not in extensions:
        if ext:
            message = _("“%(name)s” is named as a .%(ext)s file, but its content is %(type)s.") % {
                "name": name,
                "ext": ext,
                "type": content_type,
            }
        else:
            message = _("“%(name)s” has no extension; its content is %(type)s (expected .%(expected)s).") % {
                "name": name,
                "type": content_type,
                "expected": sorted(extensions)[0],
            }
        raise ValidationError({field: message})
    limit_mb = max_mb if max_mb is not None else default_max_mb(content_type)
    if size > limit_mb * _MB:
        raise ValidationError(
            {
                field: _("“%(name)s” is %(size)s; the largest file accepted here is %(max)s MB.")
                % {"name": name, "size": filesizeformat(size), "max": limit_mb}
            }
        )
    return _save(stream=stream, name=name, purpose=purpose, actor=actor, content_type=content_type, size=size)


def store_bytes(*, data: bytes, name: str, purpose: str, actor: Any, content_type: str | None = None) -> Asset:
    """Store bytes the platform made itself (a transcript, a small export): no checks but the type, read
    from the bytes unless given."""
    return store_file(file=ContentFile(data), name=name, purpose=purpose, actor=actor, content_type=content_type)


def store_file(*, file: IO[bytes], name: str, purpose: str, actor: Any, content_type: str | None = None) -> Asset:
    """Store a seekable file the platform made itself (a case package written to a temporary file), streamed
    rather than held in memory; the type is read from the bytes unless given."""
    name = clean_name(name)
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(0)
    return _save(
        stream=file,
        name=name,
        purpose=purpose,
        actor=actor,
        content_type=content_type or detect_type(file, name=name),
        size=size,
    )


# --- Serving ---------------------------------------------------------------------------------------

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _is_s3(storage: Any) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        return False
    return isinstance(storage, S3Storage)


class _RangeFile:
    """A file read from `start` for `length` bytes (what FileResponse streams for a 206)."""

    def __init__(self, file: IO[bytes], start: int, length: int) -> None:
        self.file = file
        self.left = length
        file.seek(start)

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        size = self.left if size < 0 else min(size, self.left)
        data = self.file.read(size)
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.file.close()


def _byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) of a single `bytes=` range; None when absent or not understood (send everything);
    False when it cannot be satisfied (416)."""
    match = _RANGE.match(header.strip())
    if not match or not header:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        suffix = int(last)
        if suffix == 0:
            return False
        return max(size - suffix, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return False
    return start, end


def _finish(response: HttpResponseBase, *, disposition: str | None) -> HttpResponse:
    if disposition:
        response["Content-Disposition"] = disposition
    elif "Content-Disposition" in response:  # FileResponse names the file after the storage path
        del response["Content-Disposition"]
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    # A FileResponse is streamed (not an HttpResponse to the type checker); callers only set headers on it.
    return cast(HttpResponse, response)


def _serve(
    *, request: HttpRequest, name: str, content_type: str, filename: str | None, inline: bool, size: int | None = None
) -> HttpResponse:
    storage: Any = default_storage
    disposition = content_disposition_header(not inline, filename) if filename else None
    if _is_s3(storage):
        parameters = {"ResponseContentType": content_type}
        if disposition:
            parameters["ResponseContentDisposition"] = disposition
        url = storage.url(name, parameters=parameters)
        return _finish(HttpResponseRedirect(url), disposition=None)
    prefix = getattr(settings, "QASHYQ_X_ACCEL_PREFIX", "")
    if prefix:
        from urllib.parse import quote

        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name.lstrip("/"))
        return _finish(response, disposition=disposition)
    if size is None:
        size = storage.size(name)
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return _finish(response, disposition=None)
    handle = storage.open(name, "rb")
    streamed: FileResponse
    if isinstance(wanted, tuple):
        first, last = wanted
        streamed = FileResponse(_RangeFile(handle, first, last - first + 1), status=206, content_type=content_type)
        streamed["Content-Range"] = f"bytes {first}-{last}/{size}"
        streamed["Content-Length"] = str(last - first + 1)
    else:
        streamed = FileResponse(handle, content_type=content_type)
        streamed["Content-Length"] = str(size)
    streamed["Accept-Ranges"] = "bytes"
    return _finish(streamed, disposition=disposition)


def shown_inline(content_type: str) -> bool:
    return content_type in PREVIEW_TYPES and content_type not in NEVER_INLINE


def asset_response(*, request: HttpRequest, asset: Asset, download: bool = False) -> HttpResponse:
    """The stored file of `asset` (the caller has checked access), with its original name. Previewable types
    (PDF, images, video, audio, WebVTT, plain text) are shown inline unless `download`; everything else, HTML
    and SVG included, is sent as an attachment."""
    inline = not download and shown_inline(asset.content_type)
    return _serve(
        request=request,
        name=str(asset.file.name),
        content_type=asset.content_type,
        filename=asset.original_name,
        inline=inline,
        size=asset.size,
    )


def stored_response(
    *, request: HttpRequest, name: str, content_type: str, download: bool = False, filename: str | None = None
) -> HttpResponse:
    """A raw path of the default storage (an unpacked SCORM file), sent as `content_type` the caller vouches
    for. Inline unless `download`: the caller adds the sandbox (CSP) its content needs."""
    return _serve(
        request=request,
        name=name,
        content_type=content_type,
        filename=filename or (name.rsplit("/", 1)[-1] if download else None),
        inline=not download,
    )


# --- Archives --------------------------------------------------------------------------------------

_DRIVE = re.compile(r"^[A-Za-z]:")
RATIO_MIN_BYTES = _MB  # smaller members are never a bomb, however well they compress


def zip_members(
    zf: zipfile.ZipFile, *, max_files: int, max_unpacked_bytes: int, max_ratio: int = 100
) -> list[zipfile.ZipInfo]:
    """The file members (directories left out) of an archive that is safe to unpack, or ValidationError naming
    the member: absolute paths and drive letters, "..", backslashes, symbolic links, encrypted members, more
    than `max_files` members, more than `max_unpacked_bytes` declared in all, and a member (of at least 1 MB)
    that unpacks to more than `max_ratio` times its packed size (a ZIP bomb).

    Python's zipfile never unpacks more than a member declares (and checks its CRC), so the declared sizes
    checked here bound what unpacking can write."""
    infos = zf.infolist()
    if len(infos) > max_files:
        raise ValidationError(
            _("The archive holds %(count)d files; at most %(max)d are accepted.")
            % {"count": len(infos), "max": max_files}
        )
    members: list[zipfile.ZipInfo] = []
    total = 0
    for info in infos:
        name = info.filename
        if "\\" in name:
            raise ValidationError(_("“%(member)s” in the archive has a backslash in its path.") % {"member": name})
        if name.startswith("/") or _DRIVE.match(name):
            raise ValidationError(_("“%(member)s” in the archive has an absolute path.") % {"member": name})
        if ".." in name.split("/"):
            raise ValidationError(
                _("“%(member)s” in the archive points outside the archive (“..”).") % {"member": name}
            )
        if "\x00" in name or not name.strip("/"):
            raise ValidationError(_("“%(member)s” in the archive has an invalid name.") % {"member": name})
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ValidationError(_("“%(member)s” in the archive is a symbolic link.") % {"member": name})
        if info.flag_bits & 0x1:
            raise ValidationError(_("“%(member)s” in the archive is encrypted.") % {"member": name})
        if info.is_dir():
            continue
        total += info.file_size
        if total > max_unpacked_bytes:
            raise ValidationError(
                _("The archive unpacks to more than %(max)s (at “%(member)s”).")
                % {"max": filesizeformat(max_unpacked_bytes), "member": name}
            )
        if info.file_size >= RATIO_MIN_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ValidationError(
                _("“%(member)s” in the archive unpacks to %(ratio)d times its packed size; this looks like a ZIP bomb.")
                % {"member": name, "ratio": info.file_size // max(info.compress_size, 1)}
            )
        members.append(info)
    return members


# --- WebVTT ----------------------------------------------------------------------------------------

_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t]+.*)?$")
_TAG = re.compile(r"<[^>]*>")


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _vtt_lines(data: bytes) -> list[str] | None:
    """The lines of a WebVTT file's text, None when it is not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def vtt_check(data: bytes, *, name: str) -> None:
    """ValidationError naming the file and line unless `data` is a WebVTT file with at least one cue whose
    timings are well-formed ("00:00:01.000 --> 00:00:03.000", hours optional) and end after they start."""
    lines = _vtt_lines(data)
    if lines is None:
        raise ValidationError(_("“%(name)s” is not UTF-8 text.") % {"name": name})
    first = lines[0] if lines else ""
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise ValidationError(_("“%(name)s”, line 1: a WebVTT file must begin with “WEBVTT”.") % {"name": name})
    cues = 0
    for number, line in enumerate(lines[1:], start=2):
        if "-->" not in line:
            continue
        match = _TIMING.match(line.strip())
        if not match:
            raise ValidationError(
                _("“%(name)s”, line %(line)d: the cue timing “%(text)s” is not like “00:00:01.000 --> 00:00:03.000”.")
                % {"name": name, "line": number, "text": line.strip()[:80]}
            )
        groups = match.groups()
        start, end = _seconds(*groups[:4]), _seconds(*groups[4:])
        if end <= start:
            raise ValidationError(
                _("“%(name)s”, line %(line)d: the cue ends before it starts.") % {"name": name, "line": number}
            )
        cues += 1
    if not cues:
        raise ValidationError(_("“%(name)s” holds no cues.") % {"name": name})


def vtt_transcript(data: bytes) -> str:
    """The texts of the cues as plain text: one line per cue, tags removed, entities decoded."""
    lines = _vtt_lines(data)
    if lines is None:
        return ""
    cues: list[str] = []
    current: list[str] | None = None
    for line in lines:
        if "-->" in line and _TIMING.match(line.strip()):
            current = []
            cues.append("")
            continue
        if current is None:
            continue
        if not line.strip():
            if current:
                cues[-1] = " ".join(current)
            current = None
            continue
        text = " ".join(html.unescape(_TAG.sub("", line)).split())
        if text:
            current.append(text)
    if current:
        cues[-1] = " ".join(current)
    return "\n".join(cue for cue in cues if cue)


def iter_chunks(name: str, chunk: int = 1024 * 1024) -> Iterator[bytes]:
    """The bytes of a stored file, chunk by chunk (for copying a file into an archive)."""
    with default_storage.open(name, "rb") as handle:
        yield from iter(lambda: handle.read(chunk), b"")
