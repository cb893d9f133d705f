"""Reads of progress: a student's completion of a course, and the teacher's students × items matrix.

Completion = completed published items / published items. Only published items count (a draft is not
there for the student yet); the placeholder kinds (test, assignment, consultation) count once published,
like any other item. Every read here is a fixed number of queries, whatever the number of items or students.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.db.models.fields.json import KeyTextTransform

from qashyq.content.data import ProgressStatus
from qashyq.content.models import Course, Enrolment, Item, ItemProgress
from qashyq.core.i18n import localized


@dataclass(frozen=True)
class Completion:
    completed: int
    total: int

    @property
    def percent(self) -> int:
        """Whole per cent, rounded down (100 only when everything is completed)."""
        return 100 * self.completed // self.total if self.total else 0


def completion_of(*, enrolment: Enrolment) -> Completion:
    """One student's completion of their course (two queries)."""
    return completions_of(enrolments=[enrolment])[enrolment.pk]


def completions_of(*, enrolments: Iterable[Enrolment]) -> dict[int, Completion]:
    """Completion per enrolment id, for enrolments of any courses (two queries)."""
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    course_ids = {e.course_id for e in enrolments}
    totals = dict(
        Item.objects.filter(course_id__in=course_ids, live_version__isnull=False)
        .values("course_id")
        .annotate(n=Count("pk"))
        .values_list("course_id", "n")
    )
    done = dict(
        ItemProgress.objects.filter(
            enrolment_id__in=[e.pk for e in enrolments],
            status=ProgressStatus.COMPLETED,
            item__live_version__isnull=False,
        )
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    return {e.pk: Completion(completed=done.get(e.pk, 0), total=totals.get(e.course_id, 0)) for e in enrolments}


def progress_of(*, enrolment: Enrolment) -> dict[int, ItemProgress]:
    """The student's progress rows of their course, by item id (one query)."""
    return {p.item_id: p for p in ItemProgress.objects.filter(enrolment=enrolment)}


def published_progress_of(*, enrolment: Enrolment) -> list[ItemProgress]:
    """The student's progress rows on the published items of their course, in course order (one query)."""
    return list(
        ItemProgress.objects.filter(enrolment=enrolment, item__live_version__isnull=False).order_by(
            "item__section__position", "item__section_id", "item__position", "item_id"
        )
    )


# --- The group view ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixItem:
    id: int
    number: int  # 1, 2, 3… in course order (sections, then items)
    title: str
    section_id: int


@dataclass(frozen=True)
class MatrixRow:
    enrolment_id: int
    student_id: int
    student_name: str
    group_id: int | None
    group_code: str
    statuses: tuple[str, ...]  # one ProgressStatus per MatrixItem, in order
    scores: tuple[Decimal | None, ...]
    completion: Completion


@dataclass(frozen=True)
class ProgressMatrix:
    items: tuple[MatrixItem, ...]
    rows: tuple[MatrixRow, ...]


def _published_items(course: Course) -> list[MatrixItem]:
    """The course's published items in order, titled as published (one query; the bodies are not read)."""
    rows = (
        Item.objects.filter(course=course, live_version__isnull=False)
        .order_by("section__position", "section_id", "position", "pk")
        .annotate(
            live_kk=KeyTextTransform("name_kk", "live_version__data"),
            live_ru=KeyTextTransform("name_ru", "live_version__data"),
            live_en=KeyTextTransform("name_en", "live_version__data"),
        )
        .values_list("pk", "section_id", "live_kk", "live_ru", "live_en")
    )
    items = []
    for number, (pk, section_id, kk, ru, en) in enumerate(rows, start=1):
        names = _Names(kk, ru, en)
        items.append(MatrixItem(id=pk, number=number, title=localized(names, "name"), section_id=section_id))
    return items


class _Names:
    """name_kk/ru/en of published data, for `localized` (a JSON null reads as "null" on SQLite)."""

    def __init__(self, kk: object, ru: object, en: object) -> None:
        self.name_kk, self.name_ru, self.name_en = (json_text(v) for v in (kk, ru, en))


def json_text(value: object) -> str:
    """A text value read out of JSON by KeyTextTransform, None and JSON null as ""."""
    if value is None or value == "null":
        return ""
    return str(value)


def progress_matrix(*, course: Course, group_ids: frozenset[int] | None, group_id: int | None = None) -> ProgressMatrix:
    """Every active student of the course (of `group_ids` only, unless None) × its published items; `group_id`
    narrows to one group. Four queries: items, enrolments with students and their groups, progress statuses,
    scores."""
    items = _published_items(course)
    enrolments = Enrolment.objects.filter(course=course, active=True).select_related("student", "student__group")
    if group_ids is not None:
        enrolments = enrolments.filter(student__group_id__in=sorted(group_ids))
    if group_id is not None:
        enrolments = enrolments.filter(student__group_id=group_id)
    enrolment_list = sorted(enrolments.order_by("student_id"), key=lambda e: e.student.name_key)

    index = {item.id: n for n, item in enumerate(items)}
    statuses_of: dict[int, list[str]] = {e.pk: [ProgressStatus.NOT_STARTED.value] * len(items) for e in enrolment_list}
    scores_of: dict[int, list[Decimal | None]] = {}
    if enrolment_list and items:
        # Statuses and scores are read apart: scores are few, and turning 30,000 NULLs into Decimals is not free.
        mine = ItemProgress.objects.filter(enrolment_id__in=list(statuses_of), item_id__in=list(index))
        for enrolment_id, item_id, status in mine.values_list("enrolment_id", "item_id", "status"):
            statuses_of[enrolment_id][index[item_id]] = status
        for enrolment_id, item_id, score in mine.filter(score__isnull=False).values_list(
            "enrolment_id", "item_id", "score"
        ):
            scores_of.setdefault(enrolment_id, [None] * len(items))[index[item_id]] = score

    rows = []
    completed = ProgressStatus.COMPLETED.value
    no_scores: tuple[Decimal | None, ...] = (None,) * len(items)
    for enrolment in enrolment_list:
        statuses = statuses_of[enrolment.pk]
        scores = scores_of.get(enrolment.pk)
        student = enrolment.student
        rows.append(
            MatrixRow(
                enrolment_id=enrolment.pk,
                student_id=student.pk,
                student_name=student.full_name,
                group_id=student.group_id,
                group_code=student.group.code if student.group is not None else "",
                statuses=tuple(statuses),
                scores=tuple(scores) if scores is not None else no_scores,
                completion=Completion(completed=statuses.count(completed), total=len(items)),
            )
        )
    return ProgressMatrix(items=tuple(items), rows=tuple(rows))
