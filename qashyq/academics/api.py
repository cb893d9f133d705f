"""What other apps may use of the academic structure: groups, programmes, and who teaches which groups."""

from collections.abc import Iterable

from qashyq.academics.data import GroupData, ProgrammeData
from qashyq.academics.models import Programme, StudyGroup
from qashyq.academics.selectors import groups_taught_by as _groups_taught_by

__all__ = [
    "GroupData",
    "ProgrammeData",
    "group_get",
    "group_list",
    "groups_by_code",
    "groups_taught_by",
    "programme_get",
    "programme_list",
    "programmes_by_code",
]


def _programme_data(programme: Programme) -> ProgrammeData:
    return ProgrammeData(
        id=programme.pk,
        code=programme.code,
        name_kk=programme.name_kk,
        name_ru=programme.name_ru,
        name_en=programme.name_en,
        level=programme.level,
        periods=programme.periods,
        shortened=programme.shortened,
        shortened_basis=programme.shortened_basis,
        forms_offered=tuple(programme.forms_offered),
        languages=tuple(programme.languages),
    )


def _group_data(group: StudyGroup) -> GroupData:
    return GroupData(
        id=group.pk,
        code=group.code,
        programme_id=group.programme_id,
        programme_code=group.programme.code,
        admission_year=group.admission_year,
        language=group.language,
        form_of_study=group.form_of_study,
        capacity=group.capacity,
        closed=group.closed,
    )


def group_get(*, group_id: int) -> GroupData | None:
    group = StudyGroup.objects.select_related("programme").filter(pk=group_id).first()
    return _group_data(group) if group is not None else None


def programme_get(*, programme_id: int) -> ProgrammeData | None:
    programme = Programme.objects.filter(pk=programme_id).first()
    return _programme_data(programme) if programme is not None else None


def group_list() -> list[GroupData]:
    """Every study group, by code (one query)."""
    return [_group_data(g) for g in StudyGroup.objects.select_related("programme").order_by("code")]


def programme_list() -> list[ProgrammeData]:
    """Every programme, by code (one query)."""
    return [_programme_data(p) for p in Programme.objects.order_by("code")]


def groups_by_code(*, codes: Iterable[str]) -> dict[str, GroupData]:
    """The groups with these codes, keyed by code; unknown codes are simply absent (one query)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return {g.code: _group_data(g) for g in StudyGroup.objects.select_related("programme").filter(code__in=wanted)}


def programmes_by_code(*, codes: Iterable[str]) -> dict[str, ProgrammeData]:
    """The programmes with these codes, keyed by code; unknown codes are simply absent (one query)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return {p.code: _programme_data(p) for p in Programme.objects.filter(code__in=wanted)}


def groups_taught_by(*, user_id: int) -> frozenset[int]:
    """Ids of the groups where the user is a teacher or tutor; an assignment without a group counts for every
    group of the programmes whose curriculum holds its discipline."""
    return _groups_taught_by(user_id=user_id)
