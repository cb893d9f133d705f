"""Writes of delivery on paper and case technology (rules 2, 8.2): each student's delivery channel, building a
course's case package, and the dispatch and receipt of materials per student.

A case package is a ZIP that a student without a connection can use:

    course.pdf          every published page and assignment description, section by section (WeasyPrint,
                        tagged PDF/UA, fonts that hold every Kazakh letter; formulas stay as TeX text)
    files/              the published files, images of the pages, caption tracks and transcripts of videos
                        and audio, and the recordings themselves up to QASHYQ_CASE_MEDIA_MAX_MB each
    offline/            index.html and one page per item with relative links and its own style sheet: it
                        opens from a disc or a USB stick, without the server and without scripts
    README.txt          what is where, and what was left out

The build runs in a background task (`tasks.case_package_build_task`); it records its progress (`done` of
`total` steps) as it goes, each step committed on its own so that the page polling it sees it.
"""

import logging
import re
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, partial
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qashyq.audit import api as audit_api
from qashyq.content import rules
from qashyq.content.data import (
    Activity,
    AssetPurpose,
    CasePackageStatus,
    DeliveryChannel,
    DispatchChannel,
    ItemKind,
    TrackKind,
)
from qashyq.content.models import Asset, CasePackage, Course, Dispatch, Enrolment
from qashyq.content.permissions.delivery import can_build_case_package, can_manage_delivery
from qashyq.content.selectors.delivery import CaseContents, CaseItem, case_contents, case_package_in_progress
from qashyq.content.storage import clean_name, iter_chunks, store_file, vtt_transcript
from qashyq.core.tasks import enqueue

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "content" / "delivery"
PRINT_CSS = TEMPLATES / "case_print.css"
OFFLINE_CSS = TEMPLATES / "case_offline.css"
# Ready packages whose files are kept per course; older ones keep their row (dispatches name them), not the file.
KEEP_PACKAGE_FILES = 3
# A build that has not moved for this long was interrupted (a worker stopped): a new one may start.
STALE_AFTER = timedelta(minutes=30)
# Progress is written at most this often (and at every milestone): a few writes a second at most.
PROGRESS_EVERY_SECONDS = 0.25
# Already-compressed files are stored as they are in the ZIP (compressing them again only costs time).
_STORED_TYPES = ("image/", "video/", "audio/", "application/zip", "application/pdf", "application/vnd.openxml")
_ASSET_SRC = re.compile(r'src="/content/files/(?P<id>[0-9a-f-]{36})/"')
_ROOT_HREF = re.compile(r'href="/(?!/)')
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _demote_headings(html: str) -> str:
    """A page's own headings under the printed item's title (h3): h1 and h2 become h4, h3 h5, the rest h6."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(max(int(m.group(2)) + 2, 4), 6)}", html)


def media_max_bytes() -> int:
    """Recordings larger than this stay out of the package (their captions and transcripts go in)."""
    return int(float(settings.QASHYQ_CASE_MEDIA_MAX_MB) * 1024 * 1024)


# --- Delivery channel ------------------------------------------------------------------------------


def _refuse_unless_manager(actor: Any) -> None:
    if not can_manage_delivery(user=actor):
        raise PermissionDenied


@transaction.atomic
def enrolment_delivery_set(*, actor: Any, enrolment: Enrolment, delivery: str) -> Enrolment:
    """How a student receives the course: electronically or on paper (case technology)."""
    _refuse_unless_manager(actor)
    if delivery not in DeliveryChannel.values:
        raise ValidationError({"delivery": _("Choose electronic or paper delivery.")})
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not locked.active:
        raise ValidationError({"delivery": _("The enrolment has ended: its delivery cannot change.")})
    if locked.delivery == delivery:
        return locked
    before = locked.delivery
    locked.delivery = delivery
    locked.save(update_fields=["delivery", "updated_at"])
    audit_api.record(
        actor=actor,
        action="content.delivery_changed",
        target=locked,
        before={"delivery": before},
        after={"delivery": delivery, "course_id": locked.course_id, "student_id": locked.student_id},
    )
    enrolment.delivery = delivery
    return locked


# --- Dispatch and receipt ------------------------------------------------------------------------


@transaction.atomic
def dispatch_record(
    *,
    actor: Any,
    enrolment: Enrolment,
    channel: str,
    dispatched_on: date,
    tracking_number: str = "",
    note: str = "",
    package: CasePackage | None = None,
) -> Dispatch:
    """Record that materials were sent to (or handed to) a student who studies on paper."""
    _refuse_unless_manager(actor)
    errors: dict[str, str] = {}
    if not enrolment.active:
        errors["__all__"] = _("The enrolment has ended: nothing can be sent for it.")
    elif enrolment.delivery != DeliveryChannel.PAPER:
        errors["__all__"] = _("The student receives this course electronically: set paper delivery first.")
    if channel not in DispatchChannel.values:
        errors["channel"] = _("Choose how the materials were sent.")
    if dispatched_on > timezone.localdate():
        errors["dispatched_on"] = _("The dispatch date cannot be in the future.")
    tracking_number = " ".join((tracking_number or "").split())
    if len(tracking_number) > 100:
        errors["tracking_number"] = _("The tracking number is longer than 100 characters.")
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = _("The note is longer than 500 characters.")
    if package is not None and (package.course_id != enrolment.course_id or package.status != CasePackageStatus.READY):
        errors["package"] = _("Choose a ready case package of this course.")
    if errors:
        raise ValidationError(errors)
    dispatch = Dispatch.objects.create(
        enrolment=enrolment,
        package=package,
        channel=channel,
        dispatched_on=dispatched_on,
        tracking_number=tracking_number,
        note=note,
        recorded_by=actor,
    )
    audit_api.record(
        actor=actor,
        action="content.dispatch_recorded",
        target=dispatch,
        after={
            "enrolment_id": enrolment.pk,
            "course_id": enrolment.course_id,
            "student_id": enrolment.student_id,
            "channel": channel,
            "dispatched_on": dispatched_on.isoformat(),
            "tracking_number": tracking_number,
            "package_id": package.pk if package else None,
        },
    )
    return dispatch


@transaction.atomic
def dispatch_receive(*, actor: Any, dispatch: Dispatch, received_on: date) -> Dispatch:
    """Record the day the student received what was sent."""
    _refuse_unless_manager(actor)
    locked = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if locked.received_on is not None:
        raise ValidationError(
            {"received_on": _("The receipt was already recorded on %(date)s.") % {"date": locked.received_on}}
        )
    if received_on < locked.dispatched_on:
        raise ValidationError({"received_on": _("The materials cannot be received before they were sent.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    locked.received_on = received_on
    locked.save(update_fields=["received_on", "updated_at"])
    audit_api.record(
        actor=actor,
        action="content.dispatch_received",
        target=locked,
        before={"received_on": None},
        after={"received_on": received_on.isoformat(), "enrolment_id": locked.enrolment_id},
    )
    dispatch.received_on = received_on
    return locked


# --- Case package: request -----------------------------------------------------------------------


@transaction.atomic
def case_package_request(*, actor: Any, course: Course) -> CasePackage:
    """Queue the build of a case package of the course (the one already being built, if any, is returned)."""
    if not can_build_case_package(user=actor, course=course):
        raise PermissionDenied
    Course.objects.select_for_update().filter(pk=course.pk).first()  # one request at a time per course
    running = case_package_in_progress(course=course)
    if running is not None:
        if timezone.now() - running.updated_at < STALE_AFTER:
            return running
        CasePackage.objects.filter(pk=running.pk).update(
            status=CasePackageStatus.FAILED,
            error="interrupted: no progress for 30 minutes",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    package = CasePackage.objects.create(course=course, requested_by=actor, status=CasePackageStatus.QUEUED)
    from qashyq.content.tasks import case_package_build_task

    enqueue(case_package_build_task, package.pk)
    return package


# --- Case package: build ---------------------------------------------------------------------------


@dataclass
class _File:
    path: str  # inside the ZIP
    asset: Asset


@dataclass
class _Entry:
    """One item of the package, ready for the templates."""

    item: CaseItem
    title: str
    kind: str
    kind_label: str
    activity_label: str
    minutes: int
    body_pdf: str
    body_offline: str = ""
    url: str = ""
    file: _File | None = None
    media_left_out: str = ""  # why the recording is not in the package
    tracks: list[dict[str, str]] = field(default_factory=list)
    transcript_path: str = ""
    transcript_text: str = ""
    note: str = ""

    @property
    def page(self) -> str:
        return f"{self.item.slug}.html"

    @property
    def is_video(self) -> bool:
        return self.kind == ItemKind.VIDEO

    @property
    def is_audio(self) -> bool:
        return self.kind == ItemKind.AUDIO


class _Progress:
    def __init__(self, package_id: int, total: int) -> None:
        self.package_id = package_id
        self.total = total
        self.done = 0
        self.written_at = 0.0
        CasePackage.objects.filter(pk=package_id).update(done=0, total=total, updated_at=timezone.now())

    def set_total(self, total: int) -> None:
        self.total = max(total, self.done)
        CasePackage.objects.filter(pk=self.package_id).update(total=self.total, updated_at=timezone.now())

    def step(self, count: int = 1, *, force: bool = False) -> None:
        self.done = min(self.done + count, self.total)
        now = time.monotonic()
        if force or now - self.written_at >= PROGRESS_EVERY_SECONDS:
            self.written_at = now
            CasePackage.objects.filter(pk=self.package_id).update(done=self.done, updated_at=timezone.now())


def _unique(path: str, taken: set[str]) -> str:
    if path not in taken:
        taken.add(path)
        return path
    stem, dot, ext = path.rpartition(".")
    stem, ext = (stem, ext) if dot else (path, "")
    n = 2
    while f"{stem}-{n}{dot}{ext}" in taken:
        n += 1
    path = f"{stem}-{n}{dot}{ext}"
    taken.add(path)
    return path


def _safe_part(name: str) -> str:
    """A file name safe on every disc format: no path separators, no characters Windows refuses."""
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", clean_name(name)).strip(" .") or "file"
    return name[:120]


def _kind_label(kind: str) -> str:
    return str(ItemKind(kind).label) if kind in ItemKind.values else kind


def _activity_label(activity: str) -> str:
    return str(Activity(activity).label) if activity in Activity.values else ""


def _read(asset: Asset) -> bytes:
    with asset.file.open("rb") as handle:
        return handle.read()


class _Builder:
    def __init__(self, package: CasePackage, contents: CaseContents) -> None:
        self.package = package
        self.course = package.course
        self.contents = contents
        self.language = self.course.language or "kk"
        self.files: dict[str, _File] = {}  # asset id → where it lies in the ZIP
        self.taken: set[str] = set()
        self.left_out: list[str] = []
        self.entries: list[_Entry] = []

    # Files ---------------------------------------------------------------------------------------

    def _file(self, asset_id: Any, name: str) -> _File | None:
        key = str(asset_id)
        if key in self.files:
            return self.files[key]
        asset = self.contents.assets.get(key)
        if asset is None:
            return None
        found = _File(path=_unique(f"files/{_safe_part(name)}", self.taken), asset=asset)
        self.files[key] = found
        return found

    def _offline_body(self, html: str) -> str:
        public = settings.QASHYQ_PUBLIC_URL.rstrip("/")

        def image(match: re.Match[str]) -> str:
            found = self.files.get(match.group("id"))
            return f'src="../{found.path}"' if found else 'src="" hidden'

        html = _ASSET_SRC.sub(image, html)
        return _ROOT_HREF.sub(f'href="{public}/', html)

    def entry(self, item: CaseItem) -> _Entry:
        data = item.data
        kind = str(data.get("kind") or "")
        body = rules.sanitize_html(str(data.get("body") or "")) if data.get("body") else ""
        entry = _Entry(
            item=item,
            title=item.title(self.language),
            kind=kind,
            kind_label=_kind_label(kind),
            activity_label=_activity_label(str(data.get("activity") or "")),
            minutes=int(data.get("minutes") or 0),
            body_pdf=_demote_headings(body),
            url=str(data.get("url") or "") if kind == ItemKind.LINK else "",
        )
        for number, image_id in enumerate(rules.body_asset_ids(body), start=1):
            asset = self.contents.assets.get(image_id)
            if asset is not None:
                ext = asset.original_name.rpartition(".")[2] if "." in asset.original_name else "img"
                self._file(image_id, f"{item.slug}-image-{number}.{ext}")
        ref = data.get("asset")
        if isinstance(ref, dict) and ref.get("id"):
            asset = self.contents.assets.get(str(ref["id"]))
            if asset is not None:
                big_media = kind in (ItemKind.VIDEO, ItemKind.AUDIO) and asset.size > media_max_bytes()
                if big_media:
                    entry.media_left_out = _(
                        "The recording (%(size)s) is larger than a case package takes; its captions and "
                        "transcript are included. Ask the administration service for a disc copy."
                    ) % {"size": filesizeformat(asset.size)}
                    self.left_out.append(f"{item.label} {entry.title}: {asset.original_name} ({asset.size} B)")
                else:
                    entry.file = self._file(ref["id"], f"{item.slug}-{asset.original_name}")
        for track in data.get("tracks") or ():
            language = str(track.get("language") or "")
            track_kind = str(track.get("kind") or TrackKind.CAPTIONS)
            found = self._file(track.get("asset_id"), f"{item.slug}-{track_kind}-{language}.vtt")
            if found is None:
                continue
            kind_label = str(TrackKind(track_kind).label) if track_kind in TrackKind.values else track_kind
            entry.tracks.append(
                {"path": found.path, "language": language, "kind": track_kind, "label": f"{kind_label} ({language})"}
            )
        transcript = data.get("transcript")
        if isinstance(transcript, dict) and transcript.get("id"):
            asset = self.contents.assets.get(str(transcript["id"]))
            if asset is not None:
                ext = "vtt" if asset.content_type == "text/vtt" else "txt"
                found = self._file(transcript["id"], f"{item.slug}-transcript.{ext}")
                entry.transcript_path = found.path if found else ""
                raw = _read(asset)
                entry.transcript_text = (
                    vtt_transcript(raw) if asset.content_type == "text/vtt" else raw.decode("utf-8", "replace")
                )
        if not entry.transcript_text and entry.tracks:
            first = self.contents.assets.get(str((data.get("tracks") or [{}])[0].get("asset_id")))
            if first is not None:
                entry.transcript_text = vtt_transcript(_read(first))
        if kind == ItemKind.SCORM:
            entry.note = _("An interactive SCORM package: it works only on the platform.")
        elif kind == ItemKind.TEST:
            entry.note = _("A test: it is taken on the platform or as the administration service arranges.")
        elif kind == ItemKind.CONSULTATION:
            entry.note = _("A consultation with the teacher or tutor.")
        entry.body_offline = self._offline_body(body)
        return entry

    # Parts of the package ------------------------------------------------------------------------

    def context(self) -> dict[str, Any]:
        course = self.course
        sections = []
        by_id = {e.item.id: e for e in self.entries}
        for block in self.contents.sections:
            sections.append(
                {
                    "number": block.number,
                    "name": block.section.name,
                    "summary": block.section.summary,
                    "entries": [by_id[i.id] for i in block.items if i.id in by_id],
                }
            )
        return {
            "course": course,
            "title": course.name,
            "discipline": course.discipline,
            "period": course.period,
            "sections": sections,
            "entries": self.entries,
            "built_on": timezone.localdate(),
            "left_out": self.left_out,
            "lang": self.language,
            "public_url": settings.QASHYQ_PUBLIC_URL.rstrip("/"),
        }

    def pdf(self, context: dict[str, Any]) -> bytes:
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        _cache_page_references()
        html = render_to_string("content/delivery/case_pdf.html", context)
        document = HTML(string=html, base_url=_PDF_BASE, url_fetcher=_AssetFetcher(self.files))
        pdf = document.write_pdf(stylesheets=[_print_css()], font_config=FontConfiguration(), pdf_variant="pdf/ua-1")
        assert pdf is not None
        return pdf

    def offline_page(self, context: dict[str, Any], index: int) -> str:
        entries = self.entries
        return render_to_string(
            "content/delivery/offline_item.html",
            {
                **context,
                "entry": entries[index],
                "previous": entries[index - 1] if index > 0 else None,
                "next": entries[index + 1] if index + 1 < len(entries) else None,
            },
        )


_PDF_BASE = "https://case.qashyq.invalid/"


def _cache_page_references() -> None:
    """pydyf (0.13) rebuilds the tuple of every page's reference each time `PDF.page_references` is read, and
    WeasyPrint's PDF/UA tagging reads it once per tagged element: quadratic in the pages, over half the time
    of a 300-page course. Cache it per page count (pages are only ever appended). Idempotent."""
    import pydyf

    if getattr(pydyf.PDF, "_qashyq_cached_references", False):
        return

    def page_references(self: Any) -> tuple[bytes, ...]:
        kids = self.pages["Kids"]
        cached = self.__dict__.get("_qashyq_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
            self.__dict__["_qashyq_references"] = cached
        return cached[1]

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF._qashyq_cached_references = True


@cache
def _print_css() -> Any:
    from weasyprint import CSS

    return CSS(filename=str(PRINT_CSS))


def _asset_fetcher_base() -> Any:
    from weasyprint import URLFetcher

    return URLFetcher


class _AssetFetcher:
    """Lets WeasyPrint read the page images of the package (our stored files) and data: URIs; nothing from
    the network or the file system."""

    def __init__(self, files: dict[str, _File]) -> None:
        self.files = files
        self._data = _asset_fetcher_base()(allowed_protocols={"data"})

    def fetch(self, url: str, headers: Any = None) -> Any:
        from weasyprint.urls import URLFetcherResponse

        if url.startswith("data:"):
            return self._data.fetch(url, headers)
        parts = urlsplit(url)
        match = re.fullmatch(r"/content/files/([0-9a-f-]{36})/", parts.path)
        if url.startswith(_PDF_BASE) and match and match.group(1) in self.files:
            asset = self.files[match.group(1)].asset
            return URLFetcherResponse(url, _read(asset), {"Content-Type": asset.content_type})
        raise ValueError(f"not fetched: {url}")

    def __call__(self, url: str) -> Any:
        return self.fetch(url)


def _store_compressed(content_type: str) -> bool:
    return not content_type.startswith(_STORED_TYPES)


def _write_package(builder: _Builder, progress: _Progress) -> tuple[IO[bytes], int]:
    """Write the ZIP into a temporary file; returns it (rewound) and its size."""
    spool = tempfile.NamedTemporaryFile(prefix="qashyq-case-", suffix=".zip")  # noqa: SIM115 (closed by the caller)
    with translation.override(builder.language):
        for item in builder.contents.items:
            builder.entries.append(builder.entry(item))
            progress.step()
        # Now the files are known: each copied file, each offline page, the PDF, and storing the ZIP.
        items = len(builder.entries)
        progress.set_total(items + len(builder.files) + items + _pdf_steps(items) + 1)
        context = builder.context()
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for found in builder.files.values():
                compress = zipfile.ZIP_DEFLATED if _store_compressed(found.asset.content_type) else zipfile.ZIP_STORED
                info = zipfile.ZipInfo(found.path, date_time=time.localtime()[:6])
                info.compress_type = compress
                with zf.open(info, "w", force_zip64=found.asset.size > 1_500_000_000) as target:
                    for chunk in iter_chunks(str(found.asset.file.name)):
                        target.write(chunk)
                progress.step()
            zf.writestr("offline/style.css", OFFLINE_CSS.read_text(encoding="utf-8"))
            zf.writestr("offline/index.html", render_to_string("content/delivery/offline_index.html", context))
            for index in range(len(builder.entries)):
                zf.writestr(f"offline/{builder.entries[index].page}", builder.offline_page(context, index))
                progress.step()
            zf.writestr("README.txt", render_to_string("content/delivery/case_readme.txt", context))
            zf.writestr(zipfile.ZipInfo("course.pdf", date_time=time.localtime()[:6]), builder.pdf(context))
            progress.step(_pdf_steps(len(builder.contents.items)), force=True)
    size = spool.tell()
    spool.seek(0)
    return spool, size


def _pdf_steps(items: int) -> int:
    """The PDF is drawn in one go: it weighs as much as half the items (its share of the build's time)."""
    return max(1, items // 2)


def case_package_build(*, package_id: int) -> CasePackage:
    """Build a queued case package (run by the background task). Each progress step commits on its own; the
    finished package (its file, status and audit event) commits in one transaction. A failure is recorded on
    the package (status "failed" and the error) instead of being raised."""
    claimed = CasePackage.objects.filter(pk=package_id, status=CasePackageStatus.QUEUED).update(
        status=CasePackageStatus.BUILDING, updated_at=timezone.now()
    )
    package = CasePackage.objects.select_related("course__discipline", "course__period__year", "requested_by").get(
        pk=package_id
    )
    if not claimed:
        return package  # built, failed or taken by another worker already
    try:
        contents = case_contents(course=package.course)
        items = len(contents.items)
        builder = _Builder(package, contents)
        # Steps: each item prepared, each file copied, each offline page, the PDF, storing (the number of
        # files is known once the items are prepared: until then it is guessed from what they name).
        files_guess = len({a for i in contents.items for a in i.asset_ids()})
        progress = _Progress(package.pk, total=items + files_guess + items + _pdf_steps(items) + 1)
        spool, _size = _write_package(builder, progress)
        with spool, transaction.atomic():
            name = f"{package.course.code}-case-{timezone.localdate():%Y-%m-%d}.zip"
            asset = store_file(
                file=spool,
                name=name,
                purpose=AssetPurpose.CASE_PACKAGE,
                actor=package.requested_by,
                content_type="application/zip",
            )
            package.asset = asset
            package.status = CasePackageStatus.READY
            package.done = package.total = progress.total
            package.error = ""
            package.finished_at = timezone.now()
            package.save(update_fields=["asset", "status", "done", "total", "error", "finished_at", "updated_at"])
            audit_api.record(
                actor=package.requested_by,
                action="content.case_package_built",
                target=package,
                after={
                    "course_id": package.course_id,
                    "items": items,
                    "files": len(builder.files),
                    "left_out": len(builder.left_out),
                    "size": asset.size,
                    "sha256": asset.sha256,
                },
            )
        transaction.on_commit(lambda: case_packages_prune(course_id=package.course_id))
        return package
    except Exception as error:
        logger.exception("case package %s failed", package_id)
        CasePackage.objects.filter(pk=package_id).update(
            status=CasePackageStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        package.refresh_from_db()
        return package


def case_packages_prune(*, course_id: int, keep: int = KEEP_PACKAGE_FILES) -> int:
    """Delete the files of a course's older case packages (each is hundreds of megabytes with the videos),
    keeping the newest `keep`; the package rows stay, as the dispatches that sent them refer to them.
    Returns how many files were deleted."""
    ready = (
        CasePackage.objects.filter(course_id=course_id, status=CasePackageStatus.READY, asset__isnull=False)
        .select_related("asset")
        .order_by("-finished_at", "-pk")
    )
    deleted = 0
    for package in list(ready)[keep:]:
        asset = package.asset
        assert asset is not None
        with transaction.atomic():
            CasePackage.objects.filter(pk=package.pk).update(asset=None, updated_at=timezone.now())
            name, storage = asset.file.name, asset.file.storage
            asset.delete()
            if name:
                transaction.on_commit(partial(storage.delete, name))
        deleted += 1
    return deleted
