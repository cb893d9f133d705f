"""The DLT registry (R56): students on DLT, filtered by category, type, programme, academic period, where their
order stands, and name; counts by category and by type of the filtered set; the rows of the XLSX export."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qashyq.dlt.data import Category, DltType, EnrolmentStatus
from qashyq.dlt.models import Enrolment
from qashyq.records import api as records_api

PAGE_SIZE = 50
EXPORT_CHUNK = 2_000
ORDER = ("student__last_name", "student__first_name", "student_id", "pk")


class RegistryStatus(models.TextChoices):
    """Where a student's DLT study stands: the enrolment's status, with "ended" (in force, but its period is
    over) told apart from "active" (in force and not over)."""

    ORDERED = EnrolmentStatus.ORDERED.value, EnrolmentStatus.ORDERED.label
    SIGNED = EnrolmentStatus.SIGNED.value, EnrolmentStatus.SIGNED.label
    ACTIVE = EnrolmentStatus.ACTIVE.value, EnrolmentStatus.ACTIVE.label
    ENDED = "ended", _("DLT period ended")
    CANCELLED = EnrolmentStatus.CANCELLED.value, EnrolmentStatus.CANCELLED.label


@dataclass(frozen=True)
class RegistryFilters:
    q: str = ""  # words of the student's name, in any script
    category: str = ""
    dlt_type: str = ""
    programme_id: int | None = None
    period_start: date | None = None  # an academic period's dates: enrolments that overlap them
    period_end: date | None = None
    status: str = ""  # a RegistryStatus value


@dataclass(frozen=True)
class RegistryRow:
    enrolment: Enrolment
    status: RegistryStatus


@dataclass(frozen=True)
class RegistryPage:
    page: Page  # of RegistryRow
    total: int
    by_category: list[tuple[str, str, int]]  # (value, label, count), every category
    by_type: list[tuple[str, str, int]]  # (value, label, count), every DLT type


def registry_status(enrolment: Enrolment, *, today: date) -> RegistryStatus:
    if enrolment.status == EnrolmentStatus.ACTIVE and enrolment.ends_on < today:
        return RegistryStatus.ENDED
    return RegistryStatus(enrolment.status)


def enrolment_queryset(*, filters: RegistryFilters, today: date) -> QuerySet[Enrolment]:
    """The enrolments that match `filters` (the registry is the administration's and the head's: no
    restriction by user), in the order of the student's name."""
    enrolments = Enrolment.objects.all()
    if filters.category:
        enrolments = enrolments.filter(category=filters.category)
    if filters.dlt_type:
        enrolments = enrolments.filter(dlt_type=filters.dlt_type)
    if filters.programme_id:
        enrolments = enrolments.filter(programme_id=filters.programme_id)
    if filters.period_start is not None:
        enrolments = enrolments.filter(ends_on__gte=filters.period_start)
    if filters.period_end is not None:
        enrolments = enrolments.filter(starts_on__lte=filters.period_end)
    if filters.status == RegistryStatus.ENDED:
        enrolments = enrolments.filter(status=EnrolmentStatus.ACTIVE, ends_on__lt=today)
    elif filters.status == RegistryStatus.ACTIVE:
        enrolments = enrolments.filter(status=EnrolmentStatus.ACTIVE, ends_on__gte=today)
    elif filters.status:
        enrolments = enrolments.filter(status=filters.status)
    for word in records_api.search_fold(filters.q).split()[:5]:
        enrolments = enrolments.filter(student__search_text__contains=word)
    return enrolments.order_by(*ORDER)


def _with_row_data(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return enrolments.select_related("student", "student__group", "programme", "order")


def registry_page(*, filters: RegistryFilters, today: date, page: int | str = 1) -> RegistryPage:
    """One page (PAGE_SIZE) of the filtered registry and the counts of the whole filtered set by category and by
    type: two queries (the counts, which also give the page count, and the page's rows)."""
    enrolments = enrolment_queryset(filters=filters, today=today)
    cells = enrolments.order_by().values_list("category", "dlt_type").annotate(n=Count("pk"))
    categories = dict.fromkeys(Category.values, 0)
    types = dict.fromkeys(DltType.values, 0)
    total = 0
    for category, dlt_type, n in cells:
        categories[category] = categories.get(category, 0) + n
        types[dlt_type] = types.get(dlt_type, 0) + n
        total += n
    # The page's ids are sorted first, narrow rows of a few columns (sorting the wide rows of the joined tables
    # would cost several times more), then its rows are read by id: one query, with the ids as a subquery.
    paginator: Paginator[Any] = Paginator(enrolments.values_list("pk", flat=True), PAGE_SIZE)
    paginator.count = total  # counted above, with the rest
    result = paginator.get_page(page)
    rows = _with_row_data(Enrolment.objects.filter(pk__in=result.object_list)).order_by(*ORDER) if total else []
    result.object_list = [RegistryRow(e, registry_status(e, today=today)) for e in rows]
    return RegistryPage(
        page=result,
        total=total,
        by_category=[(value, str(Category(value).label), n) for value, n in categories.items()],
        by_type=[(value, str(DltType(value).label), n) for value, n in types.items()],
    )


def registry_export_rows(*, filters: RegistryFilters, today: date) -> Iterator[RegistryRow]:
    """Every row of the filtered registry, read in chunks (for the XLSX export)."""
    enrolments = _with_row_data(enrolment_queryset(filters=filters, today=today))
    for enrolment in enrolments.iterator(chunk_size=EXPORT_CHUNK):
        yield RegistryRow(enrolment, registry_status(enrolment, today=today))


def studying_now(*, today: date) -> Q:
    """Enrolments under an order in force whose DLT period is not over."""
    return Q(status=EnrolmentStatus.ACTIVE, ends_on__gte=today)
