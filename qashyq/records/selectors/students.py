"""Reads of student records: the searchable, filtered list (restricted to what a user may see) and a card."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet, Value
from django.db.models.functions import Concat
from django.utils.functional import cached_property

from qashyq.records import rules
from qashyq.records.data import StudentData, StudentStatus
from qashyq.records.models import OrderItem, Student
from qashyq.records.permissions import students_visible_to
from qashyq.records.selectors.orders import order_items_for_student

PAGE_SIZE = 50
# Counting stops here: "more than 10,000" is all a person needs, and the count stays fast on any filter.
COUNT_CAP = 10_000
EXPORT_CHUNK = 2_000


@dataclass(frozen=True)
class StudentFilters:
    q: str = ""  # an IIN or its first digits, or words of a name in any script
    group_id: int | None = None
    programme_id: int | None = None
    status: str = ""
    form_of_study: str = ""

    @property
    def any(self) -> bool:
        return bool(self.q or self.group_id or self.programme_id or self.status or self.form_of_study)


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows (one bounded query), so a page of a huge list stays fast."""

    @cached_property
    def count(self) -> int:
        students: QuerySet[Student] = self.object_list  # type: ignore[assignment]
        return students.order_by().values("pk")[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


def _search(students: QuerySet[Student], q: str) -> QuerySet[Student]:
    q = q.strip()
    if not q:
        return students
    compact = q.replace(" ", "")
    if compact.isdigit():
        return students.filter(iin=compact) if len(compact) == 12 else students.filter(iin__startswith=compact)
    for word in rules.search_fold(q).split()[:5]:
        students = students.filter(search_text__contains=word)
    return students


def student_queryset(*, user: Any, filters: StudentFilters) -> QuerySet[Student]:
    """The students `user` may see that match `filters`, in name order (empty when they may see none)."""
    visible = students_visible_to(user=user)
    if visible is None:
        return Student.objects.none()
    students = Student.objects.filter(visible)
    students = _search(students, filters.q)
    if filters.group_id:
        students = students.filter(group_id=filters.group_id)
    if filters.programme_id:
        students = students.filter(programme_id=filters.programme_id)
    if filters.status:
        students = students.filter(status=filters.status)
    if filters.form_of_study:
        students = students.filter(form_of_study=filters.form_of_study)
    return students.select_related("programme", "group").order_by("last_name", "first_name", "id")


def student_list(*, user: Any, filters: StudentFilters, page: int | str = 1) -> Page:
    """One page (PAGE_SIZE) of the students `user` may see that match `filters`: three queries for
    any filter (the user's roles, a capped count, the page) plus the groups a teacher teaches."""
    students = student_queryset(user=user, filters=filters)
    paginator = CappedPaginator(students, PAGE_SIZE)
    if _is_name_search(filters.q) and not paginator.capped:
        # The matches of a name search lie together in name order (one surname), which PostgreSQL's
        # planner cannot know: it would walk the name index past every other name to fill a page
        # (100 ms and more with 100,000 students). With at most COUNT_CAP matches, sort them instead:
        # the same order, by an expression no index holds, so they are read by the trigram index.
        count = paginator.count
        paginator = CappedPaginator(students.order_by(Concat("last_name", Value("")), "first_name", "id"), PAGE_SIZE)
        paginator.count = count  # counted once
    return paginator.get_page(page)


def _is_name_search(q: str) -> bool:
    return bool(q.strip()) and not q.replace(" ", "").isdigit()


def student_export_rows(*, user: Any, filters: StudentFilters) -> Iterator[Student]:
    """Every student of the filtered list, read in chunks (for the CSV/XLSX export)."""
    return student_queryset(user=user, filters=filters).iterator(chunk_size=EXPORT_CHUNK)


@dataclass(frozen=True)
class StudentCard:
    student: Student
    history: list[OrderItem]  # the items of signed orders that listed the student, newest first


def student_card(*, student_id: int) -> StudentCard:
    student = Student.objects.select_related("programme", "group", "user").get(pk=student_id)
    return StudentCard(student=student, history=order_items_for_student(student_id=student_id))


def student_data(student: Student) -> StudentData:
    return StudentData(
        id=student.pk,
        user_id=student.user_id,
        iin=student.iin,
        last_name=student.last_name,
        first_name=student.first_name,
        patronymic=student.patronymic,
        name_latin=student.name_latin,
        full_name=student.full_name,
        birth_date=student.birth_date,
        sex=student.sex,
        programme_id=student.programme_id,
        group_id=student.group_id,
        form_of_study=student.form_of_study,
        language=student.language,
        funding=student.funding,
        bolashak=student.bolashak,
        disability=student.disability,
        status=student.status,
        course_year=student.course_year,
    )


def student_get(*, student_id: int) -> StudentData | None:
    student = Student.objects.filter(pk=student_id).first()
    return student_data(student) if student is not None else None


def student_for_user(*, user_id: int) -> int | None:
    """The id of the student record of an account, if it has one."""
    return Student.objects.filter(user_id=user_id).values_list("pk", flat=True).first()


def students_in_groups(
    *, group_ids: list[int], statuses: tuple[str, ...] = (StudentStatus.ACTIVE,)
) -> list[StudentData]:
    """The students of these groups whose status is one of `statuses`, by group and name (one query)."""
    if not group_ids:
        return []
    students = Student.objects.filter(group_id__in=group_ids, status__in=statuses).order_by("pk")
    return [student_data(s) for s in sorted(students, key=lambda s: (s.group_id, s.name_key))]
