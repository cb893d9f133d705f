"""Writes of courses: create and edit a course, set its teachers and tutors, enrol students (one by one, or the
active students of its groups), end an enrolment.

`actor=None` is the system (management commands, the demo, another app's service acting on a person's
behalf after checking their rights); a person must be the administration service. Every change is an audit
event (`content.*`) in the same transaction. Students who leave a group are not taken off its courses
automatically: the administration service ends such an enrolment (`enrolment_end`).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qashyq.academics import api as academics_api
from qashyq.academics.data import Language
from qashyq.accounts.api import Role, user_roles
from qashyq.audit import api as audit_api
from qashyq.content.data import DeliveryChannel, EnrolmentSource, StaffRole
from qashyq.content.models import Course, CourseStaff, Enrolment
from qashyq.content.permissions.courses import can_manage_courses
from qashyq.content.services._audit import record_changes
from qashyq.records import api as records_api
from qashyq.records.data import StudentStatus

NAME_FIELDS = ("name_kk", "name_ru", "name_en")
DESCRIPTION_FIELDS = ("description_kk", "description_ru", "description_en")
UPDATE_FIELDS = frozenset(
    {"code", "discipline_id", "period_id", "language", "group_ids", *NAME_FIELDS, *DESCRIPTION_FIELDS}
)
CODE_MAX = Course._meta.get_field("code").max_length or 60
NAME_MAX = Course._meta.get_field("name_kk").max_length or 300


def _require_manager(actor: Any) -> None:
    if actor is not None and not can_manage_courses(user=actor):
        raise PermissionDenied(_("Only the administration service manages courses and enrolments."))


def _add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _forget_access_cache(course: Course) -> None:
    for key in ("_qashyq_staff_of", "_qashyq_enrolment_of"):
        course.__dict__.pop(key, None)


def _course_view(course: Course, group_ids: Iterable[int]) -> dict[str, Any]:
    """What the ledger keeps of a course."""
    return {
        "code": course.code,
        "discipline_id": course.discipline_id,
        "period_id": course.period_id,
        "language": course.language,
        "name_kk": course.name_kk,
        "name_ru": course.name_ru,
        "name_en": course.name_en,
        "group_ids": sorted(group_ids),
    }


def _check_course_values(values: dict[str, Any], *, errors: dict[str, list[str]], course_id: int | None = None) -> Any:
    """Check code, discipline, period, language, names and groups; fill empty names from the discipline.
    Returns the discipline's data (or None when it does not exist)."""
    code = values["code"] = (values.get("code") or "").strip()
    if not code:
        _add(errors, "code", _("Enter the course code."))
    elif len(code) > CODE_MAX:
        _add(errors, "code", _("The course code may be at most %(max)d characters long.") % {"max": CODE_MAX})
    elif Course.objects.filter(code=code).exclude(pk=course_id or 0).exists():
        _add(errors, "code", _("A course with the code “%(code)s” already exists.") % {"code": code})

    discipline = None
    if values.get("discipline_id") is None:
        _add(errors, "discipline", _("Choose the discipline."))
    else:
        discipline = academics_api.discipline_get(discipline_id=values["discipline_id"])
        if discipline is None:
            _add(errors, "discipline", _("Choose an existing discipline."))
    if values.get("period_id") is None or academics_api.period_get(period_id=values["period_id"]) is None:
        _add(errors, "period", _("Choose an existing academic period."))
    if values.get("language") not in Language.values:
        _add(
            errors,
            "language",
            _("Unknown language “%(value)s”: use one of %(known)s.")
            % {"value": values.get("language"), "known": ", ".join(Language.values)},
        )
    for key in NAME_FIELDS:
        name = (values.get(key) or "").strip()
        if not name and discipline is not None:
            name = getattr(discipline, key)
        values[key] = name
        if len(name) > NAME_MAX:
            _add(errors, key, _("The title may be at most %(max)d characters long.") % {"max": NAME_MAX})
    if not values["name_kk"] and "discipline" not in errors:
        _add(errors, "name_kk", _("Enter the course title in Kazakh."))
    for key in DESCRIPTION_FIELDS:
        values[key] = (values.get(key) or "").strip()

    group_ids = sorted({int(g) for g in values.get("group_ids") or ()})
    known = {g.id for g in academics_api.group_list()} if group_ids else set()
    unknown = [g for g in group_ids if g not in known]
    if unknown:
        _add(
            errors,
            "groups",
            _("These groups do not exist: %(ids)s.") % {"ids": ", ".join(str(g) for g in unknown)},
        )
    values["group_ids"] = group_ids
    return discipline


@transaction.atomic
def course_create(
    *,
    actor: Any,
    discipline_id: int,
    period_id: int,
    code: str,
    name_kk: str = "",
    name_ru: str = "",
    name_en: str = "",
    language: str = "kk",
    group_ids: Iterable[int] = (),
    description_kk: str = "",
    description_ru: str = "",
    description_en: str = "",
    teacher_ids: Iterable[int] = (),
    tutor_ids: Iterable[int] = (),
    created_by: Any = None,
) -> Course:
    """A course of a discipline in an academic period for some groups. Empty titles take the discipline's
    names. ValidationError by field when anything is wrong, and then nothing is written."""
    _require_manager(actor)
    values: dict[str, Any] = {
        "code": code,
        "discipline_id": discipline_id,
        "period_id": period_id,
        "language": language,
        "name_kk": name_kk,
        "name_ru": name_ru,
        "name_en": name_en,
        "description_kk": description_kk,
        "description_ru": description_ru,
        "description_en": description_en,
        "group_ids": group_ids,
    }
    errors: dict[str, list[str]] = {}
    _check_course_values(values, errors=errors)
    if errors:
        raise ValidationError(errors)
    author = actor or created_by
    if author is None:
        raise ValueError("course_create() needs an actor or, for the system, created_by")
    groups = values.pop("group_ids")
    try:
        with transaction.atomic():
            course = Course.objects.create(created_by=author, **values)
    except IntegrityError:
        raise ValidationError(
            {"code": _("A course with the code “%(code)s” already exists.") % {"code": code}}
        ) from None
    course.groups.set(groups)
    audit_api.record(actor=actor, action="content.course_created", target=course, after=_course_view(course, groups))
    teachers, tutors = list(teacher_ids), list(tutor_ids)
    if teachers or tutors:
        course_staff_set(actor=actor, course=course, teacher_ids=teachers, tutor_ids=tutors)
    return course


@transaction.atomic
def course_update(*, actor: Any, course: Course, **fields: Any) -> Course:
    """Change a course's code, discipline, period, language, titles, descriptions or groups. A tutor's limit
    to a group the course no longer has is dropped with it. Nothing is written when anything is wrong."""
    unknown = sorted(set(fields) - UPDATE_FIELDS)
    if unknown:
        raise TypeError(f"course_update() got unexpected fields: {', '.join(unknown)}")
    _require_manager(actor)
    old_groups = sorted(course.groups.values_list("pk", flat=True))
    before = _course_view(course, old_groups)
    values: dict[str, Any] = {
        "code": course.code,
        "discipline_id": course.discipline_id,
        "period_id": course.period_id,
        "language": course.language,
        **{key: getattr(course, key) for key in (*NAME_FIELDS, *DESCRIPTION_FIELDS)},
        "group_ids": old_groups,
    }
    values.update(fields)
    errors: dict[str, list[str]] = {}
    _check_course_values(values, errors=errors, course_id=course.pk)
    if errors:
        raise ValidationError(errors)
    groups = values.pop("group_ids")
    changed = [key for key, value in values.items() if getattr(course, key) != value]
    for key in changed:
        setattr(course, key, values[key])
    if changed:
        course.save(update_fields=[*changed, "updated_at"])
    if groups != old_groups:
        course.groups.set(groups)
        dropped = set(old_groups) - set(groups)
        if dropped:
            CourseStaff.groups.through.objects.filter(
                coursestaff__course=course, coursestaff__role=StaffRole.TUTOR, studygroup_id__in=dropped
            ).delete()
    after = _course_view(course, groups)
    record_changes(actor=actor, action="content.course_updated", target=course, before=before, after=after)
    return course


def _staff_view(course: Course) -> dict[str, Any]:
    teachers: list[int] = []
    tutors: dict[str, list[int]] = {}
    for staff in CourseStaff.objects.filter(course=course).prefetch_related("groups").order_by("user_id"):
        if staff.role == StaffRole.TEACHER:
            teachers.append(staff.user_id)
        else:
            tutors[str(staff.user_id)] = sorted(g.pk for g in staff.groups.all())
    return {"teachers": teachers, "tutors": tutors}


@transaction.atomic
def course_staff_set(
    *,
    actor: Any,
    course: Course,
    teacher_ids: Iterable[int],
    tutor_ids: Iterable[int],
    tutor_groups: Mapping[int, Iterable[int]] | None = None,
) -> None:
    """Make these users the course's teachers and tutors (others leave its staff). A teacher must hold the
    teacher role, a tutor the tutor role. `tutor_groups` limits a tutor to some of the course's groups (an
    empty list: every group); a tutor it does not name keeps their limit (a new one: every group)."""
    _require_manager(actor)
    teachers = sorted({int(u) for u in teacher_ids})
    tutors = sorted({int(u) for u in tutor_ids})
    limits = {int(k): sorted({int(g) for g in v}) for k, v in (tutor_groups or {}).items()}
    errors: dict[str, list[str]] = {}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=[*teachers, *tutors], is_active=True)}
    for key, ids, role in (("teachers", teachers, Role.TEACHER), ("tutors", tutors, Role.TUTOR)):
        for user_id in ids:
            user = users.get(user_id)
            if user is None:
                _add(errors, key, _("There is no active account with the number %(id)d.") % {"id": user_id})
            elif role not in user_roles(user):
                _add(
                    errors,
                    key,
                    _("%(name)s does not hold the role “%(role)s”.") % {"name": user.full_name, "role": role.label},
                )
    course_groups = set(course.groups.values_list("pk", flat=True))
    for tutor_id, groups in limits.items():
        if tutor_id not in tutors:
            _add(errors, "tutors", _("Group limits are given for someone who is not a tutor of the course."))
        elif not set(groups) <= course_groups:
            _add(errors, "tutors", _("A tutor may be limited only to groups of the course."))
    if errors:
        raise ValidationError(errors)

    before = _staff_view(course)
    wanted = {(StaffRole.TEACHER.value, u) for u in teachers} | {(StaffRole.TUTOR.value, u) for u in tutors}
    existing = {(s.role, s.user_id): s for s in CourseStaff.objects.filter(course=course)}
    for place, staff in existing.items():
        if place not in wanted:
            staff.delete()
    for kind, user_id in sorted(wanted - set(existing)):
        existing[(kind, user_id)] = CourseStaff.objects.create(course=course, user_id=user_id, role=kind)
    for tutor_id, groups in limits.items():
        existing[(StaffRole.TUTOR.value, tutor_id)].groups.set(groups)
    _forget_access_cache(course)
    after = _staff_view(course)
    if after != before:
        audit_api.record(actor=actor, action="content.staff_changed", target=course, before=before, after=after)


def _enrolment_view(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "course_id": enrolment.course_id,
        "student_id": enrolment.student_id,
        "source": enrolment.source,
        "delivery": enrolment.delivery,
        "active": enrolment.active,
    }


@transaction.atomic
def enrol(
    *,
    actor: Any,
    course_id: int,
    student_id: int,
    source: str,
    delivery: str = DeliveryChannel.ELECTRONIC,
) -> Enrolment:
    """Enrol a studying student in a course. Idempotent: an active enrolment is returned as it is; an ended
    one is made active again (with this source; its delivery channel is kept). Audit `content.enrolled`."""
    _require_manager(actor)
    errors: dict[str, list[str]] = {}
    if source not in EnrolmentSource.values:
        _add(errors, "source", _("Unknown enrolment source “%(value)s”.") % {"value": source})
    if delivery not in DeliveryChannel.values:
        _add(errors, "delivery", _("Unknown delivery channel “%(value)s”.") % {"value": delivery})
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        _add(errors, "course", _("There is no course with the number %(id)d.") % {"id": course_id})
    student = records_api.student_get(student_id=student_id)
    if student is None:
        _add(errors, "student", _("There is no student with the number %(id)d.") % {"id": student_id})
    elif student.status != StudentStatus.ACTIVE:
        _add(
            errors,
            "student",
            _("%(name)s is not studying (status: %(status)s) and cannot be enrolled.")
            % {"name": student.full_name, "status": StudentStatus(student.status).label},
        )
    if errors:
        raise ValidationError(errors)
    assert course is not None
    enrolment = Enrolment.objects.select_for_update().filter(course_id=course_id, student_id=student_id).first()
    if enrolment is not None and enrolment.active:
        return enrolment
    if enrolment is None:
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    course_id=course_id, student_id=student_id, source=source, delivery=delivery
                )
        except IntegrityError:  # enrolled at the same moment by another request
            return Enrolment.objects.get(course_id=course_id, student_id=student_id)
        reactivated = False
    else:
        enrolment.active = True
        enrolment.ended_at = None
        enrolment.source = source
        enrolment.save(update_fields=["active", "ended_at", "source", "updated_at"])
        reactivated = True
    _forget_access_cache(course)
    audit_api.record(
        actor=actor,
        action="content.enrolled",
        target=enrolment,
        after={**_enrolment_view(enrolment), "reactivated": reactivated},
    )
    return enrolment


@transaction.atomic
def course_enrol_groups(*, actor: Any, course: Course) -> int:
    """Enrol the studying students of the course's groups who are not enrolled yet; returns how many.
    Idempotent. An enrolment the administration ended stays ended (`enrol` makes it active again)."""
    _require_manager(actor)
    Course.objects.select_for_update().filter(pk=course.pk).first()  # one group enrolment at a time
    group_ids = sorted(course.groups.values_list("pk", flat=True))
    students = records_api.students_in_groups(group_ids=group_ids)
    known = set(Enrolment.objects.filter(course=course).values_list("student_id", flat=True))
    new = [s.id for s in students if s.id not in known]
    if not new:
        return 0
    Enrolment.objects.bulk_create(
        [Enrolment(course=course, student_id=student_id, source=EnrolmentSource.GROUP) for student_id in new]
    )
    _forget_access_cache(course)
    audit_api.record(
        actor=actor,
        action="content.group_enrolled",
        target=course,
        after={"group_ids": group_ids, "student_ids": new, "count": len(new)},
    )
    return len(new)


@transaction.atomic
def enrolment_end(*, actor: Any, enrolment: Enrolment, reason: str = "") -> Enrolment:
    """End an enrolment (the student no longer sees the course; their progress is kept)."""
    _require_manager(actor)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not enrolment.active:
        raise ValidationError({"enrolment": _("This enrolment has already ended.")})
    before = _enrolment_view(enrolment)
    enrolment.active = False
    enrolment.ended_at = timezone.now()
    enrolment.save(update_fields=["active", "ended_at", "updated_at"])
    audit_api.record(
        actor=actor,
        action="content.enrolment_ended",
        target=enrolment,
        before=before,
        after=_enrolment_view(enrolment),
        reason=reason.strip(),
    )
    return enrolment
