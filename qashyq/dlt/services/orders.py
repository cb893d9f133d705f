"""DLT orders (rules 12–14; R38, R39, R42): the administration service builds an order of the head from accepted
applications, each student with the DLT type granted; the three attachments of every student (application,
individual study plan, individual schedule) are issued in the background; the head signs once nothing is
missing or out of date, every plan is approved and every discipline of the curricula has an approved e-UMK.

The order itself is records' contingent order (numbering, kk/ru documents, coming into force, cancellation):
this module calls `records.api` and answers records' hooks for the DLT kind (`before_sign`, `on_apply`,
`on_cancel`, registered in registration.py). Each student's study under the order is an `Enrolment`.
"""

import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.audit import api as audit_api
from qashyq.content import api as content_api
from qashyq.core.tasks import enqueue
from qashyq.dlt import printing
from qashyq.dlt.data import (
    ApplicationStatus,
    AttachmentKind,
    DltType,
    EnrolmentStatus,
    JobStatus,
    PlanStatus,
)
from qashyq.dlt.models import Application, Attachment, AttachmentJob, Enrolment, StudyPlan
from qashyq.dlt.permissions import is_administration, is_head
from qashyq.dlt.selectors import orders as selectors
from qashyq.dlt.services import applications as application_services
from qashyq.dlt.services import schedules as schedule_services
from qashyq.organization import api as organization_api
from qashyq.records import api as records_api
from qashyq.records.api import OrderData, OrderItemData, OrderKind, OrderStatus

logger = logging.getLogger(__name__)

# The three attachments of each student (rule 13).
PER_STUDENT = len(selectors.KINDS)
# Students per background task: the chunks of a big order are issued by as many workers as there are.
CHUNK_SIZE = 10

# The default basis of the order (official texts: the same in every UI language).
DEFAULT_BASIS_KK = (
    "Білім алушылардың өтініштері негізінде, Қазақстан Республикасы Білім және ғылым министрінің "
    "2010 жылғы 13 сәуірдегі № 169 бұйрығымен бекітілген Оқу процесін қашықтықтан білім беру "
    "технологиялары бойынша ұйымдастыру ережелерінің 12-тармағына сәйкес"
)
DEFAULT_BASIS_RU = (
    "На основании заявлений обучающихся, в соответствии с пунктом 12 Правил организации учебного процесса "
    "по дистанционным образовательным технологиям, утверждённых приказом Министра образования и науки "
    "Республики Казахстан от 13 апреля 2010 года № 169"
)


# --- Small helpers ---------------------------------------------------------------------------------


def _order_target(order_id: int) -> tuple[str, str]:
    return ("records.order", str(order_id))


def _order_label(order: OrderData) -> str:
    if order.number_label:
        return f"№ {order.number_label}"
    return _("draft no. %(id)s") % {"id": order.id}


def _refuse_unless_administration(actor: Any) -> None:
    if not is_administration(actor):
        raise ValidationError(_("Only the administration service prepares DLT orders."), code="forbidden")


def _dlt_order(order_id: int) -> OrderData:
    order = records_api.order_get(order_id=order_id)
    if order is None or order.kind != OrderKind.DLT:
        raise ValidationError(_("There is no DLT order with the number %(id)s.") % {"id": order_id}, code="not_found")
    return order


def _refuse_unless_draft(order: OrderData) -> None:
    if order.status != OrderStatus.DRAFT:
        raise ValidationError(
            _("Order %(order)s is signed and is never edited: cancel it by a new order instead.")
            % {"order": _order_label(order)},
            code="signed",
        )


def _lock_order(order_id: int) -> OrderData:
    """Lock the order's row (one change of a DLT order at a time) and return it as records sees it."""
    order = records_api.order_lock(order_id=order_id, kind=OrderKind.DLT)
    if order is None:
        raise ValidationError(_("There is no DLT order with the number %(id)s.") % {"id": order_id}, code="not_found")
    return order


def _named(error: ValidationError, student: Any) -> list[str]:
    """The messages of an error, each naming the student."""
    name = student.full_name
    return [message if name in message else f"{name}: {message}" for message in error.messages]


def _ids(values: Iterable[Any]) -> list[int]:
    ids: list[int] = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number not in ids:
            ids.append(number)
    return ids


# --- Building a draft ------------------------------------------------------------------------------


def _accepted_applications(application_ids: Iterable[Any]) -> list[Application]:
    """The applications, locked, when every one is accepted and in no order; else a ValidationError naming
    each student and the state of their application."""
    ids = _ids(application_ids)
    if not ids:
        raise ValidationError({"applications": _("Choose at least one accepted application.")})
    found = {
        a.pk: a
        for a in Application.objects.select_for_update(of=("self",))
        .select_related("student")
        .filter(pk__in=ids)
        .order_by("student__last_name", "student__first_name", "pk")
    }
    problems = []
    for pk in ids:
        application = found.get(pk)
        if application is None:
            problems.append(_("There is no application with the number %(id)s.") % {"id": pk})
        elif application.status != ApplicationStatus.ACCEPTED:
            problems.append(
                _("%(student)s: application № %(id)s is “%(status)s”; only accepted applications go into an order.")
                % {
                    "student": application.student.full_name,
                    "id": pk,
                    "status": ApplicationStatus(application.status).label,
                }
            )
        elif Enrolment.objects.filter(application=application).exists():
            problems.append(
                _("%(student)s: application № %(id)s is already in an order.")
                % {"student": application.student.full_name, "id": pk}
            )
        elif not application.granted_type:
            problems.append(
                _("%(student)s: application № %(id)s has no DLT type granted.")
                % {"student": application.student.full_name, "id": pk}
            )
    if problems:
        raise ValidationError({"applications": problems})
    return list(found.values())


def _changes(application: Application) -> dict[str, Any]:
    """What the order states for the student (rule 12), as records stores it."""
    return {
        "dlt_type": application.granted_type,
        "starts_on": application.starts_on.isoformat() if application.starts_on else "",
        "ends_on": application.ends_on.isoformat() if application.ends_on else "",
        "category": application.category,
        "application": application.pk,
    }


def _add_students(*, actor: Any, order: OrderData, applications: list[Application]) -> list[Enrolment]:
    """Each application's student into the draft (records checks them), an Enrolment each, the application
    "in an order". Every refusal is collected: the caller's transaction then undoes the rest."""
    problems: list[str] = []
    for application in applications:
        try:
            records_api.order_student_add(
                actor=actor, order_id=order.id, student_id=application.student_id, changes=_changes(application)
            )
        except ValidationError as error:
            problems.extend(_named(error, application.student))
    if problems:
        raise ValidationError({"applications": problems})
    enrolments = []
    for application in applications:
        student = application.student
        # records checked the period above: both dates are there
        assert application.starts_on is not None
        assert application.ends_on is not None
        enrolments.append(
            Enrolment.objects.create(
                application=application,
                student=student,
                programme_id=student.programme_id,
                order_id=order.id,
                dlt_type=application.granted_type,
                category=application.category,
                starts_on=application.starts_on,
                ends_on=application.ends_on,
                status=EnrolmentStatus.ORDERED,
            )
        )
        application_services.application_status_set(
            application=application, status=ApplicationStatus.IN_ORDER, actor=actor
        )
    return enrolments


def _enrolment_view(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "application": enrolment.application_id,
        "student": enrolment.student_id,
        "dlt_type": enrolment.dlt_type,
        "category": enrolment.category,
        "starts_on": enrolment.starts_on.isoformat(),
        "ends_on": enrolment.ends_on.isoformat(),
    }


def dlt_order_create(
    *, actor: Any, application_ids: Iterable[Any], effective_date: date, basis_kk: str = "", basis_ru: str = ""
) -> OrderData:
    """A draft DLT order of the head with the students of these accepted applications (rule 12); the bases
    default to "on the basis of the students' applications" under rule 12. Starts issuing the attachments.
    ValidationError by field ("applications" names each student and the state of their application): nothing
    is created. Audit `dlt.order_created`."""
    _refuse_unless_administration(actor)
    if not isinstance(effective_date, date):
        raise ValidationError({"effective_date": _("Enter the date the order comes into force.")})
    with transaction.atomic():
        applications = _accepted_applications(application_ids)
        order = records_api.order_create(
            actor=actor,
            kind=OrderKind.DLT,
            effective_date=effective_date,
            basis_kk=basis_kk.strip() or DEFAULT_BASIS_KK,
            basis_ru=basis_ru.strip() or DEFAULT_BASIS_RU,
        )
        enrolments = _add_students(actor=actor, order=order, applications=applications)
        audit_api.record(
            actor=actor,
            action="dlt.order_created",
            target=_order_target(order.id),
            after={
                "effective_date": effective_date.isoformat(),
                "students": [_enrolment_view(e) for e in enrolments],
            },
        )
        _job_start(actor=actor, order_id=order.id)
    return _dlt_order(order.id)


def dlt_order_add_applications(*, actor: Any, order_id: int, application_ids: Iterable[Any]) -> OrderData:
    """More accepted applications into a draft DLT order (as `dlt_order_create`); their attachments are issued.
    Audit `dlt.order_applications_added`."""
    _refuse_unless_administration(actor)
    with transaction.atomic():
        order = _lock_order(order_id)
        _refuse_unless_draft(order)
        applications = _accepted_applications(application_ids)
        enrolments = _add_students(actor=actor, order=order, applications=applications)
        audit_api.record(
            actor=actor,
            action="dlt.order_applications_added",
            target=_order_target(order.id),
            after={"students": [_enrolment_view(e) for e in enrolments]},
        )
        _job_start(actor=actor, order_id=order.id)
    return _dlt_order(order_id)


def dlt_order_remove_application(*, actor: Any, order_id: int, application_id: int) -> OrderData:
    """Take an application's student off a draft DLT order: off records' order, the Enrolment (and its
    attachments) deleted, the application accepted again. Audit `dlt.order_application_removed`."""
    _refuse_unless_administration(actor)
    with transaction.atomic():
        order = _lock_order(order_id)
        _refuse_unless_draft(order)
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("application", "student")
            .filter(order_id=order_id, application_id=application_id)
            .first()
        )
        if enrolment is None:
            raise ValidationError(
                _("Application № %(id)s is not in this order.") % {"id": application_id}, code="not_in_order"
            )
        before = _enrolment_view(enrolment)
        application = enrolment.application
        records_api.order_student_remove(actor=actor, order_id=order_id, student_id=enrolment.student_id)
        enrolment.delete()
        application_services.application_status_set(
            application=application, status=ApplicationStatus.ACCEPTED, actor=actor
        )
        audit_api.record(
            actor=actor, action="dlt.order_application_removed", target=_order_target(order_id), before=before
        )
    return _dlt_order(order_id)


# --- The three attachments of each student (R39) ------------------------------------------------------


def attachments_generate(*, actor: Any, order_id: int) -> AttachmentJob:
    """Issue (again) the attachments of every student of a draft DLT order in the background: the job of the
    order that is already queued or running, if any, else a new one. Attachments that are up to date are kept.
    Audit `dlt.order_attachments_requested`."""
    _refuse_unless_administration(actor)
    with transaction.atomic():
        return _job_start(actor=actor, order_id=order_id)


def _job_start(*, actor: Any, order_id: int) -> AttachmentJob:
    """In the caller's transaction: the running job of the order, or a new one queued after commit."""
    from qashyq.dlt import tasks

    order = _lock_order(order_id)
    if order.status != OrderStatus.DRAFT:
        raise ValidationError(
            _("Order %(order)s is signed: its attachments were fixed when the head signed it.")
            % {"order": _order_label(order)},
            code="signed",
        )
    now = timezone.now()
    for job in AttachmentJob.objects.filter(order_id=order_id, status__in=selectors.ACTIVE_JOB_STATUSES):
        if selectors.job_is_alive(job, now=now):
            return job
        job.status = JobStatus.FAILED
        job.error = (job.error + "\n" if job.error else "") + _("Interrupted: no progress for 30 minutes.")
        job.finished_at = now
        job.save(update_fields=["status", "error", "finished_at", "updated_at"])
    students = Enrolment.objects.filter(order_id=order_id).count()
    job = AttachmentJob.objects.create(order_id=order_id, started_by=actor, total=students * PER_STUDENT)
    audit_api.record(
        actor=actor,
        action="dlt.order_attachments_requested",
        target=_order_target(order_id),
        after={"job": job.pk, "students": students},
    )
    enqueue(tasks.attachments_job_run, job.pk)
    return job


def attachments_job_dispatch(*, job_id: int) -> AttachmentJob | None:
    """Run by the background task: the queued job starts, its students are split into chunks, one task each
    (run in parallel by the workers; inline with Celery eager). None when the job is not queued any more."""
    from qashyq.dlt import tasks

    now = timezone.now()
    if not AttachmentJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, updated_at=now
    ):
        return None
    job = AttachmentJob.objects.get(pk=job_id)
    ids = list(
        Enrolment.objects.filter(order_id=job.order_id)
        .exclude(status=EnrolmentStatus.CANCELLED)
        .order_by("student__last_name", "student__first_name", "pk")
        .values_list("pk", flat=True)
    )
    AttachmentJob.objects.filter(pk=job_id).update(total=len(ids) * PER_STUDENT, done=0, updated_at=now)
    if not ids:
        _job_finish(job_id)
    for start in range(0, len(ids), CHUNK_SIZE):
        enqueue(tasks.attachments_chunk_run, job_id, ids[start : start + CHUNK_SIZE])
    job.refresh_from_db()
    return job


def attachments_chunk_process(*, job_id: int, enrolment_ids: list[int]) -> int:
    """Run by the background task: issue what is missing or out of date for these students, counting
    progress after each; a student that fails is written into the job's error and the rest go on. The chunk
    that completes the job marks it done or failed. Returns the number of documents issued."""
    job = AttachmentJob.objects.select_related("started_by").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.RUNNING:
        return 0
    issued = 0
    for enrolment_id in enrolment_ids:
        try:
            issued += enrolment_attachments_issue(enrolment_id=enrolment_id, actor=job.started_by)
        except Exception as error:  # one student's failure is reported; the others still get theirs
            logger.exception("DLT attachments of enrolment %s failed", enrolment_id)
            _job_error(job_id, enrolment_id=enrolment_id, error=error)
        AttachmentJob.objects.filter(pk=job_id).update(done=F("done") + PER_STUDENT, updated_at=timezone.now())
    _job_finish(job_id)
    return issued


def _job_error(job_id: int, *, enrolment_id: int, error: Exception) -> None:
    enrolment = Enrolment.objects.select_related("student").filter(pk=enrolment_id).first()
    name = enrolment.student.full_name if enrolment is not None else f"#{enrolment_id}"
    text = "; ".join(error.messages) if isinstance(error, ValidationError) else f"{type(error).__name__}: {error}"
    with transaction.atomic():
        job = AttachmentJob.objects.select_for_update().get(pk=job_id)
        job.error = ((job.error + "\n") if job.error else "") + f"{name}: {text}"[:1000]
        job.save(update_fields=["error", "updated_at"])


def _job_finish(job_id: int) -> None:
    """Done or failed once every student is counted (exactly one chunk gets here with the job complete); then
    students added to the draft while it ran get their own job."""
    with transaction.atomic():
        job = AttachmentJob.objects.select_for_update(of=("self",)).select_related("started_by").get(pk=job_id)
        if job.status != JobStatus.RUNNING or job.done < job.total:
            return
        job.status = JobStatus.FAILED if job.error else JobStatus.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at", "updated_at"])
        audit_api.record(
            actor=job.started_by,
            action="dlt.order_attachments_finished",
            target=_order_target(job.order_id),
            after={"job": job.pk, "status": job.status, "done": job.done, "total": job.total, "error": job.error},
        )
    late = [
        e
        for e in selectors.enrolments_with_attachments(
            Enrolment.objects.filter(order_id=job.order_id, created_at__gt=job.created_at)
        )
        if any(c.state == selectors.MISSING for c in selectors.attachment_cells(e))
    ]
    if late:
        try:
            with transaction.atomic():
                _job_start(actor=job.started_by, order_id=job.order_id)
        except ValidationError:
            pass  # signed meanwhile: nothing more to issue


def enrolment_attachments_issue(*, enrolment_id: int, actor: Any) -> int:
    """One student's three attachments: the schedule refreshed first (PLANS), then each attachment that is
    missing or made from an older plan or schedule issued again through dlt.printing and kept at once as the
    Attachment of its kind (a later failure keeps those already issued). Returns how many were issued (0 when
    everything was up to date, or the student left the order meanwhile). Audit `dlt.order_attachment_issued`
    for each."""
    enrolment = Enrolment.objects.select_related("application", "student", "order").filter(pk=enrolment_id).first()
    if enrolment is None or enrolment.order.status != OrderStatus.DRAFT:
        return 0  # taken off the draft, or the order is signed: its attachments are final
    application = enrolment.application
    schedule = schedule_services.schedule_generate(application=application, actor=None)
    plan = StudyPlan.objects.filter(application=application).first()
    if plan is None:
        raise ValidationError(
            _("%(student)s has no individual study plan: it is made when the application is accepted.")
            % {"student": enrolment.student.full_name},
            code="no_plan",
        )
    existing = {a.kind: a.source_version for a in Attachment.objects.filter(enrolment=enrolment)}
    issued = 0
    for kind, version, issue in (
        (
            AttachmentKind.APPLICATION,
            None,
            lambda: printing.application_document_issue(application=application, actor=actor),
        ),
        (AttachmentKind.STUDY_PLAN, plan.version, lambda: printing.study_plan_document_issue(plan=plan, actor=actor)),
        (
            AttachmentKind.SCHEDULE,
            schedule.version,
            lambda: printing.schedule_document_issue(schedule=schedule, actor=actor),
        ),
    ):
        if kind in existing and (version is None or existing[kind] == version):
            continue  # up to date
        document = issue()
        if not _attachment_store(
            enrolment_id=enrolment_id, kind=kind, document_id=document.id, version=version or 1, actor=actor
        ):
            return issued  # taken off the draft (or the order signed) while its documents were drawn
        issued += 1
    return issued


def _attachment_store(*, enrolment_id: int, kind: str, document_id: int, version: int, actor: Any) -> bool:
    """Keep an issued document as the enrolment's attachment of its kind (replacing an older one); False when
    the enrolment is gone or its order is signed meanwhile."""
    with transaction.atomic():
        order_id = Enrolment.objects.filter(pk=enrolment_id).values_list("order_id", flat=True).first()
        # The order first (as signing locks it): a signed order's attachments are never replaced.
        order = records_api.order_lock(order_id=order_id, kind=OrderKind.DLT) if order_id is not None else None
        if order is None or order.status != OrderStatus.DRAFT:
            return False
        enrolment = Enrolment.objects.select_for_update().filter(pk=enrolment_id).first()
        if enrolment is None:
            return False
        previous = Attachment.objects.filter(enrolment=enrolment, kind=kind).first()
        before = {"document": previous.document_id, "version": previous.source_version} if previous else None
        Attachment.objects.update_or_create(
            enrolment=enrolment, kind=kind, defaults={"document_id": document_id, "source_version": version}
        )
        audit_api.record(
            actor=actor,
            action="dlt.order_attachment_issued",
            target=enrolment,
            before=before,
            after={"kind": kind, "document": document_id, "version": version},
        )
    return True


# --- Signing: the gates (R39, R42) ------------------------------------------------------------------


def _join(values: Iterable[str]) -> str:
    return ", ".join(values)


def eumk_problems(*, enrolments: Iterable[Enrolment], on: date) -> list[str]:
    """For each programme of these students, the disciplines of its curriculum without an approved e-UMK
    for the academic year of `on` (rule 14, R42): one message per programme naming the students."""
    by_programme: dict[int, list[str]] = {}
    for enrolment in enrolments:
        by_programme.setdefault(enrolment.programme_id, []).append(enrolment.student.full_name)
    missing = selectors.eumk_missing_by_programme(programme_ids=by_programme, on=on)
    problems = []
    for programme_id, names in by_programme.items():
        disciplines = missing.get(programme_id) or []
        if disciplines:
            problems.append(
                _(
                    "%(students)s: these disciplines of the curriculum have no approved e-UMK, so training by "
                    "DLT cannot be organized (rule 14): %(disciplines)s."
                )
                % {"students": _join(names), "disciplines": _join(f"{d.code} {d.name}" for d in disciplines)}
            )
    return problems


def _attachment_problem(name: str, cell: selectors.AttachmentCell) -> str | None:
    if cell.state == selectors.MISSING:
        return _("%(student)s: the attachment “%(kind)s” is missing.") % {"student": name, "kind": cell.label}
    if cell.state == selectors.STALE:
        return _(
            "%(student)s: the attachment “%(kind)s” is out of date (made from version %(old)s, now version "
            "%(new)s): generate the attachments again."
        ) % {"student": name, "kind": cell.label, "old": cell.source_version, "new": cell.current_version or "—"}
    return None


def _sign_problems(*, order: OrderData) -> list[str]:
    problems: list[str] = []
    permission = organization_api.dlt_allowed(on=order.effective_date)
    if not permission.allowed:
        problems.extend(
            _("The institution may not use distance learning technologies on %(date)s: %(reason)s")
            % {"date": order.effective_date.strftime("%d.%m.%Y"), "reason": reason}
            for reason in permission.reasons
        )
    if selectors.job_running(order_id=order.id) is not None:
        problems.append(_("The attachments are being issued: sign once the job is done."))
    rows = selectors.order_student_rows(order_id=order.id)
    if not rows:
        problems.append(_("The order lists no students: add accepted applications before signing."))
    in_order = {row.enrolment.student_id for row in rows}
    items = records_api.order_items(order_id=order.id)
    for item in items:
        if item.student_id not in in_order:
            problems.append(
                _("Student № %(id)s is in the order without a DLT application: take them off it.")
                % {"id": item.student_id}
            )
    # A student taken off records' order (records' own page) while their enrolment stays would come into
    # force with the order without being named in it.
    listed = {item.student_id for item in items}
    for row in rows:
        if row.enrolment.student_id not in listed:
            problems.append(
                _(
                    "%(student)s: application № %(id)s is not listed in the contingent order: take it out of "
                    "this order and add it again."
                )
                % {"student": row.enrolment.student.full_name, "id": row.enrolment.application_id}
            )
    for row in rows:
        name = row.enrolment.student.full_name
        for cell in row.cells:
            problem = _attachment_problem(name, cell)
            if problem:
                problems.append(problem)
        plan = selectors.plan_of(row.enrolment.application)
        if plan is None:
            problems.append(_("%(student)s has no individual study plan.") % {"student": name})
        elif plan.status != PlanStatus.APPROVED:
            problems.append(
                _("%(student)s: the individual study plan is not approved by the administration service.")
                % {"student": name}
            )
    problems.extend(eumk_problems(enrolments=[row.enrolment for row in rows], on=order.effective_date))
    return problems


def sign_problems(*, order_id: int) -> list[str]:
    """Why the head cannot sign this DLT order now (the checks of `before_sign`, without signing); empty when
    it is ready to sign. Records' own checks (the students' status) come on signing."""
    return _sign_problems(order=_dlt_order(order_id))


def before_sign(order: OrderData, items: list[OrderItemData]) -> None:
    """records' hook, in the signing transaction after records' checks: refuse (every problem, naming the
    student) while an attachment is missing or stale, a plan is not approved, a discipline lacks an approved
    e-UMK, or the institution may not use DLT."""
    problems = _sign_problems(order=order)
    if problems:
        raise ValidationError([ValidationError(p, code="dlt_gate") for p in problems])


def dlt_order_sign(*, actor: Any, order_id: int) -> OrderData:
    """The head signs a DLT order through records (number, kk/ru documents, in force at once when its date
    has come): records asks `before_sign`, then `on_sign` marks the students' enrolments signed."""
    if not is_head(actor):
        raise ValidationError(_("Only the head signs DLT orders."), code="forbidden")
    _dlt_order(order_id)
    records_api.order_sign(actor=actor, order_id=order_id)
    return _dlt_order(order_id)


def on_sign(order: OrderData, items: list[OrderItemData]) -> None:
    """records' hook, in the signing transaction once the order is numbered (whichever page signed it): the
    students' enrolments are signed. Audit `dlt.order_signed`."""
    changed = Enrolment.objects.filter(order_id=order.id, status=EnrolmentStatus.ORDERED).update(
        status=EnrolmentStatus.SIGNED, updated_at=timezone.now()
    )
    audit_api.record(
        actor=None,
        action="dlt.order_signed",
        target=_order_target(order.id),
        after={"number": order.number_label, "status": order.status, "enrolments_signed": changed},
    )


# --- Records' hooks: in force, cancelled ---------------------------------------------------------------


def _open_enrolments(order_id: int) -> list[Enrolment]:
    return list(
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("application", "student")
        .filter(order_id=order_id)
        .exclude(status=EnrolmentStatus.CANCELLED)
    )


def _plans(enrolments: list[Enrolment]) -> dict[int, StudyPlan]:
    plans = StudyPlan.objects.filter(application_id__in=[e.application_id for e in enrolments]).prefetch_related(
        "lines"
    )
    return {plan.application_id: plan for plan in plans}


def on_apply(order: OrderData, items: list[OrderItemData]) -> None:
    """records' hook, when the signed order comes into force: with every discipline's e-UMK still approved
    (else "enrolment cannot start" and the order stays signed), each enrolment is active, each application
    enrolled, and each student enrolled in the course of every remaining discipline of the plan (on paper
    for case technology). Audit `dlt.order_applied`."""
    enrolments = _open_enrolments(order.id)
    problems = eumk_problems(enrolments=enrolments, on=order.effective_date)
    if problems:
        raise ValidationError(
            [
                ValidationError(_("Enrolment cannot start: %(problem)s") % {"problem": p}, code="eumk_missing")
                for p in problems
            ]
        )
    plans = _plans(enrolments)
    courses: dict[str, list[int]] = {}
    for enrolment in enrolments:
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.save(update_fields=["status", "updated_at"])
        application_services.application_status_set(
            application=enrolment.application, status=ApplicationStatus.ENROLLED, actor=None
        )
        plan = plans.get(enrolment.application_id)
        enrolled = courses.setdefault(str(enrolment.student_id), [])
        for line in plan.lines.all() if plan is not None else []:
            if line.completed or line.course_id is None or line.course_id in enrolled:
                continue  # studied, without a course, or a course already enrolled in (for another period)
            dlt_type = line.dlt_type or enrolment.dlt_type
            content_api.enrol(
                actor=None,
                course_id=line.course_id,
                student_id=enrolment.student_id,
                source="individual_plan",
                delivery="paper" if dlt_type == DltType.CASE else "electronic",
            )
            enrolled.append(line.course_id)
    audit_api.record(
        actor=None,
        action="dlt.order_applied",
        target=_order_target(order.id),
        after={"students": [e.student_id for e in enrolments], "courses": courses},
        reason=f"dlt № {order.number_label}",
    )


def on_cancel(order: OrderData, items: list[OrderItemData]) -> None:
    """records' hook, when a cancellation of the order is applied: each enrolment and application cancelled,
    and the course enrolments made from the individual plan ended. Audit `dlt.order_cancelled`."""
    enrolments = _open_enrolments(order.id)
    plans = _plans(enrolments)
    ended: dict[str, list[int]] = {}
    for enrolment in enrolments:
        before = enrolment.status
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.save(update_fields=["status", "updated_at"])
        application_services.application_status_set(
            application=enrolment.application, status=ApplicationStatus.CANCELLED, actor=None
        )
        if before != EnrolmentStatus.ACTIVE:
            continue
        plan = plans.get(enrolment.application_id)
        plan_courses = {line.course_id for line in plan.lines.all() if line.course_id} if plan is not None else set()
        for data in content_api.enrolments_of_student(student_id=enrolment.student_id):
            if data.source == "individual_plan" and data.course_id in plan_courses:
                content_api.enrolment_end(
                    actor=None,
                    course_id=data.course_id,
                    student_id=enrolment.student_id,
                    reason=f"dlt № {order.number_label} cancelled",
                )
                ended.setdefault(str(enrolment.student_id), []).append(data.course_id)
    audit_api.record(
        actor=None,
        action="dlt.order_cancelled",
        target=_order_target(order.id),
        after={"students": [e.student_id for e in enrolments], "courses_ended": ended},
        reason=f"dlt № {order.number_label}",
    )
