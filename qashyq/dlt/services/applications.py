"""DLT applications (rules 10, 11; R35–R37): the student writes one to the head with the category, a reasoned
justification, the DLT types asked for, the period and supporting documents, and submits it; the administration
service takes it up for review and returns it for changes, rejects it or accepts it (which builds the
individual study plan and schedule); the DLT order then puts it in an order, enrols the student or cancels.

Every step is an ApplicationEvent (the trail, and the student's in-app notice until they have seen it), an audit
event `dlt.application_<verb>` with the values before and after, and an e-mail to the student in their interface
language (sent after commit). Bad input is refused with every problem at once, and changes nothing. Nobody
reviews their own application, and a student never reviews."""

from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.accounts.api import Role, acting_roles
from qashyq.audit import api as audit_api
from qashyq.content import api as content_api
from qashyq.core.tasks import enqueue
from qashyq.dlt import rules
from qashyq.dlt.data import EDITABLE_STATUSES, ApplicationStatus, Category, DltType, DocumentType
from qashyq.dlt.models import LANGUAGE_CHOICES, Application, ApplicationEvent, SupportingDocument
from qashyq.dlt.permissions import is_administration, sees_everything
from qashyq.dlt.selectors import applications as selectors
from qashyq.dlt.tasks import application_notice_send

# What the student writes (application_create and application_update take these).
STUDENT_FIELDS = (
    "category",
    "justification",
    "dlt_types",
    "starts_on",
    "ends_on",
    "language",
    "host_institution",
    "host_country",
    "abroad_from",
    "abroad_until",
)
MAX_LENGTHS = {"justification": 10_000, "host_institution": 300, "host_country": 100}
MAX_DOCUMENTS = 10
DESCRIPTION_MAX_LENGTH = 300

# What application_status_set may do for the DLT order, and the audit verb of each step.
ORDER_STEPS: dict[tuple[str, str], str] = {
    (ApplicationStatus.ACCEPTED, ApplicationStatus.IN_ORDER): "put_in_order",
    (ApplicationStatus.IN_ORDER, ApplicationStatus.ACCEPTED): "taken_out_of_order",
    (ApplicationStatus.IN_ORDER, ApplicationStatus.ENROLLED): "enrolled",
    (ApplicationStatus.IN_ORDER, ApplicationStatus.CANCELLED): "cancelled",
    (ApplicationStatus.ENROLLED, ApplicationStatus.CANCELLED): "cancelled",
}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def application_snapshot(application: Application) -> dict[str, Any]:
    """What the audit ledger keeps of an application."""
    return {
        "student": application.student_id,
        "category": application.category,
        "justification": application.justification,
        "dlt_types": list(application.dlt_types),
        "starts_on": _iso(application.starts_on),
        "ends_on": _iso(application.ends_on),
        "language": application.language,
        "host_institution": application.host_institution,
        "host_country": application.host_country,
        "abroad_from": _iso(application.abroad_from),
        "abroad_until": _iso(application.abroad_until),
        "status": application.status,
        "reviewer": application.reviewer_id,
        "decided_by": application.decided_by_id,
        "granted_type": application.granted_type,
        "comment": application.comment,
    }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [key for key in after if after[key] != before.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def _audit(*, actor: Any, verb: str, application: Application, before: dict[str, Any], reason: str = "") -> None:
    changed_before, changed_after = _changes(before, application_snapshot(application))
    audit_api.record(
        actor=actor,
        action=f"dlt.application_{verb}",
        target=application,
        before=changed_before or None,
        after=changed_after or None,
        reason=reason,
    )


def _forbidden(message: str) -> ValidationError:
    return ValidationError(message, code="forbidden")


def _locked(application: Application) -> Application:
    """The application's row, locked until the transaction ends (two reviewers may act at once)."""
    return Application.objects.select_for_update(of=("self",)).select_related("student").get(pk=application.pk)


def _refuse_unless_student_owner(actor: Any, application: Application) -> None:
    if Role.STUDENT not in acting_roles(actor) or application.student.user_id != actor.pk:
        raise _forbidden(_("Only the student who wrote the application may change it."))


def _refuse_unless_editable(application: Application) -> None:
    if application.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("The application is “%(status)s”: it can be changed only as a draft or when returned for changes.")
            % {"status": application.get_status_display()},
            code="not_editable",
        )


def _refuse_unless_reviewer(actor: Any, application: Application) -> None:
    if not is_administration(actor):
        raise _forbidden(_("Only the administration service reviews DLT applications."))
    if application.student.user_id == actor.pk:
        raise _forbidden(_("You cannot review your own application: another member of the service does."))


def _refuse_unless_status(application: Application, *allowed: str) -> None:
    if application.status not in allowed:
        names = ", ".join(f"“{ApplicationStatus(s).label}”" for s in allowed)
        raise ValidationError(
            _("The application is “%(status)s”; this can be done only when it is %(allowed)s.")
            % {"status": application.get_status_display(), "allowed": names},
            code="wrong_status",
        )


def _locked_to_edit(actor: Any, application: Application) -> Application:
    """The application locked, once `actor` is its student and it is a draft or returned for changes."""
    current = _locked(application)
    _refuse_unless_student_owner(actor, current)
    _refuse_unless_editable(current)
    return current


def _locked_to_review(actor: Any, application: Application, status: str) -> Application:
    """The application locked, once `actor` is a reviewer (not its student) and it is in `status`."""
    current = _locked(application)
    _refuse_unless_reviewer(actor, current)
    _refuse_unless_status(current, status)
    return current


def _raise(problems: list[rules.Problem]) -> None:
    if problems:
        raise ValidationError(rules.problems_by_field(problems))


# --- notifications --------------------------------------------------------------------------------------


def _step(*, application: Application, actor: Any, status_from: str, comment: str = "") -> ApplicationEvent:
    """Record that the application went from `status_from` to its status now: the trail's event (unseen by the
    student unless they took the step themselves) and, after commit, the e-mail to the student."""
    own = actor is not None and actor.pk == application.student.user_id
    event = ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        status_from=status_from,
        status_to=application.status,
        comment=comment,
        seen_at=timezone.now() if own else None,
    )
    if status_from:
        enqueue(application_notice_send, event.pk)
    return event


def _move(
    *, application: Application, actor: Any, status: str, verb: str, reason: str = "", **fields: Any
) -> Application:
    """Take a step: set the status and `fields` (model fields), save them, record the event (with `reason` as its
    comment) and the audit entry "dlt.application_<verb>". The caller has locked and checked the application."""
    before = application_snapshot(application)
    status_from = application.status
    application.status = status
    for key, value in fields.items():
        setattr(application, key, value)
    application.save(update_fields=["status", *fields, "updated_at"])
    _step(application=application, actor=actor, status_from=status_from, comment=reason)
    _audit(actor=actor, verb=verb, application=application, before=before, reason=reason)
    return application


@transaction.atomic
def application_notices_seen(*, actor: Any, application: Application) -> int:
    """The student has opened their application: its steps are no longer new to them. Returns how many were."""
    if application.student.user_id != actor.pk or not acting_roles(actor):
        return 0
    return application.events.filter(seen_at__isnull=True).update(seen_at=timezone.now())


# --- the student's side ---------------------------------------------------------------------------------


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for key in ("justification", "host_institution", "host_country"):
        cleaned[key] = (cleaned.get(key) or "").strip()
    cleaned["dlt_types"] = sorted(set(cleaned.get("dlt_types") or ()))
    return cleaned


def _shape_problems(values: dict[str, Any]) -> list[rules.Problem]:
    """What is wrong with the values whatever the state: an unknown category, type or language, a date range
    the wrong way round, a text too long. Completeness is checked at submission."""
    problems: list[rules.Problem] = []
    if values["category"] not in Category.values:
        problems.append(rules.Problem("category", _("Choose one of the five categories of rule 10.")))
    if values["dlt_types"]:
        problems += rules.dlt_types_problems(values["dlt_types"])
    if values["language"] not in dict(LANGUAGE_CHOICES):
        problems.append(rules.Problem("language", _("The application is written in Kazakh or in Russian.")))
    starts_on, ends_on = values["starts_on"], values["ends_on"]
    if starts_on is not None and ends_on is not None:
        problems += [p for p in rules.period_problems(starts_on=starts_on, ends_on=ends_on) if p.field == "ends_on"]
    abroad_from, abroad_until = values["abroad_from"], values["abroad_until"]
    if abroad_from is not None and abroad_until is not None and abroad_until <= abroad_from:
        problems.append(rules.Problem("abroad_until", _("The date abroad until is not after the date abroad from.")))
    for key, limit in MAX_LENGTHS.items():
        if len(values[key]) > limit:
            problems.append(rules.Problem(key, _("This text is longer than %(max)d characters.") % {"max": limit}))
    return problems


@transaction.atomic
def application_create(
    *,
    actor: Any,
    category: str,
    justification: str = "",
    dlt_types: list[str] | tuple[str, ...] = (),
    starts_on: date | None = None,
    ends_on: date | None = None,
    language: str = "kk",
    host_institution: str = "",
    host_country: str = "",
    abroad_from: date | None = None,
    abroad_until: date | None = None,
) -> Application:
    """A draft application of the student whose account `actor` is (for their own record only). Refused while
    they have an application that is not finished."""
    student_id = selectors.student_of(user=actor) if Role.STUDENT in acting_roles(actor) else None
    if student_id is None:
        raise _forbidden(_("Only a student whose account is linked to a student record writes a DLT application."))
    values = _clean_values(
        {
            "category": category,
            "justification": justification,
            "dlt_types": dlt_types,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "language": language,
            "host_institution": host_institution,
            "host_country": host_country,
            "abroad_from": abroad_from,
            "abroad_until": abroad_until,
        }
    )
    _raise(_shape_problems(values))
    # One open application per student: the constraint `dlt_one_open_application` decides between writers.
    try:
        with transaction.atomic():
            application = Application.objects.create(student_id=student_id, status=ApplicationStatus.DRAFT, **values)
    except IntegrityError:
        application = None
    if application is None:
        current = selectors.open_application(student_id=student_id)
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "You already have an application (No. %(number)s, “%(status)s”): a new one can be written "
                    "once it is rejected, or its order is in force or cancelled."
                )
                % {
                    "number": current.pk if current else "—",
                    "status": current.get_status_display() if current else "—",
                }
            },
            code="open_application",
        )
    _step(application=application, actor=actor, status_from="")
    audit_api.record(
        actor=actor, action="dlt.application_created", target=application, after=application_snapshot(application)
    )
    return application


@transaction.atomic
def application_update(
    *,
    actor: Any,
    application: Application,
    category: str,
    justification: str = "",
    dlt_types: list[str] | tuple[str, ...] = (),
    starts_on: date | None = None,
    ends_on: date | None = None,
    language: str = "kk",
    host_institution: str = "",
    host_country: str = "",
    abroad_from: date | None = None,
    abroad_until: date | None = None,
) -> Application:
    """Change a draft or returned application (its student only). Nothing is written when nothing changed."""
    current = _locked_to_edit(actor, application)
    values = _clean_values(
        {
            "category": category,
            "justification": justification,
            "dlt_types": dlt_types,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "language": language,
            "host_institution": host_institution,
            "host_country": host_country,
            "abroad_from": abroad_from,
            "abroad_until": abroad_until,
        }
    )
    _raise(_shape_problems(values))
    before = application_snapshot(current)
    changed = [key for key in STUDENT_FIELDS if getattr(current, key) != values[key]]
    if not changed:
        return current
    for key in changed:
        setattr(current, key, values[key])
    current.save(update_fields=[*changed, "updated_at"])
    _audit(actor=actor, verb="updated", application=current, before=before)
    return current


@transaction.atomic
def application_delete(*, actor: Any, application: Application) -> None:
    """Delete a draft (its student only), with its documents and trail; the audit ledger keeps what it was."""
    current = _locked(application)
    _refuse_unless_student_owner(actor, current)
    _refuse_unless_status(current, ApplicationStatus.DRAFT)
    audit_api.record(
        actor=actor, action="dlt.application_deleted", target=current, before=application_snapshot(current)
    )
    file_ids = [str(file_id) for file_id in current.documents.values_list("file_id", flat=True)]
    current.delete()
    for file_id in file_ids:
        content_api.file_delete(file_id=file_id)


def document_snapshot(document: SupportingDocument) -> dict[str, Any]:
    return {
        "application": document.application_id,
        "doc_type": document.doc_type,
        "file": str(document.file_id),
        "issued_on": _iso(document.issued_on),
        "description": document.description,
    }


@transaction.atomic
def supporting_document_add(
    *,
    actor: Any,
    application: Application,
    doc_type: str,
    upload: Any,
    issued_on: date | None = None,
    description: str = "",
) -> SupportingDocument:
    """Attach a supporting document (PDF, image or office document, checked by its bytes and stored
    privately) to a draft or returned application (its student only). ValidationError by field: `doc_type`,
    `upload`, `issued_on`, `description`."""
    current = _locked_to_edit(actor, application)
    description = description.strip()
    problems: list[rules.Problem] = []
    if doc_type not in DocumentType.values:
        problems.append(rules.Problem("doc_type", _("Choose the type of the document.")))
    if upload is None:
        problems.append(rules.Problem("upload", _("Choose the file of the document.")))
    if issued_on is not None and issued_on > timezone.localdate():
        problems.append(rules.Problem("issued_on", _("A document cannot be issued in the future.")))
    if len(description) > DESCRIPTION_MAX_LENGTH:
        problems.append(
            rules.Problem(
                "description",
                _("This text is longer than %(max)d characters.") % {"max": DESCRIPTION_MAX_LENGTH},
            )
        )
    if current.documents.count() >= MAX_DOCUMENTS:
        problems.append(
            rules.Problem("", _("An application holds at most %(max)d documents.") % {"max": MAX_DOCUMENTS})
        )
    _raise(problems)
    stored = content_api.file_store(upload=upload, actor=actor, field="upload")
    document = SupportingDocument.objects.create(
        application=current,
        doc_type=doc_type,
        file_id=stored.id,
        issued_on=issued_on,
        description=description,
        uploaded_by=actor,
    )
    audit_api.record(
        actor=actor,
        action="dlt.application_document_added",
        target=current,
        after={"document": document.pk, **document_snapshot(document), "name": stored.name, "sha256": stored.sha256},
    )
    return document


@transaction.atomic
def supporting_document_remove(*, actor: Any, document: SupportingDocument) -> None:
    """Take a document off a draft or returned application (its student only)."""
    current = _locked_to_edit(actor, document.application)
    row = SupportingDocument.objects.filter(pk=document.pk, application=current).first()
    if row is None:
        return
    audit_api.record(
        actor=actor,
        action="dlt.application_document_removed",
        target=current,
        before={"document": row.pk, **document_snapshot(row)},
    )
    file_id = str(row.file_id)
    row.delete()
    content_api.file_delete(file_id=file_id)


@transaction.atomic
def application_submit(*, actor: Any, application: Application, today: date | None = None) -> Application:
    """Submit a draft or returned application to the head (its student only) once everything holds: the
    justification, a DLT type, the period (starting today or later), a supporting document, the category's
    conditions (rule 10) and the institution's permission to use DLT. Every problem is listed at once."""
    current = _locked_to_edit(actor, application)
    _raise(selectors.submission_problems(current, today=today or timezone.localdate()))
    return _move(
        application=current,
        actor=actor,
        status=ApplicationStatus.SUBMITTED,
        verb="submitted",
        submitted_at=timezone.now(),
        comment="",
    )


# --- the review by the administration service ------------------------------------------------------------


@transaction.atomic
def application_take_for_review(*, actor: Any, application: Application) -> Application:
    """The administration service takes a submitted application up: it is under review, by `actor`."""
    current = _locked_to_review(actor, application, ApplicationStatus.SUBMITTED)
    return _move(
        application=current, actor=actor, status=ApplicationStatus.UNDER_REVIEW, verb="taken_for_review", reviewer=actor
    )


@transaction.atomic
def application_return(*, actor: Any, application: Application, comment: str) -> Application:
    """Return an application under review to the student for changes, saying what to change."""
    current = _locked_to_review(actor, application, ApplicationStatus.UNDER_REVIEW)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the student is to change.")})
    return _move(
        application=current,
        actor=actor,
        status=ApplicationStatus.RETURNED,
        verb="returned",
        reason=comment,
        comment=comment,
    )


@transaction.atomic
def application_reject(*, actor: Any, application: Application, reason: str) -> Application:
    """Reject an application under review, giving the reason. The student may write a new one."""
    current = _locked_to_review(actor, application, ApplicationStatus.UNDER_REVIEW)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"comment": _("Give the reason for rejecting the application.")})
    return _move(
        application=current,
        actor=actor,
        status=ApplicationStatus.REJECTED,
        verb="rejected",
        reason=reason,
        comment=reason,
        decided_at=timezone.now(),
        decided_by=actor,
    )


@transaction.atomic
def application_accept(*, actor: Any, application: Application, granted_type: str) -> Application:
    """Accept an application under review with the DLT type granted (one of those asked for), once the
    eligibility holds again (rule 10) and the institution may use DLT; then build the student's individual
    study plan and schedule (rules 13, 20)."""
    current = _locked_to_review(actor, application, ApplicationStatus.UNDER_REVIEW)
    problems: list[rules.Problem] = []
    if granted_type not in current.dlt_types:
        asked = ", ".join(str(label) for value, label in DltType.choices if value in current.dlt_types)
        problems.append(
            rules.Problem(
                "granted_type", _("Grant one of the DLT types the student asked for: %(types)s.") % {"types": asked}
            )
        )
    problems += selectors.acceptance_problems(current)
    _raise(problems)
    _move(
        application=current,
        actor=actor,
        status=ApplicationStatus.ACCEPTED,
        verb="accepted",
        comment="",
        granted_type=granted_type,
        decided_at=timezone.now(),
        decided_by=actor,
    )
    from qashyq.dlt.services.plans import study_plan_generate
    from qashyq.dlt.services.schedules import schedule_generate

    study_plan_generate(application=current, actor=actor)
    schedule_generate(application=current, actor=actor)
    return current


# --- the DLT order's steps -------------------------------------------------------------------------------


@transaction.atomic
def application_status_set(
    *, application: Application, status: str, actor: Any = None, comment: str = ""
) -> Application:
    """A step the DLT order takes (the ORDERS services check their own rights first): an accepted application
    is put in a draft order (IN_ORDER) or taken out of it again (ACCEPTED), the order comes into force
    (ENROLLED) or is cancelled (CANCELLED). Recorded like every step: event, audit, notice. `actor` is the
    administration service, the head, or None for the system; nobody takes the step on their own application."""
    current = _locked(application)
    if actor is not None:
        if not sees_everything(actor):
            raise _forbidden(_("Only the administration service or the head moves an application through an order."))
        if current.student.user_id == actor.pk:
            raise _forbidden(_("You cannot act on your own application."))
    verb = ORDER_STEPS.get((current.status, status)) if status in ApplicationStatus.values else None
    if verb is None:
        raise ValidationError(
            _("An application that is “%(status)s” cannot become “%(to)s”.")
            % {"status": current.get_status_display(), "to": dict(ApplicationStatus.choices).get(status, status)},
            code="wrong_status",
        )
    return _move(application=current, actor=actor, status=status, verb=verb, reason=comment.strip())
