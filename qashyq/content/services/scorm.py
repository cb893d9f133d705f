"""Writes of SCORM: uploading a package (validated, stored, unpacked) and the runtime's commits.

A commit is the hot path of a SCORM course (every learner's runtime sends one on each Commit/Terminate and
on autocommit): it is one indexed upsert whose WHERE clause drops a replayed or older commit and whose SET
clause never lowers the status; course progress is touched only when the commit changes what progress
shows. The ticket (who, which item, which session) comes from a signed token, never from the request body.
"""

import posixpath
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.audit import api as audit_api
from qashyq.content import scorm
from qashyq.content.data import AssetPurpose, ProgressStatus
from qashyq.content.models import Enrolment, Item, ScormPackage, ScormRuntime
from qashyq.content.scorm import CommitTicket
from qashyq.content.selectors import scorm as selectors
from qashyq.content.services.progress import progress_record
from qashyq.content.storage import ZIP_TYPES, store_upload, zip_members


def _on_field(error: ValidationError, field: str) -> ValidationError:
    """A refusal (a plain message) on the form's field."""
    return error if hasattr(error, "error_dict") else ValidationError({field: error.messages})


def _logical_name(info: zipfile.ZipInfo) -> str:
    """A member's name as the package's author wrote it: archivers that do not set the UTF-8 flag still
    often write UTF-8 names, which zipfile then reads as CP437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


@transaction.atomic
def scorm_package_upload(*, upload: Any, actor: Any, field: str = "package") -> ScormPackage:
    """Validate a SCORM 1.2 or 2004 package (.zip), store it and unpack it under `scorm/<package id>/`.

    Refused, with a message naming the file, member or manifest line, and nothing stored: not a ZIP; unsafe
    members (paths leaving the package, links, encryption), too many files, too large unpacked or a ZIP
    bomb (FILES' zip_members); no imsmanifest.xml at the root; a manifest that is not XML, holds a DTD or
    entities, or names no known SCORM version; no organization or no SCO to launch; a resource naming a
    file the package lacks. Refusals are ValidationError({field: message}). The manifest's organizations,
    items and resources are kept as JSON.
    """
    try:
        return _package_upload(upload=upload, actor=actor, field=field)
    except ValidationError as error:
        raise _on_field(error, field) from None


def _package_upload(*, upload: Any, actor: Any, field: str) -> ScormPackage:
    name = getattr(upload, "name", "") or "package.zip"
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ValidationError(
            _("“%(name)s” is not a ZIP archive: a SCORM package is a .zip file.") % {"name": name}
        ) from None
    with archive:
        members = zip_members(
            archive,
            max_files=int(settings.QASHYQ_SCORM_MAX_FILES),
            max_unpacked_bytes=int(settings.QASHYQ_SCORM_MAX_UNPACKED_MB) * 1024 * 1024,
        )
        files = {_logical_name(info): info for info in members if not info.is_dir()}
        manifest_name = scorm.find_manifest(files)
        manifest_info = files[manifest_name]
        if manifest_info.file_size > scorm.MAX_MANIFEST_BYTES:
            raise ValidationError(_("%(file)s is larger than %(max)s MB.") % {"file": manifest_name, "max": 10})
        try:
            manifest_bytes = archive.read(manifest_info)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as error:
            raise ValidationError(
                _("%(file)s cannot be read from the archive: %(error)s") % {"file": manifest_name, "error": error}
            ) from None
        manifest = scorm.parse_manifest(manifest_bytes)
        scorm.check_files(manifest, files)

        upload.seek(0)
        asset = store_upload(
            upload=upload,
            purpose=AssetPurpose.SCORM,
            actor=actor,
            allowed=ZIP_TYPES,
            max_mb=int(settings.QASHYQ_SCORM_MAX_MB),
            field=field,
        )
        package = ScormPackage.objects.create(
            asset=asset,
            version=manifest.version,
            identifier=manifest.identifier[:255],
            title=(manifest.title or asset.original_name)[:500],
            launch=manifest.launch,
            manifest=manifest.as_json(),
            root="",
            file_count=len(files),
            total_size=sum(info.file_size for info in files.values()),
            uploaded_by=actor,
        )
        package.root = f"scorm/{package.pk}"
        written: list[str] = []
        try:
            for path, info in files.items():
                written.append(_unpack(archive, info, f"{package.root}/{path}"))
        except BaseException as error:
            for stored in written:
                default_storage.delete(stored)
            default_storage.delete(str(asset.file.name))
            if isinstance(error, (zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError)):
                raise ValidationError(_("“%(name)s” is damaged: %(error)s") % {"name": name, "error": error}) from None
            raise
        package.save(update_fields=["root", "updated_at"])
        audit_api.record(
            actor=actor,
            action="content.scorm_package_uploaded",
            target=package,
            after={
                "asset": str(asset.pk),
                "version": package.version,
                "identifier": package.identifier,
                "title": package.title,
                "launch": package.launch,
                "files": package.file_count,
                "bytes": package.total_size,
                "sha256": asset.sha256,
            },
        )
    return package


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: str) -> str:
    """Copy one member into storage at exactly `target` (zipfile reads no more than the member declares
    and checks its CRC)."""

    def save() -> str:
        with archive.open(info) as source:
            content = File(source, name=posixpath.basename(target))
            content.size = info.file_size
            return default_storage.save(target, content)

    stored = save()
    if stored != target:
        # A stray file from an earlier failed upload held the name: replace it.
        default_storage.delete(stored)
        default_storage.delete(target)
        stored = save()
    return stored


# --- Runtime ----------------------------------------------------------------------------------------------


def _rank_sql(column: str, ranks: dict[str, int]) -> str:
    cases = " ".join(f"WHEN '{value}' THEN {rank}" for value, rank in ranks.items() if rank)
    return f"(CASE {column} {cases} ELSE 0 END)"


def _upsert_sql() -> str:
    table = connection.ops.quote_name(ScormRuntime._meta.db_table)
    columns = [
        "item_id",
        "enrolment_id",
        "cmi",
        "completion_status",
        "success_status",
        "score_raw",
        "score_min",
        "score_max",
        "score_scaled",
        "location",
        "suspend_data",
        "session_time",
        "total_seconds",
        "sessions",
        "sequence",
        "updated_at",
    ]
    placeholders = ", ".join(["%s"] * len(columns))

    def best(column: str, ranks: dict[str, int]) -> str:
        new, old = f"excluded.{column}", f"{table}.{column}"
        return f"CASE WHEN {_rank_sql(new, ranks)} >= {_rank_sql(old, ranks)} THEN {new} ELSE {old} END"

    sets = {
        "cmi": "excluded.cmi",
        "completion_status": best("completion_status", scorm.COMPLETION_RANK),
        "success_status": best("success_status", scorm.SUCCESS_RANK),
        **{c: f"COALESCE(excluded.{c}, {table}.{c})" for c in ("score_raw", "score_min", "score_max", "score_scaled")},
        **{
            c: f"excluded.{c}"
            for c in ("location", "suspend_data", "session_time", "total_seconds", "sessions", "sequence", "updated_at")
        },
    }
    assignments = ", ".join(f"{column} = {expression}" for column, expression in sets.items())
    # Only names of this module and of the model go into the text; every value is a parameter.
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT (enrolment_id, item_id) DO UPDATE SET {assignments} "
        f"WHERE {table}.sequence < excluded.sequence "
        "RETURNING completion_status, success_status, score_raw, score_min, score_max, score_scaled"
    )


_UPSERT: dict[str, str] = {}


def _prep(field_name: str, value: Any) -> Any:
    model_field = ScormRuntime._meta.get_field(field_name)
    assert isinstance(model_field, models.Field)
    return model_field.get_db_prep_save(value, connection)


def _decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass(frozen=True)
class CommitResult:
    applied: bool  # False: a preview (nothing is stored) or a replayed/older commit (nothing changed)
    progress: str  # scorm.progress_key of what course progress shows now; the runtime sends it back next time


@transaction.atomic
def scorm_commit(*, ticket: CommitTicket, sequence: int, cmi: Any, known_progress: str = "") -> CommitResult:
    """Store what the learner's runtime committed.

    `sequence` is scorm-again's commitSequence (1, 2, … within one launch of the SCO); with the session
    number of the ticket it orders every commit of the learner, so a late or repeated one changes nothing.
    The status never goes down (a completed SCO stays completed); a score the commit leaves out keeps the
    stored one; total time is the total at launch plus this session's time. Completed or passed records
    course progress as completed with the score; anything else as viewed. Progress is written on the first
    commit of a session and whenever what it shows differs from `known_progress` (what the answer to the
    runtime's previous commit said; the ticket's snapshot at launch before that) — so a heartbeat commit is
    the upsert alone. A runtime that lies about it can only keep its own progress from being written until
    its next session. Raises scorm.CmiError when the data is not what a SCORM runtime sends.
    """
    known = known_progress or ticket.progress
    if not 1 <= sequence < scorm.SEQUENCE_SPAN:
        raise scorm.CmiError(f"commit sequence {sequence} out of range")
    summary = scorm.summarize_cmi(ticket.version, cmi)
    if ticket.enrolment_id is None:
        return CommitResult(applied=False, progress=known)  # a teacher's preview stores nothing
    now = timezone.now()
    values = [
        ticket.item_id,
        ticket.enrolment_id,
        _prep("cmi", summary.cmi),
        summary.completion_status,
        summary.success_status,
        _prep("score_raw", summary.score_raw),
        _prep("score_min", summary.score_min),
        _prep("score_max", summary.score_max),
        _prep("score_scaled", summary.score_scaled),
        summary.location,
        summary.suspend_data,
        summary.session_time,
        min(ticket.base_seconds + summary.session_seconds, 2**31 - 1),
        ticket.session,
        ticket.session * scorm.SEQUENCE_SPAN + sequence,
        _prep("updated_at", now),
    ]
    sql = _UPSERT.get(connection.vendor) or _UPSERT.setdefault(connection.vendor, _upsert_sql())
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return CommitResult(applied=False, progress=known)  # replayed or older than what is stored
    completion, success = row[0], row[1]
    score = scorm.score_percent(
        raw=_decimal_or_none(row[2]),
        minimum=_decimal_or_none(row[3]),
        maximum=_decimal_or_none(row[4]),
        scaled=_decimal_or_none(row[5]),
    )
    complete = scorm.is_complete(completion, success)
    key = scorm.progress_key(complete=complete, score=score)
    if sequence == 1 or key != known:
        _record_progress(enrolment_id=ticket.enrolment_id, item_id=ticket.item_id, complete=complete, score=score)
    return CommitResult(applied=True, progress=key)


def _record_progress(*, enrolment_id: int, item_id: int, complete: bool, score: Decimal | None) -> None:
    enrolment = Enrolment.objects.filter(pk=enrolment_id, active=True).first()
    item = Item.objects.filter(pk=item_id).only("id", "course_id").first()
    if enrolment is None or item is None:
        return  # the enrolment ended since the launch: the package's data is kept, progress is not
    progress_record(
        enrolment=enrolment,
        item=item,
        status=ProgressStatus.COMPLETED if complete else ProgressStatus.VIEWED,
        score=score,
    )


# --- The gradebook's hook -----------------------------------------------------------------------------------


def scorm_score(*, enrolment_id: int, item_id: int) -> Decimal | None:
    """The score (a percentage, 0–100) the SCORM package of `item_id` last reported for the enrolment, or
    None when it reported none. The gradebook calls this (or `scorm_scores`) to take SCORM results."""
    return selectors.scorm_scores(item_id=item_id, enrolment_ids=[enrolment_id]).get(enrolment_id)


def scorm_scores(*, item_id: int) -> dict[int, Decimal]:
    """{enrolment id: score percentage} of every learner the SCORM package of `item_id` reported a score for."""
    return selectors.scorm_scores(item_id=item_id)
