"""Import of question files into a bank (all or nothing, after a preview) and export of a bank.

`import_prepare` reads the file, checks every question (`rules.questions.problems`), flags questions the
bank already has (same fingerprint), and keeps the bytes under a random token (`ImportJob`, in the
database: the confirmation may come to another worker). Nothing is added to the bank. `import_confirm`
reads the file again and, only when no problem remains, adds its topics, images and questions in one
transaction with bulk inserts, and writes one audit event. `bank_export` writes the bank's questions in
GIFT, Moodle XML or QTI 2.1, its images attached.
"""

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from qashyq.assessment.formats import registry
from qashyq.assessment.formats.common import ExportQuestion, ParsedImage, ParsedQuestion, ParseResult, Problem
from qashyq.assessment.models import Bank, Category, Image, ImportJob, Question, QuestionVersion
from qashyq.assessment.permissions.banks import can_edit_bank
from qashyq.assessment.rules import questions as rules
from qashyq.assessment.services.banks import check_question, clean_path
from qashyq.audit import api as audit_api
from qashyq.content import api as content_api

MAX_BYTES = 20 * 1024 * 1024
JOB_LIFETIME = timedelta(days=1)
BATCH = 2000


@dataclass
class ImportPreview:
    """What a file holds, before anything is saved. `questions` are checked and sanitized; `duplicates`
    maps a question's index to the id of the bank's question it repeats."""

    token: str
    filename: str
    fmt: str
    questions: list[ParsedQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    duplicates: dict[int, int] = field(default_factory=dict)
    fingerprints: list[str] = field(default_factory=list)  # of each question ("" when it has problems)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.questions)

    @property
    def count(self) -> int:
        return len(self.questions)


def _require_editor(actor: Any, bank: Bank) -> None:
    if actor is not None and not can_edit_bank(user=actor, bank=bank):
        raise PermissionDenied(_("You may not change this question bank."))


def _options(fmt: str, options: dict[str, Any]) -> dict[str, Any]:
    """The options kept with an import: whether <question2>/<question3> mean difficulty, the target topic."""
    kept: dict[str, Any] = {"category": clean_path(str(options.get("category") or ""))}
    if "difficulty_tags" in options:
        kept["difficulty_tags"] = bool(options["difficulty_tags"])
    return kept


def _analyse(*, bank: Bank, fmt: str, filename: str, content: bytes, options: dict[str, Any]) -> ImportPreview:
    """Parse and check the file; the questions come back sanitized, with their target topics."""
    parse_options = {k: v for k, v in options.items() if k != "category"}
    result: ParseResult = registry.parse(fmt, content, filename=filename, **parse_options)
    preview = ImportPreview(
        token="", filename=filename, fmt=fmt, problems=list(result.problems), warnings=list(result.warnings)
    )
    target = str(options.get("category") or "")
    fingerprints: list[str] = []
    for parsed in result.questions:
        image_names = {image.name for image in parsed.images}
        try:
            values = check_question(
                qtype=parsed.type,
                stem=parsed.stem,
                data=parsed.data,
                category_path="/".join(p for p in (target, parsed.category) if p),
                difficulty=parsed.difficulty,
                points=parsed.points,
                name=parsed.name[:300],
                feedback=parsed.feedback,
                language=parsed.language or "kk",
            )
        except ValidationError as error:
            for messages in error.message_dict.values():
                for message in messages:
                    preview.problems.append(Problem(file=filename, line=parsed.line, reason=message))
            fingerprints.append("")
            preview.questions.append(parsed)
            continue
        checked = ParsedQuestion(
            type=values.qtype,
            stem=values.stem,
            data=values.data,
            line=parsed.line,
            name=values.name,
            difficulty=values.difficulty,
            category=values.category_path,
            points=values.points,
            feedback=values.feedback,
            language=values.language,
            images=parsed.images,
        )
        referred = rules.image_names_in_html(values.stem)
        for text in rules.texts_of(values.qtype, values.data):
            referred |= rules.image_names_in_html(text)
        for missing in sorted(referred - image_names):
            preview.warnings.append(
                Problem(
                    file=filename,
                    line=parsed.line,
                    reason=_("The image “%(name)s” is not in the file; it will not be shown.") % {"name": missing},
                )
            )
        preview.questions.append(checked)
        fingerprints.append(rules.fingerprint(values.qtype, values.stem, values.data))
    preview.fingerprints = fingerprints
    wanted = {fp for fp in fingerprints if fp}
    existing: dict[str, int] = {}
    for start in range(0, len(wanted), 5000):
        chunk = sorted(wanted)[start : start + 5000]
        existing.update(
            Question.objects.filter(bank=bank, fingerprint__in=chunk).order_by("pk").values_list("fingerprint", "pk")
        )
    for index, fp in enumerate(fingerprints):
        if fp and fp in existing:
            preview.duplicates[index] = existing[fp]
            preview.problems.append(
                Problem(
                    file=filename,
                    line=preview.questions[index].line,
                    reason=_("The bank already has this question (no. %(id)d).") % {"id": existing[fp]},
                )
            )
    if not result.questions and not preview.problems:
        preview.problems.append(Problem(file=filename, line=0, reason=_("The file holds no questions.")))
    preview.problems.sort(key=lambda p: (p.line, p.reason))
    return preview


def _check_file(filename: str, content: bytes, fmt: str) -> str:
    """The format to read the file with, or ValidationError naming the file."""
    if not content:
        raise ValidationError({"file": [_("“%(name)s” is empty.") % {"name": filename}]})
    if len(content) > MAX_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("“%(name)s” is %(size)s; the largest file accepted here is %(max)s.")
                    % {"name": filename, "size": filesizeformat(len(content)), "max": filesizeformat(MAX_BYTES)}
                ]
            }
        )
    if fmt in ("", "auto"):
        fmt = registry.detect(filename, content)
        if not fmt:
            raise ValidationError(
                {
                    "file": [
                        _(
                            "The format of “%(name)s” cannot be told: upload a .txt, .docx, .gift, .xml or .zip "
                            "file, or choose the format."
                        )
                        % {"name": filename}
                    ]
                }
            )
    elif fmt not in registry.FORMATS:
        raise ValidationError({"fmt": [_("“%(format)s” is not a question format.") % {"format": fmt}]})
    return fmt


def import_prepare(
    *, actor: Any, bank: Bank, filename: str, content: bytes, fmt: str = "auto", **options: Any
) -> ImportPreview:
    """Read a question file for the preview; keep it under a token for `import_confirm`. Options:
    `difficulty_tags` (the Kazakh format: <question2>/<question3> mean difficulty) and `category` (the
    topic the questions go under)."""
    _require_editor(actor, bank)
    filename = (filename or "questions").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    fmt = _check_file(filename, content, fmt)
    kept = _options(fmt, options)
    preview = _analyse(bank=bank, fmt=fmt, filename=filename, content=content, options=kept)
    ImportJob.objects.filter(created_at__lt=timezone.now() - JOB_LIFETIME).delete()
    job = ImportJob.objects.create(
        bank=bank,
        token=secrets.token_urlsafe(24),
        filename=filename,
        fmt=fmt,
        options=kept,
        content=content,
        created_by=actor if actor is not None else bank.created_by,
    )
    preview.token = job.token
    return preview


def import_job(*, bank: Bank, token: str) -> ImportJob | None:
    return ImportJob.objects.filter(bank=bank, token=token).first()


def import_preview(*, bank: Bank, token: str) -> ImportPreview | None:
    """The preview of a kept file (None when the token is unknown, used or expired)."""
    job = import_job(bank=bank, token=token)
    if job is None:
        return None
    preview = _analyse(
        bank=bank, fmt=job.fmt, filename=job.filename, content=bytes(job.content), options=dict(job.options)
    )
    preview.token = job.token
    return preview


def _gone() -> ValidationError:
    return ValidationError(
        {"token": [_("This import is no longer available (saved already or expired): upload the file again.")]}
    )


def import_confirm(*, actor: Any, bank: Bank, token: str) -> int:
    """Add every question of a prepared file to the bank, or nothing when a problem remains (ValidationError
    listing them). Returns how many questions were added."""
    _require_editor(actor, bank)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(bank=bank, token=token).first()
        if job is None:
            raise _gone()
        preview = _analyse(
            bank=bank, fmt=job.fmt, filename=job.filename, content=bytes(job.content), options=dict(job.options)
        )
        if not preview.ok:
            raise ValidationError(
                {
                    "file": [
                        _("%(file)s, line %(line)s: %(reason)s") % {"file": p.file, "line": p.line, "reason": p.reason}
                        for p in preview.problems
                    ]
                }
            )
        author = actor if actor is not None else bank.created_by
        count = _save_questions(
            bank=bank, questions=preview.questions, fingerprints=preview.fingerprints, author=author, actor=actor
        )
        audit_api.record(
            actor=actor,
            action="assessment.import",
            target=bank,
            after={
                "count": count,
                "file": job.filename,
                "format": job.fmt,
                "sha256": hashlib.sha256(bytes(job.content)).hexdigest(),
                "options": job.options,
            },
        )
        job.delete()
    return count


def _categories(bank: Bank, paths: Iterable[str]) -> dict[str, int]:
    """The ids of the bank's topics of `paths` and every level above them, made when missing."""
    wanted: set[str] = set()
    for path in paths:
        parts = path.split("/") if path else []
        wanted.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    if not wanted:
        return {}
    found = dict(Category.objects.filter(bank=bank, path__in=sorted(wanted)).values_list("path", "pk"))
    missing = sorted(wanted - set(found))
    if missing:
        Category.objects.bulk_create([Category(bank=bank, path=p) for p in missing], ignore_conflicts=True)
        found = dict(Category.objects.filter(bank=bank, path__in=sorted(wanted)).values_list("path", "pk"))
    return found


def _store_images(bank: Bank, questions: list[ParsedQuestion], actor: Any) -> list[dict[str, int]]:
    """Store each question's images (once per equal name and content); per question, name → image id."""
    stored: dict[tuple[str, str], int] = {}
    out: list[dict[str, int]] = []
    for question in questions:
        ids: dict[str, int] = {}
        for image in question.images:
            key = (image.name, hashlib.sha256(image.content).hexdigest())
            if key not in stored:
                upload = SimpleUploadedFile(image.name, image.content, content_type=image.content_type)
                stored_file = content_api.file_store(upload=upload, actor=actor, field="file")
                if not stored_file.content_type.startswith("image/"):
                    raise ValidationError(
                        {"file": [_("“%(name)s” in the file is not an image.") % {"name": image.name}]}
                    )
                row = Image.objects.create(
                    bank=bank, file_id=stored_file.id, name=image.name[:255], content_type=stored_file.content_type
                )
                stored[key] = row.pk
            ids[image.name] = stored[key]
        out.append(ids)
    return out


def _save_questions(
    *, bank: Bank, questions: list[ParsedQuestion], fingerprints: list[str], author: Any, actor: Any
) -> int:
    """Topics, images, questions and their first versions, in bulk. A fingerprint does not depend on where
    an image is stored, so the preview's fingerprints hold after the images' addresses are rewritten."""
    categories = _categories(bank, {q.category for q in questions if q.category})
    image_ids = _store_images(bank, questions, actor)
    rows: list[Question] = []
    contents: list[tuple[str, dict[str, Any]]] = []
    for question, ids, fingerprint in zip(questions, image_ids, fingerprints, strict=True):
        stem, data = question.stem, question.data
        if ids:
            stem = rules.replace_image_names(stem, ids)
            data = rules.map_texts(question.type, data, lambda html, ids=ids: rules.replace_image_names(html, ids))
        contents.append((stem, data))
        rows.append(
            Question(
                bank=bank,
                category_id=categories.get(question.category) if question.category else None,
                type=question.type,
                difficulty=question.difficulty,
                language=question.language or "kk",
                fingerprint=fingerprint,
                created_by=author,
            )
        )
    created = Question.objects.bulk_create(rows, batch_size=BATCH)
    versions = [
        QuestionVersion(
            question_id=row.pk,
            number=1,
            type=parsed.type,
            name=parsed.name,
            stem=stem,
            data=data,
            points=Decimal(parsed.points),
            feedback=parsed.feedback,
            created_by=author,
        )
        for row, parsed, (stem, data) in zip(created, questions, contents, strict=True)
    ]
    QuestionVersion.objects.bulk_create(versions, batch_size=BATCH)
    new_ids = [row.pk for row in created]
    if new_ids:
        first_version = QuestionVersion.objects.filter(question_id=OuterRef("pk"), number=1).values("pk")[:1]
        Question.objects.filter(bank=bank, pk__gte=min(new_ids), pk__lte=max(new_ids), current__isnull=True).update(
            current=Subquery(first_version)
        )
    return len(created)


# --- export -------------------------------------------------------------------------------------------


def export_questions(*, bank: Bank) -> list[ExportQuestion]:
    """The bank's questions (not archived) as the writers take them: image addresses back to `image:NAME`
    with the images' bytes attached."""
    questions = list(
        Question.objects.filter(bank=bank, archived=False, current__isnull=False)
        .select_related("current", "category")
        .order_by("category__path", "pk")
    )
    shown: list[set[int]] = []
    for question in questions:
        version = question.current
        assert version is not None
        ids = rules.image_ids_in_html(version.stem)
        for text in rules.texts_of(question.type, version.data):
            ids |= rules.image_ids_in_html(text)
        shown.append(ids)
    wanted = set().union(*shown)
    images = {image.pk: image for image in Image.objects.filter(bank=bank, pk__in=sorted(wanted))}
    names = _export_names(images.values())
    contents: dict[int, ParsedImage] = {}
    out: list[ExportQuestion] = []
    for question, used in zip(questions, shown, strict=True):
        version = question.current
        assert version is not None
        attached = []
        for image_id in sorted(used & set(images)):
            if image_id not in contents:
                image = images[image_id]
                contents[image_id] = ParsedImage(
                    name=names[image_id],
                    content=content_api.file_read(file_id=image.file_id),
                    content_type=image.content_type,
                )
            attached.append(contents[image_id])
        stem = rules.replace_image_ids(version.stem, names) if used else version.stem
        data = (
            rules.map_texts(question.type, version.data, lambda html: rules.replace_image_ids(html, names))
            if used
            else version.data
        )
        out.append(
            ExportQuestion(
                id=question.pk,
                type=question.type,
                name=version.name,
                stem=stem,
                data=data,
                difficulty=question.difficulty,
                category=question.category.path if question.category else "",
                points=version.points,
                feedback=version.feedback,
                language=question.language,
                images=tuple(attached),
            )
        )
    return out


def _export_names(images: Iterable[Image]) -> dict[int, str]:
    """A file name for each image, unique within the export."""
    names: dict[int, str] = {}
    taken: set[str] = set()
    for image in sorted(images, key=lambda i: i.pk):
        base = image.name or f"image-{image.pk}"
        stem, dot, ext = base.rpartition(".")
        if not dot:
            stem, ext = base, ""
        name = base
        if name in taken or not name:
            name = f"{slugify(stem) or 'image'}-{image.pk}{'.' + ext if ext else ''}"
        taken.add(name)
        names[image.pk] = name
    return names


def export_warnings(*, bank: Bank, fmt: str, questions: list[ExportQuestion] | None = None) -> list[str]:
    """What the format cannot carry of the bank's questions (its writer's `write_warnings`)."""
    if questions is None:
        questions = export_questions(bank=bank)
    return registry.write_warnings(fmt, questions) or []


def bank_export(*, bank: Bank, fmt: str) -> tuple[bytes, str, str]:
    """The bank's questions as a file: (bytes, content type, file name)."""
    if fmt not in registry.WRITERS:
        raise ValidationError({"fmt": [_("A bank cannot be exported as “%(format)s”.") % {"format": fmt}]})
    questions = export_questions(bank=bank)
    content, content_type, extension = registry.write(fmt, questions, bank_name=bank.name)
    filename = f"{slugify(bank.name, allow_unicode=True) or 'bank'}-{bank.pk}.{extension}"
    return content, content_type, filename
