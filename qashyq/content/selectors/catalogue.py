"""Reads of the didactic catalogue: the filtered, paginated list of resources."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet

from qashyq.content.models import DidacticResource

PAGE_SIZE = 50


@dataclass(frozen=True)
class ResourceFilters:
    q: str = ""  # words of a title (any language) or of the authors
    kind: str = ""
    origin: str = ""
    media: str = ""
    status: str = ""
    discipline_id: int | None = None


def case_variants(word: str) -> set[str]:
    """SQLite folds only ASCII letters in LIKE: search the usual spellings of a Cyrillic word too
    (PostgreSQL's icontains folds every letter itself)."""
    return {word, word.lower(), word.upper(), word.capitalize()}


def _search(resources: QuerySet[DidacticResource], q: str) -> QuerySet[DidacticResource]:
    for word in q.split()[:5]:
        match = Q()
        for variant in case_variants(word):
            for field in ("name_kk", "name_ru", "name_en", "authors"):
                match |= Q(**{f"{field}__icontains": variant})
        resources = resources.filter(match)
    return resources


def resource_queryset(*, filters: ResourceFilters) -> QuerySet[DidacticResource]:
    """The catalogue entries matching `filters`, newest first, with their disciplines (one extra query per
    page) and stored file."""
    resources = DidacticResource.objects.all()
    resources = _search(resources, filters.q.strip())
    for field in ("kind", "origin", "media", "status"):
        value = getattr(filters, field)
        if value:
            resources = resources.filter(**{field: value})
    if filters.discipline_id:
        resources = resources.filter(disciplines=filters.discipline_id)
    return (
        resources.select_related("asset")
        .prefetch_related("disciplines")
        .order_by(F("year").desc(nulls_last=True), "name_kk", "pk")
    )


def resource_list(*, filters: ResourceFilters, page: int | str = 1) -> Page:
    """One page of the catalogue: a count, the page of entries and their disciplines (three queries)."""
    return Paginator(resource_queryset(filters=filters), PAGE_SIZE).get_page(page)
