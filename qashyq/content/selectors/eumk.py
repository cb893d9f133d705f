"""Reads of e-learning methodical complexes: the list, one e-UMK's page (components, materials, what may be
linked, the review trail), the components still missing, and the coverage of a programme's curriculum."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from qashyq.academics import api as academics_api
from qashyq.academics.data import CurriculumLineData, DisciplineData, YearData
from qashyq.content.data import Coverage, DisciplineCoverage, EumkStatus
from qashyq.content.models import DidacticResource, Eumk, EumkComponentType, EumkLink, EumkReview, Item
from qashyq.content.permissions.catalogue import eumks_visible_to, staffed_discipline_ids
from qashyq.content.selectors.catalogue import case_variants

PAGE_SIZE = 50


# --- Components ---------------------------------------------------------------------------------


def component_types(*, active_only: bool = True) -> list[EumkComponentType]:
    """The component types in their order (one query)."""
    types = EumkComponentType.objects.order_by("position", "pk")
    return list(types.filter(active=True) if active_only else types)


def eumk_missing_components(*, eumk: Eumk) -> list[EumkComponentType]:
    """The required components in use that hold no material yet, in order (one query)."""
    return list(
        EumkComponentType.objects.filter(active=True, required=True)
        .exclude(pk__in=EumkLink.objects.filter(eumk_id=eumk.pk).values("component_id"))
        .order_by("position", "pk")
    )


# --- Years --------------------------------------------------------------------------------------


def year_today() -> YearData | None:
    """The current academic year (else the next, else the last one)."""
    return academics_api.year_current(on=timezone.localdate())


def year_choices() -> list[tuple[int, str]]:
    """The academic years that have periods, latest first (one query)."""
    years: dict[int, tuple[date, str]] = {}
    for period in academics_api.period_list():
        start, _title = years.get(period.year_id, (period.start_date, period.year_title))
        years[period.year_id] = (min(start, period.start_date), period.year_title)
    ordered = sorted(years.items(), key=lambda pair: pair[1][0], reverse=True)
    return [(year_id, title) for year_id, (_start, title) in ordered]


# --- The list -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EumkFilters:
    year_id: int | None = None
    status: str = ""
    q: str = ""  # a discipline's code or words of its name


def eumk_queryset(*, user: Any, filters: EumkFilters) -> QuerySet[Eumk]:
    visible = eumks_visible_to(user=user)
    if visible is None:
        return Eumk.objects.none()
    eumks = Eumk.objects.filter(visible)
    if filters.year_id:
        eumks = eumks.filter(year_id=filters.year_id)
    if filters.status:
        eumks = eumks.filter(status=filters.status)
    for word in filters.q.split()[:5]:
        match = Q()
        for variant in case_variants(word):
            for name in ("code", "name_kk", "name_ru", "name_en"):
                match |= Q(**{f"discipline__{name}__icontains": variant})
        eumks = eumks.filter(match)
    return eumks.select_related("discipline", "year", "approved_by").order_by("-year__start_date", "discipline__code")


def eumk_list(*, user: Any, filters: EumkFilters, page: int | str = 1) -> Page:
    """One page of the e-UMKs `user` may see (a count and the page: two queries, plus the visibility's one)."""
    return Paginator(eumk_queryset(user=user, filters=filters), PAGE_SIZE).get_page(page)


def disciplines_to_start(*, user: Any, year_id: int | None) -> list[DisciplineData]:
    """The disciplines a teacher teaches that have no e-UMK in the year yet (so they may start one)."""
    if year_id is None:
        return []
    ids = staffed_discipline_ids(user=user, teachers_only=True)
    if not ids:
        return []
    started = set(
        Eumk.objects.filter(year_id=year_id, discipline_id__in=sorted(ids)).values_list("discipline_id", flat=True)
    )
    missing = sorted(ids - started)
    return academics_api.discipline_list(ids=missing) if missing else []


def eumk_previous(*, discipline_id: int, before: date) -> Eumk | None:
    """The latest e-UMK of the discipline whose year starts before `before`."""
    return (
        Eumk.objects.filter(discipline_id=discipline_id, year__start_date__lt=before)
        .order_by("-year__start_date")
        .first()
    )


# --- One e-UMK ----------------------------------------------------------------------------------


@dataclass
class ComponentRow:
    component: EumkComponentType
    links: list[EumkLink] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return self.component.required and not self.links


@dataclass(frozen=True)
class EumkPage:
    eumk: Eumk
    rows: list[ComponentRow]
    reviews: list[EumkReview]
    items: list[Item]  # what may be linked: the items of the courses of the discipline
    resources: list[DidacticResource]  # ... and the catalogue resources linked to the discipline

    @property
    def missing(self) -> list[EumkComponentType]:
        return [row.component for row in self.rows if row.missing]


def eumk_page(*, eumk: Eumk, with_candidates: bool) -> EumkPage:
    """Everything an e-UMK's page shows, in a fixed number of queries (components, materials, reviews, and
    when the materials may change, the items and resources that may be linked)."""
    components = component_types()
    rows = {c.pk: ComponentRow(component=c) for c in components}
    links = (
        EumkLink.objects.filter(eumk_id=eumk.pk, component_id__in=list(rows))
        .select_related("item__course", "resource__asset")
        .order_by("pk")
    )
    for link in links:
        rows[link.component_id].links.append(link)
    reviews = list(EumkReview.objects.filter(eumk_id=eumk.pk).select_related("actor").order_by("created_at", "pk"))
    items: list[Item] = []
    resources: list[DidacticResource] = []
    if with_candidates:
        items = list(
            Item.objects.filter(course__discipline_id=eumk.discipline_id)
            .select_related("course", "section")
            .order_by("course__code", "section__position", "section_id", "position", "pk")
        )
        resources = list(DidacticResource.objects.filter(disciplines=eumk.discipline_id).order_by("name_kk", "pk"))
    return EumkPage(eumk=eumk, rows=list(rows.values()), reviews=reviews, items=items, resources=resources)


# --- Coverage of a curriculum (rule 14, R41–R42) ------------------------------------------------


@dataclass(frozen=True)
class CoverageLine:
    line: CurriculumLineData
    eumk: Eumk | None

    @property
    def approved(self) -> bool:
        return self.eumk is not None and self.eumk.status == EumkStatus.APPROVED


def coverage_lines(*, programme_id: int, year_id: int | None) -> list[CoverageLine]:
    """Every line of the programme's curriculum (by period and discipline code) with the discipline's e-UMK
    of the year, if any (two queries)."""
    lines = academics_api.curriculum_lines(programme_id=programme_id)
    eumks: dict[int, Eumk] = {}
    if year_id is not None and lines:
        ids = sorted({line.discipline.id for line in lines})
        eumks = {
            e.discipline_id: e
            for e in Eumk.objects.filter(year_id=year_id, discipline_id__in=ids).select_related("approved_by")
        }
    return [CoverageLine(line=line, eumk=eumks.get(line.discipline.id)) for line in lines]


def coverage(*, programme_id: int, year_id: int | None) -> Coverage:
    """`content.api.eumk_coverage`: a year of None (none exists) leaves every discipline without an approved
    e-UMK (year_id 0)."""
    return Coverage(
        programme_id=programme_id,
        year_id=year_id or 0,
        disciplines=tuple(
            DisciplineCoverage(
                discipline_id=row.line.discipline.id,
                discipline_code=row.line.discipline.code,
                discipline_name=row.line.discipline.name,
                period_number=row.line.period_number,
                approved=row.approved,
                eumk_id=row.eumk.pk if row.eumk is not None else None,
                status=row.eumk.status if row.eumk is not None else "",
            )
            for row in coverage_lines(programme_id=programme_id, year_id=year_id)
        ),
    )


def approved_discipline_ids(*, discipline_ids: Iterable[int], year_id: int) -> set[int]:
    """Which of these disciplines hold an approved e-UMK for the year (one query)."""
    return set(
        Eumk.objects.filter(
            year_id=year_id, discipline_id__in=sorted(set(discipline_ids)), status=EumkStatus.APPROVED
        ).values_list("discipline_id", flat=True)
    )
