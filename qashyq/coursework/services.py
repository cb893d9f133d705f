"""Every write of coursework (rule 16; R15, R16, R17, R53), one function per use case: the assignment of a
course item and its settings; a student's electronic submission and the administration's registration of a
paper work, each with its receipt; the hand-over to the responsible tutor (one work or a batch) and the tutor's
confirmation of receipt; the tutor's review — return for revision or accept, the score going into the single
gradebook —; and the reminders of overdue grading.

Each write checks the actor's rights, runs in a transaction and is an audit event; bad input is refused with a
translated message naming the field and changes nothing."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qashyq.audit import api as audit_api
from qashyq.content import api as content_api
from qashyq.content.data import ItemKind, StoredFileData
from qashyq.coursework import rules, selectors
from qashyq.coursework.data import (
    REVIEWED,
    WITH_TUTOR,
    Channel,
    Decision,
    FileKind,
    FileType,
    LatePolicy,
    SubmissionStatus,
)
from qashyq.coursework.models import Assignment, Handover, Review, Submission, SubmissionFile
from qashyq.coursework.permissions import can_hand_over, can_manage_assignment, can_review
from qashyq.gradebook import api as gradebook_api

MAX_INSTRUCTIONS = 20_000
MAX_TEXT = 100_000
MAX_FEEDBACK = 20_000
MAX_NOTE = 2_000
MAX_FILES_LIMIT = 20
_MB = 1024 * 1024
# The annotated file a tutor sends back: any kind of document or an image.
REVIEW_FILE_TYPES = tuple(FileType.values)


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --- The assignment of an item ---------------------------------------------------------------------

SETTINGS_FIELDS = (
    "instructions",
    "due_at",
    "late_policy",
    "late_penalty_percent",
    "allow_text",
    "allow_files",
    "file_types",
    "max_files",
    "max_file_mb",
    "resubmission_allowed",
    "rubric",
)


def _snapshot(assignment: Assignment) -> dict[str, Any]:
    return {name: _json(getattr(assignment, name)) for name in SETTINGS_FIELDS}


def _published_due(*, course_id: int, item_id: int) -> datetime | None:
    """The end of the item's published availability, the assignment's first due date (None when it has none)."""
    for item in content_api.scheduled_items(course_ids=[course_id]):
        if item.item_id == item_id:
            return item.closes_at
    return None


def assignment_for_item(*, item_id: int, actor: Any) -> Assignment:
    """The assignment of a course item of kind "assignment", made with the default settings the first time the
    course's staff open it (due at the end of the item's published availability, if any). Audit
    `coursework.assignment_created`. PermissionDenied for anyone but the course's staff while it does not exist."""
    existing = Assignment.objects.filter(item_id=item_id).first()
    if existing is not None:
        return existing
    access = content_api.staff_item_access(
        user=actor,
        item_id=item_id,
        kind=ItemKind.ASSIGNMENT,
        refusal=_("Only the staff of the course set up its assignments."),
        wrong_kind=_("This item of the course is not an assignment."),
    )
    due_at = _published_due(course_id=access.course_id, item_id=item_id)
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                item_id=item_id, course_id=access.course_id, due_at=due_at, updated_by=actor
            )
            audit_api.record(
                actor=actor,
                action="coursework.assignment_created",
                target=assignment,
                after=_snapshot(assignment) | {"item": item_id},
            )
    except IntegrityError:  # made at the same moment by another request
        return Assignment.objects.get(item_id=item_id)
    return assignment


def _add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _int(value: Any, *, key: str, low: int, high: int, errors: dict[str, list[str]], message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        _add(errors, key, message)
        return low
    if isinstance(value, bool) or not low <= number <= high:
        _add(errors, key, message)
    return number


def _rubric(value: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(
        isinstance(c, dict) and isinstance(c.get("title"), str) and isinstance(c.get("points"), int) for c in value
    ):
        _add(errors, "rubric", _("The rubric is not a list of criteria with their points."))
        return []
    criteria = [{"title": c["title"].strip(), "points": c["points"]} for c in value]
    for criterion in criteria:
        if not criterion["title"] or len(criterion["title"]) > rules.MAX_CRITERION_TITLE:
            _add(errors, "rubric", _("Every criterion needs a title of at most 200 characters."))
            break
        if not 1 <= criterion["points"] <= rules.MAX_POINTS:
            _add(errors, "rubric", _("A criterion is worth from 1 to 100 points."))
            break
    for problem in rules.rubric_problems(criteria):
        _add(errors, "rubric", problem.message)
    return criteria


def assignment_update(*, actor: Any, assignment: Assignment, **fields: Any) -> Assignment:
    """Change the settings of an assignment (any of SETTINGS_FIELDS): a teacher of the course. The penalty is
    1–100 % with the "accepted with a penalty" policy (and 0 otherwise); text, files or both are accepted; the
    kinds of files are those of `FileType`, at most 20 files of at most QASHYQ_UPLOAD_MAX_MB each; a rubric's
    criteria add up to 100 points. Every problem is named by field and nothing changes. Audit
    `coursework.assignment_updated` with before/after."""
    try:
        access = content_api.item_access(user=actor, item_id=assignment.item_id)
    except Http404:
        access = None
    if access is None or not can_manage_assignment(access):
        raise PermissionDenied(_("Only a teacher of the course changes its assignments."))
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    values = _snapshot_values(assignment) | fields
    errors: dict[str, list[str]] = {}
    instructions = str(values["instructions"] or "").strip()
    if len(instructions) > MAX_INSTRUCTIONS:
        _add(errors, "instructions", _("At most %(max)d characters.") % {"max": MAX_INSTRUCTIONS})
    due_at = values["due_at"]
    if due_at is not None and (not isinstance(due_at, datetime) or timezone.is_naive(due_at)):
        _add(errors, "due_at", _("Give the due date and time."))
    policy = values["late_policy"]
    if policy not in LatePolicy.values:
        _add(errors, "late_policy", _("Choose what happens to late work."))
    penalty = 0
    if policy == LatePolicy.PENALTY:
        penalty = _int(
            values["late_penalty_percent"],
            key="late_penalty_percent",
            low=1,
            high=100,
            errors=errors,
            message=_("The penalty is from 1 to 100 per cent."),
        )
    allow_text, allow_files = bool(values["allow_text"]), bool(values["allow_files"])
    if not allow_text and not allow_files:
        _add(errors, "allow_files", _("Accept text, files or both."))
    file_types = values["file_types"]
    if not isinstance(file_types, list | tuple) or not set(file_types) <= set(FileType.values):
        _add(errors, "file_types", _("Choose among the kinds of files listed."))
        file_types = []
    file_types = [t for t in FileType.values if t in set(file_types)]
    if allow_files and not file_types:
        _add(errors, "file_types", _("Choose at least one kind of file."))
    max_files = _int(
        values["max_files"],
        key="max_files",
        low=1,
        high=MAX_FILES_LIMIT,
        errors=errors,
        message=_("From 1 to %(max)d files.") % {"max": MAX_FILES_LIMIT},
    )
    upload_max = int(settings.QASHYQ_UPLOAD_MAX_MB)
    max_file_mb = _int(
        values["max_file_mb"],
        key="max_file_mb",
        low=1,
        high=upload_max,
        errors=errors,
        message=_("From 1 to %(max)d MB.") % {"max": upload_max},
    )
    rubric = _rubric(values["rubric"] or [], errors)
    if errors:
        raise ValidationError(errors)
    before = _snapshot(assignment)
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        locked.instructions = instructions
        locked.due_at = due_at
        locked.late_policy = policy
        locked.late_penalty_percent = penalty
        locked.allow_text = allow_text
        locked.allow_files = allow_files
        locked.file_types = file_types
        locked.max_files = max_files
        locked.max_file_mb = max_file_mb
        locked.resubmission_allowed = bool(values["resubmission_allowed"])
        locked.rubric = rubric
        locked.updated_by = actor
        locked.save()
        after = _snapshot(locked)
        if after != before:
            audit_api.record(
                actor=actor,
                action="coursework.assignment_updated",
                target=locked,
                before={k: v for k, v in before.items() if after[k] != v},
                after={k: v for k, v in after.items() if before[k] != v},
            )
    for name in SETTINGS_FIELDS:
        setattr(assignment, name, getattr(locked, name))
    return locked


def _snapshot_values(assignment: Assignment) -> dict[str, Any]:
    return {name: getattr(assignment, name) for name in SETTINGS_FIELDS}


# --- Files -----------------------------------------------------------------------------------------


def _check_uploads(uploads: Sequence[Any], *, kinds: Iterable[str], max_mb: int, field: str) -> None:
    """Refuse, before anything is stored, a file whose name is not of an accepted kind or that is too large."""
    extensions = rules.extensions_of(kinds)
    labels = ", ".join(str(FileType(k).label) for k in FileType.values if k in set(kinds))
    problems = []
    for upload in uploads:
        name = str(getattr(upload, "name", "") or "")
        if rules.extension(name) not in extensions:
            problems.append(
                _("“%(name)s” is not a kind of file accepted here (%(kinds)s).") % {"name": name, "kinds": labels}
            )
            continue
        size = int(getattr(upload, "size", 0) or 0)
        if size > max_mb * _MB:
            problems.append(
                _("“%(name)s” is larger than %(max)d MB, the most this assignment accepts.")
                % {"name": name, "max": max_mb}
            )
    if problems:
        raise ValidationError({field: problems})


def _store(uploads: Sequence[Any], *, actor: Any, kinds: Iterable[str], field: str) -> list[StoredFileData]:
    """Store the files (content checks their bytes); a file whose content is not of an accepted kind, or any
    refusal, removes the ones already stored and stores nothing."""
    allowed = rules.content_types_of(kinds)
    stored: list[StoredFileData] = []
    try:
        for upload in uploads:
            data = content_api.file_store(upload=upload, actor=actor, field=field)
            stored.append(data)
            if data.content_type not in allowed:
                raise ValidationError(
                    {
                        field: _("“%(name)s” is not a kind of file accepted here: its content is %(type)s.")
                        % {"name": data.name, "type": data.content_type}
                    }
                )
    except BaseException:
        for data in stored:
            content_api.file_delete(file_id=data.id)
        raise
    return stored


# --- Submitting --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lateness:
    late: bool
    penalty: int
    previous: Submission | None


def _previous_open(assignment: Assignment, student_id: int) -> Submission | None:
    """The student's latest submission, refused unless there is none or it was returned for revision and the
    assignment accepts resubmission."""
    previous = selectors.latest_submission(assignment=assignment, student_id=student_id)
    if previous is None:
        return None
    if previous.status == SubmissionStatus.RETURNED:
        if not assignment.resubmission_allowed:
            raise ValidationError(
                _("The work was returned, but this assignment does not accept a resubmission."), code="closed"
            )
        return previous
    raise ValidationError(
        _(
            "The work is already submitted (receipt %(number)s); it can be submitted again only after it is "
            "returned for revision."
        )
        % {"number": previous.number},
        code="already",
    )


def _lateness(assignment: Assignment, previous: Submission | None, *, late: bool) -> _Lateness:
    """A resubmission keeps the lateness of the work it revises and is never refused; a first submission follows
    the late policy (refused: ValidationError, code "late")."""
    if previous is not None:
        return _Lateness(late=previous.late, penalty=previous.penalty_percent, previous=previous)
    if rules.late_refused(policy=assignment.late_policy, late=late):
        due = timezone.localtime(assignment.due_at) if assignment.due_at else None
        raise ValidationError(
            _("The work was due on %(due)s; this assignment does not accept late work. Nothing was submitted.")
            % {"due": due.strftime("%d.%m.%Y %H:%M") if due else ""},
            code="late",
        )
    penalty = rules.penalty_for(
        policy=assignment.late_policy, penalty_percent=assignment.late_penalty_percent, late=late
    )
    return _Lateness(late=late, penalty=penalty, previous=None)


def _create(
    *,
    actor: Any,
    assignment: Assignment,
    student_id: int,
    lateness: _Lateness,
    channel: str,
    text: str,
    stored: list[StoredFileData],
    kind: str,
    now: datetime,
    received_on: date | None = None,
    note: str = "",
) -> Submission:
    previous = lateness.previous
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                assignment=assignment,
                student_id=student_id,
                attempt=previous.attempt + 1 if previous is not None else 1,
                revises=previous,
                channel=channel,
                text=text,
                text_sha256=rules.text_digest(text),
                submitted_at=now,
                received_on=received_on,
                submitted_by=actor,
                note=note,
                late=lateness.late,
                penalty_percent=lateness.penalty,
            )
    except IntegrityError:  # the same attempt submitted at the same moment by another request
        raise ValidationError(_("The work is already submitted."), code="already") from None
    files = SubmissionFile.objects.bulk_create(
        SubmissionFile(
            submission=submission,
            kind=kind,
            position=position,
            file_id=data.id,
            name=data.name,
            content_type=data.content_type,
            size=data.size,
            sha256=data.sha256,
        )
        for position, data in enumerate(stored)
    )
    submission.number = rules.receipt_number(year=timezone.localtime(now).year, serial=submission.pk)
    submission.digest = rules.receipt_digest(selectors.receipt_payload(submission, files))
    submission.save(update_fields=["number", "digest"])
    return submission


def _receipt_after(submission: Submission, files: Iterable[StoredFileData]) -> dict[str, Any]:
    return {
        "number": submission.number,
        "item": submission.assignment.item_id,
        "student": submission.student_id,
        "attempt": submission.attempt,
        "channel": submission.channel,
        "late": submission.late,
        "penalty_percent": submission.penalty_percent,
        "received_on": submission.received_on.isoformat() if submission.received_on else "",
        "text_sha256": submission.text_sha256,
        "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in files],
        "digest": submission.digest,
    }


def _back_to_reviewer(*, submission: Submission, previous: Submission, now: datetime) -> None:
    """A resubmission goes straight back to the tutor who returned the work, while they are still on the
    course's staff for the student's group; otherwise it waits for the administration service."""
    review = getattr(previous, "review", None)
    if review is None:
        return
    tutor = review.tutor
    try:
        access = content_api.item_access(user=tutor, item_id=submission.assignment.item_id)
    except Http404:
        return
    group_id = submission.student.group_id
    if not access.is_staff or (access.tutor_group_ids is not None and group_id not in access.tutor_group_ids):
        return
    handover = Handover.objects.create(submission=submission, tutor=tutor, handed_by=None, handed_at=now)
    submission.handover = handover
    submission.status = SubmissionStatus.HANDED_OVER
    submission.save(update_fields=["handover", "status"])
    audit_api.record(
        actor=None,
        action="coursework.handed_over",
        target=submission,
        before={"status": SubmissionStatus.SUBMITTED.value, "tutor": None},
        after={"status": submission.status, "tutor": tutor.pk, "handover": handover.pk, "resubmission": True},
    )


def submission_submit(
    *, actor: Any, assignment: Assignment, text: str = "", uploads: Sequence[Any] = (), now: datetime | None = None
) -> Submission:
    """A student of the course submits their work electronically: text, files or both, as the assignment
    accepts (kinds checked by the files' bytes). The receipt: a number, the moment, each file with its SHA-256,
    and the receipt's check code. Late work follows the late policy: refused (ValidationError, code "late", and
    nothing stored), accepted, or accepted with the penalty noted. A student submits again only after the work
    is returned for revision (a new attempt that goes back to the same tutor). Audit `coursework.submitted`."""
    now = now or timezone.now()
    try:
        access = content_api.item_access(user=actor, item_id=assignment.item_id)
    except Http404:
        access = None
    if access is None or access.student_id is None or not access.published:
        raise PermissionDenied(_("Only a student of the course submits work for its assignments."))
    student_id = access.student_id
    text = (text or "").strip()
    uploads = list(uploads)
    with transaction.atomic():
        previous = _previous_open(assignment, student_id)
        lateness = _lateness(assignment, previous, late=rules.is_late(due_at=assignment.due_at, moment=now))
        errors: dict[str, list[str]] = {}
        if text and not assignment.allow_text:
            _add(errors, "text", _("This assignment accepts files only."))
        if len(text) > MAX_TEXT:
            _add(errors, "text", _("At most %(max)d characters.") % {"max": MAX_TEXT})
        if uploads and not assignment.allow_files:
            _add(errors, "attachments", _("This assignment accepts typed text only."))
        if len(uploads) > assignment.max_files:
            _add(errors, "attachments", _("At most %(max)d files.") % {"max": assignment.max_files})
        if not text and not uploads:
            _add(errors, "__all__", _("Type your work or attach its files."))
        if errors:
            raise ValidationError(errors)
        _check_uploads(uploads, kinds=assignment.file_types, max_mb=assignment.max_file_mb, field="attachments")
        stored = _store(uploads, actor=actor, kinds=assignment.file_types, field="attachments")
        submission = _create(
            actor=actor,
            assignment=assignment,
            student_id=student_id,
            lateness=lateness,
            channel=Channel.ELECTRONIC,
            text=text,
            stored=stored,
            kind=FileKind.WORK,
            now=now,
        )
        audit_api.record(
            actor=actor, action="coursework.submitted", target=submission, after=_receipt_after(submission, stored)
        )
        if previous is not None:
            _back_to_reviewer(submission=submission, previous=previous, now=now)
    return submission


def submission_register_paper(
    *,
    actor: Any,
    assignment: Assignment,
    student_id: int,
    received_on: date,
    scans: Sequence[Any],
    note: str = "",
    now: datetime | None = None,
) -> Submission:
    """The administration service registers a work received on paper (case technology, R15): the student (an
    active student of the course), the date received (not in the future; late when after the due day), the
    scanned copy (PDF or images) and a note. The same receipt as an electronic submission; the same late policy
    and resubmission rules. Audit `coursework.paper_registered`."""
    now = now or timezone.now()
    if not can_hand_over(user=actor):
        raise PermissionDenied(_("Only the administration service registers paper works."))
    errors: dict[str, list[str]] = {}
    enrolled = {e.student_id for e in content_api.course_enrolments(course_id=assignment.course_id)}
    if student_id not in enrolled:
        _add(errors, "student", _("Choose a student of the course."))
    if not isinstance(received_on, date):
        _add(errors, "received_on", _("Give the date the work was received."))
    elif received_on > timezone.localdate(now):
        _add(errors, "received_on", _("The date received cannot be in the future."))
    scans = list(scans)
    if not scans:
        _add(errors, "scans", _("Upload the scanned copy of the paper work."))
    elif len(scans) > MAX_FILES_LIMIT:
        _add(errors, "scans", _("At most %(max)d files.") % {"max": MAX_FILES_LIMIT})
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        _add(errors, "note", _("At most %(max)d characters.") % {"max": MAX_NOTE})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        previous = _previous_open(assignment, student_id)
        late = rules.is_late_on(due_at=assignment.due_at, received_on=received_on)
        lateness = _lateness(assignment, previous, late=late)
        _check_uploads(scans, kinds=rules.SCAN_TYPES, max_mb=int(settings.QASHYQ_UPLOAD_MAX_MB), field="scans")
        stored = _store(scans, actor=actor, kinds=rules.SCAN_TYPES, field="scans")
        submission = _create(
            actor=actor,
            assignment=assignment,
            student_id=student_id,
            lateness=lateness,
            channel=Channel.PAPER,
            text="",
            stored=stored,
            kind=FileKind.SCAN,
            now=now,
            received_on=received_on,
            note=note,
        )
        audit_api.record(
            actor=actor,
            action="coursework.paper_registered",
            target=submission,
            after=_receipt_after(submission, stored) | {"note": note},
        )
        if previous is not None:
            _back_to_reviewer(submission=submission, previous=previous, now=now)
    return submission


# --- Hand-over to tutors ---------------------------------------------------------------------------


def _hand(*, actor: Any, submission: Submission, tutor_id: int, note: str, now: datetime) -> Handover:
    before = {"status": submission.status, "tutor": submission.handover.tutor_id if submission.handover else None}
    handover = Handover.objects.create(
        submission=submission, tutor_id=tutor_id, handed_by=actor, handed_at=now, note=note
    )
    submission.handover = handover
    submission.status = SubmissionStatus.HANDED_OVER
    submission.save(update_fields=["handover", "status"])
    audit_api.record(
        actor=actor,
        action="coursework.handed_over",
        target=submission,
        before=before,
        after={"status": submission.status, "tutor": tutor_id, "handover": handover.pk, "note": note},
    )
    return handover


def submission_hand_over(
    *, actor: Any, submission: Submission, tutor_id: int | None = None, note: str = "", now: datetime | None = None
) -> Handover:
    """The administration service hands a work to a tutor (R16): the responsible one — the tutor of the student's
    group in the course — unless another teacher or tutor of the course for that group is chosen. A work not yet
    reviewed may be handed over again to someone else (a tutor away); a reviewed one may not. Audit
    `coursework.handed_over`."""
    now = now or timezone.now()
    if not can_hand_over(user=actor):
        raise PermissionDenied(_("Only the administration service hands works over to tutors."))
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("At most %(max)d characters.") % {"max": MAX_NOTE}})
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("handover", "student")
            .get(pk=submission.pk)
        )
        if locked.status in REVIEWED:
            raise ValidationError(_("The work is already reviewed; it cannot be handed over again."), code="reviewed")
        candidates = selectors.recipients_for(course_id=locked.assignment.course_id, group_id=locked.student.group_id)
        if tutor_id is None:
            if not candidates:
                raise ValidationError(
                    {"tutor": _("The course has no tutor or teacher for the student's group: set its staff first.")}
                )
            tutor_id = candidates[0].user_id
        elif tutor_id not in {c.user_id for c in candidates}:
            raise ValidationError({"tutor": _("Choose a tutor or teacher of the course for the student's group.")})
        if locked.handover is not None and locked.handover.tutor_id == tutor_id:
            raise ValidationError({"tutor": _("The work is already handed to this person.")}, code="same")
        handover = _hand(actor=actor, submission=locked, tutor_id=tutor_id, note=note, now=now)
    submission.handover, submission.status = handover, locked.status
    return handover


def submissions_hand_over(*, actor: Any, submission_ids: Iterable[int], now: datetime | None = None) -> list[Handover]:
    """Hand a batch of collected works, each to its responsible tutor. All or nothing: a work that is not
    waiting for a hand-over, or has nobody to receive it, is named in the refusal and none is handed over."""
    now = now or timezone.now()
    if not can_hand_over(user=actor):
        raise PermissionDenied(_("Only the administration service hands works over to tutors."))
    ids = sorted({int(i) for i in submission_ids})
    if not ids:
        raise ValidationError(_("Choose the works to hand over."), code="empty")
    with transaction.atomic():
        locked = list(
            Submission.objects.select_for_update(of=("self",))
            .select_related("assignment", "student")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        if len(locked) != len(ids):
            raise ValidationError(_("Some of the chosen works do not exist."), code="missing")
        recipients = selectors.recipients_map((s.assignment.course_id, s.student.group_id) for s in locked)
        problems = []
        for submission in locked:
            if submission.status != SubmissionStatus.SUBMITTED:
                problems.append(_("%(number)s: already handed over or reviewed.") % {"number": submission.number})
            elif not recipients.get((submission.assignment.course_id, submission.student.group_id)):
                problems.append(
                    _("%(number)s: the course has no tutor or teacher for the student's group.")
                    % {"number": submission.number}
                )
        if problems:
            raise ValidationError(problems, code="batch")
        return [
            _hand(
                actor=actor,
                submission=s,
                tutor_id=recipients[(s.assignment.course_id, s.student.group_id)][0].user_id,
                note="",
                now=now,
            )
            for s in locked
        ]


def handover_confirm(*, actor: Any, submission: Submission, now: datetime | None = None) -> Handover:
    """The tutor confirms receiving a work handed to them (R16). Audit `coursework.receipt_confirmed`."""
    now = now or timezone.now()
    if not can_review(user=actor, submission=submission):
        raise PermissionDenied(_("Only the tutor the work is handed to confirms receiving it."))
    with transaction.atomic():
        locked = Submission.objects.select_for_update(of=("self",)).select_related("handover").get(pk=submission.pk)
        handover = locked.handover
        if handover is None or handover.tutor_id != actor.pk or locked.status not in WITH_TUTOR:
            raise ValidationError(_("The work is not waiting for you."), code="state")
        if handover.received_at is not None:
            raise ValidationError(_("You have already confirmed receiving this work."), code="confirmed")
        _confirm(actor=actor, submission=locked, now=now)
    submission.handover, submission.status = locked.handover, locked.status
    return handover


def _confirm(*, actor: Any, submission: Submission, now: datetime) -> None:
    handover = submission.handover
    assert handover is not None
    handover.received_at = now
    handover.save(update_fields=["received_at"])
    submission.status = SubmissionStatus.RECEIVED
    submission.save(update_fields=["status"])
    audit_api.record(
        actor=actor,
        action="coursework.receipt_confirmed",
        target=submission,
        before={"status": SubmissionStatus.HANDED_OVER.value},
        after={"status": submission.status, "handover": handover.pk, "received_at": now.isoformat()},
    )


# --- The tutor's review ----------------------------------------------------------------------------


def _enrolment_id(*, course_id: int, student_id: int) -> int | None:
    for enrolment in content_api.enrolments_of_student(student_id=student_id):
        if enrolment.course_id == course_id:
            return enrolment.id
    return None


def submission_review(
    *,
    actor: Any,
    submission: Submission,
    decision: str,
    points: Any = None,
    rubric_points: dict[str, Any] | None = None,
    feedback: str = "",
    annotated: Any = None,
    now: datetime | None = None,
) -> Review:
    """The tutor the work is handed to reviews it: returns it for revision (feedback required; only when the
    assignment accepts resubmission), or accepts it with points 0–100 — the sum of the rubric's criteria when the
    assignment has a rubric, else a single score —, less the late penalty. An accepted work's score goes into the
    gradebook through `gradebook.api.record_result` (R17), in the same transaction: when no control measure takes
    the item's results, or the gradebook refuses (a closed period), nothing is saved. An annotated file may go
    back with the feedback. Reviewing a work not yet confirmed confirms it. Audit `coursework.returned` or
    `coursework.accepted`."""
    now = now or timezone.now()
    if not can_review(user=actor, submission=submission):
        raise PermissionDenied(_("Only the tutor the work is handed to reviews it."))
    assignment = submission.assignment
    errors: dict[str, list[str]] = {}
    feedback = (feedback or "").strip()
    if len(feedback) > MAX_FEEDBACK:
        _add(errors, "feedback", _("At most %(max)d characters.") % {"max": MAX_FEEDBACK})
    given_points: Decimal | None = None
    rows: list[dict[str, Any]] = []
    if decision == Decision.RETURNED:
        if not assignment.resubmission_allowed:
            _add(errors, "decision", _("This assignment does not accept a resubmission: accept the work with a score."))
        if not feedback:
            _add(errors, "feedback", _("Say what the student should revise."))
    elif decision == Decision.ACCEPTED:
        if assignment.rubric:
            given_points, rows, problems = rules.rubric_score(assignment.rubric, dict(rubric_points or {}))
            for problem in problems:
                _add(errors, "rubric", problem)
        else:
            given_points = rules.parse_points(points)
            if given_points is None or not rules.valid_points(given_points):
                _add(errors, "points", _("Give the points from 0 to 100, with two decimals at most."))
                given_points = None
    else:
        _add(errors, "decision", _("Choose to accept the work or to return it for revision."))
    if errors:
        raise ValidationError(errors)
    if annotated:
        _check_uploads([annotated], kinds=REVIEW_FILE_TYPES, max_mb=int(settings.QASHYQ_UPLOAD_MAX_MB), field="file")
    score = rules.apply_penalty(given_points, submission.penalty_percent) if given_points is not None else None
    try:
        review = _review_write(
            actor=actor,
            submission=submission,
            decision=decision,
            given_points=given_points,
            score=score,
            rows=rows,
            feedback=feedback,
            annotated=annotated,
            now=now,
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "locked":
            # The gradebook refused a closed period; its own event went with the rolled-back transaction.
            audit_api.record(
                actor=actor,
                action="coursework.accept_refused",
                target=submission,
                after={"score": _str(score), "code": "locked"},
            )
        raise
    return review


def _review_write(
    *,
    actor: Any,
    submission: Submission,
    decision: str,
    given_points: Decimal | None,
    score: Decimal | None,
    rows: list[dict[str, Any]],
    feedback: str,
    annotated: Any,
    now: datetime,
) -> Review:
    assignment = submission.assignment
    with transaction.atomic():
        locked = Submission.objects.select_for_update(of=("self",)).select_related("handover").get(pk=submission.pk)
        locked.assignment = assignment
        handover = locked.handover
        if handover is None or handover.tutor_id != actor.pk or locked.status not in WITH_TUTOR:
            raise ValidationError(_("The work is not waiting for your review."), code="state")
        if locked.status == SubmissionStatus.HANDED_OVER:
            _confirm(actor=actor, submission=locked, now=now)
        if decision == Decision.ACCEPTED:
            assert score is not None
            grade = gradebook_api.record_result(
                item_id=assignment.item_id, student_id=locked.student_id, score=score, source="assignment", actor=actor
            )
            if grade is None:
                raise ValidationError(
                    _(
                        "No control measure of the course takes this assignment's results yet: ask the course's "
                        "teacher to link it in the gradebook. Nothing was saved."
                    ),
                    code="no_measure",
                )
        stored = _store([annotated], actor=actor, kinds=REVIEW_FILE_TYPES, field="file") if annotated else []
        file = stored[0] if stored else None
        review = Review.objects.create(
            submission=locked,
            handover=handover,
            tutor=actor,
            decision=decision,
            points=given_points,
            score=score,
            rubric_points=rows,
            feedback=feedback,
            file_id=file.id if file else "",
            file_name=file.name if file else "",
            file_content_type=file.content_type if file else "",
            file_size=file.size if file else 0,
            file_sha256=file.sha256 if file else "",
            reviewed_at=now,
        )
        before_status = locked.status
        locked.status = decision
        locked.save(update_fields=["status"])
        audit_api.record(
            actor=actor,
            action=f"coursework.{decision}",
            target=locked,
            before={"status": before_status},
            after={
                "status": locked.status,
                "review": review.pk,
                "points": _str(given_points),
                "penalty_percent": locked.penalty_percent,
                "score": _str(score),
                "rubric": rows,
                "feedback_sha256": rules.text_digest(feedback),
                "file_sha256": review.file_sha256,
            },
        )
        if decision == Decision.ACCEPTED:
            enrolment_id = _enrolment_id(course_id=assignment.course_id, student_id=locked.student_id)
            if enrolment_id is not None:
                content_api.item_progress_record(
                    item_id=assignment.item_id, enrolment_id=enrolment_id, score=score, completed=True
                )
    submission.status, submission.handover = locked.status, locked.handover
    return review


# --- Reminders of overdue grading ------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    tutor_id: int
    name: str
    email: str
    numbers: tuple[str, ...]
    sent: bool


REMIND_AGAIN_AFTER = timedelta(days=1)


def grading_reminders(*, now: datetime | None = None, days: int | None = None, send: bool = False) -> list[Reminder]:
    """The tutors holding works handed to them more than `days` (QASHYQ_COURSEWORK_GRADING_DAYS, 7 by default)
    ago and not reviewed. With `send`, each tutor with an e-mail address is sent one message listing them, in
    their interface language, at most once a day per work (`Handover.reminded_at`)."""
    now = now or timezone.now()
    overdue = selectors.overdue_handovers(now=now, days=days)
    reminders = []
    for tutor_id, handovers in overdue.items():
        tutor = handovers[0].tutor
        email = tutor.email or ""
        due_now = [h for h in handovers if h.reminded_at is None or h.reminded_at <= now - REMIND_AGAIN_AFTER]
        sent = False
        if send and email and due_now:
            _remind(tutor=tutor, handovers=handovers, days=selectors.grading_days() if days is None else days)
            Handover.objects.filter(pk__in=[h.pk for h in due_now]).update(reminded_at=now)
            sent = True
        reminders.append(
            Reminder(
                tutor_id=tutor_id,
                name=tutor.full_name,
                email=email,
                numbers=tuple(h.submission.number or "" for h in handovers),
                sent=sent,
            )
        )
    return sorted(reminders, key=lambda r: (r.name, r.tutor_id))


def _remind(*, tutor: Any, handovers: list[Handover], days: int) -> None:
    language = (getattr(tutor, "language", "") or "")[:2]
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    url = settings.QASHYQ_PUBLIC_URL.rstrip("/") + reverse("coursework:workload")
    with translation.override(language):
        context = {"tutor": tutor, "handovers": handovers, "days": days, "url": url}
        subject = " ".join(render_to_string("coursework/email/reminder_subject.txt", context).split())
        body = render_to_string("coursework/email/reminder.txt", context)
    send_mail(subject, body, None, [tutor.email])
