"""Writes of question banks: banks, topics, questions with their versions, archiving, images.

A question's content is in its `current` version. Editing a question whose current version some attempt has
shown (an `AttemptQuestion` refers to it) makes a new version; otherwise the current version is changed in
place. `actor=None` is the system (the demo, imports already checked); a person must be allowed to edit the
bank (`permissions.banks.can_edit_bank`). Every change is an audit event (`assessment.*`) with before/after,
in the same transaction. Bad input raises ValidationError({field: [translated messages]}) and changes nothing.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.assessment.data import Difficulty, QuestionLanguage
from qashyq.assessment.models import AttemptQuestion, Bank, Category, Image, Question, QuestionVersion
from qashyq.assessment.permissions.banks import can_create_bank, can_edit_bank
from qashyq.assessment.rules import questions as rules
from qashyq.audit import api as audit_api
from qashyq.content import api as content_api

NAME_MAX = Bank._meta.get_field("name").max_length or 300
PATH_MAX = Category._meta.get_field("path").max_length or 500
QUESTION_NAME_MAX = QuestionVersion._meta.get_field("name").max_length or 300
POINTS_MAX = Decimal("9999.99")
DIFFICULTIES = frozenset(Difficulty.values)
LANGUAGES = frozenset(QuestionLanguage.values)


def _require_editor(actor: Any, bank: Bank) -> None:
    if actor is not None and not can_edit_bank(user=actor, bank=bank):
        raise PermissionDenied(_("You may not change this question bank."))


def _add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _record_changes(*, actor: Any, action: str, target: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
    """An audit event with only the values that changed (a value missing before counts as None)."""
    changed = [key for key in after if after[key] != before.get(key)]
    audit_api.record(
        actor=actor,
        action=action,
        target=target,
        before={key: before.get(key) for key in changed},
        after={key: after[key] for key in changed},
    )


# --- banks --------------------------------------------------------------------------------------------


def _bank_values(name: str, description: str, discipline_id: Any, errors: dict[str, list[str]]) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        _add(errors, "name", _("Enter the name of the bank."))
    elif len(name) > NAME_MAX:
        _add(errors, "name", _("The name may be at most %(max)d characters long.") % {"max": NAME_MAX})
    if discipline_id is None or academics_api.discipline_get(discipline_id=int(discipline_id)) is None:
        _add(errors, "discipline_id", _("Choose the discipline."))
    return name, (description or "").strip()


def _bank_view(bank: Bank) -> dict[str, Any]:
    return {"name": bank.name, "description": bank.description, "discipline_id": bank.discipline_id}


@transaction.atomic
def bank_create(*, actor: Any, discipline_id: int, name: str, description: str = "") -> Bank:
    """A new bank of a discipline (by the didactic-means service or a teacher of the discipline)."""
    errors: dict[str, list[str]] = {}
    name, description = _bank_values(name, description, discipline_id, errors)
    if errors:
        raise ValidationError(errors)
    if actor is not None and not can_create_bank(user=actor, discipline_id=int(discipline_id)):
        raise PermissionDenied(_("You may not create question banks of this discipline."))
    bank = Bank.objects.create(discipline_id=discipline_id, name=name, description=description, created_by=actor)
    audit_api.record(actor=actor, action="assessment.bank_create", target=bank, after=_bank_view(bank))
    return bank


@transaction.atomic
def bank_update(*, actor: Any, bank: Bank, name: str, description: str = "", discipline_id: int | None = None) -> Bank:
    """Rename a bank, change its description (or move it to another discipline the actor may edit)."""
    _require_editor(actor, bank)
    errors: dict[str, list[str]] = {}
    target_discipline = bank.discipline_id if discipline_id is None else discipline_id
    name, description = _bank_values(name, description, target_discipline, errors)
    if errors:
        raise ValidationError(errors)
    if (
        actor is not None
        and target_discipline != bank.discipline_id
        and not can_create_bank(user=actor, discipline_id=int(target_discipline))
    ):
        raise ValidationError({"discipline_id": [_("You may not keep question banks of this discipline.")]})
    before = _bank_view(bank)
    bank.name, bank.description, bank.discipline_id = name, description, target_discipline
    after = _bank_view(bank)
    if before != after:
        bank.save(update_fields=["name", "description", "discipline", "updated_at"])
        _record_changes(actor=actor, action="assessment.bank_update", target=bank, before=before, after=after)
    return bank


# --- topics -------------------------------------------------------------------------------------------


def clean_path(path: str) -> str:
    """A topic path as stored: levels trimmed, empty levels dropped, "/" between them."""
    return "/".join(part.strip() for part in (path or "").replace("\\", "/").split("/") if part.strip())


def category_for(bank: Bank, path: str) -> Category | None:
    """The bank's topic of `path` (made when new, as are the levels above it); None for no topic."""
    path = clean_path(path)
    if not path:
        return None
    if len(path) > PATH_MAX:
        raise ValidationError(
            {"category_path": [_("A topic may be at most %(max)d characters long.") % {"max": PATH_MAX}]}
        )
    parts = path.split("/")
    category = None
    for depth in range(1, len(parts) + 1):
        try:
            with transaction.atomic():
                category, _created = Category.objects.get_or_create(bank=bank, path="/".join(parts[:depth]))
        except IntegrityError:  # made at the same moment by another request
            category = Category.objects.get(bank=bank, path="/".join(parts[:depth]))
    return category


# --- questions ----------------------------------------------------------------------------------------


@dataclass
class QuestionValues:
    """A question's content, checked and sanitized."""

    qtype: str
    stem: str
    data: dict[str, Any]
    category_path: str
    difficulty: int
    points: Decimal
    name: str
    feedback: str
    language: str


def check_question(
    *,
    qtype: str,
    stem: str,
    data: dict[str, Any],
    category_path: str = "",
    difficulty: Any = 1,
    points: Any = 1,
    name: str = "",
    feedback: str = "",
    language: str = "kk",
) -> QuestionValues:
    """The question's values as they may be stored, or ValidationError naming every problem."""
    errors: dict[str, list[str]] = {}
    if qtype not in rules.QUESTION_TYPES:
        raise ValidationError({"qtype": [_("“%(type)s” is not a question type.") % {"type": qtype}]})
    clean_stem = rules.sanitize(stem or "")
    clean_data = rules.map_texts(qtype, data, rules.sanitize) if isinstance(data, dict) else data
    for reason in rules.problems(qtype, clean_stem, clean_data):
        _add(errors, "data", reason)
    try:
        difficulty = int(difficulty)
    except (TypeError, ValueError):
        difficulty = 0
    if difficulty not in DIFFICULTIES:
        _add(errors, "difficulty", _("The difficulty must be 1 (simple), 2 (medium) or 3 (hard)."))
    try:
        points = Decimal(str(points)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        points = Decimal(0)
    if not Decimal(0) < points <= POINTS_MAX:
        _add(errors, "points", _("The points must be more than 0 and at most %(max)s.") % {"max": POINTS_MAX})
    name = (name or "").strip()
    if len(name) > QUESTION_NAME_MAX:
        _add(errors, "name", _("The name may be at most %(max)d characters long.") % {"max": QUESTION_NAME_MAX})
    language = language or QuestionLanguage.KK.value
    if language not in LANGUAGES:
        _add(errors, "language", _("Choose the language of the question."))
    path = clean_path(category_path)
    if len(path) > PATH_MAX:
        _add(errors, "category_path", _("A topic may be at most %(max)d characters long.") % {"max": PATH_MAX})
    if errors:
        raise ValidationError(errors)
    return QuestionValues(
        qtype=qtype,
        stem=clean_stem,
        data=clean_data,
        category_path=path,
        difficulty=difficulty,
        points=points,
        name=name,
        feedback=rules.sanitize(feedback or ""),
        language=language,
    )


def question_view(question: Question, version: QuestionVersion | None) -> dict[str, Any]:
    """What the ledger keeps of a question."""
    view: dict[str, Any] = {
        "type": question.type,
        "category": question.category.path if question.category_id and question.category else "",
        "difficulty": question.difficulty,
        "language": question.language,
        "archived": question.archived,
    }
    if version is not None:
        view |= {
            "version": version.number,
            "name": version.name,
            "stem": version.stem,
            "data": version.data,
            "points": str(version.points),
            "feedback": version.feedback,
        }
    return view


@transaction.atomic
def question_create(
    *,
    actor: Any,
    bank: Bank,
    qtype: str,
    stem: str,
    data: dict[str, Any],
    category_path: str = "",
    difficulty: int = 1,
    points: Any = 1,
    name: str = "",
    feedback: str = "",
    language: str = "kk",
) -> Question:
    """A new question of the bank with its first version."""
    _require_editor(actor, bank)
    values = check_question(
        qtype=qtype,
        stem=stem,
        data=data,
        category_path=category_path,
        difficulty=difficulty,
        points=points,
        name=name,
        feedback=feedback,
        language=language,
    )
    category = category_for(bank, values.category_path)
    question = Question.objects.create(
        bank=bank,
        category=category,
        type=values.qtype,
        difficulty=values.difficulty,
        language=values.language,
        fingerprint=rules.fingerprint(values.qtype, values.stem, values.data),
        created_by=actor if actor is not None else bank.created_by,
    )
    version = QuestionVersion.objects.create(
        question=question,
        number=1,
        type=values.qtype,
        name=values.name,
        stem=values.stem,
        data=values.data,
        points=values.points,
        feedback=values.feedback,
        created_by=question.created_by,
    )
    question.current = version
    question.save(update_fields=["current"])
    audit_api.record(
        actor=actor, action="assessment.question_create", target=question, after=question_view(question, version)
    )
    return question


def version_in_use(version_id: int | None) -> bool:
    """True when some attempt has shown this version (it may then never change)."""
    return version_id is not None and AttemptQuestion.objects.filter(version_id=version_id).exists()


@transaction.atomic
def question_update(
    *,
    actor: Any,
    question: Question,
    stem: str,
    data: dict[str, Any],
    category_path: str = "",
    difficulty: int = 1,
    points: Any = 1,
    name: str = "",
    feedback: str = "",
    language: str = "kk",
    qtype: str | None = None,
) -> Question:
    """Change a question. Its type stays (`qtype`, if given, must be the same). A current version that an
    attempt has shown is kept as it is and a new version made; otherwise the current version is changed."""
    question = (
        Question.objects.select_for_update(of=("self",))
        .select_related("bank", "category", "current")
        .get(pk=question.pk)
    )
    _require_editor(actor, question.bank)
    if qtype is not None and qtype != question.type:
        raise ValidationError({"qtype": [_("The type of a question cannot change; make a new question.")]})
    values = check_question(
        qtype=question.type,
        stem=stem,
        data=data,
        category_path=category_path,
        difficulty=difficulty,
        points=points,
        name=name,
        feedback=feedback,
        language=language,
    )
    current = question.current
    before = question_view(question, current)
    category = category_for(question.bank, values.category_path)
    content = {
        "name": values.name,
        "stem": values.stem,
        "data": values.data,
        "points": values.points,
        "feedback": values.feedback,
    }
    content_changed = current is None or any(getattr(current, key) != value for key, value in content.items())
    if content_changed:
        if current is None or version_in_use(current.pk):
            number = (question.versions.aggregate(top=Max("number"))["top"] or 0) + 1
            current = QuestionVersion.objects.create(
                question=question,
                number=number,
                type=question.type,
                created_by=actor if actor is not None else question.created_by,
                **content,
            )
            question.current = current
        else:
            for key, value in content.items():
                setattr(current, key, value)
            current.save(update_fields=list(content))
    question.category = category
    question.difficulty = values.difficulty
    question.language = values.language
    question.fingerprint = rules.fingerprint(question.type, values.stem, values.data)
    after = question_view(question, current)
    if before != after:
        question.save(update_fields=["category", "difficulty", "language", "fingerprint", "current", "updated_at"])
        _record_changes(actor=actor, action="assessment.question_update", target=question, before=before, after=after)
    return question


@transaction.atomic
def question_archive(*, actor: Any, question: Question, archived: bool = True) -> Question:
    """Take a question out of drawing (archived) or put it back. Attempts keep showing what they showed."""
    _require_editor(actor, question.bank)
    if question.archived != archived:
        question.archived = archived
        question.save(update_fields=["archived", "updated_at"])
        audit_api.record(
            actor=actor,
            action="assessment.question_archive" if archived else "assessment.question_unarchive",
            target=question,
            before={"archived": not archived},
            after={"archived": archived},
        )
    return question


# --- images -------------------------------------------------------------------------------------------


@transaction.atomic
def image_store(*, actor: Any, bank: Bank, upload: Any, field: str = "file") -> Image:
    """Store an image of the bank's questions (PNG, JPEG, GIF or WebP, by its bytes)."""
    _require_editor(actor, bank)
    stored = content_api.file_store(upload=upload, actor=actor, field=field)
    if not stored.content_type.startswith("image/"):
        content_api.file_delete(file_id=stored.id)
        raise ValidationError(
            {field: [_("“%(name)s” is not an image (PNG, JPEG, GIF or WebP).") % {"name": stored.name}]}
        )
    image = Image.objects.create(bank=bank, file_id=stored.id, name=stored.name, content_type=stored.content_type)
    audit_api.record(
        actor=actor,
        action="assessment.image_store",
        target=image,
        after={"bank_id": bank.pk, "name": image.name, "content_type": image.content_type, "sha256": stored.sha256},
    )
    return image
