"""Reads of courses: "my courses" (filtered, paginated), the course page (sections → items with status, lock
reason and the student's progress), staff candidates, enrolments of a course.

The course page reads a fixed number of rows sets whatever the number of items: sections, items, and the
student's progress. Students get the published data only (`live_version.data`, read key by key without the
bodies); staff get the drafts.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qashyq.accounts.api import Role
from qashyq.content import rules
from qashyq.content.data import Activity, ItemKind, ProgressStatus, StaffRole
from qashyq.content.models import Course, CourseStaff, Enrolment, Item, Section
from qashyq.content.permissions.courses import courses_visible_to
from qashyq.content.selectors.progress import Completion, completions_of, json_text, progress_of
from qashyq.core.i18n import LANGUAGE_ORDER

PAGE_SIZE = 25

# --- "My courses" ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseFilters:
    period_id: int | None = None
    q: str = ""  # words of the discipline's code or name, or of the course's code or title


def course_queryset(*, user: Any, filters: CourseFilters) -> QuerySet[Course]:
    """The courses `user` may open that match `filters`: all of them for the administration, the head and
    the didactic-means service; the staffed ones for teachers and tutors; the enrolled ones for students."""
    visible = courses_visible_to(user=user)
    if visible is None:
        return Course.objects.none()
    courses = Course.objects.filter(visible)
    if filters.period_id:
        courses = courses.filter(period_id=filters.period_id)
    for word in filters.q.split()[:5]:
        courses = courses.filter(
            Q(code__icontains=word)
            | Q(name_kk__icontains=word)
            | Q(name_ru__icontains=word)
            | Q(name_en__icontains=word)
            | Q(discipline__code__icontains=word)
            | Q(discipline__name_kk__icontains=word)
            | Q(discipline__name_ru__icontains=word)
            | Q(discipline__name_en__icontains=word)
        )
    return courses.select_related("discipline", "period", "period__year").order_by("-period__start_date", "code", "pk")


@dataclass(frozen=True)
class CourseListRow:
    course: Course
    group_codes: tuple[str, ...]
    staff_role: str  # "teacher", "tutor" or "" — the user's place on its staff
    completion: Completion | None  # the user's completion, when they are its student


def course_list(*, user: Any, filters: CourseFilters, page: int | str = 1) -> tuple[Page, list[CourseListRow]]:
    """One page of the user's courses, each with its groups, the user's staff role and their completion.
    Seven queries for any page: count, page, groups, staff rows, enrolments, published totals, completed."""
    paginator = Paginator(course_queryset(user=user, filters=filters), PAGE_SIZE)
    page_obj = paginator.get_page(page)
    courses: list[Course] = list(page_obj.object_list)
    ids = [c.pk for c in courses]
    if not ids:
        return page_obj, []
    groups: dict[int, list[str]] = {}
    for course_id, code in (
        Course.groups.through.objects.filter(course_id__in=ids)
        .order_by("studygroup__code")
        .values_list("course_id", "studygroup__code")
    ):
        groups.setdefault(course_id, []).append(code)
    roles: dict[int, str] = {}
    for course_id, role in CourseStaff.objects.filter(course_id__in=ids, user_id=user.pk).values_list(
        "course_id", "role"
    ):
        if roles.get(course_id) != StaffRole.TEACHER:
            roles[course_id] = role
    enrolments = list(Enrolment.objects.filter(course_id__in=ids, active=True, student__user_id=user.pk))
    completions = completions_of(enrolments=enrolments)
    by_course = {e.course_id: completions[e.pk] for e in enrolments}
    rows = [
        CourseListRow(
            course=c,
            group_codes=tuple(groups.get(c.pk, ())),
            staff_role=roles.get(c.pk, ""),
            completion=by_course.get(c.pk),
        )
        for c in courses
    ]
    return page_obj, rows


# --- The course page ------------------------------------------------------------------------------


class ItemState:
    """An item's publishing state as staff see it."""

    DRAFT = "draft"  # never published
    PUBLISHED = "published"  # published, no change since
    CHANGED = "changed"  # published, with unpublished changes


def item_state_labels() -> dict[str, str]:
    return {
        ItemState.DRAFT: _("Draft"),
        ItemState.PUBLISHED: _("Published"),
        ItemState.CHANGED: _("Unpublished changes"),
    }


@dataclass(frozen=True)
class ItemRow:
    id: int
    section_id: int
    title: str
    kind: str
    kind_label: str
    activity: str
    activity_label: str
    minutes: int
    available_from: datetime | None
    available_until: datetime | None
    prerequisite_id: int | None
    prerequisite_title: str
    state: str  # ItemState, for staff; "" for a student
    state_label: str
    lock: str  # for a student: why the item is not open yet ("" when it is open)
    progress: str  # for a student: ProgressStatus
    progress_label: str
    score: Decimal | None


@dataclass(frozen=True)
class SectionBlock:
    section: Section
    items: tuple[ItemRow, ...]


@dataclass(frozen=True)
class ActivityTotal:
    activity: str
    label: str
    items: int
    minutes: int


@dataclass(frozen=True)
class CoursePage:
    course: Course
    sections: tuple[SectionBlock, ...]
    totals: tuple[ActivityTotal, ...]
    drafts: bool  # staff view: drafts and publishing state
    enrolment: Enrolment | None
    completion: Completion | None  # the student's


def _title(kk: object, ru: object, en: object, language: str) -> str:
    names = {"kk": json_text(kk), "ru": json_text(ru), "en": json_text(en)}
    for code in (language, *LANGUAGE_ORDER):
        if names.get(code):
            return names[code]
    return ""


def _when(value: object) -> datetime | None:
    """A published date (ISO text in the JSON) or a draft one (a datetime)."""
    if isinstance(value, datetime):
        return value
    text = json_text(value)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _int(value: object) -> int | None:
    text = json_text(value)
    try:
        return int(text) if text else None
    except ValueError:
        return None


_LIVE_KEYS = (
    "name_kk",
    "name_ru",
    "name_en",
    "kind",
    "activity",
    "minutes",
    "available_from",
    "available_until",
    "prerequisite_id",
)


def _draft_rows(course: Course) -> list[tuple[Any, ...]]:
    """(pk, section, names…, kind, activity, minutes, from, until, prerequisite, live_version, changed)."""
    return list(
        Item.objects.filter(course=course)
        .order_by("position", "pk")
        .values_list(
            "pk",
            "section_id",
            "name_kk",
            "name_ru",
            "name_en",
            "kind",
            "activity",
            "minutes",
            "available_from",
            "available_until",
            "prerequisite_id",
            "live_version_id",
            "draft_changed",
        )
    )


def _live_rows(course: Course) -> list[tuple[Any, ...]]:
    """The published items as published: (pk, section, then _LIVE_KEYS), without reading the bodies."""
    annotations = {f"live_{key}": KeyTextTransform(key, "live_version__data") for key in _LIVE_KEYS}
    return list(
        Item.objects.filter(course=course, live_version__isnull=False)
        .order_by("position", "pk")
        .annotate(**annotations)
        .values_list("pk", "section_id", *annotations)
    )


def course_page(
    *, course: Course, drafts: bool, enrolment: Enrolment | None, now: datetime | None = None
) -> CoursePage:
    """Sections → items of the course. With `drafts` (staff), every item's draft and its publishing state;
    otherwise the published items as published, with the lock reason (availability dates, prerequisite) and
    the progress of `enrolment`'s student. Three queries (sections, items, progress) for any number of items."""
    now = now or timezone.now()
    language = (translation.get_language() or "kk")[:2]
    kinds = {value: str(label) for value, label in ItemKind.choices}
    activities = {value: str(label) for value, label in Activity.choices}
    progress_labels = {value: str(label) for value, label in ProgressStatus.choices}
    state_labels = item_state_labels()

    sections = list(Section.objects.filter(course=course).order_by("position", "pk"))
    raw: list[dict[str, Any]] = []
    if drafts:
        for pk, section_id, kk, ru, en, kind, activity, minutes, start, end, prereq, live_id, changed in _draft_rows(
            course
        ):
            state = ItemState.DRAFT if live_id is None else ItemState.CHANGED if changed else ItemState.PUBLISHED
            raw.append(
                {
                    "id": pk,
                    "section_id": section_id,
                    "title": _title(kk, ru, en, language),
                    "kind": kind,
                    "activity": activity,
                    "minutes": minutes or 0,
                    "available_from": start,
                    "available_until": end,
                    "prerequisite_id": prereq,
                    "state": state,
                }
            )
    else:
        for pk, section_id, kk, ru, en, kind, activity, minutes, start, end, prereq in _live_rows(course):
            raw.append(
                {
                    "id": pk,
                    "section_id": section_id,
                    "title": _title(kk, ru, en, language),
                    "kind": json_text(kind),
                    "activity": json_text(activity),
                    "minutes": _int(minutes) or 0,
                    "available_from": _when(start),
                    "available_until": _when(end),
                    "available_from_raw": json_text(start) or None,
                    "available_until_raw": json_text(end) or None,
                    "prerequisite_id": _int(prereq),
                    "state": "",
                }
            )

    progress = progress_of(enrolment=enrolment) if enrolment is not None and not drafts else {}
    completed_ids = {item_id for item_id, p in progress.items() if p.status == ProgressStatus.COMPLETED}
    titles = {row["id"]: row["title"] for row in raw}
    by_section: dict[int, list[ItemRow]] = {}
    minutes_by_activity: dict[str, int] = {}
    items_by_activity: dict[str, int] = {}
    for row in raw:
        prerequisite_title = titles.get(row["prerequisite_id"], "") if row["prerequisite_id"] else ""
        lock = ""
        status, score = "", None
        if not drafts:
            lock = rules.item_lock(
                data={
                    "available_from": row["available_from_raw"],
                    "available_until": row["available_until_raw"],
                    "prerequisite_id": row["prerequisite_id"],
                },
                now=now,
                completed_item_ids=completed_ids,
                prerequisite_title=prerequisite_title,
            )
            if enrolment is not None:
                mine = progress.get(row["id"])
                status = mine.status if mine is not None else ProgressStatus.NOT_STARTED.value
                score = mine.score if mine is not None else None
        activity = row["activity"]
        minutes_by_activity[activity] = minutes_by_activity.get(activity, 0) + row["minutes"]
        items_by_activity[activity] = items_by_activity.get(activity, 0) + 1
        by_section.setdefault(row["section_id"], []).append(
            ItemRow(
                id=row["id"],
                section_id=row["section_id"],
                title=row["title"],
                kind=row["kind"],
                kind_label=kinds.get(row["kind"], row["kind"]),
                activity=activity,
                activity_label=activities.get(activity, activity),
                minutes=row["minutes"],
                available_from=row["available_from"],
                available_until=row["available_until"],
                prerequisite_id=row["prerequisite_id"],
                prerequisite_title=prerequisite_title,
                state=row["state"],
                state_label=state_labels.get(row["state"], ""),
                lock=lock,
                progress=status,
                progress_label=progress_labels.get(status, ""),
                score=score,
            )
        )
    blocks = tuple(
        SectionBlock(section=s, items=tuple(by_section.get(s.pk, ())))
        for s in sections
        if drafts or by_section.get(s.pk)
    )
    totals = tuple(
        ActivityTotal(
            activity=value,
            label=activities[value],
            items=items_by_activity.get(value, 0),
            minutes=minutes_by_activity.get(value, 0),
        )
        for value in Activity.values
    )
    completion = None
    if enrolment is not None and not drafts:
        published = {row["id"] for row in raw}
        completion = Completion(completed=len(completed_ids & published), total=len(published))
    return CoursePage(
        course=course, sections=blocks, totals=totals, drafts=drafts, enrolment=enrolment, completion=completion
    )


# --- Staff and enrolments ---------------------------------------------------------------------------


def staff_candidates(*, role: Role) -> list[tuple[int, str]]:
    """Active accounts holding `role` (roles are auth groups named by the role), as (id, full name), by name."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=role.value)
        .order_by("last_name", "first_name", "pk")
        .distinct()
    )
    return [(u.pk, u.full_name) for u in users]


@dataclass(frozen=True)
class StaffMember:
    user_id: int
    name: str
    role: str
    group_ids: tuple[int, ...]
    group_codes: tuple[str, ...]


def course_staff(*, course: Course) -> list[StaffMember]:
    """The course's teachers, then tutors, by name, each tutor with the groups they are limited to (two queries)."""
    rows = (
        CourseStaff.objects.filter(course=course)
        .select_related("user")
        .prefetch_related("groups")
        .order_by("role", "user__last_name", "user__first_name", "user_id")
    )
    return [
        StaffMember(
            user_id=s.user_id,
            name=s.user.full_name,
            role=s.role,
            group_ids=tuple(sorted(g.pk for g in s.groups.all())),
            group_codes=tuple(sorted(g.code for g in s.groups.all())),
        )
        for s in rows
    ]


def course_group_choices(*, course: Course) -> list[tuple[int, str]]:
    return list(course.groups.order_by("code").values_list("pk", "code"))


def course_enrolments(*, course: Course, group_ids: Iterable[int] | None = None) -> QuerySet[Enrolment]:
    """The course's enrolments (active first), with students and their groups; `group_ids` narrows to the
    students of those groups (a tutor limited to them)."""
    enrolments = Enrolment.objects.filter(course=course).select_related("student", "student__group")
    if group_ids is not None:
        enrolments = enrolments.filter(student__group_id__in=sorted(group_ids))
    return enrolments.order_by("-active", "student__last_name", "student__first_name", "student_id")


def courses_of_student(*, student_id: int) -> QuerySet[Course]:
    """The courses of a student's active enrolments."""
    return Course.objects.filter(enrolments__student_id=student_id, enrolments__active=True).order_by("code")
