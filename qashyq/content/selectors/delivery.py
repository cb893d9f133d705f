"""Reads of delivery on paper and case technology: what a case package holds, the students of a course with
their delivery channel and last dispatch, the packages built for a course."""

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from qashyq.content.data import CasePackageStatus, DeliveryChannel
from qashyq.content.models import Asset, CasePackage, Course, Dispatch, Enrolment, Item, Section
from qashyq.content.rules import body_asset_ids
from qashyq.core.i18n import localized

# --- What a case package holds -------------------------------------------------------------------


@dataclass
class CaseItem:
    """A published item as its live version shows it, numbered within the course (section.item)."""

    id: int
    section_number: int
    number: int
    data: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.section_number}.{self.number}"

    @property
    def slug(self) -> str:
        return f"{self.section_number:02d}-{self.number:02d}"

    def title(self, language: str) -> str:
        return localized(_Names(self.data), "name", language)

    def asset_ids(self) -> list[str]:
        """Every stored file the published version names: its file, transcript, caption tracks, page images."""
        ids: list[str] = []
        for key in ("asset", "transcript"):
            ref = self.data.get(key)
            if isinstance(ref, dict) and ref.get("id"):
                ids.append(str(ref["id"]))
        ids.extend(str(t["asset_id"]) for t in self.data.get("tracks") or () if t.get("asset_id"))
        images = self.data.get("images")  # written at publishing (ITEMS); older versions: read from the text
        ids.extend(images if isinstance(images, list) else body_asset_ids(self.data.get("body") or ""))
        return ids


@dataclass
class _Names:
    data: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        return self.data.get(name, "")


@dataclass
class CaseSection:
    number: int
    section: Section
    items: list[CaseItem] = field(default_factory=list)


@dataclass
class CaseContents:
    course: Course
    sections: list[CaseSection]
    assets: dict[str, Asset]  # str(uuid) → the stored file

    @property
    def items(self) -> list[CaseItem]:
        return [item for section in self.sections for item in section.items]


def case_contents(*, course: Course) -> CaseContents:
    """The course's published items, section by section, and the stored files they name (three queries).
    Sections without a published item are left out; numbering follows the order students see."""
    sections = list(Section.objects.filter(course=course).order_by("position", "pk"))
    rows = (
        Item.objects.filter(course=course, live_version__isnull=False)
        .select_related("live_version")
        .order_by("position", "pk")
        .only("pk", "section_id", "position", "live_version__data")
    )
    by_section: dict[int, list[Item]] = {}
    for item in rows:
        by_section.setdefault(item.section_id, []).append(item)
    result: list[CaseSection] = []
    for section in sections:
        items = by_section.get(section.pk)
        if not items:
            continue
        block = CaseSection(number=len(result) + 1, section=section)
        for position, item in enumerate(items, start=1):
            assert item.live_version is not None
            block.items.append(
                CaseItem(id=item.pk, section_number=block.number, number=position, data=item.live_version.data)
            )
        result.append(block)
    wanted: set[UUID] = set()
    for block in result:
        for case_item in block.items:
            for value in case_item.asset_ids():
                try:
                    wanted.add(UUID(str(value)))
                except ValueError:
                    continue
    assets = {str(a.pk): a for a in Asset.objects.filter(pk__in=wanted)} if wanted else {}
    return CaseContents(course=course, sections=result, assets=assets)


def case_packages(*, course: Course, limit: int = 5) -> list[CasePackage]:
    """The latest packages built for the course, newest first."""
    return list(
        CasePackage.objects.filter(course=course)
        .select_related("asset", "requested_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def case_package_in_progress(*, course: Course) -> CasePackage | None:
    return (
        CasePackage.objects.filter(course=course, status__in=[CasePackageStatus.QUEUED, CasePackageStatus.BUILDING])
        .order_by("-created_at", "-pk")
        .first()
    )


# --- Students and their dispatches ---------------------------------------------------------------


@dataclass
class DeliveryRow:
    enrolment: Enrolment
    last_dispatch: Dispatch | None
    dispatch_count: int

    @property
    def paper(self) -> bool:
        return self.enrolment.delivery == DeliveryChannel.PAPER


def delivery_enrolments(*, course: Course) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(course=course, active=True)
        .select_related("student", "student__group")
        .order_by("student__last_name", "student__first_name", "pk")
    )


def delivery_rows(*, course: Course) -> list[DeliveryRow]:
    """The active students of the course with their delivery channel and, for each, the dispatches recorded
    (newest first): two queries whatever the number of students."""
    dispatches = Dispatch.objects.order_by("-dispatched_on", "-pk")
    enrolments = delivery_enrolments(course=course).prefetch_related(
        Prefetch("dispatches", queryset=dispatches, to_attr="dispatch_list")
    )
    rows = []
    for enrolment in enrolments:
        found: list[Dispatch] = getattr(enrolment, "dispatch_list", [])
        rows.append(
            DeliveryRow(enrolment=enrolment, last_dispatch=found[0] if found else None, dispatch_count=len(found))
        )
    return rows


def dispatch_history(*, enrolment: Enrolment) -> list[Dispatch]:
    return list(enrolment.dispatches.select_related("package").order_by("-dispatched_on", "-pk"))
